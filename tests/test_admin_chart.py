"""The timeline chart on the incident's admin page, served from an admin URL to staff only."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from incidents.choices import Measure, Visibility
from incidents.models import Incident
from tests.factories import ActorFactory, CitationFactory, IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crackdown(seeded) -> Incident:
    return Incident.objects.get(kind="crackdown")


def change_url(incident) -> str:
    return reverse("admin:incidents_incident_change", args=[incident.pk])


def chart_url(incident, fmt="svg") -> str:
    return reverse("admin:incidents_incident_chart", args=[incident.pk, fmt])


def staff_in(client, role: str):
    user = get_user_model().objects.create_user(f"staff-{role}", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


def test_change_page_shows_the_chart_from_the_admin_url(staff_client, crackdown):
    page = staff_client.get(change_url(crackdown)).content.decode()

    assert "Figures over time" in page
    assert f'<img src="{chart_url(crackdown)}"' in page
    assert f'href="{chart_url(crackdown, "png")}"' in page


def test_add_page_shows_no_chart(staff_client):
    page = staff_client.get(reverse("admin:incidents_incident_add")).content.decode()

    assert "Figures over time" not in page
    assert "/chart.svg" not in page


def test_staff_get_the_chart_as_svg_and_png(staff_client, crackdown):
    svg = staff_client.get(chart_url(crackdown))
    png = staff_client.get(chart_url(crackdown, "png"))

    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    body = svg.content.decode()
    assert "Foro Penal" in body and "Attorney General" in body
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_chart_needs_a_staff_login(client, crackdown):
    anonymous = client.get(chart_url(crackdown))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("admin:login"))

    member = get_user_model().objects.create_user("member", password="pw")
    client.force_login(member)
    not_staff = client.get(chart_url(crackdown))
    assert not_staff.status_code == 302
    assert not_staff["Location"].startswith(reverse("admin:login"))


def test_an_unknown_incident_or_format_is_a_404(staff_client, crackdown):
    assert staff_client.get(chart_url(crackdown, "gif")).status_code == 404
    missing = reverse("admin:incidents_incident_chart", args=[10**9, "svg"])
    assert staff_client.get(missing).status_code == 404


def test_staff_see_restricted_figures_only_with_the_permission(client, crackdown):
    source = SourceFactory(issuer=ActorFactory(name="Quillmoor Private Tally"))
    CitationFactory(
        source=source,
        figure__incident=crackdown,
        figure__measure=Measure.STILL_DETAINED,
        figure__visibility=Visibility.RESTRICTED,
    )

    viewer = staff_in(client, "viewer").get(chart_url(crackdown)).content.decode()
    assert "Foro Penal" in viewer
    assert "Quillmoor Private Tally" not in viewer
    editor = staff_in(client, "editor").get(chart_url(crackdown)).content.decode()
    assert "Quillmoor Private Tally" in editor


def test_staff_without_the_permission_get_no_chart_of_a_restricted_incident(client):
    incident = IncidentFactory(visibility=Visibility.RESTRICTED)
    CitationFactory(figure__incident=incident)

    assert staff_in(client, "viewer").get(chart_url(incident)).status_code == 404
