"""Side doors around the access rule: staff accounts in no role, and shared caches."""

import pytest
from django.test import Client

from incidents.choices import Visibility
from incidents.models import ApiToken, Partner
from tests.factories import ActorFactory, CitationFactory
from tests.helpers import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def roleless(django_user_model):
    """A staff account (is_staff) that belongs to no role: the admin shows it nothing."""
    user = django_user_model.objects.create_user("no-role", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def test_staff_in_no_role_read_what_the_public_reads(roleless):
    shared = CitationFactory(figure__visibility=Visibility.PARTNERS).figure
    public = CitationFactory().figure
    listed = {f["id"] for f in roleless.get("/api/v1/figures/").json()["results"]}
    assert listed == {str(public.uuid)}
    assert roleless.get(f"/api/v1/figures/{shared.uuid}/").status_code == 404
    # Nor does it see what only staff see of a public record.
    owned = ActorFactory(owner=Partner.objects.create(name="Observatorio"), external_id="case-7")
    assert roleless.get(f"/api/v1/actors/{owned.uuid}/").json()["external_id"] is None
    # The admin agrees: no record page opens.
    assert roleless.get("/admin/incidents/figure/").status_code == 403


def test_staff_in_no_role_may_not_write(roleless):
    response = roleless.post(
        "/api/v1/actors/", {"name": "X", "kind": "ngo"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["detail"] == "Your staff role may not do this."


def test_a_viewer_still_reads_shared_records(django_user_model):
    shared = CitationFactory(figure__visibility=Visibility.PARTNERS).figure
    viewer = staff(django_user_model, "viewer")
    assert viewer.get(f"/api/v1/figures/{shared.uuid}/").status_code == 200


def test_answers_to_a_token_are_private_and_vary_on_credentials(client):
    _, secret = ApiToken.issue(partner=Partner.objects.create(name="P"), scope="read")
    response = client.get("/api/v1/figures/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"authorization", "cookie"} <= vary


def test_answers_to_a_staff_session_are_private(django_user_model):
    response = staff(django_user_model, "editor").get("/api/v1/figures/")
    assert "private" in response["Cache-Control"]


def test_even_a_refused_token_gets_a_private_answer(client):
    response = client.get("/api/v1/figures/", HTTP_AUTHORIZATION="Bearer irt_nope_nope")
    assert response.status_code == 401
    assert "private" in response["Cache-Control"]


def test_anonymous_answers_vary_on_credentials_but_are_not_private(client):
    response = client.get("/api/v1/figures/")
    assert "private" not in response.get("Cache-Control", "")
    vary = {v.strip().lower() for v in response["Vary"].split(",")}
    assert {"authorization", "cookie"} <= vary
