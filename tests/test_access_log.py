"""The access log in the admin, its commands and its retention.

The admin's pages that show restricted records log them (change page with its
inlines, history, the list's rows, the drafts page, the chart); the log itself is
read-only for everyone and visible to administrators only; ``access_log`` lists it
(table or JSON lines) with filters; ``purge_access_log`` keeps it to its retention.
"""

import datetime
import io
import json
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from incidents.choices import Visibility
from incidents.models import AccessLogEntry, Figure, Incident, Partner
from tests.factories import (
    CitationFactory,
    DetaineeGroupFactory,
    FigureFactory,
    IncidentFactory,
    SourceFactory,
)
from tests.helpers import key, logged

pytestmark = pytest.mark.django_db
RESTRICTED = Visibility.RESTRICTED


def signed_in(django_user_model, name: str, role: str | None = None, **extra) -> Client:
    user = django_user_model.objects.create_user(name, is_staff=True, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(django_user_model):
    return signed_in(django_user_model, "ana", "editor")


@pytest.fixture
def administrator(django_user_model):
    return signed_in(django_user_model, "root-admin", "administrator")


def admin_url(model, page, *args):
    return reverse(f"admin:incidents_{model._meta.model_name}_{page}", args=args)


def entry(**fields) -> AccessLogEntry:
    values = {
        "at": timezone.now(),
        "request_id": "r1",
        "username": "ana",
        "how": "api:figure-detail",
        "method": "GET",
        "path": "/api/v1/figures/x/",
        "address": "203.0.113.5",
        "model": "incidents.figure",
        "record_id": uuid.uuid4(),
    }
    return AccessLogEntry.objects.create(**{**values, **fields})


# --- the admin's pages log what they show ------------------------------------------------


def test_the_change_page_logs_the_record_and_its_inlines(editor):
    incident = IncidentFactory(visibility=RESTRICTED)
    group = DetaineeGroupFactory(incident=incident, visibility=RESTRICTED)
    open_group = DetaineeGroupFactory(incident=incident)
    citation = CitationFactory(figure=None, incident=incident, visibility=RESTRICTED)
    response = editor.get(admin_url(Incident, "change", incident.pk), REMOTE_ADDR="192.0.2.8")
    assert response.status_code == 200
    assert logged() == {key(incident), key(group), key(citation)}
    assert key(open_group) not in logged()
    first = AccessLogEntry.objects.first()
    assert (first.how, first.username, first.address) == ("admin:change", "ana", "192.0.2.8")
    assert first.request_id == response["X-Request-ID"]


def test_a_record_page_logs_the_restricted_records_its_links_name(editor):
    incident = IncidentFactory(visibility=RESTRICTED, title="Closed case")
    figure = CitationFactory(figure__incident=incident).figure
    page = editor.get(admin_url(Figure, "change", figure.pk)).content.decode()
    assert "Closed case" in page
    assert logged(how="admin:change") == {key(incident)}


def test_the_history_pages_log_the_record(editor):
    figure = CitationFactory(figure__visibility=RESTRICTED).figure
    assert editor.get(admin_url(Figure, "history", figure.pk)).status_code == 200
    assert logged(how="admin:history") == {key(figure)}
    version = figure.history.first().history_id
    url = reverse("admin:incidents_figure_simple_history", args=[figure.pk, version])
    assert editor.get(url).status_code == 200
    assert logged(how="admin:history-entry") == {key(figure)}


def test_the_list_logs_the_restricted_rows_it_shows(editor):
    incident = IncidentFactory(visibility=RESTRICTED)
    secret = CitationFactory(figure__incident=incident, figure__visibility=RESTRICTED).figure
    witness = SourceFactory(visibility=RESTRICTED)
    reported = CitationFactory(figure__incident=IncidentFactory(), source=witness).figure
    public = CitationFactory().figure
    assert editor.get(admin_url(Figure, "changelist")).status_code == 200
    shown = logged(how="admin:changelist")
    # Rows, the incidents their column names, and the sources "reported by" names.
    assert {key(secret), key(incident), key(witness)} <= shown
    assert not {key(reported), key(public)} & shown


def test_the_drafts_page_and_the_chart_log_what_they_show(editor):
    article = SourceFactory(kind="news_article", visibility=RESTRICTED)
    figure = FigureFactory(visibility=RESTRICTED)
    CitationFactory(figure=figure, source=article)
    assert (
        editor.get(reverse("admin:incidents_source_drafts", args=[article.pk])).status_code == 200
    )
    assert key(article) in logged(how="admin:drafts")
    url = reverse("admin:incidents_incident_chart", args=[figure.incident.pk, "svg"])
    assert editor.get(url).status_code == 200
    assert {key(figure), key(article)} <= logged(how="admin:chart")


def test_a_viewer_sees_no_restricted_record_and_leaves_no_entry(django_user_model):
    viewer = signed_in(django_user_model, "vera", "viewer")
    incident = IncidentFactory(visibility=RESTRICTED)
    assert viewer.get(admin_url(Incident, "change", incident.pk)).status_code == 404
    assert viewer.get(admin_url(Incident, "changelist")).status_code == 200
    assert not AccessLogEntry.objects.exists()


# --- the log in the admin -----------------------------------------------------------------


def test_administrators_read_the_log_filtered_by_record(administrator):
    wanted = entry()
    other = entry(username="luis")
    url = reverse("admin:incidents_accesslogentry_changelist")
    response = administrator.get(url, {"record_id": str(wanted.record_id)})
    assert response.status_code == 200
    page = response.content.decode()
    assert str(wanted.record_id) in page
    assert str(other.record_id) not in page
    found = administrator.get(url, {"q": "luis"}).content.decode()
    assert str(other.record_id) in found and str(wanted.record_id) not in found
    assert administrator.get(url, {"q": "not-a-uuid"}).status_code == 200
    for params in ({"at__year": "2025"}, {"how": "api:figure-detail"}):
        assert administrator.get(url, params).status_code == 200
    detail = reverse("admin:incidents_accesslogentry_change", args=[wanted.pk])
    assert administrator.get(detail).status_code == 200


@pytest.mark.parametrize("who", ["administrator", "superuser"])
def test_the_log_is_read_only_for_everyone(django_user_model, administrator, who):
    client = administrator
    if who == "superuser":
        client = Client()
        client.force_login(django_user_model.objects.create_superuser("su", "su@example.org", "pw"))
    item = entry()
    change = reverse("admin:incidents_accesslogentry_change", args=[item.pk])
    assert client.get(reverse("admin:incidents_accesslogentry_add")).status_code == 403
    assert client.post(change, {"how": "forged"}).status_code == 403
    delete = reverse("admin:incidents_accesslogentry_delete", args=[item.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    listing = reverse("admin:incidents_accesslogentry_changelist")
    response = client.post(
        listing, {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    item.refresh_from_db()
    assert item.how == "api:figure-detail"
    assert AccessLogEntry.objects.count() == 1


@pytest.mark.parametrize("role", ["viewer", "editor", "reviewer"])
def test_other_roles_do_not_see_the_log(django_user_model, role):
    client = signed_in(django_user_model, f"someone-{role}", role)
    entry()
    url = reverse("admin:incidents_accesslogentry_changelist")
    assert client.get(url).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "accesslogentry" not in index


def test_a_record_page_links_to_who_read_it_for_administrators(administrator, editor):
    incident = IncidentFactory(visibility=RESTRICTED)
    page = administrator.get(admin_url(Incident, "change", incident.pk)).content.decode()
    link = f"{reverse('admin:incidents_accesslogentry_changelist')}?record_id={incident.uuid}"
    assert link in page
    assert "Who read this record" in page
    assert link not in editor.get(admin_url(Incident, "change", incident.pk)).content.decode()
    # The link leads to the reads just made: the administrator's and the editor's.
    listed = administrator.get(link).content.decode()
    assert "root-admin" in listed and "ana" in listed


def test_the_log_and_its_link_are_in_spanish(administrator):
    incident = IncidentFactory(visibility=RESTRICTED)
    page = administrator.get(
        admin_url(Incident, "change", incident.pk), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Quién leyó este registro" in page
    listing = administrator.get(
        reverse("admin:incidents_accesslogentry_changelist"), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Seleccione entrada del registro de accesos" in listing
    assert "Quién" in listing and "Ruta" in listing


# --- the command --------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("access_log", *args, stdout=out)
    return out.getvalue()


def test_the_command_filters_by_record_user_and_dates():
    day = datetime.datetime(2025, 1, 15, 12, tzinfo=datetime.UTC)
    record = uuid.uuid4()
    early = entry(at=day - datetime.timedelta(days=10), record_id=record, request_id="early")
    late = entry(at=day, record_id=record, username="luis", request_id="late")
    other = entry(at=day, request_id="other")
    lines = run("--record", str(record), "--json").splitlines()
    assert [json.loads(line)["request_id"] for line in lines] == ["early", "late"]
    assert [json.loads(x)["request_id"] for x in run("--user", "luis", "--json").splitlines()] == [
        "late"
    ]
    since = run("--since", "2025-01-10", "--json").splitlines()
    assert {json.loads(x)["request_id"] for x in since} == {"late", "other"}
    until = run("--until", "2025-01-05", "--json").splitlines()  # the 5th included
    assert [json.loads(x)["request_id"] for x in until] == ["early"]
    assert run("--until", "2025-01-15T11:00:00+00:00", "--json").count("\n") == 1
    table = run("--record", str(record))
    assert "early" in table and "late" in table and other.request_id not in table
    assert "2 read(s)." in table
    assert table.index(early.request_id) < table.index(late.request_id)  # oldest first


def test_the_json_lines_hold_every_field():
    partner = Partner.objects.create(name="Foro")
    item = entry(username="", partner=partner, partner_name="Foro", token_prefix="abcd1234")
    (line,) = run("--json").splitlines()
    assert json.loads(line) == {
        "at": item.at.isoformat().replace("+00:00", "Z"),
        "request_id": "r1",
        "user": None,
        "partner": "Foro",
        "token_prefix": "abcd1234",
        "how": "api:figure-detail",
        "method": "GET",
        "path": "/api/v1/figures/x/",
        "address": "203.0.113.5",
        "model": "incidents.figure",
        "record_id": str(item.record_id),
    }
    assert "Foro (abcd1234)" in run("--partner", "Foro")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--record", "not-a-uuid"), "is not a record id"),
        (("--since", "last tuesday"), "is not a date"),
        (("--until", "2025-13-01"), "is not a date"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(args, message):
    entry()
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert AccessLogEntry.objects.count() == 1


# --- retention ----------------------------------------------------------------------------


@override_settings(ACCESS_LOG_RETENTION_DAYS=30)
def test_pruning_deletes_entries_older_than_the_retention_only():
    now = timezone.now()
    old = entry(at=now - datetime.timedelta(days=31))
    kept = entry(at=now - datetime.timedelta(days=29))
    out = io.StringIO()
    call_command("purge_access_log", stdout=out)
    assert "Deleted 1 access log entry older than 30 days." in out.getvalue()
    assert list(AccessLogEntry.objects.all()) == [kept]
    assert not AccessLogEntry.objects.filter(pk=old.pk).exists()


def test_deleting_an_account_or_a_partner_keeps_what_they_read(django_user_model):
    user = django_user_model.objects.create_user("gone")
    partner = Partner.objects.create(name="Closed NGO")
    by_user = entry(user=user, username="gone")
    by_partner = entry(partner=partner, partner_name="Closed NGO", token_prefix="p1")
    user.delete()
    partner.delete()
    by_user.refresh_from_db()
    by_partner.refresh_from_db()
    assert (by_user.user, by_user.username) == (None, "gone")
    assert (by_partner.partner, by_partner.who) == (None, "Closed NGO (p1)")
