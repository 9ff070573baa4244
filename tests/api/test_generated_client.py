"""A client generated from the committed schema works against a live server.

``openapi-python-client`` generates a package from ``docs/openapi.yaml`` (as an
integrator would), and the test uses it as one would: anonymous lists with
repeated filters (the way such clients send arrays), cursor paging, a write with
a token and ``If-Match``, a 412 and a 400 parsed as the documented error types,
an export, and the change feed. A schema that misdescribes the API (a required
token on a public read, a default that breaks a request, an undocumented shape)
fails here.
"""

import csv
import importlib
import io
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from incidents.models import ApiToken, Figure, Partner

# The live server commits to the test database; the vocabularies the migrations hold are
# put back after each test (serialized rollback).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


@pytest.fixture(scope="module")
def irc(tmp_path_factory):
    """The generated package, imported."""
    assert GENERATOR.exists(), "openapi-python-client is a dev dependency: make install"
    folder = tmp_path_factory.mktemp("client")
    completed = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(SCHEMA),
            "--meta",
            "none",
            "--output-path",
            str(folder / "irc_client"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("irc_client")
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == "irc_client" or m.startswith("irc_client.")]:
            del sys.modules[name]
        shutil.rmtree(folder, ignore_errors=True)


def module(irc, path: str):
    return importlib.import_module(f"irc_client.{path}")


@pytest.fixture
def server(live_server):
    call_command("load_seed_fixtures", verbosity=0)
    call_command("generate_synthetic", incidents=3, figures=80, allegations=10, seed=9, verbosity=0)
    return live_server.url


def test_anonymous_lists_repeated_filters_and_cursor_paging(irc, server):
    client = irc.Client(base_url=server)
    figures = module(irc, "api.figures.figures_list")
    measure = module(irc, "models.measure_enum").MeasureEnum
    ordering = module(irc, "models.figures_list_ordering_item").FiguresListOrderingItem
    wanted = [measure.DETAINED, measure.RELEASED]

    first = figures.sync(client=client, measure=wanted, page_size=7, ordering=[ordering.AS_OF])
    expected = Figure.objects.filter(
        measure__in=["detained", "released"], deleted_at=None, visibility="public"
    )
    assert first.count == len(
        [f for f in expected if f.incident.visibility == "public" and f.incident.deleted_at is None]
    )
    assert first.count > 7
    assert {f.measure for f in first.results} <= set(wanted)

    # Follow the cursors to the end: every figure once, in order.
    seen, page = [], first
    while True:
        seen += [f.id for f in page.results]
        if not page.next_:
            break
        cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
        page = figures.sync(client=client, measure=wanted, page_size=7, cursor=cursor, count=False)
        assert page.count is None
    assert len(seen) == len(set(seen)) == first.count


def test_a_write_with_a_token_and_if_match_and_errors_as_documented(irc, server):
    _, secret = ApiToken.issue(
        partner=Partner.objects.create(name="Client NGO", trusted_publisher=True), scope="write"
    )
    client = irc.AuthenticatedClient(base_url=server, token=secret)
    create = module(irc, "api.actors.actors_create")
    change = module(irc, "api.actors.actors_partial_update")
    body = module(irc, "models.actor_write_request").ActorWriteRequest
    patch = module(irc, "models.patched_actor_write_request").PatchedActorWriteRequest
    kind = module(irc, "models.actor_kind_enum").ActorKindEnum
    errors = module(irc, "models")

    made = create.sync_detailed(client=client, body=body(name="Observatorio", kind=kind.NGO))
    assert made.status_code == 201
    actor, etag = made.parsed, made.headers["ETag"]
    assert actor.name == "Observatorio"
    assert made.headers["Location"].endswith(f"/api/v1/actors/{actor.id}/")

    changed = change.sync_detailed(
        actor.id, client=client, body=patch(name="Observatorio Regional"), if_match=etag
    )
    assert changed.status_code == 200
    assert changed.parsed.name == "Observatorio Regional"

    stale = change.sync_detailed(actor.id, client=client, body=patch(name="Late"), if_match=etag)
    assert stale.status_code == 412
    assert isinstance(stale.parsed, errors.ClientErrorResponse)
    assert stale.parsed.errors[0].code

    refused = change.sync_detailed(actor.id, client=client, body=patch(name=""))
    assert refused.status_code == 400
    assert isinstance(refused.parsed, errors.ValidationErrorResponse)
    assert refused.parsed.errors[0].attr == "name"


def test_an_export_and_the_change_feed(irc, server):
    client = irc.Client(base_url=server)
    export_format = module(irc, "models.export_format_enum").ExportFormatEnum
    # The generator reads JSON bodies only: an export comes through the client's own
    # HTTP session, with the parameter's documented values.
    exported = client.get_httpx_client().get(
        "/api/v1/figures/", params={"format": export_format.CSV.value}
    )
    assert exported.status_code == 200
    assert exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows and "figure_id" in rows[0]

    feed = module(irc, "api.changes.changes_retrieve")
    page = feed.sync(client=client, since="0", page_size=50)
    assert page.results and page.has_more
    following = feed.sync(client=client, since=page.next_cursor, page_size=50)
    assert following.results
    first = {(c.resource, c.id, c.version) for c in page.results}
    assert first.isdisjoint((c.resource, c.id, c.version) for c in following.results)
