"""Staff changes in the admin: history, soft delete and restore, stale forms, roles, tokens."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from incidents.choices import Visibility
from incidents.models import Actor, ApiToken, Partner
from incidents.models.partners import hash_secret
from tests.factories import ActorFactory
from tests.test_admin import admin_url, form_data

pytestmark = pytest.mark.django_db


def listed(client, url):
    """The records an admin change list shows."""
    return list(client.get(url).context["cl"].result_list)


@pytest.fixture
def staff(client, django_user_model):
    """A logged-in staff member in a role: staff("editor")."""

    def login(role):
        user = django_user_model.objects.create_user(f"{role}-user", password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return user

    return login


def test_an_admin_edit_is_in_the_history_with_who_and_through_what(staff_client):
    actor = ActorFactory(name="Provea")
    url = admin_url(Actor, "change", actor.pk)
    data = form_data(staff_client.get(url))
    data["role"] = "monitor"
    assert staff_client.post(url, data).status_code == 302
    latest = actor.history.latest()
    assert (latest.history_via, latest.history_user.username) == ("admin", "curator")
    assert latest.role == "monitor"
    assert actor.history.count() == 2
    assert staff_client.get(admin_url(Actor, "history", actor.pk)).status_code == 200


def test_a_form_opened_before_someone_elses_save_is_refused(staff_client):
    actor = ActorFactory(name="Provea")
    url = admin_url(Actor, "change", actor.pk)
    stale = form_data(staff_client.get(url))
    actor.role = "changed meanwhile"
    actor.save()
    stale["role"] = "my edit"
    response = staff_client.post(url, stale)
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    actor.refresh_from_db()
    assert actor.role == "changed meanwhile"


def test_deleting_in_the_admin_is_soft_and_can_be_undone(staff_client, client):
    actor = ActorFactory(name="Provea")
    response = staff_client.post(admin_url(Actor, "delete", actor.pk), {"post": "yes"})
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.deleted_at is not None
    assert client.get(f"/api/v1/actors/{actor.uuid}/").status_code == 404
    assert actor not in listed(staff_client, admin_url(Actor, "changelist"))
    assert actor in listed(staff_client, admin_url(Actor, "changelist") + "?state=deleted")

    staff_client.post(
        admin_url(Actor, "changelist") + "?state=deleted",
        {"action": "restore_records", "_selected_action": [actor.pk]},
    )
    actor.refresh_from_db()
    assert actor.deleted_at is None
    assert client.get(f"/api/v1/actors/{actor.uuid}/").status_code == 200
    actions = [entry.deleted_at is None for entry in actor.history.order_by("history_date")]
    assert actions == [True, False, True]  # created, deleted, restored


def test_a_viewer_sees_no_restricted_record_and_cannot_change_anything(client, staff):
    ActorFactory(name="Public observatory")
    ActorFactory(name="Confidential witness", visibility=Visibility.RESTRICTED)
    staff("viewer")
    listing = client.get(admin_url(Actor, "changelist")).content.decode()
    assert "Public observatory" in listing
    assert "Confidential witness" not in listing
    assert client.get(admin_url(Actor, "add")).status_code == 403


def test_an_editor_sees_restricted_records(client, staff):
    ActorFactory(name="Confidential witness", visibility=Visibility.RESTRICTED)
    staff("editor")
    assert "Confidential witness" in client.get(admin_url(Actor, "changelist")).content.decode()
    assert client.get(admin_url(ApiToken, "changelist")).status_code == 403


def test_an_administrator_creates_a_token_and_sees_it_once(client, staff):
    user = staff("administrator")
    partner = Partner.objects.create(name="Observatorio")
    response = client.post(
        admin_url(ApiToken, "add"), {"partner": partner.pk, "name": "KoBo", "scope": "write"}
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    token = ApiToken.objects.get()
    assert secret.startswith(f"irt_{token.prefix}_")
    assert secret in response.content.decode()
    assert token.key_hash == hash_secret(secret) and secret not in token.key_hash
    assert (token.created_by, token.scope) == (user, "write")
    page = client.get(admin_url(ApiToken, "change", token.pk)).content.decode()
    assert secret not in page and token.prefix in page


def test_revoking_a_token_in_the_admin_locks_it_out(client, staff):
    staff("administrator")
    token, secret = ApiToken.issue(partner=Partner.objects.create(name="P"), scope="read")
    client.post(
        admin_url(ApiToken, "changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    response = client.get("/api/v1/actors/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401


def test_create_partner_token_prints_the_token_alone_on_its_last_line(capsys):
    call_command("create_partner_token", "--partner", "Foro Cívico", "--scope", "write")
    out = capsys.readouterr().out.strip().splitlines()
    token = ApiToken.objects.get()
    assert out[-1].startswith(f"irt_{token.prefix}_")
    assert token.key_hash == hash_secret(out[-1])
    assert (token.partner.name, token.scope) == ("Foro Cívico", "write")
    history = token.history.get()
    assert (history.history_via, history.history_change_reason) == (
        "command",
        "create_partner_token",
    )

    call_command("create_partner_token", "--partner", "foro cívico", "--scope", "read")
    assert Partner.objects.count() == 1  # the partner is found again, whatever the case
    assert ApiToken.objects.count() == 2


def test_create_partner_token_refuses_an_unknown_scope():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("create_partner_token", "--partner", "X", "--scope", "admin")


def test_replacing_a_figures_source_in_the_admin_keeps_the_old_citation(staff_client):
    from incidents.models import Citation, Figure
    from tests.factories import CitationFactory, SourceFactory

    old = CitationFactory()
    figure = old.figure
    newer = SourceFactory()
    url = admin_url(Figure, "change", figure.pk)
    data = form_data(staff_client.get(url))
    prefix = "citations"
    data[f"{prefix}-0-DELETE"] = "on"
    data[f"{prefix}-1-source"] = str(newer.pk)
    data[f"{prefix}-1-stance"] = "asserts"
    data[f"{prefix}-1-quote"] = "documented at least 40 detentions"
    data[f"{prefix}-1-visibility"] = "public"
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    old.refresh_from_db()
    assert old.deleted_at is not None  # kept, not destroyed
    live = Citation.objects.filter(figure=figure, deleted_at__isnull=True)
    assert [c.source for c in live] == [newer]


def test_the_reporting_citation_of_a_figure_cannot_be_deleted_alone(staff_client):
    from incidents.models import Citation
    from tests.factories import CitationFactory

    citation = CitationFactory()
    response = staff_client.get(admin_url(Citation, "delete", citation.pk))
    assert response.status_code == 403
    citation.refresh_from_db()
    assert citation.deleted_at is None
