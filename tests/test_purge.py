"""Purge: a value entered by mistake leaves the record and every place it was kept.

The value is planted where the system keeps copies (history, the admin's log, a
webhook delivery and the receiver's answer, an import's report, reason and stored
batch, a stored API answer); after the purge, every column of every table of the
database and every stored import batch is searched for it. Both doors are
tested: the command, exactly as the docs print it, and the admin page.
"""

import io
import json
import re
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from incidents import security
from incidents.models import Actor, Citation, ImportJob, PurgeEntry, Source
from incidents.roles import ADMINISTRATOR, EDITOR
from incidents.writes import purge
from tests.factories import ActorFactory, CitationFactory, IncidentFactory, SourceFactory
from tests.test_webhooks import run_worker, subscribe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_dns")]

JSON = "application/json"
# The mistaken value: a protected witness's real name typed where the pseudonym belongs.
NAME = "María Fernanda Oquendo"
PHONE = "+58 412 555 0199"


# --- helpers ---------------------------------------------------------------------------------


def spellings(value: str) -> set[str]:
    """The value as a column may hold it: as is, or JSON-escaped."""
    return {value, json.dumps(value)[1:-1]}


def cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, memoryview | bytes):
        return bytes(cell).decode("utf-8", "replace")
    if isinstance(cell, dict | list):  # PostgreSQL's jsonb, decoded by psycopg
        return json.dumps(cell, ensure_ascii=False)
    return str(cell)


def tables_holding(value: str) -> list[str]:
    """Every table of the database (not only the app's models) whose rows hold ``value``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, cell in zip(columns, row, strict=True):
                    text = cell_text(cell)
                    if any(spelling in text for spelling in spellings(value)):
                        found.append(f"{table}.{column}")
    return sorted(set(found))


def stored_files_holding(value: str) -> list[str]:
    location = Path(settings.STORAGES["imports"]["OPTIONS"]["location"])
    return [
        path.name
        for path in location.rglob("*")
        if path.is_file()
        and any(spelling.encode() in path.read_bytes() for spelling in spellings(value))
    ]


def administrator(django_user_model, name="admin-ana"):
    user = django_user_model.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    return user


def signed_in(client, user, *, second_factor=True):
    """``client`` signed in as ``user``; counted as having just confirmed a second factor."""
    client.force_login(user)
    if second_factor:
        session = client.session
        session[security.SECOND_FACTOR_AT] = int(time.time())
        session.save()
    return client


def run(*args) -> str:
    out = io.StringIO()
    call_command("purge", *args, stdout=out)
    return out.getvalue()


# --- the value, everywhere -------------------------------------------------------------------


@pytest.fixture
def planted(client, a, partner_a, httpserver, django_user_model, settings, tmp_path):
    """A witness whose real name went everywhere a record's values go.

    Created and changed through the API (history, a stored answer, webhook deliveries
    to a receiver whose answer repeats the name), changed in the admin (its log),
    imported (a report and a reason naming it) and queued in a batch not yet run.
    """
    # A storage of this test's own: files of other tests' jobs outlive their rows.
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {
            **settings.STORAGES["imports"],
            "OPTIONS": {**settings.STORAGES["imports"]["OPTIONS"], "location": tmp_path},
        },
    }
    httpserver.expect_request(re.compile("^/"), method="POST").respond_with_data(
        f"thanks for the news about {NAME}"
    )
    subscribe(partner_a, httpserver)
    created = client.post(
        "/api/v1/actors/",
        json.dumps(
            {
                "name": NAME,
                "kind": "person",
                "role": "witness",
                "external_id": "w-1",
                "description": f"Reachable at {PHONE}.",
                "visibility": "restricted",
            }
        ),
        content_type=JSON,
        HTTP_IDEMPOTENCY_KEY="witness-1",
        **a,
    )
    assert created.status_code == 201, created.content
    actor = Actor.objects.get(uuid=created.json()["id"])
    changed = client.patch(
        f"/api/v1/actors/{actor.uuid}/",
        {"role": "lawyer"},
        content_type=JSON,
        HTTP_X_CHANGE_REASON=f"{NAME} is a lawyer",
        **a,
    )
    assert changed.status_code == 200, changed.content
    run_worker()  # the deliveries are sent; the receiver's answers are logged

    staff = django_user_model.objects.create_superuser("curator", "c@example.org", "pw")
    actor.refresh_from_db()
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[actor],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Role"]}}],
        single_object=True,
    )
    incident = IncidentFactory()
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[incident],
        action_flag=CHANGE,
        change_message=[{"added": {"name": "citation", "object": f"Asserts: “{NAME} said”"}}],
        single_object=True,
    )

    # A batch whose columns slipped: the name landed in the kind column, and the error
    # message of its report repeats it. Run by the worker, then one more left waiting.
    settings.IMPORT_SYNC_MAX_ROWS = 1
    row = {"external_id": "w-1", "name": NAME, "kind": "person", "role": "lawyer"}
    slipped = {"external_id": "w-3", "name": "person", "kind": NAME}
    failed = client.post(
        "/api/v1/import/?resource=actors",
        json.dumps([row, slipped]),
        content_type=JSON,
        HTTP_X_CHANGE_REASON=f"Update for {NAME}",
        **a,
    )
    assert failed.status_code == 202, failed.content
    run_worker()
    assert ImportJob.objects.get(uuid=failed.json()["id"]).errors
    queued = client.post(
        "/api/v1/import/?resource=actors",
        json.dumps([row, {"external_id": "w-2", "name": "Another witness", "kind": "person"}]),
        content_type=JSON,
        **a,
    )
    assert queued.status_code == 202, queued.content
    assert ImportJob.objects.exclude(payload_file="").count() == 1

    actor.refresh_from_db()
    return actor


def test_the_value_is_planted_where_the_test_looks(planted):
    """Without this, the test below could pass by searching the wrong places."""
    holding = tables_holding(NAME)
    for place in [
        "incidents_actor.name",
        "incidents_historicalactor.name",
        "incidents_historicalactor.history_change_reason",
        "django_admin_log.object_repr",
        "django_admin_log.change_message",
        "incidents_webhookattempt.response_excerpt",
        "incidents_importjob.reason",
        "incidents_importjob.errors",
        "incidents_idempotencykey.body",
    ]:
        assert place in holding
    assert stored_files_holding(NAME)


def test_a_purge_leaves_the_value_in_no_table_and_no_stored_file(planted, django_user_model):
    admin_user = administrator(django_user_model)
    entry = purge.purge(
        record=planted, field="name", reason="Real name of a protected witness", user=admin_user
    )

    assert tables_holding(NAME) == []
    assert stored_files_holding(NAME) == []
    planted.refresh_from_db()
    assert planted.name == purge.MARKER
    assert (entry.by, entry.by_name, entry.record_uuid, entry.field) == (
        admin_user,
        "admin-ana",
        planted.uuid,
        "name",
    )
    assert entry.record_changed
    assert entry.history_rows == 2  # created, then its role changed (the import failed)
    assert entry.admin_log_entries == 2
    assert entry.webhook_deliveries >= 1
    assert entry.import_jobs == 1  # the failed one; the waiting one holds it in its batch
    assert entry.import_files == 1
    assert entry.idempotency_records == 1


def test_what_else_the_history_said_stays(planted, django_user_model):
    purge.purge(
        record=planted,
        field="name",
        reason="Real name of a protected witness",
        user=administrator(django_user_model),
    )
    history = list(planted.history.order_by("history_date", "history_id"))
    assert [entry.role for entry in history][:2] == ["witness", "lawyer"]
    assert {entry.description for entry in history} == {f"Reachable at {PHONE}."}
    assert history[1].history_change_reason == f"{purge.MARKER} is a lawyer"
    # The purge is a version of its own, with its reason.
    assert history[-1].history_change_reason == "Real name of a protected witness"
    assert history[-1].name == purge.MARKER


def test_the_purge_entry_and_the_security_log_hold_no_value(planted, django_user_model, caplog):
    caplog.set_level("INFO", logger="incidents.security")
    entry = purge.purge(
        record=planted,
        field="name",
        reason="Real name of a protected witness",
        user=administrator(django_user_model),
    )
    stored = PurgeEntry.objects.filter(pk=entry.pk).values().get()
    assert not any(NAME in str(value) for value in stored.values())
    events = [record for record in caplog.records if record.name == "incidents.security"]
    purged = [record for record in events if record.getMessage() == "record.purged"]
    assert len(purged) == 1
    assert (purged[0].record, purged[0].field, purged[0].by) == (
        str(planted.uuid),
        "name",
        "admin-ana",
    )
    assert not any(NAME in repr(vars(record)) for record in events)


def test_the_api_answers_with_the_replacement_afterwards(client, a, planted, django_user_model):
    path = f"/api/v1/actors/{planted.uuid}/"
    before = client.get(path, **a)
    purge.purge(
        record=planted,
        field="name",
        reason="Real name of a protected witness",
        user=administrator(django_user_model),
    )
    after = client.get(path, **a)
    assert after.json()["name"] == purge.MARKER
    assert after["ETag"] != before["ETag"]  # no cache may answer with the old version
    history = client.get(f"{path}history/", **a)
    assert history.status_code == 200
    assert NAME not in history.content.decode()
    assert purge.MARKER in history.content.decode()  # the owner sees old values: purged ones
    # A retry of the create with its key: the stored answer, purged, is not replayed
    # either, since the request's fingerprint (a hash of the value) is gone with it.
    replayed = client.post(
        "/api/v1/actors/",
        json.dumps(
            {
                "name": NAME,
                "kind": "person",
                "role": "witness",
                "external_id": "w-1",
                "description": f"Reachable at {PHONE}.",
                "visibility": "restricted",
            }
        ),
        content_type=JSON,
        HTTP_IDEMPOTENCY_KEY="witness-1",
        **a,
    )
    assert replayed.status_code == 422
    assert replayed.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert NAME not in replayed.content.decode()
    assert Actor.objects.filter(external_id="w-1").count() == 1


def test_the_change_feed_tells_mirrors_to_fetch_the_record_again(
    client, a, planted, django_user_model
):
    feed = client.get("/api/v1/changes/", {"since": "0"}, **a).json()
    purge.purge(
        record=planted,
        field="name",
        reason="Real name of a protected witness",
        user=administrator(django_user_model),
    )
    again = client.get("/api/v1/changes/", {"since": feed["next_cursor"]}, **a).json()
    assert [(c["id"], c["action"]) for c in again["results"]] == [(str(planted.uuid), "updated")]


# --- what replaces a value -------------------------------------------------------------------


def test_part_of_a_text_is_replaced_and_the_rest_kept(django_user_model):
    actor = ActorFactory(description=f"Call {PHONE}, ask for the lawyer.")
    actor.description = f"Call {PHONE}."
    actor.save()
    actor.description = "No phone here."
    actor.save()
    purge.purge(
        record=actor,
        field="description",
        value=PHONE,
        reason="A phone entered by mistake",
        user=administrator(django_user_model),
    )
    actor.refresh_from_db()
    assert actor.description == "No phone here."  # the current value never held it
    assert sorted(actor.history.values_list("description", flat=True)) == [
        "Call [purged], ask for the lawyer.",
        "Call [purged].",
        "No phone here.",
    ]
    entry = PurgeEntry.objects.get()
    assert (entry.record_changed, entry.history_rows) == (False, 2)
    assert actor.version == 3  # a value only in history: the record itself is not saved


def test_a_whole_value_of_a_field_that_may_be_empty_becomes_empty(django_user_model):
    actor = ActorFactory(role=NAME)
    purge.purge(record=actor, field="role", reason="Mistake", user=administrator(django_user_model))
    actor.refresh_from_db()
    assert actor.role == ""


def test_names_that_must_be_unique_get_markers_of_their_own(django_user_model):
    admin_user = administrator(django_user_model)
    first, second = ActorFactory(name=NAME), ActorFactory(name="Ana Oquendo Ruiz")
    purge.purge(record=first, field="name", reason="Mistake", user=admin_user)
    purge.purge(record=second, field="name", reason="Mistake", user=admin_user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.name == "[purged]"
    assert re.fullmatch(r"\[purged [0-9a-f]{6}\]", second.name)


def test_a_url_holding_the_value_is_emptied(django_user_model):
    source = SourceFactory(url="https://example.org/witness/maria-oquendo")
    purge.purge(
        record=source,
        field="url",
        value="maria-oquendo",
        reason="A name in a link",
        user=administrator(django_user_model),
    )
    source.refresh_from_db()
    assert source.url == ""


def test_a_quote_and_its_source_text_can_both_be_purged_and_still_agree(django_user_model):
    admin_user = administrator(django_user_model)
    source = SourceFactory(text=f"The observatory documented at least 40 detentions, {NAME} said.")
    citation = CitationFactory(source=source, quote=f"at least 40 detentions, {NAME} said")
    purge.purge(record=citation, field="quote", value=NAME, reason="Name", user=admin_user)
    purge.purge(record=source, field="text", value=NAME, reason="Name", user=admin_user)
    citation = Citation.objects.get(pk=citation.pk)
    assert citation.quote == "at least 40 detentions, [purged] said"
    citation.full_clean()  # the verbatim-quote rule holds again
    assert tables_holding(NAME) == []


def test_only_free_text_can_be_purged():
    from incidents.models import Allegation, DetaineeGroup, Figure, Incident

    assert {model.__name__: purge.purgeable_fields(model) for model in purge.RECORD_MODELS} == {
        "Actor": ["name", "role", "description"],
        "Source": ["title", "url", "text"],
        "Incident": ["title", "summary", "location"],
        "DetaineeGroup": ["label", "charges", "description"],
        "Figure": ["note"],
        "Allegation": ["summary"],
        "Citation": ["quote", "note"],
    }
    assert {Actor, Source, Incident, DetaineeGroup, Figure, Allegation, Citation} == set(
        purge.RECORD_MODELS
    )


# --- the command -----------------------------------------------------------------------------


def test_the_command_as_documented_purges_and_prints_the_counts(django_user_model):
    actor = ActorFactory(name=NAME)
    out = run(str(actor.uuid), "--field", "name", "--reason", "Real name of a witness")
    assert "history entries: 1" in out
    assert NAME not in out
    actor.refresh_from_db()
    assert actor.name == purge.MARKER
    entry = PurgeEntry.objects.get()
    assert entry.by is None
    assert entry.by_name.startswith("command line (")
    assert entry.via == "command"
    assert tables_holding(NAME) == []


def test_a_dry_run_counts_and_changes_nothing():
    actor = ActorFactory(name=NAME)
    out = run(str(actor.uuid), "--field", "name", "--reason", "Why", "--dry-run")
    assert "Dry run" in out and "the record itself: 1" in out
    actor.refresh_from_db()
    assert (actor.name, actor.version) == (NAME, 1)
    assert not PurgeEntry.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["not-a-uuid", "--field", "name", "--reason", "Why"], "is not a record id"),
        ([str(uuid.uuid4()), "--field", "name", "--reason", "Why"], "No record has the id"),
        (["{uuid}", "--field", "kind", "--reason", "Why"], "--field: “kind” is not a field"),
        (["{uuid}", "--field", "external_id", "--reason", "Why"], "choose one of: name"),
        (["{uuid}", "--field", "nope", "--reason", "Why"], "is not a field"),
        (["{uuid}", "--field", "name", "--reason", "  "], "--reason: Say why"),
        (["{uuid}", "--field", "name", "--reason", f"Remove {NAME}"], "must not contain"),
        (["{uuid}", "--field", "name", "--reason", "Why", "--value", "Elsewhere"], "not in"),
        (["{uuid}", "--field", "role", "--reason", "Why"], "This field is empty"),
        (["{uuid}", "--field", "name", "--reason", "Why", "--value", "M"], "at least 2"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(args, message):
    actor = ActorFactory(name=NAME)
    args = [arg.replace("{uuid}", str(actor.uuid)) for arg in args]
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args)
    actor.refresh_from_db()
    assert (actor.name, actor.version) == (NAME, 1)
    assert not PurgeEntry.objects.exists()


def test_the_command_names_the_administrator_and_refuses_others(django_user_model):
    actor = ActorFactory(name=NAME)
    editor = django_user_model.objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    with pytest.raises(CommandError, match="not an administrator"):
        run(str(actor.uuid), "--field", "name", "--reason", "Why", "--by", "ed")
    with pytest.raises(CommandError, match="not an administrator"):
        run(str(actor.uuid), "--field", "name", "--reason", "Why", "--by", "nobody")
    admin_user = administrator(django_user_model)
    run(str(actor.uuid), "--field", "name", "--reason", "Why", "--by", admin_user.username)
    assert PurgeEntry.objects.get().by == admin_user


@pytest.fixture
def with_device(django_user_model):
    """An administrator with an authenticator app, and a record to purge."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin_user = administrator(django_user_model)
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    actor = ActorFactory(name=NAME)
    args = [str(actor.uuid), "--field", "name", "--reason", "Why", "--by", admin_user.username]
    return admin_user, device, actor, args


def current_code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_an_administrator_with_a_second_factor_gives_a_current_code(with_device):
    admin_user, device, _actor, args = with_device
    with pytest.raises(CommandError, match="give a current code with --code"):
        run(*args)  # not at a terminal, and no code
    run(*args, "--code", current_code(device))
    assert PurgeEntry.objects.get().by == admin_user


def test_a_wrong_code_purges_nothing(with_device):
    _admin_user, device, actor, args = with_device
    wrong = "000000" if current_code(device) != "000000" else "111111"
    with pytest.raises(CommandError, match="not a current code"):
        run(*args, "--code", wrong)
    actor.refresh_from_db()
    assert (actor.name, actor.version) == (NAME, 1)
    assert not PurgeEntry.objects.exists()


# --- the admin -------------------------------------------------------------------------------


def purge_url(record) -> str:
    return reverse(f"admin:incidents_{record._meta.model_name}_purge", args=[record.pk])


def test_an_administrator_previews_then_purges_in_the_admin(client, django_user_model, settings):
    settings.STAFF_REQUIRE_2FA = True
    actor = ActorFactory(name=NAME)
    admin_user = administrator(django_user_model)
    signed_in(client, admin_user)
    page = client.get(reverse("admin:incidents_actor_change", args=[actor.pk]))
    assert purge_url(actor) in page.content.decode()

    form = {"field": "name", "value": "", "reason": "Real name of a witness"}
    preview = client.post(purge_url(actor), {**form, "preview": "1"})
    assert preview.status_code == 200
    assert dict(preview.context["places"])["history entries"] == 1
    actor.refresh_from_db()
    assert actor.name == NAME  # the preview writes nothing

    done = client.post(purge_url(actor), {**form, "confirm": "1"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("admin:incidents_actor_change", args=[actor.pk])
    assert "The value was purged from" in done.content.decode()
    actor.refresh_from_db()
    assert actor.name == purge.MARKER
    entry = PurgeEntry.objects.get()
    assert (entry.by, entry.via, entry.reason) == (admin_user, "admin", "Real name of a witness")
    missing = reverse("admin:incidents_actor_purge", args=[actor.pk + 1000])
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize(
    "make",
    [
        lambda: ActorFactory(),
        lambda: SourceFactory(),
        lambda: IncidentFactory(),
        lambda: CitationFactory().figure,
        lambda: CitationFactory(),
    ],
    ids=["actor", "source", "incident", "figure", "citation"],
)
def test_every_kind_of_record_has_the_purge_page(client, django_user_model, make):
    record = make()
    signed_in(client, administrator(django_user_model))
    name = record._meta.model_name
    page = client.get(reverse(f"admin:incidents_{name}_change", args=[record.pk]))
    assert page.status_code == 200
    assert purge_url(record) in page.content.decode()
    form = client.get(purge_url(record))
    assert form.status_code == 200
    offered = [value for value, _label in form.context["form"].fields["field"].choices]
    assert offered == purge.purgeable_fields(type(record))
    assert "external_id" not in offered and "visibility" not in offered


def test_the_admin_page_asks_for_a_recent_second_factor(client, django_user_model, settings):
    """Signed in with a second factor, but longer ago than STAFF_RECENT_2FA_SECONDS."""
    settings.STAFF_REQUIRE_2FA = True
    actor = ActorFactory(name=NAME)
    signed_in(client, administrator(django_user_model))
    session = client.session
    session[security.SECOND_FACTOR_AT] = int(time.time()) - settings.STAFF_RECENT_2FA_SECONDS - 5
    session.save()
    form = {"field": "name", "reason": "Why", "confirm": "1"}
    for response in [client.get(purge_url(actor)), client.post(purge_url(actor), form)]:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:confirm_second_factor"))
        assert "next=" in response["Location"]
    actor.refresh_from_db()
    assert (actor.name, actor.version) == (NAME, 1)
    assert not PurgeEntry.objects.exists()

    session = client.session  # confirmed again just now
    session[security.SECOND_FACTOR_AT] = int(time.time())
    session.save()
    assert client.get(purge_url(actor)).status_code == 200


def test_only_administrators_may_purge(editor):
    actor = ActorFactory(name=NAME)
    session = editor.session
    session[security.SECOND_FACTOR_AT] = int(time.time())
    session.save()
    page = editor.get(reverse("admin:incidents_actor_change", args=[actor.pk]))
    assert page.status_code == 200
    assert purge_url(actor) not in page.content.decode()
    assert editor.get(purge_url(actor)).status_code == 403
    response = editor.post(purge_url(actor), {"field": "name", "reason": "Why", "confirm": "1"})
    assert response.status_code == 403
    actor.refresh_from_db()
    assert actor.name == NAME


def test_bad_input_in_the_admin_is_explained_in_spanish(client, django_user_model):
    actor = ActorFactory(name=NAME)
    signed_in(client, administrator(django_user_model))
    response = client.post(
        purge_url(actor),
        {"field": "name", "value": "Elsewhere", "reason": "Why", "confirm": "1"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 200
    assert "Este valor no está en este campo" in response.content.decode()
    response = client.post(
        purge_url(actor),
        {"field": "name", "reason": f"Quitar {NAME}", "preview": "1"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert "no debe contener el valor" in response.content.decode()
    response = client.post(
        purge_url(actor), {"field": "kind", "reason": "Why"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 200
    assert "Escoja una opción válida" in response.content.decode()
    actor.refresh_from_db()
    assert (actor.name, actor.version) == (NAME, 1)
    assert not PurgeEntry.objects.exists()


def test_the_admin_page_speaks_spanish(client, django_user_model):
    actor = ActorFactory(name=NAME)
    signed_in(client, administrator(django_user_model))
    page = client.get(purge_url(actor), HTTP_ACCEPT_LANGUAGE="es")
    assert "Purgar un valor" in page.content.decode()
    preview = client.post(
        purge_url(actor),
        {"field": "name", "reason": "Nombre real", "preview": "1"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert "Entradas del historial" in preview.content.decode()
    assert "Estos lugares contienen el valor de «nombre»" in preview.content.decode()


def test_purge_entries_are_read_only_for_administrators(client, django_user_model, editor):
    actor = ActorFactory(name=NAME)
    admin_user = administrator(django_user_model)
    entry = purge.purge(record=actor, field="name", reason="Why", user=admin_user)
    signed_in(client, admin_user)
    listing = client.get(reverse("admin:incidents_purgeentry_changelist"))
    assert listing.status_code == 200
    assert str(actor.uuid) in listing.content.decode()
    for words in [str(actor.uuid), "admin-ana", "not an id"]:
        searched = client.get(reverse("admin:incidents_purgeentry_changelist"), {"q": words})
        assert searched.status_code == 200
    page = client.get(reverse("admin:incidents_purgeentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert 'name="reason"' not in page.content.decode()  # shown, not editable
    assert client.get(reverse("admin:incidents_purgeentry_add")).status_code == 403
    assert editor.get(reverse("admin:incidents_purgeentry_changelist")).status_code == 403


def test_purging_a_deleted_record_works_too(django_user_model):
    source = SourceFactory(title=NAME)
    source.deleted_at = source.created_at
    source.save()
    purge.purge(record=source, field="title", reason="Why", user=administrator(django_user_model))
    assert Source.objects.get(pk=source.pk).title == purge.MARKER


# --- what the database keeps after a purge ---------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_database_is_asked_to_reclaim_the_old_bytes(django_user_model):
    from django.test.utils import CaptureQueriesContext

    actor = ActorFactory(name=NAME)
    with CaptureQueriesContext(connection) as queries:
        purge.purge(record=actor, field="name", reason="Why", user=administrator(django_user_model))
    statements = [query["sql"] for query in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert 'VACUUM (ANALYZE) "incidents_actor"' in statements
        assert 'VACUUM (ANALYZE) "incidents_historicalactor"' in statements
    else:
        assert "PRAGMA wal_checkpoint(TRUNCATE)" in statements


def test_inside_a_transaction_or_when_turned_off_nothing_is_reclaimed(settings):
    assert purge.reclaim({"incidents_actor"}) is False  # the test's own transaction
    settings.PURGE_RECLAIM = False
    assert purge.reclaim({"incidents_actor"}) is False


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL: VACUUM (the test above)")
def test_sqlite_overwrites_freed_space():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
