"""Who may read and write what, principal by principal, over HTTP.

The world (built once for the module; every test runs in its own savepoint):

- partners A and B, each with tokens; staff in the groups ``viewer`` and ``editor``;
- for every writable resource, one record per *key*: owned by partner A with each
  visibility (``a_public``, ``a_partners``, ``a_restricted``), owned by A but
  soft-deleted (``a_deleted``), and made by staff (``staff_public``,
  ``staff_restricted``);
- around those, records whose readability follows from a key: records inside
  each incident (container rule), figures of each group, citations of each
  source, and public "linker" records pointing at each keyed record through an
  optional link (which must then read as null).

Every record whose readability follows from a hidden key is a *secret*: its
public id and a unique marker word (in a title, name, label, note, summary or
quote). A read answered to a principal must contain no secret of a key it may
not read, wherever it looks: lists, details, embedded citations, latest
figures, timelines, history, counts and filters.
"""

import datetime
import uuid
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from incidents.choices import Stance, Visibility
from incidents.models import (
    Actor,
    Allegation,
    ApiToken,
    Citation,
    DetaineeGroup,
    Figure,
    Incident,
    Partner,
    Source,
    Term,
)
from tests.factories import (
    ActorFactory,
    AllegationFactory,
    CitationFactory,
    DetaineeGroupFactory,
    FigureFactory,
    IncidentFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

PRINCIPALS = ["anonymous", "a_read", "a_write", "b_write", "viewer", "editor"]
TOKEN_PRINCIPALS = {"a_read": ("A", "read"), "a_write": ("A", "write"), "b_write": ("B", "write")}
STAFF_PRINCIPALS = ("viewer", "editor")

KEYS = ["a_public", "a_partners", "a_restricted", "a_deleted", "staff_public", "staff_restricted"]

# Which keys each principal may read (deleted records: nobody).
SEES = {
    "anonymous": {"a_public", "staff_public"},
    "a_read": {"a_public", "a_partners", "a_restricted", "staff_public"},
    "a_write": {"a_public", "a_partners", "a_restricted", "staff_public"},
    "b_write": {"a_public", "a_partners", "staff_public"},
    "viewer": {"a_public", "a_partners", "staff_public"},
    "editor": {"a_public", "a_partners", "a_restricted", "staff_public", "staff_restricted"},
}

# Status of PUT and PATCH (DELETE: 204 where this says 200) on the record of each key.
CHANGE_STATUS = {
    #             a_public a_partners a_restricted a_deleted staff_public staff_restricted
    "anonymous": (401, 401, 401, 401, 401, 401),
    "a_read": (403, 403, 403, 403, 403, 403),
    "a_write": (200, 200, 200, 404, 403, 404),
    "b_write": (403, 403, 404, 404, 403, 404),
    "viewer": (403, 403, 403, 403, 403, 403),
    "editor": (200, 200, 200, 404, 200, 200),
}
CREATE_STATUS = {
    "anonymous": 401,
    "a_read": 403,
    "a_write": 201,
    "b_write": 201,
    "viewer": 403,
    "editor": 201,
}

RESOURCES = {
    "actors": Actor,
    "sources": Source,
    "incidents": Incident,
    "detainee-groups": DetaineeGroup,
    "figures": Figure,
    "allegations": Allegation,
    "citations": Citation,
}
MODEL_RESOURCE = {model: name for name, model in RESOURCES.items()}


def camel(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("_"))


@dataclass
class World:
    partners: dict = field(default_factory=dict)
    token_secrets: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)  # resource -> key -> record
    by_key: dict = field(default_factory=dict)  # key -> resource -> record
    linked: dict = field(default_factory=dict)  # (role, key) -> record
    listing: list = field(default_factory=list)  # (resource, uuid, key or None)
    secrets: dict = field(default_factory=dict)  # key -> set of strings
    base_incident: Incident | None = None
    base_source: Source | None = None
    linker_incident: Incident | None = None

    def add(self, record, key=None, marker=None):
        """Register a record; ``key`` is the key its readability follows (None: everyone)."""
        self.listing.append((MODEL_RESOURCE[type(record)], str(record.uuid), key))
        if key is not None:
            self.secrets.setdefault(key, set()).add(str(record.uuid))
            if marker:
                self.secrets[key].add(marker)
        return record

    def expected_ids(self, principal: str, resource: str) -> set[str]:
        return {
            uid
            for name, uid, key in self.listing
            if name == resource and (key is None or key in SEES[principal])
        }

    def visible_records(self, principal: str, resource: str) -> list[str]:
        return sorted(self.expected_ids(principal, resource))

    def hidden_secrets(self, principal: str) -> set[str]:
        return {s for key in KEYS if key not in SEES[principal] for s in self.secrets[key]}


def key_attrs(key: str, partners: dict) -> dict:
    owner = partners["A"] if key.startswith("a_") else None
    visibility = {
        "a_public": Visibility.PUBLIC,
        "a_partners": Visibility.PARTNERS,
        "a_restricted": Visibility.RESTRICTED,
        "a_deleted": Visibility.PUBLIC,
        "staff_public": Visibility.PUBLIC,
        "staff_restricted": Visibility.RESTRICTED,
    }[key]
    deleted_at = timezone.now() if key == "a_deleted" else None
    return {"visibility": visibility, "owner": owner, "deleted_at": deleted_at}


def build_world() -> World:
    world = World()
    for name in ("A", "B"):
        world.partners[name] = Partner.objects.create(name=f"Partner {name}")
    for principal, (partner, scope) in TOKEN_PRINCIPALS.items():
        _, secret = ApiToken.issue(partner=world.partners[partner], scope=scope)
        world.token_secrets[principal] = secret
    for role in STAFF_PRINCIPALS:
        user = get_user_model().objects.create_user(f"staff-{role}", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        world.users[role] = user

    base = world.base_incident = world.add(IncidentFactory(title="Base incident"))
    world.base_source = world.add(SourceFactory(title="Base source", issuer=None, text=""))
    world.linker_incident = world.add(IncidentFactory(title="Linker incident"))

    for key in KEYS:
        attrs = key_attrs(key, world.partners)
        k = camel(key)
        records = {}

        def keyed(factory, marker, _key=key, _attrs=attrs, **fields):
            return world.add(factory(**_attrs, **fields), _key, marker)

        records["actors"] = keyed(ActorFactory, f"MarkerActor{k}", name=f"MarkerActor{k}")
        records["sources"] = keyed(
            SourceFactory,
            f"MarkerSource{k}",
            title=f"MarkerSource{k}",
            issuer=None,
            text=f"MarkerSourceText{k} counted forty detentions.",
        )
        records["incidents"] = keyed(
            IncidentFactory, f"MarkerIncident{k}", title=f"MarkerIncident{k}"
        )
        records["detainee-groups"] = keyed(
            DetaineeGroupFactory, f"MarkerGroup{k}", incident=base, label=f"MarkerGroup{k}"
        )
        records["figures"] = keyed(
            FigureFactory, f"MarkerFigure{k}", incident=base, value=40, note=f"MarkerFigure{k}"
        )
        keyed(  # the figure's asserting citation, from the keyed source
            CitationFactory,
            f"MarkerFigureCitation{k}",
            source=records["sources"],
            figure=records["figures"],
            quote=f"MarkerSourceText{k} counted",
            note=f"MarkerFigureCitation{k}",
        )
        records["allegations"] = keyed(
            AllegationFactory, f"MarkerAllegation{k}", incident=base, summary=f"MarkerAllegation{k}"
        )
        records["citations"] = keyed(
            CitationFactory,
            f"MarkerCitation{k}",
            source=world.base_source,
            figure=None,
            incident=base,
            stance=Stance.CORROBORATES,
            quote=f"MarkerCitation{k}",
        )
        world.by_key[key] = records
        for resource, record in records.items():
            world.records.setdefault(resource, {})[key] = record

        # Citations of the other keyed records, as hidden as what they support.
        keyed(
            CitationFactory,
            f"MarkerGroupCitation{k}",
            source=world.base_source,
            figure=None,
            group=records["detainee-groups"],
            quote=f"MarkerGroupCitation{k}",
        )
        keyed(
            CitationFactory,
            f"MarkerAllegationCitation{k}",
            source=world.base_source,
            figure=None,
            allegation=records["allegations"],
            quote=f"MarkerAllegationCitation{k}",
        )
        keyed(
            CitationFactory,
            f"MarkerIncidentCitation{k}",
            source=world.base_source,
            figure=None,
            incident=records["incidents"],
            quote=f"MarkerIncidentCitation{k}",
        )

        # Public records inside the keyed incident: hidden with it (container rule).
        public = {"visibility": Visibility.PUBLIC}
        inner = records["incidents"]
        world.linked["inner_group", key] = world.add(
            DetaineeGroupFactory(incident=inner, label=f"MarkerInnerGroup{k}", **public),
            key,
            f"MarkerInnerGroup{k}",
        )
        inner_figure = world.linked["inner_figure", key] = world.add(
            FigureFactory(incident=inner, value=12, note=f"MarkerInnerFigure{k}", **public),
            key,
            f"MarkerInnerFigure{k}",
        )
        keyed(
            CitationFactory,
            f"MarkerInnerFigureCitation{k}",
            source=world.base_source,
            figure=inner_figure,
            quote=f"MarkerInnerFigureCitation{k}",
        )
        world.linked["inner_allegation", key] = world.add(
            AllegationFactory(incident=inner, summary=f"MarkerInnerAllegation{k}", **public),
            key,
            f"MarkerInnerAllegation{k}",
        )
        # A public figure of the keyed group, and a public allegation against it.
        group_figure = world.linked["group_figure", key] = world.add(
            FigureFactory(
                incident=base,
                group=records["detainee-groups"],
                value=40,
                note=f"MarkerGroupFigure{k}",
                **public,
            ),
            key,
            f"MarkerGroupFigure{k}",
        )
        keyed(
            CitationFactory,
            f"MarkerGroupFigureCitation{k}",
            source=world.base_source,
            figure=group_figure,
            quote=f"MarkerGroupFigureCitation{k}",
        )
        world.linked["victim_allegation", key] = world.add(
            AllegationFactory(
                incident=base,
                victim_group=records["detainee-groups"],
                summary=f"MarkerVictimAllegation{k}",
                **public,
            ),
            key,
            f"MarkerVictimAllegation{k}",
        )
        # A public citation of the keyed source: hidden with its source.
        world.linked["source_citation", key] = world.add(
            CitationFactory(
                source=records["sources"],
                figure=None,
                incident=base,
                stance=Stance.CORROBORATES,
                quote=f"MarkerSourceText{k} counted forty",
                note=f"MarkerSourceCitation{k}",
                **public,
            ),
            key,
            f"MarkerSourceCitation{k}",
        )

        # Public records of partner A linking to the keyed ones through optional links:
        # readable by everyone, the link shown as null when the linked record is hidden.
        # Each is created unlinked and then linked, so that its history holds the change.
        owned = {"owner": world.partners["A"]}
        linkers = {
            "linker_actor": ActorFactory(name=f"Linker actor {key}", kind="person", **owned),
            "linker_source": SourceFactory(
                title=f"Linker source {key}", issuer=None, text="", **owned
            ),
            "linker_incident": IncidentFactory(title=f"Linker incident {key}", **owned),
            "linker_allegation": AllegationFactory(incident=base, summary=f"Linker {key}", **owned),
        }
        links = {
            "linker_actor": {"parent": records["actors"]},
            "linker_source": {"issuer": records["actors"], "reported_in": records["sources"]},
            "linker_incident": {"parent": records["incidents"]},
            "linker_allegation": {"perpetrator": records["actors"]},
        }
        for role, record in linkers.items():
            for name, value in links[role].items():
                setattr(record, name, value)
            record.save()
            world.linked[role, key] = world.add(record)
        # A public figure reported by the linker source (issued by the keyed actor).
        linker_figure = world.linked["linker_figure", key] = world.add(
            FigureFactory(incident=world.linker_incident, value=7)
        )
        world.add(
            CitationFactory(
                source=linkers["linker_source"], figure=linker_figure, quote="seven detained"
            )
        )
    for resource, model in RESOURCES.items():
        registered = [uid for name, uid, _ in world.listing if name == resource]
        assert model.objects.count() == len(registered), f"unregistered {resource}"
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, created once; each test's own transaction is a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def headers_for(client, world: World, principal: str) -> dict:
    """Log the client in (staff) or return the token header (partners)."""
    if principal in STAFF_PRINCIPALS:
        client.force_login(world.users[principal])
    if principal in TOKEN_PRINCIPALS:
        return {"HTTP_AUTHORIZATION": f"Bearer {world.token_secrets[principal]}"}
    return {}


def get(client, headers, path, params=None):
    return client.get(path, params or {}, **headers)


def assert_nothing_hidden(response, world: World, principal: str):
    body = response.content.decode()
    leaked = sorted(secret for secret in world.hidden_secrets(principal) if secret in body)
    assert not leaked, f"{response.request['PATH_INFO']} shows {principal} hidden {leaked}"


def assert_not_found(response):
    assert response.status_code == 404, response.content
    assert response.json()["errors"][0]["code"] == "not_found"


# --- reads ------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_list_shows_exactly_the_records_in_scope(client, world, principal, resource):
    headers = headers_for(client, world, principal)
    response = get(client, headers, f"/api/v1/{resource}/", {"page_size": 500})
    assert response.status_code == 200, response.content
    body = response.json()
    expected = world.expected_ids(principal, resource)
    assert {row["id"] for row in body["results"]} == expected
    assert body["count"] == len(expected)
    assert_nothing_hidden(response, world, principal)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("endpoint", ["detail", "history"])
@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_record_is_readable_only_in_scope(client, world, principal, resource, endpoint, key):
    headers = headers_for(client, world, principal)
    record = world.records[resource][key]
    path = f"/api/v1/{resource}/{record.uuid}/"
    response = get(client, headers, path if endpoint == "detail" else f"{path}history/")
    if key in SEES[principal]:
        assert response.status_code == 200, response.content
        assert_nothing_hidden(response, world, principal)
    else:
        assert_not_found(response)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_timeline_of_an_incident_is_readable_only_in_scope(client, world, principal, key):
    headers = headers_for(client, world, principal)
    incident = world.records["incidents"][key]
    response = get(client, headers, f"/api/v1/incidents/{incident.uuid}/timeline/")
    if key in SEES[principal]:
        assert response.status_code == 200, response.content
        assert_nothing_hidden(response, world, principal)
    else:
        assert_not_found(response)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_chart_of_an_incident_is_readable_only_in_scope(client, world, principal, key):
    headers = headers_for(client, world, principal)
    incident = world.records["incidents"][key]
    response = get(client, headers, f"/api/v1/incidents/{incident.uuid}/chart/")
    if key in SEES[principal]:
        assert response.status_code == 200, response.content
        assert_nothing_hidden(response, world, principal)
        assert f"MarkerIncident{camel(key)}" in response.content.decode()
    else:
        assert_not_found(response)


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_no_readable_record_shows_a_hidden_one(client, world, principal, resource):
    """Details embed citations, sources, issuers, parents, groups and contest reasons."""
    headers = headers_for(client, world, principal)
    for uid in world.visible_records(principal, resource):
        response = get(client, headers, f"/api/v1/{resource}/{uid}/")
        assert response.status_code == 200, (uid, response.content)
        assert_nothing_hidden(response, world, principal)


# History shows old and new values to the owning partner and to editors, with links
# resolved to public ids. The linkers (owned by partner A, changed once to point at each
# keyed record) check that a link to a record the reader may not see is not resolved.
@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_no_readable_history_shows_a_hidden_record(client, world, principal, resource):
    headers = headers_for(client, world, principal)
    for uid in world.visible_records(principal, resource):
        response = get(client, headers, f"/api/v1/{resource}/{uid}/history/")
        assert response.status_code == 200, (uid, response.content)
        assert_nothing_hidden(response, world, principal)


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_optional_links_to_hidden_records_read_as_null(client, world, principal):
    headers = headers_for(client, world, principal)
    for key in KEYS:
        shown = key in SEES[principal]
        records = world.by_key[key]
        actor = get(client, headers, f"/api/v1/actors/{world.linked['linker_actor', key].uuid}/")
        source = get(client, headers, f"/api/v1/sources/{world.linked['linker_source', key].uuid}/")
        incident = get(
            client, headers, f"/api/v1/incidents/{world.linked['linker_incident', key].uuid}/"
        )
        allegation = get(
            client, headers, f"/api/v1/allegations/{world.linked['linker_allegation', key].uuid}/"
        )
        links = {
            "actor.parent": actor.json()["parent"],
            "source.issuer": source.json()["issuer"],
            "source.reported_in": source.json()["reported_in"],
            "incident.parent": incident.json()["parent"],
            "allegation.perpetrator": allegation.json()["perpetrator"],
        }
        expected = {
            "actor.parent": str(records["actors"].uuid),
            "source.issuer": str(records["actors"].uuid),
            "source.reported_in": str(records["sources"].uuid),
            "incident.parent": str(records["incidents"].uuid),
            "allegation.perpetrator": str(records["actors"].uuid),
        }
        assert {name: (link or {}).get("id") for name, link in links.items()} == {
            name: (uid if shown else None) for name, uid in expected.items()
        }, key


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_latest_figures_hold_only_figures_in_scope(client, world, principal):
    headers = headers_for(client, world, principal)
    response = get(client, headers, "/api/v1/figures/latest/", {"page_size": 500})
    assert response.status_code == 200, response.content
    # Every figure here has its own incident, group, measure and reporter slot.
    expected = world.expected_ids(principal, "figures")
    assert {row["id"] for row in response.json()["results"]} == expected
    assert response.json()["count"] == len(expected)
    assert_nothing_hidden(response, world, principal)


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_timelines_of_shared_incidents_hold_nothing_hidden(client, world, principal):
    headers = headers_for(client, world, principal)
    for incident in (world.base_incident, world.linker_incident):
        response = get(client, headers, f"/api/v1/incidents/{incident.uuid}/timeline/")
        assert response.status_code == 200, response.content
        assert_nothing_hidden(response, world, principal)
        points = {p["id"] for s in response.json()["series"] for p in s["points"]}
        assert points <= world.expected_ids(principal, "figures")


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_charts_of_shared_incidents_hold_nothing_hidden(client, world, principal):
    """The chart names reporters (sources, issuers) and groups: only those in scope."""
    headers = headers_for(client, world, principal)
    for incident in (world.base_incident, world.linker_incident):
        response = get(client, headers, f"/api/v1/incidents/{incident.uuid}/chart/")
        assert response.status_code == 200, response.content
        assert_nothing_hidden(response, world, principal)
    base = get(client, headers, f"/api/v1/incidents/{world.base_incident.uuid}/chart/")
    for key in SEES[principal]:
        assert f"MarkerSource{camel(key)}" in base.content.decode(), key


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_embedded_citations_of_the_shared_incident_are_those_in_scope(client, world, principal):
    headers = headers_for(client, world, principal)
    response = get(client, headers, f"/api/v1/incidents/{world.base_incident.uuid}/")
    embedded = {c["id"] for c in response.json()["citations"]}
    expected = {
        str(c.uuid)
        for c in Citation.objects.filter(incident=world.base_incident)
        if str(c.uuid) in world.expected_ids(principal, "citations")
    }
    assert embedded == expected
    assert_nothing_hidden(response, world, principal)


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_search_counts_only_quotes_in_scope(client, world, principal):
    """The shared incident matches the words of a citation only when the citation is readable."""
    headers = headers_for(client, world, principal)
    for key in KEYS:
        params = {"q": f"MarkerCitation{camel(key)}"}
        response = get(client, headers, "/api/v1/incidents/", params)
        assert response.json()["count"] == (1 if key in SEES[principal] else 0), key


# Filters on linked records: (list, parameter, resource of the linked record, matches when
# the linked record is readable). A hidden id must answer exactly like an unknown one.
UUID_FILTERS = [
    ("actors", "parent", "actors", 1),
    ("sources", "issuer", "actors", 1),
    ("incidents", "parent", "incidents", 1),
    ("detainee-groups", "incident", "incidents", 1),
    ("figures", "incident", "incidents", 1),
    ("figures", "group", "detainee-groups", 1),
    ("figures", "source", "sources", 1),
    ("figures", "issuer", "actors", 1),
    ("figures/latest", "incident", "incidents", 1),
    ("figures/latest", "group", "detainee-groups", 1),
    ("figures/latest", "source", "sources", 1),
    ("figures/latest", "issuer", "actors", 1),
    ("allegations", "incident", "incidents", 1),
    ("allegations", "victim_group", "detainee-groups", 1),
    ("allegations", "perpetrator", "actors", 1),
    ("citations", "source", "sources", 2),
    ("citations", "incident", "incidents", 1),
    ("citations", "group", "detainee-groups", 1),
    ("citations", "figure", "figures", 1),
    ("citations", "allegation", "allegations", 1),
]


@pytest.mark.parametrize(
    ("endpoint", "parameter", "linked", "matches"),
    UUID_FILTERS,
    ids=[f"{endpoint}?{parameter}" for endpoint, parameter, _, _ in UUID_FILTERS],
)
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_filtering_by_a_hidden_id_answers_like_an_unknown_id(
    client, world, principal, endpoint, parameter, linked, matches
):
    headers = headers_for(client, world, principal)
    path = f"/api/v1/{endpoint}/"
    unknown = get(client, headers, path, {parameter: str(uuid.uuid4())})
    assert unknown.status_code == 200
    assert unknown.json() == {"count": 0, "next": None, "previous": None, "results": []}
    shown = str(world.records[linked]["a_public"].uuid)
    alone = get(client, headers, path, {parameter: shown})
    assert alone.json()["count"] == matches
    for key in KEYS:
        uid = str(world.records[linked][key].uuid)
        response = get(client, headers, path, {parameter: uid})
        assert response.status_code == 200, (key, response.content)
        if key in SEES[principal]:
            assert response.json()["count"] == matches, key
        else:
            assert response.json() == unknown.json(), key
            # Among several ids, a hidden one changes nothing.
            both = get(client, headers, path, {parameter: f"{uid},{shown}"})
            assert both.json() == alone.json(), key


@pytest.mark.parametrize("parameter", ["group", "source", "issuer", "incident"])
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_timeline_filtered_by_a_hidden_id_answers_like_an_unknown_id(
    client, world, principal, parameter
):
    linked = {"group": "detainee-groups", "source": "sources", "issuer": "actors"}
    headers = headers_for(client, world, principal)
    path = f"/api/v1/incidents/{world.base_incident.uuid}/timeline/"
    unknown = get(client, headers, path, {parameter: str(uuid.uuid4())})
    assert unknown.status_code == 200
    for key in KEYS:
        if key in SEES[principal]:
            continue
        record = world.records[linked.get(parameter, "incidents")][key]
        response = get(client, headers, path, {parameter: str(record.uuid)})
        assert response.json() == unknown.json(), key


@pytest.mark.parametrize("parameter", ["group", "source", "issuer"])
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_chart_filtered_by_a_hidden_id_answers_like_an_unknown_id(
    client, world, principal, parameter
):
    """The chart is the same bytes for the same data, so the two answers compare exactly."""
    linked = {"group": "detainee-groups", "source": "sources", "issuer": "actors"}[parameter]
    headers = headers_for(client, world, principal)
    path = f"/api/v1/incidents/{world.base_incident.uuid}/chart/"
    unknown = get(client, headers, path, {parameter: str(uuid.uuid4())})
    assert unknown.status_code == 200
    for key in KEYS:
        if key in SEES[principal]:
            continue
        record = world.records[linked][key]
        response = get(client, headers, path, {parameter: str(record.uuid)})
        assert response.content == unknown.content, key


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_terms_are_readable_by_everyone(client, world, principal):
    headers = headers_for(client, world, principal)
    response = get(client, headers, "/api/v1/terms/")
    assert response.status_code == 200
    assert response.json()["count"] == Term.objects.count()


# --- writes -----------------------------------------------------------------------------


def create_body(resource: str, world: World) -> dict:
    base, source = str(world.base_incident.uuid), str(world.base_source.uuid)
    return {
        "actors": {"name": "Matrix new actor", "kind": "ngo"},
        "sources": {"kind": "ngo_report", "title": "Matrix new report"},
        "incidents": {"title": "Matrix new incident", "kind": "arrest", "country": "VE"},
        "detainee-groups": {"incident": base, "label": "Matrix new group"},
        "figures": {
            "incident": base,
            "measure": "released",
            "value": 3,
            "qualifier": "exact",
            "as_of": "2024-12-01",
            "citations": [{"source": source, "quote": "three were released"}],
        },
        "allegations": {"incident": base, "violation_type": "torture"},
        "citations": {
            "source": source,
            "quote": "new words",
            "stance": "corroborates",
            "incident": base,
        },
    }[resource]


def replace_body(resource: str, record, world: World) -> dict:
    base = str(world.base_incident.uuid)
    return {
        "actors": lambda: {"name": record.name, "kind": record.kind, "description": "put"},
        "sources": lambda: {"kind": record.kind, "title": record.title, "language": "es"},
        "incidents": lambda: {"title": record.title, "kind": "arrest", "country": "VE"},
        "detainee-groups": lambda: {"incident": base, "label": record.label, "charges": "put"},
        "figures": lambda: {
            "incident": base,
            "measure": "detained",
            "value": 41,
            "qualifier": "at_least",
            "as_of": "2024-11-15",
        },
        "allegations": lambda: {"incident": base, "violation_type": "torture", "status": "denied"},
        "citations": lambda: {
            "source": str(record.source.uuid),
            "quote": record.quote,
            "stance": record.stance,
            "note": "put",
        },
    }[resource]()


PATCH_BODIES = {
    "actors": {"description": "patched"},
    "sources": {"language": "es"},
    "incidents": {"summary": "patched"},
    "detainee-groups": {"description": "patched"},
    "figures": {"note": "patched"},
    "allegations": {"summary": "patched"},
    "citations": {"note": "patched"},
}


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_create_needs_a_write_token_or_an_editor(client, world, principal, resource):
    headers = headers_for(client, world, principal)
    model = RESOURCES[resource]
    before = model.objects.count()
    response = client.post(
        f"/api/v1/{resource}/",
        create_body(resource, world),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == CREATE_STATUS[principal], response.content
    assert model.objects.count() == before + (1 if response.status_code == 201 else 0)
    if response.status_code == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_change_needs_the_right_to_change_that_record(
    client, world, principal, resource, method, key
):
    headers = headers_for(client, world, principal)
    record = world.records[resource][key]
    path = f"/api/v1/{resource}/{record.uuid}/"
    if method == "DELETE":
        response = client.delete(path, **headers)
    else:
        body = replace_body(resource, record, world) if method == "PUT" else PATCH_BODIES[resource]
        send = client.put if method == "PUT" else client.patch
        response = send(path, body, content_type="application/json", **headers)
    expected = CHANGE_STATUS[principal][KEYS.index(key)]
    if method == "DELETE" and expected == 200:
        expected = 204
    assert response.status_code == expected, response.content
    stored = type(record).objects.get(pk=record.pk)
    if expected in (200, 204):
        assert stored.version == record.version + 1
    else:
        assert (stored.version, stored.deleted_at) == (record.version, record.deleted_at)
        assert_nothing_hidden(response, world, principal)
    if expected == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("principal", PRINCIPALS)
def test_vocabulary_cannot_be_written_through_the_api(client, world, principal, method):
    headers = headers_for(client, world, principal)
    term = Term.objects.get(vocabulary="violation", code="torture")
    path = "/api/v1/terms/" if method == "POST" else f"/api/v1/terms/{term.uuid}/"
    send = {"POST": client.post, "PUT": client.put, "PATCH": client.patch}.get(method)
    if send is None:
        response = client.delete(path, **headers)
    else:
        response = send(path, {"label": "changed"}, content_type="application/json", **headers)
    assert response.status_code == 405, response.content
    assert Term.objects.get(pk=term.pk).label == term.label


# --- tokens -----------------------------------------------------------------------------


@pytest.fixture
def partner():
    return Partner.objects.create(name="Token test partner")


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def assert_unauthenticated(response):
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["errors"][0]["code"] == "authentication_failed"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_expired_token_is_refused(client, partner, method):
    past = timezone.now() - datetime.timedelta(seconds=1)
    _, secret = ApiToken.issue(partner=partner, scope="write", expires_at=past)
    send = client.get if method == "GET" else client.post
    assert_unauthenticated(send("/api/v1/actors/", **bearer(secret)))


def test_token_that_has_not_expired_yet_is_accepted(client, partner):
    future = timezone.now() + datetime.timedelta(hours=1)
    _, secret = ApiToken.issue(partner=partner, scope="read", expires_at=future)
    assert client.get("/api/v1/actors/", **bearer(secret)).status_code == 200


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_revoked_token_is_refused(client, partner, method):
    token, secret = ApiToken.issue(partner=partner, scope="write")
    token.revoked_at = timezone.now()
    token.save()
    send = client.get if method == "GET" else client.post
    assert_unauthenticated(send("/api/v1/actors/", **bearer(secret)))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_token_of_an_inactive_partner_is_refused(client, partner, method):
    _, secret = ApiToken.issue(partner=partner, scope="write")
    partner.is_active = False
    partner.save()
    send = client.get if method == "GET" else client.post
    assert_unauthenticated(send("/api/v1/actors/", **bearer(secret)))


MALFORMED = {
    "no token": "Bearer",
    "two words": "Bearer irt_abcd1234_x extra",
    "not a token": "Bearer not-a-token",
    "unknown prefix": "Bearer irt_00000000_" + "x" * 43,
    "known prefix, wrong secret": None,  # built from a real token
    "not ascii": "Bearer irt_é",
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_or_wrong_token_is_refused_not_treated_as_anonymous(client, partner, case):
    header = MALFORMED[case]
    if header is None:
        token, _ = ApiToken.issue(partner=partner, scope="read")
        header = f"Bearer irt_{token.prefix}_" + "x" * 43
    assert_unauthenticated(client.get("/api/v1/actors/", HTTP_AUTHORIZATION=header))


def test_using_a_token_records_when_it_was_last_used(client, partner):
    token, secret = ApiToken.issue(partner=partner, scope="read")
    assert token.last_used_at is None
    before = timezone.now()
    assert client.get("/api/v1/actors/", **bearer(secret)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert before <= token.last_used_at <= timezone.now()


def test_a_refused_token_is_not_marked_as_used(client, partner):
    token, secret = ApiToken.issue(partner=partner, scope="read")
    token.revoked_at = timezone.now()
    token.save()
    client.get("/api/v1/actors/", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is None


# --- citations of hidden records ---------------------------------------------------------


def restricted_target(kind: str):
    restricted = {"visibility": Visibility.RESTRICTED}
    return {
        "incident": lambda: IncidentFactory(**restricted),
        "group": lambda: DetaineeGroupFactory(**restricted),
        "figure": lambda: FigureFactory(**restricted),
        "allegation": lambda: AllegationFactory(**restricted),
    }[kind]()


@pytest.mark.parametrize("kind", ["incident", "group", "figure", "allegation"])
def test_a_public_citation_of_a_restricted_record_is_hidden_with_it(client, kind):
    target = restricted_target(kind)
    targets = {"figure": None, kind: target}
    citation = CitationFactory(**targets, stance=Stance.CORROBORATES, quote="MarkerLeakedQuote")
    listed = client.get("/api/v1/citations/", {"page_size": 500}).content.decode()
    assert str(citation.uuid) not in listed
    assert str(target.uuid) not in listed
    assert "MarkerLeakedQuote" not in listed
    assert_not_found(client.get(f"/api/v1/citations/{citation.uuid}/"))


@pytest.fixture
def writer(partner):
    _, secret = ApiToken.issue(partner=partner, scope="write")
    return bearer(secret)


def create_public_figure(client, writer) -> dict:
    source = SourceFactory()
    response = client.post(
        "/api/v1/figures/",
        {
            "incident": str(IncidentFactory().uuid),
            "measure": "detained",
            "value": 40,
            "qualifier": "at_least",
            "as_of": "2024-11-15",
            "visibility": "public",
            "citations": [{"source": str(source.uuid), "quote": "at least 40 detentions"}],
        },
        content_type="application/json",
        **writer,
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_restricting_a_figure_hides_its_citation_from_the_public(client, writer):
    figure = create_public_figure(client, writer)
    response = client.patch(
        f"/api/v1/figures/{figure['id']}/",
        {"visibility": "restricted"},
        content_type="application/json",
        **writer,
    )
    assert response.status_code == 200
    anonymous = client.get("/api/v1/citations/", {"page_size": 500}).content.decode()
    assert figure["id"] not in anonymous
    assert figure["citations"][0]["id"] not in anonymous


def test_deleting_a_figure_takes_its_citation_out_of_the_api(client, writer):
    figure = create_public_figure(client, writer)
    assert client.delete(f"/api/v1/figures/{figure['id']}/", **writer).status_code == 204
    anonymous = client.get("/api/v1/citations/", {"page_size": 500}).content.decode()
    assert figure["id"] not in anonymous
    assert figure["citations"][0]["id"] not in anonymous
