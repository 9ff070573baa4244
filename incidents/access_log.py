"""The access log: every read of a restricted record, by anyone, through any door.

History records who changed what; this records who *read* what, so that "who read
this witness's record last month?" has an answer. For each restricted record a
request shows (its own, and those shown inside it: a figure's citations, an
incident's groups on its admin page), one ``AccessLogEntry`` says who (staff
member, or partner and token prefix), what (kind and public id), how (the page or
endpoint), when, from which address (as the throttles see it), and the request id
the caller was answered with.

How it is collected:

- ``AccessLogMiddleware`` gives each request a ``Collector`` (``request.access_log``);
- the doors that show records add what they show (``note``, ``note_ids``): the API's
  serializers for every record they represent (``incidents.api.serializers``), the
  exports row by row, history and charts, and the admin's pages;
- at the end of the request, the middleware writes everything collected with one
  INSERT (``write``). A streamed export is written when its stream ends, or every
  ``FLUSH_EVERY`` records, so that its memory stays flat.

Only restricted records are logged. Public and partner-shared records are read by
the thousand and by design; logging them would bury the reads that matter under
volume, and restricted is where the witnesses and the people at risk are.
Reading nothing restricted costs nothing: no query at all.

If the entries cannot be written, the request fails rather than answer unrecorded
(a streamed export has already sent what it sent; the error is then the server's).
"""

import datetime
import json
import re
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, router
from django.utils import timezone

from incidents.addresses import client_address, parse_address
from incidents.choices import Visibility
from incidents.models import AccessLogEntry

RESTRICTED = Visibility.RESTRICTED.value
# A stream (an export) writes what it has collected every this many records: one INSERT
# for each, and never more than this many held in memory.
FLUSH_EVERY = 10_000
# Django admin URL names are "<app>_<model>_<page>": the page is the "how".
ADMIN_PAGE = re.compile(r"^[a-z0-9]+_[a-z0-9]+_(?P<page>.+)$")
ADMIN_PAGES = {"simple_history": "history-entry"}


@dataclass
class Collector:
    """The restricted records one request showed, each once, until they are written."""

    at: datetime.datetime = field(default_factory=timezone.now)
    how: str | None = None  # set by a door that knows better than its URL's name
    records: dict[tuple[str, uuid.UUID], None] = field(default_factory=dict)

    def add(self, label: str, record_id) -> None:
        self.records[(label, record_id)] = None

    def __len__(self) -> int:
        return len(self.records)


def collector(request) -> Collector | None:
    """The request's collector (Django's request or DRF's), or None outside a request."""
    return getattr(request, "access_log", None) if request is not None else None


def note(request, records) -> None:
    """Log these records, those that are restricted, as read by the caller of ``request``.

    ``records`` are model instances of any kind; those without a visibility
    (vocabulary terms) and those not restricted are passed over.
    """
    log = collector(request)
    if log is None:
        return
    for record in records:
        if record is not None and getattr(record, "visibility", None) == RESTRICTED:
            log.add(record._meta.label_lower, record.uuid)


def note_ids(request, model, rows) -> None:
    """Log records of ``model`` given as (public id, visibility) pairs, such as export rows."""
    log = collector(request)
    if log is None:
        return
    label = model._meta.label_lower
    for record_id, visibility in rows:
        if record_id is not None and visibility == RESTRICTED:
            log.add(label, record_id)


def set_how(request, how: str) -> None:
    """Name the door for this request's entries (an export answers on its list's URL)."""
    log = collector(request)
    if log is not None:
        log.how = how


def door(request) -> str:
    """The page or endpoint, from the URL's name: ``api:figure-detail``, ``admin:change``."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return request.path[:100]
    if "admin" in match.namespaces:
        found = ADMIN_PAGE.match(match.url_name)
        page = found["page"] if found else match.url_name
        return f"admin:{ADMIN_PAGES.get(page, page)}"
    return f"api:{match.url_name}"[:100]


def who(request) -> dict:
    """The columns that say who read: the staff member, or the partner and its token."""
    fields = {"user_id": None, "username": "", "partner_id": None, "partner_name": ""}
    fields["token_prefix"] = ""
    token = getattr(request, "auth", None)
    partner = getattr(token, "partner", None)
    if partner is not None:
        fields.update(partner_id=partner.pk, partner_name=partner.name, token_prefix=token.prefix)
        return fields
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        fields.update(user_id=user.pk, username=user.get_username())
    return fields


def write(request, log: Collector) -> int:
    """Write the collected records as entries, in one INSERT; how many. Empties ``log``."""
    if not log.records:
        return 0
    address = parse_address(client_address(request))
    values = {
        "at": log.at,
        "request_id": getattr(request, "id", "")[:64],
        **who(request),
        "how": (log.how or door(request))[:100],
        "method": request.method[:10],
        "path": request.path,
        "address": str(address) if address is not None else None,
    }
    records = list(log.records)
    log.records.clear()
    _insert(values, records)
    return len(records)


def _insert(values: dict, records: list[tuple[str, uuid.UUID]]) -> None:
    """One INSERT of an entry per record: the shared columns once, the records as one JSON.

    Django's ``bulk_create`` sends every column of every row as a parameter, and
    SQLite takes 999 of them a statement: a page of 500 would be split into
    several INSERTs. Here the request's columns are parameters once and the
    records one JSON array, which the database unnests (``json_each`` in SQLite,
    ``jsonb_to_recordset`` in PostgreSQL): one statement, whatever the number.
    """
    alias = router.db_for_write(AccessLogEntry)
    connection = connections[alias]
    meta = AccessLogEntry._meta
    # get_field takes names and attnames (user_id) alike.
    shared = {name: meta.get_field(name) for name in values}
    record_id = meta.get_field("record_id")
    prepared = [f.get_db_prep_save(values[name], connection) for name, f in shared.items()]
    pairs = [
        {"model": label, "id": str(record_id.get_db_prep_value(pk, connection))}
        for label, pk in records
    ]
    quote = connection.ops.quote_name
    every = (*shared.values(), meta.get_field("model"), record_id)
    columns = ", ".join(quote(f.column) for f in every)
    placeholders = ", ".join(["%s"] * len(prepared))
    if connection.vendor == "postgresql":
        unnest = (
            "SELECT {}, r.model, r.id::uuid "
            "FROM jsonb_to_recordset(%s::jsonb) AS r(model text, id text)"
        )
    elif connection.vendor == "sqlite":
        unnest = (
            "SELECT {}, json_extract(value, '$.model'), json_extract(value, '$.id') "
            "FROM json_each(%s)"
        )
    else:  # other databases: Django's own, in as many statements as it needs
        AccessLogEntry.objects.using(alias).bulk_create(
            AccessLogEntry(**values, model=label, record_id=pk) for label, pk in records
        )
        return
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) {unnest.format(placeholders)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*prepared, json.dumps(pairs)])


class AccessLogMiddleware:
    """Collects the restricted records a request shows, and writes them at its end.

    After the authentication middleware (who is asking) and inside the request id's
    (the entries carry it). Answers of 400 and above showed no record and log none.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        log = request.access_log = Collector()
        response = self.get_response(request)
        if response.status_code >= 400:
            return response
        if response.streaming:
            response.streaming_content = self._streamed(request, log, response.streaming_content)
        else:
            write(request, log)
        return response

    def _streamed(self, request, log: Collector, content):
        """The stream, unchanged, writing what it showed as it goes and when it ends."""
        try:
            for chunk in content:
                yield chunk
                if len(log) >= FLUSH_EVERY:
                    write(request, log)
        finally:
            write(request, log)


def prune(now: datetime.datetime | None = None) -> int:
    """Delete entries older than ``ACCESS_LOG_RETENTION_DAYS``; how many were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = AccessLogEntry.objects.filter(at__lt=cutoff).delete()
    return deleted


# --- reading the log (``manage.py access_log``) --------------------------------------------


def parse_moment(text: str, *, end: bool = False) -> datetime.datetime:
    """A date (``2025-01-31``) or a date and time (``2025-01-31T14:00``, with or without zone).

    A date alone means its whole day in the server's time zone: from its start,
    or, with ``end``, up to the start of the next day. Raises ``ValueError``.
    """
    text = text.strip()
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        moment = datetime.datetime.fromisoformat(text)  # the ValueError says what is wrong
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    if end:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entries(
    *,
    record: uuid.UUID | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    user: str | None = None,
    partner: str | None = None,
):
    """Entries of the log, oldest first, narrowed by record, time (``until`` excluded),
    user name or partner name (as kept in the entry, which outlives the account)."""
    found = AccessLogEntry.objects.all()
    if record is not None:
        found = found.filter(record_id=record)
    if since is not None:
        found = found.filter(at__gte=since)
    if until is not None:
        found = found.filter(at__lt=until)
    if user:
        found = found.filter(username=user)
    if partner:
        found = found.filter(partner_name=partner)
    return found.order_by("at", "pk")


def as_dict(entry: AccessLogEntry) -> dict:
    """An entry as plain values: one JSON object of ``access_log --json``."""
    return {
        "at": entry.at.isoformat().replace("+00:00", "Z"),
        "request_id": entry.request_id,
        "user": entry.username or None,
        "partner": entry.partner_name or None,
        "token_prefix": entry.token_prefix or None,
        "how": entry.how,
        "method": entry.method,
        "path": entry.path,
        "address": entry.address,
        "model": entry.model,
        "record_id": str(entry.record_id),
    }


TABLE_HEADER = ("when (UTC)", "who", "how", "address", "record", "request")


def as_line(entry: AccessLogEntry | None) -> str:
    """An entry as a line of the readable table (its header for None)."""
    if entry is None:
        cells = TABLE_HEADER
    else:
        cells = (
            entry.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            entry.who,
            entry.how,
            entry.address or "-",
            f"{entry.model.partition('.')[2]} {entry.record_id}",
            f"{entry.method} {entry.path} {entry.request_id}",
        )
    return "{:<19}  {:<24}  {:<26}  {:<15}  {:<50}  {}".format(*cells)
