"""Shared fixtures."""

import pytest


@pytest.fixture
def staff_client(client, django_user_model):
    """A logged-in superuser: NGO staff curating records in the admin."""
    user = django_user_model.objects.create_superuser("curator", "curator@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def viewer(db, django_user_model):
    """A client signed in as a staff member in the viewer role."""
    from tests.helpers import staff

    return staff(django_user_model, "viewer")


@pytest.fixture
def editor(db, django_user_model):
    """A client signed in as a staff member in the editor role."""
    from tests.helpers import staff

    return staff(django_user_model, "editor")


@pytest.fixture
def reviewer(db, django_user_model):
    """A client signed in as a staff member in the reviewer role."""
    from tests.helpers import staff

    return staff(django_user_model, "reviewer")


@pytest.fixture
def seeded(db):
    """The seed fixtures: the records extracted from the Venezuela article."""
    from django.core.management import call_command

    call_command("load_seed_fixtures", verbosity=0)


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, for clients other than Django's (schemathesis).

    Like Django's test client, it must not close the database connection at the
    end of each request: on PostgreSQL that would end the test's transaction.
    """
    from django.core import signals
    from django.db import close_old_connections

    from config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def partner_a(db):
    """A trusted publisher: what it writes is published as written, as most tests need.

    Partners are not trusted by default; ``tests/api/test_publishing.py`` holds
    what an untrusted partner's writes become.
    """
    from incidents.models import Partner

    return Partner.objects.create(name="Partner A", trusted_publisher=True)


@pytest.fixture
def partner_b(db):
    """Another trusted publisher (see ``partner_a``)."""
    from incidents.models import Partner

    return Partner.objects.create(name="Partner B", trusted_publisher=True)


@pytest.fixture
def token_a(partner_a):
    """Partner A's write token: (ApiToken, the secret a client sends)."""
    from incidents.models import ApiToken

    return ApiToken.issue(partner=partner_a, scope="write")


@pytest.fixture
def a(token_a):
    """Request headers of partner A's write token."""
    from tests.helpers import bearer

    return bearer(token_a[1])


@pytest.fixture
def b(partner_b):
    """Request headers of partner B's write token."""
    from incidents.models import ApiToken
    from tests.helpers import bearer

    return bearer(ApiToken.issue(partner=partner_b, scope="write")[1])


@pytest.fixture
def receiver(httpserver):
    """A webhook endpoint on localhost (any path) that answers 200 to every event."""
    import re

    httpserver.expect_request(re.compile("^/"), method="POST").respond_with_data("thanks")
    return httpserver


@pytest.fixture
def fake_dns(monkeypatch):
    """No DNS lookups: localhost and literal addresses resolve as usual, any other host
    name to a public address (93.184.215.14), as webhook destinations are checked."""
    import ipaddress

    from incidents.integration import webhooks

    real = webhooks._resolve

    def resolve(host, port):
        try:
            ipaddress.ip_address(host.split("%")[0])
        except ValueError:
            if host != "localhost":
                return ["93.184.215.14"]
        return real(host, port)

    monkeypatch.setattr(webhooks, "_resolve", resolve)
