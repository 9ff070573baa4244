"""The admin applies the API's rule at every door: what a staff member may not read, it never shows.

The world is the API access matrix's (``tests/api/test_access_matrix.py``), built
once for the module. A *viewer* (no ``view_restricted``) may read every key but
the restricted ones, deleted records included (staff restore them in the admin);
an *editor* reads everything. Every admin page that shows a record (change page
with its inlines, history list, each history entry, changelists with and without
a search, autocompletes, the drafts page, the incident chart) is fetched as the
viewer, and no marker word or id of a hidden record may appear in it; a hidden
record's own pages are a 404, as in the API.
"""

import pytest
from django.db import transaction

from incidents.choices import ReviewStatus, Visibility
from incidents.models import Actor, Allegation, Citation, DetaineeGroup, Figure, Incident, Source
from tests.api.test_access_matrix import KEYS, RESOURCES, build_world, camel
from tests.factories import (
    ActorFactory,
    CitationFactory,
    FigureFactory,
    IncidentFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

# Which keys each role reads in the admin: the API's rule, deleted records shown.
ADMIN_SEES = {
    "viewer": {"a_public", "a_partners", "a_deleted", "staff_public"},
    "editor": set(KEYS),
}
MODELS = list(RESOURCES.values())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, created once; each test's own transaction is a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def signed_in(client, world, role):
    client.force_login(world.users[role])
    return client


def hidden_secrets(world, role) -> set[str]:
    return {s for key in KEYS if key not in ADMIN_SEES[role] for s in world.secrets[key]}


def key_of(world, record) -> str | None:
    uid = str(record.uuid)
    return next((key for _, u, key in world.listing if u == uid), None)


def assert_shows_none(response, secrets, where):
    text = response.content.decode()
    leaked = sorted(s for s in secrets if s in text)
    assert not leaked, f"{where} shows {leaked}"


def page(record, suffix="change/") -> str:
    return f"/admin/incidents/{record._meta.model_name}/{record.pk}/{suffix}"


def every_record(model):
    return list(model._base_manager.order_by("pk"))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_viewer_reads_no_hidden_record_on_any_page_or_history(world, client, model):
    signed_in(client, world, "viewer")
    secrets = hidden_secrets(world, "viewer")
    checked = hidden = 0
    for record in every_record(model):
        key = key_of(world, record)
        urls = [page(record), page(record, "history/")]
        urls += [page(record, f"history/{h}/") for h in record.history.values_list("pk", flat=True)]
        readable = key is None or key in ADMIN_SEES["viewer"]
        for url in urls:
            response = client.get(url)
            if readable:
                assert response.status_code == 200, url
                assert_shows_none(response, secrets, url)
                checked += 1
            else:
                assert response.status_code == 404, url
                hidden += 1
    assert checked and hidden


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_viewer_finds_nothing_hidden_in_lists_and_searches(world, client, model):
    signed_in(client, world, "viewer")
    secrets = hidden_secrets(world, "viewer")
    url = f"/admin/incidents/{model._meta.model_name}/"
    listed = client.get(url, {"state": "all"})
    assert listed.status_code == 200
    assert listed.context["cl"].result_count > 0
    assert_shows_none(listed, secrets, url)
    markers = sorted(s for s in secrets if s.startswith("Marker"))
    for marker in markers:
        found = client.get(url, {"state": "all", "q": marker})
        assert found.status_code == 200
        rows = list(found.context["cl"].result_list)
        assert rows == [], f"{url}?q={marker} finds {rows}"
        # The search box repeats the words searched for; nothing else may show.
        assert_shows_none(found, secrets - {marker}, f"{url}?q={marker}")


AUTOCOMPLETES = [
    (Source, "issuer"),
    (Source, "reported_in"),
    (Actor, "parent"),
    (Incident, "parent"),
    (Figure, "incident"),
    (Figure, "group"),
    (Allegation, "perpetrator"),
    (Allegation, "victim_group"),
    (Citation, "source"),
    (Citation, "figure"),
    (Citation, "allegation"),
    (DetaineeGroup, "incident"),
]


@pytest.mark.parametrize(("model", "field"), AUTOCOMPLETES, ids=lambda v: getattr(v, "__name__", v))
def test_a_viewer_is_offered_no_hidden_record_to_link(world, client, model, field):
    signed_in(client, world, "viewer")
    secrets = hidden_secrets(world, "viewer")
    params = {"app_label": "incidents", "model_name": model._meta.model_name, "field_name": field}
    for term in ["", "Marker", *sorted(s for s in secrets if s.startswith("Marker"))[:20]]:
        response = client.get("/admin/autocomplete/", {**params, "term": term})
        assert response.status_code == 200, response.content
        assert_shows_none(response, secrets, f"autocomplete {model.__name__}.{field} {term!r}")


def test_a_viewer_sees_no_hidden_figure_in_an_incidents_chart(world, client):
    signed_in(client, world, "viewer")
    secrets = hidden_secrets(world, "viewer")
    for incident in every_record(Incident):
        response = client.get(page(incident, "chart.svg").replace("/chart.svg/", "/chart.svg"))
        key = key_of(world, incident)
        if key is None or key in ADMIN_SEES["viewer"]:
            assert response.status_code == 200
            assert_shows_none(response, secrets, f"chart of {incident}")
        else:
            assert response.status_code == 404


def test_a_viewer_reads_no_restricted_draft_of_a_published_article(world, client):
    article = SourceFactory(title="Published article", visibility=Visibility.PUBLIC, issuer=None)
    statement = SourceFactory(
        title="DraftWitnessStatement",
        reported_in=article,
        visibility=Visibility.RESTRICTED,
        review_status=ReviewStatus.UNREVIEWED,
    )
    incident = IncidentFactory(
        title="DraftHiddenIncident",
        visibility=Visibility.RESTRICTED,
        review_status=ReviewStatus.UNREVIEWED,
    )
    CitationFactory(
        source=statement,
        figure=FigureFactory(incident=incident, review_status=ReviewStatus.UNREVIEWED),
        visibility=Visibility.RESTRICTED,
        review_status=ReviewStatus.UNREVIEWED,
    )
    drafts = page(article, "drafts/")
    viewer = signed_in(client, world, "viewer").get(drafts)
    assert viewer.status_code == 200
    assert_shows_none(viewer, {"DraftWitnessStatement", "DraftHiddenIncident"}, drafts)
    editor = signed_in(client, world, "editor").get(drafts)
    assert "DraftWitnessStatement" in editor.content.decode()
    assert "DraftHiddenIncident" in editor.content.decode()


def test_an_editor_reads_every_record_the_viewer_may_not(world, client):
    """The other side of the matrix: the markers are there for those who may read them."""
    signed_in(client, world, "editor")
    for key in ("a_restricted", "staff_restricted"):
        for resource, record in world.by_key[key].items():
            response = client.get(page(record))
            assert response.status_code == 200, (resource, key)
        actor = world.by_key[key]["actors"]
        assert actor.name in client.get(page(actor, "history/")).content.decode()
        linker = world.linked["linker_source", key]
        assert actor.name in client.get(page(linker)).content.decode()
        quote = f"MarkerInnerFigureCitation{camel(key)}"
        found = client.get("/admin/incidents/figure/", {"q": quote})
        assert [f.pk for f in found.context["cl"].result_list] == [
            world.linked["inner_figure", key].pk
        ]


def history_queries(client, record) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(page(record, "history/")).status_code == 200
    return len(queries.captured_queries)


def test_a_history_page_reads_each_linked_record_once(world, client):
    """Entries mostly link to the same records: checking each entry's links costs no query more."""
    signed_in(client, world, "viewer")
    hidden = world.by_key["a_restricted"]["actors"]
    shown_parent = world.by_key["a_public"]["actors"]
    counts = []
    for saves in (3, 12):
        actor = ActorFactory(visibility=Visibility.PUBLIC, parent=hidden)
        for number in range(saves):
            actor.parent = hidden if number % 2 else shown_parent
            actor.save()
        counts.append(history_queries(client, actor))
    assert counts[1] <= counts[0], counts
