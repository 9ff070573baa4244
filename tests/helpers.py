"""Helpers shared by the tests: credentials, staff clients, a mirror built from the change feed."""

RESOURCES = sorted(
    ["actors", "sources", "incidents", "detainee-groups", "figures", "allegations", "citations"]
)


def bearer(secret: str) -> dict:
    """Request headers carrying a partner's token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def logged(**filters) -> set[tuple[str, str]]:
    """(kind, public id) of every access log entry matching ``filters``, as strings."""
    from incidents.models import AccessLogEntry

    return {
        (model, str(record_id))
        for model, record_id in AccessLogEntry.objects.filter(**filters).values_list(
            "model", "record_id"
        )
    }


def key(record) -> tuple[str, str]:
    """A record as the access log names it: (kind, public id)."""
    return (record._meta.label_lower, str(record.uuid))


def staff(django_user_model, role: str):
    """A client signed in as a staff member in one role (viewer, editor, reviewer ...)."""
    from django.contrib.auth.models import Group
    from django.test import Client

    user = django_user_model.objects.create_user(f"staff-{role}", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def feed(client, headers, since="0", **params) -> dict:
    response = client.get("/api/v1/changes/", {"since": since, **params}, **headers)
    assert response.status_code == 200, response.json()
    return response.json()


def replay(client, headers, mirror: dict, cursor: str = "0", page_size: int = 1000) -> str:
    """Apply the feed after ``cursor`` to ``mirror`` ({(resource, id): version}).

    Returns the cursor to go on from.
    """
    while True:
        page = feed(client, headers, cursor, page_size=page_size)
        for change in page["results"]:
            key = (change["resource"], change["id"])
            if change["action"] == "deleted":
                mirror.pop(key, None)
            else:
                mirror[key] = change["version"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return cursor


def shown(client, headers) -> dict:
    """Every record the list endpoints show this caller, with its version."""
    records = {}
    for resource in RESOURCES:
        url = f"/api/v1/{resource}/?page_size=500"
        while url:
            response = client.get(url, **headers)
            assert response.status_code == 200
            body = response.json()
            for record in body["results"]:
                records[(resource, record["id"])] = record["version"]
            url = body["next"]
    return records


def synthetic_database(path) -> dict:
    """The environment of a ``manage.py`` process with its own SQLite file of synthetic data.

    For commands that start other processes (gunicorn, a fresh interpreter), which
    cannot see the test database: migrated, with the cache table and a few hundred
    synthetic figures.
    """
    import os

    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "SECRET_KEY": "test-only-key",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver,localhost",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    for args in (
        ("migrate", "-v0"),
        ("createcachetable",),
        ("generate_synthetic", "--incidents", "4", "--figures", "400", "--allegations", "40"),
    ):
        done = manage_process(environment, *args)
        assert done.returncode == 0, done.stderr[-3000:]
    return environment


def manage_process(environment: dict, *args: str):
    """``python manage.py <args>`` in a new process, from the project's folder."""
    import subprocess
    import sys
    from pathlib import Path

    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
