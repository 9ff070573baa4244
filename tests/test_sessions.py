"""Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request, and
STAFF_SESSION_MAX_HOURS after sign-in however active, with a message in the staff
member's language; the time of the last request is not written on every request."""

import logging
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from incidents.sessions import LAST_SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-right-password-42"


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "c@example.org", PASSWORD)


@pytest.fixture
def signed_in(curator):
    """A client that signed in through the form, as staff do."""
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "curator", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    return client


def shift(client, key, seconds):
    """Move a time the session keeps ``seconds`` into the past."""
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def stored_session(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_signing_in_starts_both_clocks(signed_in, settings):
    session = signed_in.session
    now = int(time.time())
    assert now - 5 <= session[SIGNED_IN_AT] <= now
    assert now - 5 <= session[LAST_SEEN_AT] <= now
    # The cookie and the stored session end at the absolute limit, not two weeks later.
    limit = settings.STAFF_SESSION_MAX_HOURS * 3600
    remaining = (stored_session(signed_in).expire_date - timezone.now()).total_seconds()
    assert limit - 60 < remaining <= limit
    assert settings.SESSION_COOKIE_AGE == limit == 12 * 3600


def test_an_idle_session_ends_and_sends_to_sign_in_with_a_message(signed_in, caplog):
    caplog.set_level(logging.INFO, logger="incidents.security")
    assert signed_in.get("/admin/").status_code == 200
    shift(signed_in, LAST_SEEN_AT, 31 * 60)

    response = signed_in.get("/admin/incidents/figure/?measure=detained")
    assert response.status_code == 302
    assert response["Location"] == (
        "/admin/login/?next=%2Fadmin%2Fincidents%2Ffigure%2F%3Fmeasure%3Ddetained"
    )
    assert not is_signed_in(signed_in)
    page = signed_in.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity." in page

    (event,) = [r for r in caplog.records if getattr(r, "event", None) == "session.expired"]
    assert (event.levelno, event.reason, event.user) == (logging.INFO, "idle", "curator")


def test_the_message_is_in_spanish_for_spanish_staff(signed_in):
    shift(signed_in, LAST_SEEN_AT, 31 * 60)
    response = signed_in.get("/admin/", HTTP_ACCEPT_LANGUAGE="es", follow=True)
    page = response.content.decode()
    assert "Se cerró su sesión tras 30 minutos sin actividad." in page


def test_activity_keeps_a_session_alive_within_the_idle_limit(signed_in):
    shift(signed_in, LAST_SEEN_AT, 29 * 60)
    assert signed_in.get("/admin/").status_code == 200
    # That request counted as activity: the clock starts again from it.
    assert int(time.time()) - signed_in.session[LAST_SEEN_AT] < 5
    shift(signed_in, LAST_SEEN_AT, 29 * 60)
    assert signed_in.get("/admin/").status_code == 200
    assert is_signed_in(signed_in)


def test_the_absolute_limit_ends_even_an_active_session(signed_in, caplog):
    caplog.set_level(logging.INFO, logger="incidents.security")
    shift(signed_in, SIGNED_IN_AT, 12 * 3600 + 1)
    response = signed_in.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not is_signed_in(signed_in)
    page = signed_in.get(response["Location"]).content.decode()
    assert "a session lasts at most 12 hours" in page
    (event,) = [r for r in caplog.records if getattr(r, "event", None) == "session.expired"]
    assert event.reason == "absolute"


def test_activity_never_extends_the_absolute_limit(signed_in):
    expiry = stored_session(signed_in).expire_date
    shift(signed_in, LAST_SEEN_AT, 5 * 60)  # old enough to be written again
    signed_in.get("/admin/")
    assert int(time.time()) - signed_in.session[LAST_SEEN_AT] < 5  # written ...
    assert stored_session(signed_in).expire_date == expiry  # ... the end did not move


def test_the_last_activity_is_not_written_on_every_request(signed_in):
    signed_in.get("/admin/")
    before = signed_in.session[LAST_SEEN_AT]
    stored = stored_session(signed_in).session_data
    for _ in range(3):
        assert signed_in.get("/admin/jsi18n/").status_code == 200
    # Within a minute of the last write, requests leave the session as it was.
    assert signed_in.session[LAST_SEEN_AT] == before
    assert stored_session(signed_in).session_data == stored


def test_after_a_minute_the_last_activity_is_written(signed_in):
    shift(signed_in, LAST_SEEN_AT, 61)
    before = signed_in.session[LAST_SEEN_AT]
    signed_in.get("/admin/jsi18n/")
    assert signed_in.session[LAST_SEEN_AT] > before


def test_an_expired_session_on_the_api_goes_on_anonymous(signed_in):
    shift(signed_in, LAST_SEEN_AT, 31 * 60)
    response = signed_in.get("/api/v1/actors/")
    assert response.status_code == 200  # public records, read as anyone reads them
    assert not is_signed_in(signed_in)


def test_a_form_sent_after_the_session_ended_changes_nothing(signed_in, curator):
    from incidents.models import Actor

    shift(signed_in, LAST_SEEN_AT, 31 * 60)
    response = signed_in.post(
        "/admin/incidents/actor/add/", {"name": "Late", "kind": "ngo", "visibility": "public"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=%2Fadmin%2F"
    assert not Actor.objects.filter(name="Late").exists()


def test_limits_follow_the_settings(signed_in, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    shift(signed_in, LAST_SEEN_AT, 6 * 60)
    response = signed_in.get("/admin/", follow=True)
    assert "after 5 minutes without activity" in response.content.decode()


def test_an_idle_session_still_owing_its_second_factor_ends_too(curator, settings):
    """Signed in with the password only, then left: it must not wait at the second step."""
    settings.STAFF_REQUIRE_2FA = True
    client = Client()
    client.post("/admin/login/", {"username": "curator", "password": PASSWORD, "next": "/admin/"})
    assert is_signed_in(client)
    shift(client, LAST_SEEN_AT, 31 * 60)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=%2Fadmin%2F"
    assert not is_signed_in(client)
