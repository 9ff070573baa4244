"""Lists page by number or by keyset cursor, and both give the same records in the same order."""

import base64
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.api.pagination import FORWARD, decode_cursor, encode_cursor
from incidents.models import Figure
from incidents.reads.ordering import keys_of
from tests.factories import CitationFactory, FigureFactory, IncidentFactory


@pytest.fixture
def records(seeded):
    call_command(
        "generate_synthetic", incidents=6, figures=300, allegations=80, seed=5, verbosity=0
    )


def ids_by_page_number(client, url):
    ids, number = [], 1
    while True:
        body = client.get(f"{url}&page={number}").json()
        ids += [record["id"] for record in body["results"]]
        if body["next"] is None:
            return ids
        number += 1


def walk(client, url, link="next"):
    """Every page from ``url`` following ``link``; the ids in list order, and the last body."""
    ids, body = [], None
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        page = [record["id"] for record in body["results"]]
        ids = ids + page if link == "next" else page + ids
        url = body[link]
    return ids, body


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/figures/?page_size=37",
        "/api/v1/figures/?page_size=41&ordering=-value",
        "/api/v1/figures/?page_size=41&ordering=value,-as_of",
        "/api/v1/figures/?page_size=50&measure=detained,released&ordering=-updated_at",
        "/api/v1/incidents/?page_size=2",
        "/api/v1/incidents/?page_size=3&ordering=-end_date",
        "/api/v1/sources/?page_size=29",
        "/api/v1/detainee-groups/?page_size=4&ordering=-age_max",
        "/api/v1/allegations/?page_size=13&ordering=status",
        "/api/v1/actors/?page_size=9",
        "/api/v1/citations/?page_size=77",
        "/api/v1/terms/?page_size=7",
    ],
)
def test_following_next_gives_what_page_numbers_give(records, client, url):
    by_number = ids_by_page_number(client, url)
    by_cursor, last = walk(client, url)
    assert by_cursor == by_number
    assert len(set(by_cursor)) == len(by_cursor) == last["count"]
    assert last["next"] is None
    assert last["previous"] is not None, "the test needs several pages"
    # And back again from the last page, every page before it.
    back, first = walk(client, last["previous"], link="previous")
    assert back == by_cursor[: len(back)]
    assert len(back) + len(last["results"]) == len(by_cursor)
    assert first["previous"] is None


def test_links_are_cursors_even_from_a_numbered_page(records, client):
    body = client.get("/api/v1/figures/", {"page_size": 20, "page": 3}).json()
    assert "cursor=" in body["next"] and "page=" not in body["next"].replace("page_size", "")
    after = client.get(body["next"]).json()
    numbered = client.get("/api/v1/figures/", {"page_size": 20, "page": 4}).json()
    assert after["results"] == numbered["results"]
    before = client.get(body["previous"]).json()
    numbered = client.get("/api/v1/figures/", {"page_size": 20, "page": 2}).json()
    assert before["results"] == numbered["results"]


def test_nulls_sort_last_ascending_and_first_descending_on_every_database(records, client):
    ascending = client.get("/api/v1/figures/", {"page_size": 500, "ordering": "value"}).json()
    values = [f["value"] for f in ascending["results"]]
    assert None in values
    assert values == sorted(values, key=lambda v: (v is None, v or 0))
    descending = client.get("/api/v1/figures/", {"page_size": 500, "ordering": "-value"}).json()
    values = [f["value"] for f in descending["results"]]
    assert values == sorted(values, key=lambda v: (v is not None, -(v or 0)))


def test_a_record_added_before_the_cursor_does_not_shift_the_next_page(seeded, client):
    incident = IncidentFactory()
    for day in range(1, 11):
        CitationFactory(figure=FigureFactory(incident=incident, as_of=f"2030-01-{day:02}"))
    url = f"/api/v1/figures/?incident={incident.uuid}&page_size=4"
    first = client.get(url).json()
    CitationFactory(figure=FigureFactory(incident=incident, as_of="2029-12-31"))
    second = client.get(first["next"]).json()
    assert [f["as_of"] for f in second["results"]] == [f"2030-01-{d:02}" for d in (5, 6, 7, 8)]
    # A page number counts the new record and repeats the first page's last figure.
    numbered = client.get(f"{url}&page=2").json()
    assert numbered["results"][0]["as_of"] == "2030-01-04"


def test_a_cursor_page_skips_no_rows_in_the_database(records, client):
    body = client.get("/api/v1/figures/", {"page_size": 10}).json()
    for _ in range(5):
        body = client.get(body["next"]).json()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(body["next"]).status_code == 200
    pages = [q["sql"] for q in captured.captured_queries if "LIMIT" in q["sql"]]
    assert pages and not any("OFFSET" in sql for sql in pages)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"cursor": "not-a-cursor"}, "cannot be read"),
        ({"cursor": "eyJkIjoibiJ9"}, "cannot be read"),  # {"d": "n"}: no values
        ({"cursor": "", "page": "2"}, "either cursor or page"),
    ],
)
def test_a_bad_cursor_is_a_400_naming_it(seeded, client, params, message):
    response = client.get("/api/v1/figures/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["attr"] == "cursor"
    assert message in body["errors"][0]["detail"]


def test_a_cursor_of_another_ordering_is_a_400(records, client):
    body = client.get("/api/v1/figures/", {"page_size": 5, "ordering": "-value"}).json()
    cursor = body["next"].split("cursor=")[1].split("&")[0]
    response = client.get("/api/v1/figures/", {"page_size": 5, "cursor": cursor})
    assert response.status_code == 400
    assert "another ordering" in response.json()["errors"][0]["detail"]


def test_cursors_are_sealed_so_primary_keys_never_show(records, client):
    """A cursor holds the edge row's primary key; in the clear, gaps would count hidden rows."""
    first = client.get("/api/v1/figures/", {"page_size": 5}).json()["next"]
    cursor = first.split("cursor=")[1].split("&")[0]
    with pytest.raises(ValueError):
        json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    # The same page gives the same link (its body can be cached), and leads on.
    assert client.get("/api/v1/figures/", {"page_size": 5}).json()["next"] == first
    assert client.get(first).status_code == 200
    # A cursor altered by one character leads nowhere.
    tampered = cursor[:-3] + ("A" if cursor[-3] != "A" else "B") + cursor[-2:]
    response = client.get("/api/v1/figures/", {"page_size": 5, "cursor": tampered})
    assert response.status_code == 400


def test_a_change_feed_cursor_is_no_list_cursor(records, client):
    feed_cursor = client.get("/api/v1/changes/", {"since": "latest"}).json()["next_cursor"]
    response = client.get("/api/v1/figures/", {"cursor": feed_cursor})
    assert response.status_code == 400


def test_a_cursor_with_values_of_the_wrong_type_is_a_400(seeded, client):
    keys = keys_of(Figure.objects.order_by("as_of", "pk"))
    cursor = encode_cursor(FORWARD, keys, ["not a date", 1])
    response = client.get("/api/v1/figures/", {"cursor": cursor})
    assert response.status_code == 400


def test_cursors_round_trip_dates_and_times(seeded):
    keys = keys_of(Figure.objects.order_by("-updated_at", "as_of", "pk"))
    figure = Figure.objects.first()
    values = [figure.updated_at, figure.as_of, figure.pk]
    assert decode_cursor(encode_cursor(FORWARD, keys, values), keys) == (FORWARD, values)


def test_the_latest_figures_page_by_number_only(seeded, client):
    body = client.get("/api/v1/figures/latest/", {"page_size": 2}).json()
    assert "page=2" in body["next"]
    response = client.get("/api/v1/figures/latest/", {"cursor": "eyJkIjoibiJ9"})
    assert response.status_code == 400


def test_count_false_leaves_the_total_out_and_pages_alike(records, client):
    counted, _ = walk(client, "/api/v1/figures/?page_size=45")
    uncounted, last = walk(client, "/api/v1/figures/?page_size=45&count=false")
    assert uncounted == counted
    assert last["count"] is None
    by_number = ids_by_page_number(client, "/api/v1/figures/?page_size=45&count=false")
    assert by_number == counted


def test_count_false_skips_the_count_query(records, client):
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/v1/figures/", {"count": "false", "page_size": 10}).json()
    assert body["count"] is None and len(body["results"]) == 10
    assert not any("COUNT(" in q["sql"] and "incidents_figure" in q["sql"] for q in captured)


@pytest.mark.parametrize("params", [{"count": "perhaps"}, {"count": "false", "page": "0"}])
def test_a_bad_count_or_page_is_a_4xx(seeded, client, params):
    assert client.get("/api/v1/figures/", params).status_code in (400, 404)


@pytest.mark.parametrize("page", ["999", str(2**63), "9" * 40, "²", "1e5", "-1"])
@pytest.mark.parametrize("url", ["/api/v1/figures/", "/api/v1/detainee-groups/"])
def test_an_uncounted_page_past_the_end_is_a_404(seeded, client, url, page):
    # Past any database's 64-bit offset too: a 404, not an overflow.
    response = client.get(url, {"count": "false", "page": page})
    assert response.status_code == 404
