"""A database worth backing up, and every answer the API gives from it.

``tests/test_backup.py`` runs these in ``manage.py shell`` processes, each with its own
``DATABASE_URL`` (a SQLite file, a PostgreSQL database), because a backup moves between
databases that one test process cannot both hold:

- ``populate(folder)``: the seed fixtures, restricted and partner-only records with their
  history, a partner with a token and a webhook, a staff member with second factors;
  writes the partner's token to ``folder/token``.
- ``probe(folder, out)``: every GET endpoint of the schema and every page of every list,
  for an anonymous caller, the partner and the staff member, and every record's detail,
  history, timeline and by-external-id (and chart) for the first two; writes them to
  ``out`` as JSON,
  with the change feed's cursor unsealed (it is sealed with a random nonce each time).
"""

import base64
import json
from pathlib import Path

PAGE_SIZE = 500


def populate(folder) -> None:
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from incidents.choices import Visibility
    from incidents.integration import webhooks
    from incidents.models import ApiToken, Partner
    from tests.factories import (
        AllegationFactory,
        CitationFactory,
        DetaineeGroupFactory,
        FigureFactory,
        IncidentFactory,
        SourceFactory,
        term,
    )

    call_command("load_seed_fixtures", verbosity=0)
    partner = Partner.objects.create(name="Partner A", trusted_publisher=True)
    _, secret = ApiToken.issue(partner=partner, scope="write", name="sync")
    Path(folder, "token").write_text(secret)
    webhooks.create_subscription(partner=partner, url="http://127.0.0.1:9/hook", events=["*"])

    hidden = IncidentFactory(
        title="Detentions at the border post",
        visibility=Visibility.RESTRICTED,
        owner=partner,
        summary="Witnesses asked not to be named.",
        external_id="partner-a-17",
    )
    group = DetaineeGroupFactory(incident=hidden, visibility=Visibility.RESTRICTED, owner=partner)
    figure = FigureFactory(incident=hidden, group=group, visibility=Visibility.RESTRICTED)
    CitationFactory(figure=figure, visibility=Visibility.RESTRICTED, owner=partner)
    allegation = AllegationFactory(incident=hidden, visibility=Visibility.PARTNERS)
    allegation.methods.add(term("method", "electric_shock"))
    CitationFactory(
        figure=None,
        allegation=allegation,
        source=SourceFactory(visibility=Visibility.PARTNERS, text="Shocks, said two of them."),
        quote="Shocks",
    )
    # History: an edit after creation, so records have more than one version.
    hidden.title = "Detentions at the border post (updated)"
    hidden.save()

    staff = get_user_model().objects.create_superuser(
        "curator", "curator@example.org", "a long password for the curator"
    )
    if apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    if apps.is_installed("django_otp.plugins.otp_static"):
        from django_otp.plugins.otp_static.models import StaticDevice

        device = StaticDevice.objects.create(user=staff, name="recovery", confirmed=True)
        device.token_set.create(token="recovery-code-1")


def _answer(response) -> list:
    body = response.content
    if response.status_code == 200 and response.get("Content-Type") == "application/json":
        data = response.json()
        if isinstance(data, dict) and "next_cursor" in data:
            # The one thing that must differ: the feed's cursor is sealed with a fresh random
            # nonce every time (incidents.api.sealing). Compared by the position it holds.
            from incidents.api import sealing

            cursor = sealing.unseal(sealing.FEED_CURSOR, data["next_cursor"])
            data["next_cursor"] = f"position {cursor}"
            body = json.dumps(data).encode()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = "base64:" + base64.b64encode(body).decode()
    return [response.status_code, response.get("Content-Type"), response.get("ETag"), text]


def _get_paths() -> list[str]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(path for path, operations in schema["paths"].items() if "get" in operations)


def _fill(path: str, record: dict) -> str | None:
    """``path`` with ``{id}`` and ``{external_id}`` taken from ``record``; None if it has none."""
    for name in ("id", "external_id"):
        if "{" + name + "}" in path:
            if not record.get(name):
                return None
            path = path.replace("{" + name + "}", str(record[name]))
    return None if "{" in path else path


def _sign_in(client, user) -> None:
    """Sign ``user`` in, with a second factor just confirmed (as after the sign-in page)."""
    import time

    from django.apps import apps

    from incidents import security

    client.force_login(user)
    session = client.session
    if apps.is_installed("django_otp"):
        from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

        device = next(iter(devices_for_user(user)), None)
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[security.SECOND_FACTOR_AT] = int(time.time())
    session.save()


def probe(folder, out) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    token = Path(folder, "token").read_text()
    staff = Client()
    _sign_in(staff, get_user_model().objects.get(username="curator"))
    callers = {
        "anonymous": (Client(), {}),
        "partner": (Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}),
        "staff": (staff, {}),
    }
    paths = _get_paths()
    lists = [path for path in paths if "{" not in path]
    answers = {}
    for name, (client, headers) in callers.items():

        def get(url, name=name, client=client, headers=headers):
            response = client.get(url, **headers)
            answers[f"{name} {url}"] = _answer(response)
            return response

        records = {}
        for path in lists:
            url = f"{path}?page_size={PAGE_SIZE}" if path != "/api/v1/" else path
            while url:
                response = get(url)
                body = response.json() if response.status_code == 200 else {}
                if not isinstance(body, dict):
                    break
                records.setdefault(path, []).extend(
                    item for item in body.get("results", []) if isinstance(item, dict)
                )
                url = body.get("next")
        for path in paths:
            if "{" not in path:
                continue
            collection = max((p for p in lists if path.startswith(p)), key=len)
            # Staff see every record in full in the lists; the pages of each record are
            # compared for the public and the partner (restricted ones included).
            if name == "staff":
                break
            # A chart is drawn from what the timeline answers (compared for each caller),
            # and drawing takes most of a second: compared once, as the public sees it.
            if path.endswith("/chart/") and name != "anonymous":
                continue
            for record in records.get(collection, []):
                url = _fill(path, record)
                if url:
                    get(url)
    Path(out).write_text(json.dumps(answers, indent=1, sort_keys=True))
