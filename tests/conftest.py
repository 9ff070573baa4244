"""Shared fixtures."""

import pytest


@pytest.fixture
def staff_client(client, django_user_model):
    """A logged-in superuser: NGO staff curating records in the admin."""
    user = django_user_model.objects.create_superuser("curator", "curator@example.org", "pw")
    client.force_login(user)
    return client
