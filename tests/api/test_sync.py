"""Keeping a copy: upserts by external id, and the change feed a mirror replays.

The mirror tests replay /api/v1/changes/ while partners and staff write, then
compare the mirror with what the list endpoints show the same caller.
"""

import base64
import json
import random
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from incidents.access import ANONYMOUS
from incidents.api import sealing
from incidents.choices import Stance, Visibility
from incidents.integration import changes
from incidents.models import ApiToken, Change, Citation, Figure, Incident
from incidents.writes import services
from tests.factories import IncidentFactory, SourceFactory
from tests.helpers import bearer, feed, replay, shown

pytestmark = pytest.mark.django_db

JSON = "application/json"
QUOTE = "documented at least 40 detentions"  # in SourceFactory's text


@pytest.fixture
def source():
    return SourceFactory()


@pytest.fixture
def incident():
    return IncidentFactory()


def put(client, path, body, headers, **extra):
    return client.put(path, body, content_type=JSON, **headers, **extra)


def figure_body(incident, source, value=40, quote=QUOTE, **extra):
    return {
        "incident": str(incident.uuid),
        "measure": "detained",
        "value": value,
        "as_of": "2024-08-10",
        "citations": [{"source": str(source.uuid), "quote": quote}],
        **extra,
    }


# --- upserts by external id --------------------------------------------------------------


def test_put_by_external_id_creates_then_leaves_an_identical_body_alone(
    client, a, partner_a, incident, source
):
    path = "/api/v1/figures/by-external-id/KOBO-17/"
    body = figure_body(incident, source, visibility="partners")
    first = put(client, path, body, a)
    assert first.status_code == 201, first.json()
    assert first["X-Upsert-Outcome"] == "created"
    assert first.json()["external_id"] == "KOBO-17"
    assert first["Location"].endswith(f"/api/v1/figures/{first.json()['id']}/")

    second = put(client, path, body, a)
    assert second.status_code == 200
    assert second["X-Upsert-Outcome"] == "unchanged"
    assert second.json()["id"] == first.json()["id"]
    figure = Figure.objects.get(external_id="KOBO-17")
    assert figure.owner == partner_a
    assert figure.version == 1
    assert figure.history.count() == 1
    assert Citation.objects.filter(figure=figure).count() == 1
    assert Change.objects.filter(record_uuid=figure.uuid).count() == 1


def test_put_by_external_id_updates_what_changed(client, a, incident, source):
    path = "/api/v1/figures/by-external-id/KOBO-17/"
    put(client, path, figure_body(incident, source), a)
    response = put(client, path, figure_body(incident, source, value=41), a)
    assert response.status_code == 200
    assert response["X-Upsert-Outcome"] == "updated"
    assert response.json()["value"] == 41
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    figure = Figure.objects.get(external_id="KOBO-17")
    assert figure.history.count() == 2
    assert Figure.objects.filter(external_id="KOBO-17").count() == 1


def test_changed_citations_replace_the_partners_own(client, a, incident, source):
    path = "/api/v1/figures/by-external-id/F-1/"
    put(client, path, figure_body(incident, source), a)
    figure = Figure.objects.get(external_id="F-1")
    staff_dispute = Citation.objects.create(
        source=source, figure=figure, quote="at least 40", stance=Stance.DISPUTES
    )
    response = put(client, path, figure_body(incident, source, quote="at least 40 detentions"), a)
    assert response["X-Upsert-Outcome"] == "updated", response.json()
    live = Citation.objects.filter(figure=figure, deleted_at__isnull=True)
    assert sorted(live.values_list("quote", flat=True)) == ["at least 40", "at least 40 detentions"]
    assert live.filter(stance=Stance.ASSERTS).count() == 1
    assert live.filter(pk=staff_dispute.pk).exists()  # others' citations are left alone
    figure.refresh_from_db()
    assert figure.version == 2  # one new version, so mirrors fetch the new citations


def test_external_ids_are_per_partner(client, a, b, partner_b, incident, source):
    path = "/api/v1/incidents/by-external-id/case-1/"
    body = {"title": "Arrests", "kind": "arrest", "country": "VE", "visibility": "partners"}
    mine = put(client, path, body, a).json()
    theirs = put(client, path, body, b)
    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine["id"]
    assert Incident.objects.get(uuid=theirs.json()["id"]).owner == partner_b
    # Each reads its own under the id; neither sees the other's external id.
    assert client.get(path, **b).json()["id"] == theirs.json()["id"]
    assert client.get(f"/api/v1/incidents/{mine['id']}/", **b).json()["external_id"] is None
    assert client.get(f"/api/v1/incidents/{mine['id']}/", **a).json()["external_id"] == "case-1"


def test_delete_by_external_id_then_put_restores_the_same_record(client, a, incident, source):
    path = "/api/v1/incidents/by-external-id/case-2/"
    body = {"title": "Arrests", "kind": "arrest", "country": "VE"}
    created = put(client, path, body, a).json()
    assert client.delete(path, **a).status_code == 204
    assert client.get(path, **a).status_code == 404
    again = put(client, path, body, a)
    assert again.status_code == 200
    assert again["X-Upsert-Outcome"] == "updated"
    assert again.json()["id"] == created["id"]
    assert Incident.objects.filter(external_id="case-2").count() == 1


def test_upsert_checks_if_match(client, a):
    path = "/api/v1/incidents/by-external-id/case-3/"
    body = {"title": "Arrests", "kind": "arrest", "country": "VE"}
    put(client, path, body, a)
    stale = put(client, path, {**body, "title": "New"}, a, HTTP_IF_MATCH='"7"')
    assert stale.status_code == 412
    fresh = put(client, path, {**body, "title": "New"}, a, HTTP_IF_MATCH='"1"')
    assert fresh.status_code == 200


def test_upsert_needs_a_write_right(client, partner_a):
    path = "/api/v1/incidents/by-external-id/case-4/"
    body = {"title": "Arrests", "kind": "arrest", "country": "VE"}
    assert put(client, path, body, {}).status_code == 401
    reader = bearer(ApiToken.issue(partner=partner_a, scope="read")[1])
    assert put(client, path, body, reader).status_code == 403
    assert client.get(path).status_code == 401
    assert not Incident.objects.exists()


def test_upsert_errors_are_field_level(client, a, incident, source):
    for body, attr in (
        (figure_body(incident, source, value=-1), "value"),
        (figure_body(incident, source, quote="not in the text"), "citations.0.quote"),
        (figure_body(incident, source, external_id="other"), "external_id"),
    ):
        response = put(client, "/api/v1/figures/by-external-id/F-9/", body, a)
        assert response.status_code == 400
        assert attr in {error["attr"] for error in response.json()["errors"]}
    bad_id = put(client, "/api/v1/incidents/by-external-id/a%00b/", {"title": "x"}, a)
    assert bad_id.status_code == 400
    assert not Figure.objects.exists()


def test_external_id_is_unique_per_partner_on_create(client, a):
    body = {"title": "Arrests", "kind": "arrest", "country": "VE", "external_id": "X"}
    assert client.post("/api/v1/incidents/", body, content_type=JSON, **a).status_code == 201
    again = client.post("/api/v1/incidents/", body, content_type=JSON, **a)
    assert again.status_code == 400
    assert again.json()["errors"][0]["attr"] == "external_id"


def test_external_ids_may_hold_slashes(client, a):
    path = "/api/v1/incidents/by-external-id/2024/08/case%2F5/"
    body = {"title": "Arrests", "kind": "arrest", "country": "VE"}
    assert put(client, path, body, a).status_code == 201
    assert Incident.objects.get().external_id == "2024/08/case/5"


# --- the change feed ---------------------------------------------------------------------


def test_replaying_the_seed_gives_what_the_api_shows(client, seeded):
    mirror = {}
    replay(client, {}, mirror, "0")
    assert mirror == shown(client, {})
    assert len(mirror) == 98


def test_feed_pages_follow_the_cursor_without_repeats(client, seeded):
    seen, cursor = [], "0"
    while True:
        page = feed(client, {}, cursor, page_size=7)
        seen += [(c["resource"], c["id"]) for c in page["results"]]
        assert len(page["results"]) <= 7
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert len(seen) == len(set(seen)) == 98
    assert feed(client, {}, cursor)["results"] == []


def test_feed_parameters_are_checked(client, seeded):
    latest = feed(client, {}, "latest")
    assert latest["results"] == []
    assert sealing.unseal(sealing.FEED_CURSOR, latest["next_cursor"]) == changes.latest_cursor()
    only = feed(client, {}, "0", resource="figures,allegations")["results"]
    assert {c["resource"] for c in only} == {"figures", "allegations"}
    for params in (
        {"since": "x"},
        {"since": "-1"},
        {"since": sealing.seal(sealing.FEED_CURSOR, changes.latest_cursor() + 5)},
        # A bare position (as cursors once were) would let a caller probe the feed's length.
        {"since": str(changes.latest_cursor())},
        # A list's cursor is sealed with another key.
        {"since": sealing.seal(sealing.LIST_CURSOR, changes.latest_cursor())},
        {"since": latest["next_cursor"][:-2]},
        {"page_size": "0"},
        {"page_size": "1001"},
        {"resource": "people"},
        {"sinse": "0"},
    ):
        response = client.get("/api/v1/changes/", params)
        assert response.status_code == 400, params
        assert response.json()["errors"][0]["attr"] == next(iter(params))


def test_polling_the_feed_shows_nothing_of_hidden_writes(client, a, incident, source):
    """An anonymous caller polling ``latest`` learns nothing from a partner's restricted
    writes: the same empty answers, and a cursor that differs on every call anyway."""
    first = feed(client, {}, "latest")
    quiet = feed(client, {}, first["next_cursor"])
    put(
        client,
        "/api/v1/incidents/by-external-id/hidden-1/",
        {"title": "Witness list", "kind": "arrest", "country": "VE"},
        a,
    )
    after_write = feed(client, {}, first["next_cursor"])
    assert quiet["results"] == after_write["results"] == []
    assert quiet["has_more"] is after_write["has_more"] is False
    cursors = {first["next_cursor"], quiet["next_cursor"], after_write["next_cursor"]}
    assert len(cursors) == 3  # sealed afresh each time, whatever they hold
    for cursor in cursors:  # not readable as the base64 JSON they once were
        with pytest.raises(ValueError):
            json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def test_restricted_records_never_reach_other_callers(client, a, b, incident, source):
    secret = put(
        client,
        "/api/v1/incidents/by-external-id/secret/",
        {"title": "Witness list", "kind": "arrest", "country": "VE"},
        a,
    ).json()
    for headers in ({}, b):
        ids = {change["id"] for change in feed(client, headers)["results"]}
        assert secret["id"] not in ids
    assert secret["id"] in {change["id"] for change in feed(client, a)["results"]}


def test_hiding_a_container_tombstones_its_contents(client, a, b, incident, source):
    # A's public incident with a figure; B mirrors both.
    made = put(
        client,
        "/api/v1/incidents/by-external-id/inc/",
        {"title": "Arrests", "kind": "arrest", "country": "VE", "visibility": "public"},
        a,
    ).json()
    owned = Incident.objects.get(uuid=made["id"])
    figure = put(
        client,
        "/api/v1/figures/by-external-id/fig/",
        figure_body(owned, source, visibility="public"),
        a,
    ).json()
    mirror = {}
    cursor = replay(client, b, mirror, "0")
    assert ("figures", figure["id"]) in mirror
    # A restricts the incident: the figure is hidden from B without being saved.
    body = {"title": "Arrests", "kind": "arrest", "country": "VE", "visibility": "restricted"}
    put(client, "/api/v1/incidents/by-external-id/inc/", body, a)
    page = feed(client, b, cursor)["results"]
    assert {(c["resource"], c["id"], c["action"]) for c in page} >= {
        ("incidents", made["id"], "deleted"),
        ("figures", figure["id"], "deleted"),
    }
    replay(client, b, mirror, cursor)
    assert mirror == shown(client, b)


def _random_writes(rng, client, actors, sources, count):
    """``count`` random writes through the API by partners A, B and a staff editor."""
    visibilities = [Visibility.PUBLIC, Visibility.PARTNERS, Visibility.RESTRICTED]
    for step in range(count):
        who = rng.choice(list(actors))
        headers = actors[who]
        kind = rng.random()
        incidents = list(Incident.objects.filter(deleted_at__isnull=True))
        if kind < 0.25 or not incidents:
            put(
                client,
                f"/api/v1/incidents/by-external-id/{who}-inc-{rng.randrange(6)}/",
                {
                    "title": f"Incident {step}",
                    "kind": "arrest",
                    "country": "VE",
                    "visibility": rng.choice(visibilities),
                },
                headers,
            )
        elif kind < 0.6:
            target = rng.choice(incidents)
            put(
                client,
                f"/api/v1/figures/by-external-id/{who}-fig-{rng.randrange(8)}/",
                figure_body(
                    target,
                    rng.choice(sources),
                    value=rng.randrange(1, 5),
                    visibility=rng.choice(visibilities),
                ),
                headers,
            )
        elif kind < 0.8:
            mine = [
                figure
                for figure in Figure.objects.filter(deleted_at__isnull=True)
                if figure.external_id.startswith(f"{who}-")
            ]
            if mine:
                client.delete(f"/api/v1/figures/{rng.choice(mine).uuid}/", **headers)
        else:
            mine = [i for i in incidents if i.external_id.startswith(f"{who}-")]
            if mine:
                chosen = rng.choice(mine)
                client.patch(
                    f"/api/v1/incidents/{chosen.uuid}/",
                    {"visibility": rng.choice(visibilities)},
                    content_type=JSON,
                    **headers,
                )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_mirror_replayed_between_interleaved_writes_ends_exact(
    client, a, b, django_user_model, seed
):
    from django.contrib.auth.models import Group, Permission

    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    editor.user_permissions.add(Permission.objects.get(codename="view_restricted"))
    staff_client = Client()
    staff_client.force_login(editor)
    sources = [SourceFactory(), SourceFactory(visibility=Visibility.PARTNERS)]
    readers = {"a": a, "b": b, "anonymous": {}}
    mirrors = {name: {} for name in readers}
    cursors = {name: "0" for name in readers}
    rng = random.Random(seed)
    for _ in range(12):
        _random_writes(rng, client, {"a": a, "b": b}, sources, 5)
        for name, headers in readers.items():
            if rng.random() < 0.6:  # readers fall behind by different amounts
                page_size = rng.choice([1, 2, 5, 50])
                page = feed(client, headers, cursors[name], page_size=page_size)
                for change in page["results"]:
                    key = (change["resource"], change["id"])
                    if change["action"] == "deleted":
                        mirrors[name].pop(key, None)
                    else:
                        mirrors[name][key] = change["version"]
                cursors[name] = page["next_cursor"]
    for name, headers in readers.items():
        replay(client, headers, mirrors[name], cursors[name])
        assert mirrors[name] == shown(client, headers), name
    # Staff with the restricted permission see everything that is live.
    staff_mirror = {}
    staff_cursor = replay(staff_client, {}, staff_mirror, "0")
    assert staff_mirror == shown(staff_client, {})
    assert feed(staff_client, {}, staff_cursor)["results"] == []


def test_changes_are_written_once_per_transaction_and_skip_rolled_back_work(
    incident, source, partner_a
):
    before = Change.objects.count()
    with changes.collecting():
        record = Incident.objects.create(title="One", kind="arrest", country="VE")
        record.title = "One, renamed"
        record.save()
        try:
            with transaction.atomic():
                Incident.objects.create(title="Rolled back", kind="arrest", country="VE")
                raise RuntimeError
        except RuntimeError:
            pass
    added = list(Change.objects.order_by("seq"))[before:]
    assert [(c.record_uuid, c.action, c.version) for c in added] == [(record.uuid, "created", 2)]


def test_the_feed_shows_each_caller_its_own_view_of_an_action(partner_a, incident):
    record = Incident.objects.create(
        title="Private", kind="arrest", country="VE", visibility=Visibility.RESTRICTED
    )
    services.record_update(record=record, fields={"visibility": Visibility.PUBLIC}, principal=None)
    rows, _, _ = changes.feed(ANONYMOUS, 0, 100)
    mine = [row for row in rows if row.record_uuid == record.uuid]
    # Anonymous callers never saw the restricted version: to them it is new.
    assert [(row.action, row.shown_action) for row in mine] == [("updated", "created")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_committed_late_is_never_skipped_by_a_reader():
    """Sequence numbers follow commit order, even when writers overlap.

    Writer 1 writes its change first but commits late; writer 2 writes after and
    commits at once. A reader polling meanwhile must not see writer 2's change
    before writer 1's, or its cursor would pass writer 1's change for good.
    """
    flushed, release = threading.Event(), threading.Event()
    made = {}

    def slow_writer():
        try:
            with transaction.atomic():
                with changes.collecting():
                    made["slow"] = IncidentFactory(title="slow")
                flushed.set()  # its change is written, not committed
                release.wait(10)
        finally:
            connections.close_all()

    def fast_writer():
        try:
            made["fast"] = IncidentFactory(title="fast")
        finally:
            connections.close_all()

    slow = threading.Thread(target=slow_writer)
    slow.start()
    assert flushed.wait(10)
    fast = threading.Thread(target=fast_writer)
    fast.start()
    time.sleep(0.5)  # the fast writer is now waiting for the feed's lock
    cursor = 0
    rows, cursor, _ = changes.feed(ANONYMOUS, cursor, 100)
    assert rows == []  # neither is visible yet: nothing may be skipped
    release.set()
    slow.join(10)
    fast.join(10)
    rows, cursor, _ = changes.feed(ANONYMOUS, cursor, 100)
    assert [row.record_uuid for row in rows] == [made["slow"].uuid, made["fast"].uuid]


def test_options_on_an_external_id_answers(client, a, incident, source):
    path = "/api/v1/figures/by-external-id/F-2/"
    assert client.options(path, **a).status_code == 200
    put(client, path, figure_body(incident, source), a)
    assert client.options(path, **a).status_code == 200


def test_an_upsert_cannot_take_a_figure_s_reporting_citation_away(client, a, incident, source):
    put(client, "/api/v1/figures/by-external-id/F-3/", figure_body(incident, source), a)
    citation = Citation.objects.get(figure__external_id="F-3")
    body = {
        "source": str(source.uuid),
        "quote": QUOTE,
        "stance": "disputes",
        "figure": str(citation.figure.uuid),
    }
    response = put(client, "/api/v1/citations/by-external-id/C-1/", body, a)
    assert response.status_code == 201  # a new citation of its own
    Citation.objects.filter(pk=citation.pk).update(external_id="C-0")
    body = {**body, "stance": "disputes"}
    response = put(client, "/api/v1/citations/by-external-id/C-0/", body, a)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "stance"
    citation.refresh_from_db()
    assert citation.stance == Stance.ASSERTS
