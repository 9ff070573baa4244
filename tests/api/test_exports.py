"""CSV and HXL exports of every list: same records, filters, order and scope as JSON, streamed."""

import csv
import io
import re
import uuid

import hxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from incidents.choices import Stance, Visibility
from incidents.integration import exports
from incidents.models import ApiToken, Incident, Partner, Term
from tests.factories import (
    ActorFactory,
    AllegationFactory,
    CitationFactory,
    DetaineeGroupFactory,
    FigureFactory,
    IncidentFactory,
    SourceFactory,
    term,
)

pytestmark = pytest.mark.django_db
RESTRICTED = Visibility.RESTRICTED

# List path -> the export that writes it.
LISTS = {
    "/api/v1/actors/": exports.ACTORS,
    "/api/v1/sources/": exports.SOURCES,
    "/api/v1/incidents/": exports.INCIDENTS,
    "/api/v1/detainee-groups/": exports.DETAINEE_GROUPS,
    "/api/v1/figures/": exports.FIGURES,
    "/api/v1/figures/latest/": exports.FIGURES,
    "/api/v1/allegations/": exports.ALLEGATIONS,
    "/api/v1/citations/": exports.CITATIONS,
    "/api/v1/terms/": exports.TERMS,
}
KILLED_FIGURE = "5ec7385e-32ac-5fe1-9567-94292676132f"  # the seed's "left 27 dead"


def body(response) -> str:
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def export(client, path, params=None, **headers) -> list[dict]:
    """The rows of a CSV export, as dicts keyed by column name."""
    response = client.get(path, {"format": "csv", **(params or {})}, **headers)
    return list(csv.DictReader(io.StringIO(body(response))))


def json_ids(client, path, params=None, **headers) -> list[str]:
    response = client.get(path, {"page_size": 500, **(params or {})}, **headers)
    assert response.status_code == 200, response.content
    return [record["id"] for record in response.json()["results"]]


def id_column(path: str) -> str:
    return LISTS[path].columns[0].name


def bearer(partner) -> dict:
    _, secret = ApiToken.issue(partner=partner, scope="read")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def staff(django_user_model):
    """A client with a superuser's session: staff who may read restricted records."""
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("curator", "c@example.org"))
    return client


# --- what an export is ------------------------------------------------------------


@pytest.mark.parametrize("path", LISTS)
def test_every_list_exports_the_records_of_its_json_in_the_same_order(client, seeded, path):
    response = client.get(path, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    name = path.removeprefix("/api/v1/").strip("/").replace("/", "-")
    assert response["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    lines = list(csv.reader(io.StringIO(body(response))))
    assert lines[0] == LISTS[path].headers
    assert not lines[1][0].startswith("#")  # the plain CSV has no hashtag row
    assert [row[0] for row in lines[1:]] == json_ids(client, path)


@pytest.mark.parametrize("path", LISTS)
def test_hxl_variant_adds_a_hashtag_for_every_column(client, seeded, path):
    response = client.get(path, {"format": "hxl"})
    assert response["Content-Disposition"].endswith('-hxl.csv"')
    headers, tags, *rows = csv.reader(io.StringIO(body(response)))
    assert headers == LISTS[path].headers
    assert tags == LISTS[path].tags
    assert all(tag.startswith("#") for tag in tags)
    assert len(rows) == len(json_ids(client, path))


def test_accept_text_csv_gives_plain_csv(client, seeded):
    response = client.get("/api/v1/figures/", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = body(response).splitlines()
    assert lines[0].startswith("figure_id,incident_id,")
    assert not lines[1].startswith("#")


def test_libhxl_reads_the_figures_with_their_measures_and_sources(client, seeded):
    response = client.get("/api/v1/figures/", {"format": "hxl"})
    dataset = hxl.data(io.BytesIO(body(response).encode()))
    assert "#affected+killed" in dataset.display_tags
    assert "#event+id" in dataset.display_tags
    assert [column.header for column in dataset.columns] == exports.FIGURES.headers
    rows = list(dataset)
    [killed] = [row for row in rows if row.get("#meta+id") == KILLED_FIGURE]
    assert killed.get("#affected+killed") == "27"
    assert killed.get("#indicator+code") == "killed"
    assert killed.get("#adm0+code") == "VE"
    assert killed.get("#date+reported") == "2024-12-25"
    assert killed.get("#org+name") == "United Nations experts"
    assert killed.get("#meta+source+name") == "United Nations experts statement"
    assert "left 27 dead" in killed.get("#meta+quote")
    # The other measure columns of that row are blank (libhxl reads a blank cell as None).
    assert killed.get("#affected+detained") is None
    assert killed.get("#affected+released") is None
    # A detention figure fills its own column (when the source gave a number).
    detained = [row for row in rows if row.get("#indicator+code") == "detained"]
    assert {row.get("#affected+detained") for row in detained} >= {"2400", "129"}
    assert all(row.get("#affected+detained") == row.get("#indicator+num") for row in detained)
    assert all(row.get("#affected+killed") is None for row in detained)


def test_figure_rows_carry_their_reporting_source(client, seeded):
    figure = CitationFactory(
        figure__measure="still_detained",
        figure__value=41,
        figure__value_low=40,
        figure__qualifier="approximately",
        source__url="https://example.org/report",
        source__issuer__name="Observatorio",
    ).figure
    [row] = [r for r in export(client, "/api/v1/figures/") if r["figure_id"] == str(figure.uuid)]
    citation = figure.citations.get()
    assert row == row | {
        "incident_id": str(figure.incident.uuid),
        "incident_title": figure.incident.title,
        "country": "VE",
        "group_id": "",
        "measure": "still_detained",
        "value": "41",
        "value_low": "40",
        "value_high": "",
        "qualifier": "approximately",
        "as_of": "2024-11-15",
        "as_of_precision": "exact",
        "value_still_detained": "41",
        "value_detained": "",
        "contested": "false",
        "reporter": "Observatorio",
        "source_id": str(citation.source.uuid),
        "source_title": citation.source.title,
        "source_kind": "ngo_statement",
        "source_date": "2024-11-15",
        "source_url": "https://example.org/report",
        "quote": citation.quote,
        "visibility": "public",
        "version": "1",
    }


def test_reporter_is_the_source_when_it_has_no_issuer(client, db):
    CitationFactory(source__issuer=None, source__title="Anonymous leaflet")
    [row] = export(client, "/api/v1/figures/")
    assert row["reporter"] == row["source_title"] == "Anonymous leaflet"


def test_contested_matches_the_json(client, seeded):
    rows = export(client, "/api/v1/figures/")
    contested = {row["figure_id"] for row in rows if row["contested"] == "true"}
    assert contested == set(json_ids(client, "/api/v1/figures/", {"contested": "true"}))
    assert len(contested) == 2


def test_allegation_rows_join_methods_and_reporting_sources(client, db):
    allegation = AllegationFactory(
        victim_group=None, perpetrator=ActorFactory(name="Security forces")
    )
    allegation.methods.add(term("method", "suffocation"), term("method", "beating"))
    first = CitationFactory(figure=None, allegation=allegation, source__issuer__name="Witness A")
    second = CitationFactory(figure=None, allegation=allegation, source__issuer__name="Witness B")
    CitationFactory(figure=None, allegation=allegation, stance=Stance.DENIES)
    [row] = export(client, "/api/v1/allegations/")
    assert row["violation_type"] == "torture"
    assert row["methods"] == "beating;suffocation"
    assert row["perpetrator_name"] == "Security forces"
    assert row["status"] == "alleged"
    assert row["reporter"] == "Witness A | Witness B"
    assert row["source_id"] == f"{first.source.uuid} | {second.source.uuid}"
    assert row["quote"] == f"{first.quote} | {second.quote}"


def test_citation_rows_name_the_record_they_support(client, seeded):
    rows = export(client, "/api/v1/citations/")
    killed = [row for row in rows if row["target_id"] == KILLED_FIGURE]
    assert [(row["target_type"], row["stance"]) for row in killed] == [("figure", "asserts")]


# --- filters, ordering, errors ---------------------------------------------------


def test_filters_apply_to_exports(client, seeded):
    rows = export(client, "/api/v1/figures/", {"measure": "killed"})
    assert [row["figure_id"] for row in rows] == [KILLED_FIGURE]
    released = export(client, "/api/v1/figures/", {"measure": "released", "value__gte": 500})
    assert {row["value"] for row in released} == {"956"}
    torture = export(client, "/api/v1/allegations/", {"violation_type": "torture"})
    assert torture and {row["violation_type"] for row in torture} == {"torture"}
    minors = export(client, "/api/v1/detainee-groups/", {"minors": "true"})
    assert [row["label"] for row in minors] == ["minors aged 14-17"]


def test_latest_export_takes_the_filters_of_the_latest_figures(client, seeded):
    params = {"measure": "still_detained", "as_of__lte": "2024-11-30"}
    rows = export(client, "/api/v1/figures/latest/", params)
    assert [row["figure_id"] for row in rows] == json_ids(client, "/api/v1/figures/latest/", params)
    assert [row["value"] for row in rows] == ["69"]


@pytest.mark.parametrize("ordering", ["-value", "value", "-as_of,measure"])
def test_exports_follow_the_ordering(client, seeded, ordering):
    rows = export(client, "/api/v1/figures/", {"ordering": ordering})
    assert [row["figure_id"] for row in rows] == json_ids(
        client, "/api/v1/figures/", {"ordering": ordering}
    )
    if ordering == "-value":
        values = [int(row["value"]) for row in rows if row["value"]]
        assert values == sorted(values, reverse=True)


@pytest.mark.parametrize(
    "params",
    [
        {"measure": "jailed", "as_of__gte": "mid-November"},
        {"minor": "true"},
        {"contested": "perhaps"},
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "hxl"])
def test_bad_filters_get_the_same_json_error_as_without_a_format(client, db, params, fmt):
    plain = client.get("/api/v1/figures/", params)
    exported = client.get("/api/v1/figures/", {**params, "format": fmt})
    assert exported.status_code == plain.status_code == 400
    assert exported["Content-Type"] == "application/json"
    assert exported.json() == plain.json()


@pytest.mark.parametrize("params", [{"page_size": "10"}, {"page": "2"}])
def test_exports_refuse_page_parameters(client, db, params):
    response = client.get("/api/v1/figures/", {**params, "format": "csv"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    [error] = response.json()["errors"]
    assert error["attr"] == next(iter(params))
    assert response.json()["type"] == "validation_error"


def test_page_size_refused_with_accept_text_csv_too(client, db):
    response = client.get("/api/v1/actors/", {"page_size": "10"}, HTTP_ACCEPT="text/csv")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "page_size"


def test_unknown_format_is_a_json_404(client, db):
    response = client.get("/api/v1/figures/", {"format": "xml"})
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_details_do_not_export(client, seeded):
    path = f"/api/v1/figures/{KILLED_FIGURE}/"
    response = client.get(path, {"format": "csv"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    response = client.get(path, HTTP_ACCEPT="text/csv")
    assert response.status_code == 406
    assert response.json()["errors"][0]["code"] == "not_acceptable"


def test_a_wrong_token_is_a_json_401_on_an_export(client, db):
    response = client.get(
        "/api/v1/figures/", {"format": "csv"}, HTTP_AUTHORIZATION="Bearer irt_00000000_nope"
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


# --- formula injection -------------------------------------------------------------


def test_text_that_a_spreadsheet_would_run_is_quoted(client, db):
    figure = CitationFactory(
        source__title='=HYPERLINK("https://evil.example","click")',
        source__issuer__name="@SUM(A1:A9)",
        figure__note="-2+3",
        figure__group=None,
        figure__value=0,
    ).figure
    DetaineeGroupFactory(incident=figure.incident, label="+1 detained", age_min=None)
    IncidentFactory(title="\tTabbed", summary="\rReturn")
    [row] = export(client, "/api/v1/figures/")
    assert row["source_title"] == '\'=HYPERLINK("https://evil.example","click")'
    assert row["reporter"] == "'@SUM(A1:A9)"
    assert row["note"] == "'-2+3"
    assert row["value"] == "0" and row["as_of"] == "2024-11-15"
    [group] = export(client, "/api/v1/detainee-groups/")
    assert group["label"] == "'+1 detained"
    incidents = {row["incident_title"]: row for row in export(client, "/api/v1/incidents/")}
    assert incidents["'\tTabbed"]["summary"] == "'\rReturn"


def test_cell_leaves_numbers_dates_and_ordinary_text_alone():
    assert exports.cell(-3) == -3
    assert exports.cell(None) == ""
    assert exports.cell(True) == "true"
    assert exports.cell("Foro Penal") == "Foro Penal"
    assert exports.cell("=1+1") == "'=1+1"
    assert exports.cell("a = b") == "a = b"


FORMULA_NAMES = [
    ';=HYPERLINK("https://evil.example","click")',  # a spreadsheet splitting on ";"
    'Foro Penal,=cmd|"/c calc"!A1',
    "Tab\t@SUM(A1:A9)",
    'Quoted; "=1+1"',
    "Line\n+1",
    "'already quoted",
    "Plain name, with a comma; and a semicolon - and a dash",
]
SEPARATORS = re.compile(r"[,;\t\r\n]")


def starts_a_formula(piece: str) -> bool:
    return piece.lstrip(' "').startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("fmt", ["csv", "hxl"])
def test_no_cell_starts_a_formula_whatever_the_spreadsheet_splits_on(client, db, fmt):
    for name in FORMULA_NAMES:
        SourceFactory(issuer=ActorFactory(name=name))
    response = client.get("/api/v1/actors/", {"format": fmt})
    text = body(response)
    assert not [piece for piece in SEPARATORS.split(text) if starts_a_formula(piece)]
    # Read back as CSV, one added quote removed: the exact names.
    names = {row["name"] for row in csv.DictReader(io.StringIO(text)) if row["name"] != "#org"}
    assert {exports.uncell(name) for name in names} >= set(FORMULA_NAMES)


@given(st.text(alphabet=st.sampled_from(list("=+-@'\t\r\n,; \"ab")), max_size=30) | st.text())
def test_cell_is_undone_exactly_and_never_starts_a_formula(text):
    written = exports.cell(text)
    assert exports.uncell(written) == text
    assert not [piece for piece in SEPARATORS.split(written) if starts_a_formula(piece)]


# --- visibility ----------------------------------------------------------------------


def test_exports_hold_only_records_in_the_callers_scope(client, staff, db):
    partner = Partner.objects.create(name="Observatorio")
    other = Partner.objects.create(name="Other partner")
    public = CitationFactory().figure
    shared = CitationFactory(figure__visibility=Visibility.PARTNERS).figure
    own = CitationFactory(figure__visibility=RESTRICTED, figure__owner=partner).figure
    foreign = CitationFactory(figure__visibility=RESTRICTED, figure__owner=other).figure
    in_hidden_incident = CitationFactory(figure__incident__visibility=RESTRICTED).figure

    def figure_ids(client, **headers):
        return {row["figure_id"] for row in export(client, "/api/v1/figures/", **headers)}

    assert figure_ids(client) == {str(public.uuid)}
    assert figure_ids(client, **bearer(partner)) == {
        str(public.uuid),
        str(shared.uuid),
        str(own.uuid),
    }
    assert figure_ids(staff) == {
        str(f.uuid) for f in (public, shared, own, foreign, in_hidden_incident)
    }


def test_a_hidden_reporting_source_leaves_its_cells_blank(client, staff, db):
    secret = SourceFactory(visibility=RESTRICTED, title="Confidential witness statement")
    figure = CitationFactory(source=secret).figure
    for fmt in ("csv", "hxl"):
        text = body(client.get("/api/v1/figures/", {"format": fmt}))
        assert "Confidential witness statement" not in text
        assert str(secret.uuid) not in text
    [row] = export(client, "/api/v1/figures/")
    assert row["figure_id"] == str(figure.uuid)  # as in JSON: the figure, without reported_by
    assert row["reporter"] == row["source_id"] == row["quote"] == ""
    [row] = export(staff, "/api/v1/figures/")
    assert row["source_title"] == "Confidential witness statement"


def test_a_hidden_citation_of_an_allegation_is_not_joined(client, staff, db):
    allegation = AllegationFactory()
    CitationFactory(figure=None, allegation=allegation, source__title="Public report")
    CitationFactory(
        figure=None,
        allegation=allegation,
        source__title="Restricted report",
        visibility=RESTRICTED,
    )
    [row] = export(client, "/api/v1/allegations/")
    assert row["source_title"] == "Public report"
    [row] = export(staff, "/api/v1/allegations/")
    assert row["source_title"] == "Public report | Restricted report"


def test_links_to_hidden_records_are_blank(client, staff, db):
    informant = ActorFactory(visibility=RESTRICTED, name="Confidential informant")
    ActorFactory(parent=informant, name="Member")
    AllegationFactory(perpetrator=informant)
    CitationFactory(source__issuer=informant, source__title="Leaked memo")
    hidden_parent = IncidentFactory(visibility=Visibility.PARTNERS, title="Sealed case")
    IncidentFactory(parent=hidden_parent)
    SourceFactory(reported_in=SourceFactory(visibility=RESTRICTED, title="Sealed dossier"))
    for path in LISTS:
        for fmt in ("csv", "hxl"):
            text = body(client.get(path, {"format": fmt}))
            for secret in ("Confidential informant", str(informant.uuid), "Sealed"):
                assert secret not in text, (path, secret)
    [allegation] = export(client, "/api/v1/allegations/")
    assert allegation["perpetrator_name"] == allegation["perpetrator_id"] == ""
    [figure] = export(client, "/api/v1/figures/")
    assert figure["reporter"] == "Leaked memo"  # the source stands in for its hidden issuer
    [member] = [row for row in export(client, "/api/v1/actors/") if row["name"] == "Member"]
    assert member["parent_id"] == member["parent_name"] == ""
    [allegation] = export(staff, "/api/v1/allegations/")
    assert allegation["perpetrator_name"] == "Confidential informant"
    incidents = export(staff, "/api/v1/incidents/")
    assert "Sealed case" in {row["parent_title"] for row in incidents}


# --- streaming, memory and queries -----------------------------------------------------


def add_rows(incident, count: int) -> None:
    """``count`` more rows of every list: figures and allegations with citations and methods."""
    for n in range(count):
        IncidentFactory(parent=incident)
        Term.objects.create(vocabulary="method", code=f"m-{uuid.uuid4().hex}", label="M")
        group = DetaineeGroupFactory(incident=incident)
        figure = FigureFactory(incident=incident, group=group, value=n, measure="released")
        CitationFactory(figure=figure, source=SourceFactory())
        CitationFactory(figure=figure, stance=Stance.DISPUTES, source=SourceFactory())
        allegation = AllegationFactory(incident=incident, victim_group=group)
        allegation.methods.add(term("method", "beating"))
        CitationFactory(figure=None, allegation=allegation, source=SourceFactory())


def exported_with_queries(client, path) -> tuple[int, int]:
    """(rows, queries) of an export, the streaming content consumed inside the count."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"format": "hxl"})
        assert response.streaming
        lines = list(csv.reader(io.StringIO(body(response))))
    return len(lines) - 2, len(queries.captured_queries)


@pytest.mark.parametrize("path", LISTS)
def test_query_count_does_not_grow_with_the_rows(client, db, path):
    incident = IncidentFactory()
    add_rows(incident, 3)
    few, queries = exported_with_queries(client, path)
    add_rows(incident, 27)
    many, more_queries = exported_with_queries(client, path)
    assert many > few
    assert more_queries == queries


def test_rows_are_written_chunk_by_chunk(client, db, monkeypatch):
    """Small chunks: every row once, in order, with its own reporting source."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    monkeypatch.setattr(exports, "FLUSH_SIZE", 1)
    add_rows(IncidentFactory(), 5)
    response = client.get("/api/v1/figures/", {"format": "csv", "ordering": "-value"})
    chunks = list(response.streaming_content)
    assert len(chunks) > 5  # yielded as it goes, not in one piece
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode())))
    assert [row["value"] for row in rows] == ["4", "3", "2", "1", "0"]
    for row in rows:
        figure = Incident.objects.get(uuid=row["incident_id"]).figures.get(uuid=row["figure_id"])
        source = figure.citations.get(stance=Stance.ASSERTS).source
        assert row["source_id"] == str(source.uuid)
    allegations = export(client, "/api/v1/allegations/")
    assert len(allegations) == 5
    assert all(row["methods"] == "beating" and row["source_id"] for row in allegations)
