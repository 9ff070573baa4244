"""The contest state kept by the write path equals the rule at query time, for every audience.

Random interleavings of writes by several principals (staff who publish, a trusted
partner, an untrusted one), through the services and the bulk upsert: figures
created, changed, moved between series, hidden, deleted and restored; objections
added, hidden and withdrawn; sources, issuers, incidents and groups hidden and shown.
After each write the kept rows of each audience must equal the reasons the rule
gives at query time (its Python form) and the contested figures its SQL form
finds; partners must get the rule's answer whichever way they are served; and a
rebuild from scratch must find nothing to change.
"""

import contextlib
import datetime
import random
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError

from incidents.access import Principal, visible
from incidents.choices import Measure, Qualifier, Stance, Visibility
from incidents.models import (
    ApiToken,
    Citation,
    ContestAudience,
    ContestReasonKind,
    Figure,
    FigureContest,
    Partner,
)
from incidents.reads import queries
from incidents.reads.contested import (
    attach_contest_reasons,
    attach_contest_reasons_by_rule,
    contested_condition,
    contested_q,
    state_audience,
    with_reporter,
)
from incidents.writes import bulk, contest, services
from incidents.writes.services import CitationData, UpsertItem
from tests.factories import ActorFactory, DetaineeGroupFactory, IncidentFactory, SourceFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 11, 15)
QUOTE = "documented at least 40 detentions"
# Public twice: hiding is easy (any one container hides a figure), so it is drawn less.
VISIBILITIES = (Visibility.PUBLIC, Visibility.PUBLIC, Visibility.PARTNERS, Visibility.RESTRICTED)
FAILURES = (
    ValidationError,
    services.Invalid,
    services.Conflict,
    services.StaleVersion,
    PermissionDenied,
    IntegrityError,
)


def request_of(*, user=None, token=None):
    """A request as ``access.principal_of`` reads one; a new one for every question."""
    return SimpleNamespace(user=user or AnonymousUser(), auth=token)


def reason_keys(figures) -> set[tuple]:
    """(figure, reason, objecting citation or other figure) of each reason shown."""
    keys = set()
    for figure in figures:
        for reason in figure.contest_reasons:
            other = reason.citation.pk if reason.citation is not None else reason.figure.pk
            keys.add((figure.pk, reason.reason, other))
    return keys


def rule_reasons(request) -> set[tuple]:
    figures = list(queries.figures(request))
    attach_contest_reasons_by_rule(figures, request)
    return reason_keys(figures)


def served_reasons(request) -> set[tuple]:
    figures = list(queries.figures(request))
    attach_contest_reasons(figures, request)
    return reason_keys(figures)


def rule_contested(request) -> set[int]:
    figures = with_reporter(visible(Figure.objects.all(), request), request)
    return set(figures.filter(contested_q(request)).values_list("pk", flat=True))


def served_contested(request) -> set[int]:
    figures, condition = contested_condition(visible(Figure.objects.all(), request), request)
    return set(figures.filter(condition).values_list("pk", flat=True))


def kept_reasons(audience) -> set[tuple]:
    keys = set()
    rows = FigureContest.objects.filter(audience=audience).values_list(
        "figure_id", "reason", "citation_id", "citation__figure_id"
    )
    for figure, reason, citation, other in rows:
        keys.add(
            (figure, reason, other if reason == ContestReasonKind.DIFFERENT_VALUE else citation)
        )
    return keys


class World:
    """Records and principals the random writes pick from."""

    def __init__(self, rng: random.Random, django_user_model):
        self.rng = rng
        self.reviewer = django_user_model.objects.create_user("reviewer-x", is_staff=True)
        self.reviewer.groups.add(Group.objects.get(name="reviewer"))
        self.viewer = django_user_model.objects.create_user("viewer-x", is_staff=True)
        self.viewer.groups.add(Group.objects.get(name="viewer"))
        self.partners = [
            Partner.objects.create(name="Trusted", trusted_publisher=True),
            Partner.objects.create(name="Untrusted", trusted_publisher=False),
            Partner.objects.create(name="Reader", trusted_publisher=True),
        ]
        self.tokens = [ApiToken.issue(partner=p, scope="write")[0] for p in self.partners]
        self.principals = [
            Principal(user=self.reviewer),
            Principal(token=self.tokens[0]),
            Principal(token=self.tokens[1]),
        ]
        self.incidents = [IncidentFactory(), IncidentFactory()]
        self.groups = [None, DetaineeGroupFactory(incident=self.incidents[0])]
        self.actors = [ActorFactory() for _ in range(3)]
        self.sources = [SourceFactory(issuer=rng.choice(self.actors)) for _ in range(4)]
        self.sources.append(SourceFactory(issuer=None))
        self.external = 0

    def principal(self):
        # The untrusted partner less often: whatever it touches drops to partners-only.
        staff, trusted, untrusted = self.principals
        return self.rng.choice([staff, staff, trusted, trusted, untrusted])

    def figure_fields(self):
        rng = self.rng
        # Mostly one series or two, so that figures meet within the window.
        incident = self.incidents[0] if rng.random() < 0.8 else self.incidents[1]
        group = rng.choice([None, None, self.groups[1]]) if incident == self.incidents[0] else None
        value = rng.choice([None, 10, 10, 12, 40])
        return {
            "incident": incident,
            "group": group,
            "measure": Measure.DETAINED if rng.random() < 0.8 else Measure.RELEASED,
            "value": value,
            "qualifier": Qualifier.UNSPECIFIED if value is None else Qualifier.EXACT,
            "as_of": DAY + datetime.timedelta(days=rng.randrange(0, 24)),
            "visibility": rng.choice(VISIBILITIES),
        }

    def citation(self, stance=Stance.ASSERTS):
        return CitationData(
            source=self.rng.choice(self.sources),
            quote=QUOTE,
            stance=stance,
            visibility=self.rng.choice((None, None, *VISIBILITIES)),
        )

    def figures(self):
        return list(Figure._base_manager.order_by("pk"))

    def objections(self):
        return list(
            Citation._base_manager.filter(
                figure__isnull=False, stance__in=(Stance.DENIES, Stance.DISPUTES)
            ).order_by("pk")
        )

    # The writes: each picks its records and principal, and may be refused.

    def create_figure(self):
        services.record_create(
            model=Figure,
            fields=self.figure_fields(),
            principal=self.principal(),
            citations=[self.citation()],
        )

    def upsert_figures(self):
        items = []
        for _ in range(self.rng.randrange(1, 5)):
            self.external += 1
            items.append(
                UpsertItem(
                    external_id=f"row-{self.rng.randrange(self.external)}",
                    fields=self.figure_fields(),
                    citations=[self.citation()],
                )
            )
        # Distinct external ids: a batch names each record once.
        items = list({item.external_id: item for item in items}.values())
        principal = self.rng.choice(self.principals[1:])
        bulk.record_upsert_many(model=Figure, items=items, principal=principal)

    def change_figure(self):
        figures = self.figures()
        if not figures:
            return
        figure = self.rng.choice(figures)
        fields = self.figure_fields()
        chosen = self.rng.sample(sorted(fields), self.rng.randrange(1, 4))
        if "incident" in chosen or "group" in chosen:
            chosen += ["incident", "group"]
        if "value" in chosen:
            chosen.append("qualifier")
        services.record_update(
            record=figure,
            fields={name: fields[name] for name in set(chosen)},
            principal=self.principal(),
        )

    def delete_or_restore_figure(self):
        figures = self.figures()
        if not figures:
            return
        figure = self.rng.choice(figures)
        if figure.deleted_at is None:
            services.record_delete(record=figure, principal=self.principal())
        else:
            services.record_restore(record=figure)

    def object(self):
        figures = self.figures()
        if not figures:
            return
        data = self.citation(stance=self.rng.choice((Stance.DENIES, Stance.DISPUTES)))
        fields = {
            "figure": self.rng.choice(figures),
            "source": data.source,
            "quote": data.quote,
            "stance": data.stance,
        }
        if data.visibility:
            fields["visibility"] = data.visibility
        services.record_create(model=Citation, fields=fields, principal=self.principal())

    def change_objection(self):
        objections = self.objections()
        if not objections:
            return
        citation = self.rng.choice(objections)
        if citation.deleted_at is not None:
            services.record_restore(record=citation)
        elif self.rng.random() < 0.5:
            services.record_delete(record=citation, principal=self.principal())
        else:
            services.record_update(
                record=citation,
                fields={"visibility": self.rng.choice(VISIBILITIES)},
                principal=self.principal(),
            )

    def change_asserting_citation(self):
        asserting = list(
            Citation._base_manager.filter(
                figure__isnull=False, stance=Stance.ASSERTS, deleted_at__isnull=True
            ).order_by("pk")
        )
        if not asserting:
            return
        citation = self.rng.choice(asserting)
        fields = self.rng.choice(
            [
                {"visibility": self.rng.choice(VISIBILITIES)},
                {"source": self.rng.choice(self.sources)},
            ]
        )
        services.record_update(record=citation, fields=fields, principal=self.principal())

    def change_container(self):
        rng = self.rng
        kind = rng.choice(["source", "actor", "incident", "group", "issuer"])
        if kind == "issuer":
            record = rng.choice(self.sources)
            fields = {"issuer": rng.choice([None, *self.actors])}
        else:
            pool = {
                "source": self.sources,
                "actor": self.actors,
                "incident": self.incidents,
                "group": self.groups[1:],
            }[kind]
            record = rng.choice(pool)
            record.refresh_from_db()
            if rng.random() < 0.2:
                if record.deleted_at is None:
                    services.record_delete(record=record, principal=self.principals[0])
                else:
                    services.record_restore(record=record)
                return
            # Shown again as often as hidden: one hidden container hides a whole series.
            shown = rng.random() < 0.5
            fields = {"visibility": Visibility.PUBLIC if shown else rng.choice(VISIBILITIES)}
        # Staff's records, changed by staff (the API lets a partner change only its own).
        services.record_update(record=record, fields=fields, principal=self.principals[0])

    def step(self):
        write = self.rng.choice(
            [
                self.create_figure,
                self.create_figure,
                self.upsert_figures,
                self.change_figure,
                self.change_figure,
                self.delete_or_restore_figure,
                self.object,
                self.change_objection,
                self.change_asserting_citation,
                self.change_container,
            ]
        )
        # A refused write is refused as a whole: nothing written, nothing to keep.
        with contextlib.suppress(*FAILURES):
            write()


def audience_requests(world: World) -> dict:
    return {
        ContestAudience.PUBLIC: lambda: request_of(),
        ContestAudience.SHARED: lambda: request_of(user=world.viewer),
        ContestAudience.ALL: lambda: request_of(user=world.reviewer),
    }


def check(world: World) -> set[tuple]:
    """Hold the kept state to the rule; return the (audience, reason) pairs it holds."""
    held = set()
    for audience, make in audience_requests(world).items():
        assert state_audience(make()) == audience
        expected = rule_reasons(make())
        held.update((audience, reason) for _, reason, _ in expected)
        assert kept_reasons(audience) == expected, audience.label
        assert {key[0] for key in expected} <= rule_contested(make())
        assert served_contested(make()) == rule_contested(make()), audience.label
        assert served_reasons(make()) == expected
    for token in world.tokens:
        assert served_reasons(request_of(token=token)) == rule_reasons(request_of(token=token))
        assert served_contested(request_of(token=token)) == rule_contested(request_of(token=token))
    assert not contest.rebuild(apply=False)
    return held


# Walks that reach every audience and kind of reason (the assertion at the end holds it).
@pytest.mark.parametrize("seed", [1, 2, 5, 7, 8, 9])
def test_kept_state_equals_the_rule_under_random_writes(seed, django_user_model):
    rng = random.Random(seed)
    world = World(rng, django_user_model)
    held = set()
    for _ in range(50):
        world.step()
        held |= check(world)
    # The walk must have reached the cases it is about: each audience, each kind of reason.
    assert {audience for audience, _ in held} == set(ContestAudience)
    assert {reason for _, reason in held} >= {ContestReasonKind.DIFFERENT_VALUE, Stance.DENIES}


def test_a_partner_with_restricted_records_of_its_own_gets_the_rule(django_user_model):
    world = World(random.Random(0), django_user_model)
    token = world.tokens[0]
    assert state_audience(request_of(token=token)) == ContestAudience.SHARED
    SourceFactory(owner=world.partners[0], visibility=Visibility.RESTRICTED)
    assert state_audience(request_of(token=token)) is None
    assert state_audience(request_of(token=world.tokens[2])) == ContestAudience.SHARED


def test_rebuild_command_reports_and_mends_differences(django_user_model):
    world = World(random.Random(1), django_user_model)
    staff = world.principals[0]
    for value, source in ((10, world.sources[0]), (12, world.sources[4])):
        fields = {**world.figure_fields(), "value": value, "qualifier": Qualifier.EXACT}
        fields.update(incident=world.incidents[1], group=None, as_of=DAY, measure="detained")
        fields["visibility"] = Visibility.PUBLIC
        services.record_create(
            model=Figure,
            fields=fields,
            principal=staff,
            citations=[CitationData(source=source, quote=QUOTE)],
        )
    kept = set(FigureContest.objects.values_list("figure_id", "audience", "citation_id"))
    assert len(kept) == 6  # two figures contest each other, for each of three audiences
    FigureContest.objects.filter(pk=FigureContest.objects.order_by("pk").first().pk).delete()
    figure = Figure.objects.order_by("pk").first()
    FigureContest.objects.create(
        figure=figure,
        audience=ContestAudience.PUBLIC,
        citation=Citation.objects.get(figure=figure),
        reason=ContestReasonKind.DISPUTES,
    )
    out = StringIO()
    call_command("rebuild_contest_state", "--check", stdout=out)
    assert "1 to add, 1 to remove" in out.getvalue()
    call_command("rebuild_contest_state", stdout=out)
    assert set(FigureContest.objects.values_list("figure_id", "audience", "citation_id")) == kept
    out = StringIO()
    call_command("rebuild_contest_state", "--check", stdout=out)
    assert "in step" in out.getvalue()
