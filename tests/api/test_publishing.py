"""Publishing is a reviewer's act, by every path; what staff take down stays down.

Making a record readable by more people than before (restricted to partners, or
either to public) needs ``publish_records``: staff without it are refused, in the
API and in the admin; a partner's writes wait, unreviewed and readable at most
by partners, unless it is a trusted publisher.
"""

import pytest
from django.core.exceptions import PermissionDenied

from incidents.access import Principal
from incidents.choices import ReviewStatus, Visibility
from incidents.models import Actor, ApiToken, Citation, Figure, Partner
from incidents.writes import audit, services
from tests.factories import ActorFactory, IncidentFactory, SourceFactory
from tests.helpers import bearer

pytestmark = pytest.mark.django_db
JSON = "application/json"
QUOTE = "documented at least 40 detentions"  # in SourceFactory's text


@pytest.fixture
def untrusted():
    """A partner's write token, as an adversary holding it would use it: (partner, headers)."""
    partner = Partner.objects.create(name="Partner U")
    return partner, bearer(ApiToken.issue(partner=partner, scope="write")[1])


def actor_body(**changes):
    return {"name": "Observatorio Regional", "kind": "ngo", "country": "VE", **changes}


def figure_body(**changes):
    return {
        "incident": str(IncidentFactory(visibility=Visibility.PUBLIC).uuid),
        "measure": "detained",
        "value": 40,
        "qualifier": "at_least",
        "as_of": "2024-11-15",
        "citations": [{"source": str(SourceFactory().uuid), "quote": QUOTE}],
        **changes,
    }


# --- staff without publish_records ------------------------------------------------------------


@pytest.mark.parametrize("visibility", ["public", "partners"])
def test_an_editor_cannot_create_a_record_anyone_beyond_staff_reads(editor, visibility):
    response = editor.post("/api/v1/actors/", actor_body(visibility=visibility), content_type=JSON)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "visibility"
    assert "reviewer" in response.json()["errors"][0]["detail"]
    assert not Actor.objects.exists()


def test_an_editors_new_record_is_a_restricted_unreviewed_draft(editor):
    response = editor.post("/api/v1/figures/", figure_body(), content_type=JSON)
    assert response.status_code == 201, response.content
    figure = Figure.objects.get()
    assert (figure.visibility, figure.review_status) == ("restricted", "unreviewed")
    citation = figure.citations.get()
    assert (citation.visibility, citation.review_status) == ("restricted", "unreviewed")


@pytest.mark.parametrize(
    ("before", "after"),
    [("restricted", "public"), ("restricted", "partners"), ("partners", "public")],
)
def test_an_editor_cannot_widen_a_record_but_a_reviewer_can(editor, reviewer, before, after):
    actor = ActorFactory(visibility=before)
    path = f"/api/v1/actors/{actor.uuid}/"
    refused = editor.patch(path, {"visibility": after}, content_type=JSON)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["attr"] == "visibility"
    actor.refresh_from_db()
    assert actor.visibility == before
    assert reviewer.patch(path, {"visibility": after}, content_type=JSON).status_code == 200
    actor.refresh_from_db()
    assert actor.visibility == after


def test_an_editor_may_narrow_and_edit_a_published_record(editor):
    actor = ActorFactory(visibility=Visibility.PUBLIC)
    path = f"/api/v1/actors/{actor.uuid}/"
    assert editor.patch(path, {"name": "Renamed"}, content_type=JSON).status_code == 200
    assert editor.patch(path, {"visibility": "restricted"}, content_type=JSON).status_code == 200


def test_an_editors_new_citation_of_a_published_figure_waits_for_a_reviewer(editor):
    figure = Figure.objects.create(
        incident=IncidentFactory(), measure="detained", value=40, as_of="2024-11-15"
    )
    body = {"source": str(SourceFactory().uuid), "quote": QUOTE, "stance": "disputes"}
    shown = editor.post(
        "/api/v1/citations/", {**body, "figure": str(figure.uuid)}, content_type=JSON
    )
    assert shown.status_code == 201, shown.content
    assert shown.json()["visibility"] == "restricted"
    public = {**body, "figure": str(figure.uuid), "visibility": "public"}
    assert editor.post("/api/v1/citations/", public, content_type=JSON).status_code == 400


def test_publishing_needs_the_permission_in_the_services_too(django_user_model):
    user = django_user_model.objects.create_user("ed", is_staff=True)
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name="editor"))
    actor = ActorFactory(visibility=Visibility.RESTRICTED)
    with pytest.raises(PermissionDenied):
        services.record_publish(record=actor, principal=Principal(user=user))
    actor.refresh_from_db()
    assert actor.visibility == Visibility.RESTRICTED


# --- the admin applies the same rule ---------------------------------------------------------


def admin_post(client, path, data):
    from tests.test_admin_articles import FormValues

    page = client.get(path)
    assert page.status_code == 200
    form = FormValues("actor_form")
    form.feed(page.content.decode())
    return client.post(path, {**form.values, **data})


def test_an_editor_cannot_publish_in_the_admin_form(editor, reviewer):
    actor = ActorFactory(visibility=Visibility.RESTRICTED, name="Hidden witness")
    path = f"/admin/incidents/actor/{actor.pk}/change/"
    refused = admin_post(editor, path, {"visibility": "public"})
    assert refused.status_code == 200  # the form again, with the error
    assert b"Only a reviewer" in refused.content
    actor.refresh_from_db()
    assert actor.visibility == Visibility.RESTRICTED
    accepted = admin_post(reviewer, path, {"visibility": "public"})
    assert accepted.status_code == 302
    actor.refresh_from_db()
    assert actor.visibility == Visibility.PUBLIC


def test_an_editors_new_record_in_the_admin_starts_restricted_and_unreviewed(editor):
    from tests.test_admin_articles import FormValues

    page = editor.get("/admin/incidents/actor/add/")
    form = FormValues("actor_form")
    form.feed(page.content.decode())
    assert form.values["visibility"] == "restricted"
    response = editor.post(
        "/admin/incidents/actor/add/", {**form.values, "name": "New NGO", "kind": "ngo"}
    )
    assert response.status_code == 302, response.content
    actor = Actor.objects.get(name="New NGO")
    assert (actor.visibility, actor.review_status) == ("restricted", "unreviewed")


# --- partners ---------------------------------------------------------------------------------


def test_an_untrusted_partners_records_wait_for_a_reviewer(client, untrusted, b):
    _, headers = untrusted
    made = client.post(
        "/api/v1/figures/", figure_body(visibility="public"), content_type=JSON, **headers
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["visibility"] == "partners"
    figure = Figure.objects.get(uuid=body["id"])
    assert figure.review_status == ReviewStatus.UNREVIEWED
    assert figure.citations.get().visibility == "partners"
    # Partners read it (so the other partner can see it waits); the public does not.
    assert client.get(f"/api/v1/figures/{figure.uuid}/").status_code == 404
    assert client.get(f"/api/v1/figures/{figure.uuid}/", **b).status_code == 200


def test_a_partners_push_of_the_same_data_changes_nothing_before_or_after_publishing(
    client, untrusted
):
    _, headers = untrusted
    path = "/api/v1/actors/by-external-id/ngo-7/"
    body = actor_body(visibility="public")
    assert client.put(path, body, content_type=JSON, **headers).status_code == 201
    again = client.put(path, body, content_type=JSON, **headers)
    assert again["X-Upsert-Outcome"] == "unchanged"
    actor = Actor.objects.get(external_id="ngo-7")
    assert (actor.visibility, actor.review_status) == ("partners", "unreviewed")

    services.record_publish(record=actor, principal=None)
    again = client.put(path, body, content_type=JSON, **headers)
    assert again["X-Upsert-Outcome"] == "unchanged"
    actor.refresh_from_db()
    assert (actor.visibility, actor.review_status) == ("public", "reviewed")

    # A change by the partner waits for a reviewer again.
    changed = client.put(path, {**body, "name": "Another name"}, content_type=JSON, **headers)
    assert changed["X-Upsert-Outcome"] == "updated"
    actor.refresh_from_db()
    assert (actor.visibility, actor.review_status) == ("partners", "unreviewed")
    assert client.get(f"/api/v1/actors/{actor.uuid}/").status_code == 404


def test_a_partners_patch_of_a_published_record_takes_it_back_for_review(client, untrusted):
    _, headers = untrusted
    made = client.post("/api/v1/actors/", actor_body(), content_type=JSON, **headers).json()
    actor = Actor.objects.get(uuid=made["id"])
    services.record_publish(record=actor, principal=None)
    path = f"/api/v1/actors/{actor.uuid}/"
    assert (
        client.patch(path, {"visibility": "public"}, content_type=JSON, **headers).status_code
        == 200
    )
    actor.refresh_from_db()
    assert actor.review_status == "reviewed"  # nothing changed
    assert client.patch(path, {"name": "Changed"}, content_type=JSON, **headers).status_code == 200
    actor.refresh_from_db()
    assert (actor.visibility, actor.review_status) == ("partners", "unreviewed")


def test_a_trusted_publisher_publishes_and_the_trust_is_in_its_history(client, untrusted):
    partner, headers = untrusted
    with audit.audit_context(via=audit.VIA_ADMIN):
        partner.trusted_publisher = True
        partner.save()
    assert partner.history.first().trusted_publisher is True
    assert partner.history.last().trusted_publisher is False
    made = client.post(
        "/api/v1/actors/", actor_body(visibility="public"), content_type=JSON, **headers
    )
    assert made.json()["visibility"] == "public"
    assert Actor.objects.get().review_status == "reviewed"


def test_an_untrusted_partners_import_waits_for_a_reviewer(client, untrusted):
    _, headers = untrusted
    rows = [
        {"external_id": f"imp-{n}", **actor_body(name=f"NGO {n}", visibility="public")}
        for n in range(3)
    ]
    response = client.post("/api/v1/import/?resource=actors", rows, content_type=JSON, **headers)
    assert response.status_code in (200, 201), response.content
    assert set(Actor.objects.values_list("visibility", "review_status")) == {
        ("partners", "unreviewed")
    }


# --- taken down -------------------------------------------------------------------------------


def test_a_record_staff_took_down_stays_down_until_staff_restore_it(client, untrusted):
    partner, headers = untrusted
    path = "/api/v1/actors/by-external-id/witness-3/"
    body = actor_body(visibility="restricted")
    assert client.put(path, body, content_type=JSON, **headers).status_code == 201
    actor = Actor.objects.get(external_id="witness-3")
    curator = (
        type(partner)
        ._meta.apps.get_model("auth", "User")
        .objects.create_user("curator", is_staff=True)
    )
    with audit.audit_context(via=audit.VIA_ADMIN, user=curator):
        services.record_delete(record=actor)

    refused = client.put(path, body, content_type=JSON, **headers)
    assert refused.status_code == 409
    assert "Staff took this record down" in refused.json()["errors"][0]["detail"]
    actor.refresh_from_db()
    assert actor.deleted_at is not None
    # In Spanish too.
    refused = client.put(path, body, content_type=JSON, HTTP_ACCEPT_LANGUAGE="es", **headers)
    assert refused.status_code == 409
    assert "retir" in refused.json()["errors"][0]["detail"]

    with audit.audit_context(via=audit.VIA_ADMIN, user=curator):
        services.record_restore(record=actor)
    assert (
        client.put(path, {**body, "name": "Back"}, content_type=JSON, **headers).status_code == 200
    )


def test_an_owner_brings_back_what_it_deleted_itself(client, untrusted):
    _, headers = untrusted
    path = "/api/v1/actors/by-external-id/own-1/"
    body = actor_body(visibility="restricted")
    assert client.put(path, body, content_type=JSON, **headers).status_code == 201
    assert client.delete(path, **headers).status_code == 204
    again = client.put(path, body, content_type=JSON, **headers)
    assert again.status_code == 200
    assert again["X-Upsert-Outcome"] == "updated"
    assert Actor.objects.get(external_id="own-1").deleted_at is None


def test_a_taken_down_row_of_an_import_is_a_row_error(client, untrusted):
    _, headers = untrusted
    path = "/api/v1/actors/by-external-id/row-1/"
    assert client.put(path, actor_body(), content_type=JSON, **headers).status_code == 201
    services.record_delete(record=Actor.objects.get(external_id="row-1"))
    rows = [
        {"external_id": "row-1", **actor_body()},
        {"external_id": "row-2", **actor_body(name="B")},
    ]
    response = client.post("/api/v1/import/?resource=actors", rows, content_type=JSON, **headers)
    assert "Staff took this record down" in response.content.decode()
    assert Actor.objects.get(external_id="row-1").deleted_at is not None
    assert not Citation.objects.exists()
