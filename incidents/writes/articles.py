"""Import a news article: extract draft records, let staff correct them, save them as drafts.

The admin's "Import an article" page (``incidents.admin.articles``) calls three
functions here, in this order:

1. ``draft_of(article)`` runs the extractor (``incidents.extraction``) on the
   text: nothing is written;
2. ``correct(draft, corrections)`` applies what staff changed in the preview:
   fixed values, renamed actors and groups (references follow the new name),
   records left out;
3. ``save_article(article=..., draft=..., principal=...)`` writes the article
   and everything drafted from it in one transaction, through the services
   (validation, history, change feed), as **restricted** and **unreviewed**
   records. Reviewers publish them later (``services.record_publish``).

The records are built by the same code that builds the seed fixtures
(``incidents.writes.seeding.FixtureBuilder``), so an article imported here gives the
records ``make fixtures`` would give, and the same ids: importing the same
text twice is refused rather than duplicated.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from incidents.access import Principal
from incidents.choices import ReviewStatus, SourceKind, Visibility
from incidents.extraction import Draft, extract
from incidents.integration.changes import collecting
from incidents.models import (
    Actor,
    Allegation,
    Citation,
    DetaineeGroup,
    Figure,
    Incident,
    Record,
    Source,
    Term,
)
from incidents.models.provenance import CITATION_TARGETS
from incidents.writes import services
from incidents.writes.audit import audit_context
from incidents.writes.seeding import FixtureBuilder, SeedArticle, actor_uid

# Fixture model name -> the model, and the draft's list of such records (where an
# error about one is shown).
MODELS: dict[str, tuple[type[Record], str]] = {
    "actor": (Actor, "actors"),
    "source": (Source, "sources"),
    "incident": (Incident, "incidents"),
    "detaineegroup": (DetaineeGroup, "groups"),
    "figure": (Figure, "figures"),
    "allegation": (Allegation, "allegations"),
}
# The history reason of every record an article import writes.
REASON = "article import"


@dataclass(frozen=True)
class Article:
    """A news article as staff give it: its words and what is known of where it appeared."""

    title: str
    text: str
    published: datetime.date
    url: str = ""
    publisher: str = ""
    # "en" or "es" forces the extractor's rules; "" detects the language from the text.
    # The draft records the language it was read in, and ``save_article`` stores that.
    language: str = ""
    country: str = ""

    @property
    def name(self) -> str:
        """Namespace of the records' ids: the same text always gives the same ids."""
        return "article/" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:32]

    def seed(self) -> SeedArticle:
        meta = {
            "title": self.title,
            "language": self.language,
            "country": self.country or None,
            "url": self.url or None,
            "published": self.published.isoformat(),
            "published_precision": "exact",
            "reference_date": self.published.isoformat(),
        }
        return SeedArticle(name=self.name, text=self.text, meta=meta)


class AlreadyImported(Exception):
    """This text has been imported before; ``source`` is the article's record."""

    def __init__(self, source: Source):
        super().__init__(source)
        self.source = source


class DraftInvalid(Exception):
    """What stops a corrected draft from being saved, record by record.

    ``problems`` is a list of (kind, index, message): kind is the draft list
    ("figures", "groups" ...), index the record's place in it (None for the
    article itself), so the preview can show each message beside its record.
    """

    def __init__(self, problems: list[tuple[str, int | None, str]]):
        super().__init__(problems)
        self.problems = problems


def draft_of(article: Article) -> Draft:
    """The extractor's draft of the article (nothing is written).

    Without a language the extractor detects it; the draft records the one it used
    (``Draft.language``), which ``save_article`` stores on the article. A language it
    cannot read raises ``incidents.extraction.UnsupportedLanguage``.
    """
    return extract(
        article.text,
        article.published,
        language=article.language or None,
        country_hint=article.country or None,
    )


# --- corrections ---------------------------------------------------------------------------

RECORD_KINDS = ("actors", "sources", "incidents", "groups", "figures", "allegations", "stances")
# Which fields refer to an actor by name, a group by label, a source or incident by key.
ACTOR_REFS = {
    "actors": ("parent",),
    "sources": ("issuer",),
    "figures": ("reported_by",),
    "allegations": ("perpetrator", "reported_by"),
    "stances": ("actor",),
}
GROUP_REFS = {"figures": ("group",), "allegations": ("victim_group",)}
SOURCE_REFS = {"figures": ("source",), "allegations": ("source",), "stances": ("source",)}
INCIDENT_REFS = {
    "incidents": ("parent",),
    "groups": ("incident",),
    "figures": ("incident",),
    "allegations": ("incident",),
}


def _rename(draft: Draft, refs: dict, renamed: dict[str, str]) -> None:
    for kind, names in refs.items():
        for record in getattr(draft, kind):
            for name in names:
                value = getattr(record, name)
                if value in renamed:
                    setattr(record, name, renamed[value])


def _gone(draft: Draft, corrections: dict[str, list[dict | None]]) -> dict[str, set]:
    """How the records left out were referred to, kind by kind (names as extracted)."""
    gone: dict[str, set] = defaultdict(set)
    for kind, changes in corrections.items():
        for record, change in zip(getattr(draft, kind), changes, strict=True):
            if change is None:
                gone[kind].add(_identity(kind, record))
    return gone


def kept_rows(draft: Draft, corrections: dict[str, list[dict | None]]) -> dict[str, list[int]]:
    """Where each record of the corrected draft was in the draft as extracted, kind by kind.

    The preview shows the extracted draft, one row per record; an error about the
    corrected draft's n-th figure belongs beside the row ``kept_rows(...)["figures"][n]``.
    """
    return _kept_rows(draft, corrections, _gone(draft, corrections))


def _kept_rows(draft: Draft, corrections: dict, gone: dict[str, set]) -> dict[str, list[int]]:
    rows = {}
    for kind in RECORD_KINDS:
        changes = corrections.get(kind)
        count = len(getattr(draft, kind))
        rows[kind] = [i for i in range(count) if changes is None or changes[i] is not None]
    # A stance on a record left out goes with it: it was only about that record.
    rows["stances"] = [
        i
        for i in rows["stances"]
        if draft.stances[i].target not in gone[_target_list(draft.stances[i].target_kind)]
    ]
    return rows


def correct(draft: Draft, corrections: dict[str, list[dict | None]]) -> Draft:
    """The draft with staff's corrections: ``{kind: [changes or None, ...]}``, one per record.

    ``None`` leaves a record out. Leaving out an actor or a statement drops the
    references to it (a figure's statement falls back to the article itself, an
    allegation's perpetrator becomes unknown); leaving out an incident or a
    group that a kept record belongs to is an error (``DraftInvalid``, with the
    rows of the draft as extracted), because dropping that link would change
    what the kept record counts.
    """
    gone = _gone(draft, corrections)
    rows = _kept_rows(draft, corrections, gone)
    draft = Draft.from_dict(draft.to_dict())  # never change the caller's draft
    renamed_actors, renamed_groups = {}, {}
    for kind, changes in corrections.items():
        for record, change in zip(getattr(draft, kind), changes, strict=True):
            identity = _identity(kind, record)
            for name, value in (change or {}).items():
                setattr(record, name, value)
            if kind == "actors" and change and record.name != identity:
                renamed_actors[identity] = record.name
            if kind == "groups" and change and record.label != identity:
                renamed_groups[identity] = record.label
    for kind in RECORD_KINDS:
        records = getattr(draft, kind)
        setattr(draft, kind, [records[i] for i in rows[kind]])
    _rename(draft, ACTOR_REFS, renamed_actors)
    _rename(draft, GROUP_REFS, renamed_groups)
    for record in draft.stances:
        if record.target_kind == "group" and record.target in renamed_groups:
            record.target = renamed_groups[record.target]
    _drop(draft, ACTOR_REFS, gone["actors"])
    _drop(draft, SOURCE_REFS, gone["sources"])
    problems = [
        (kind, rows[kind][index], message)
        for kind, index, message in [*_dangling(draft, gone), *_twins(draft)]
    ]
    if problems:
        raise DraftInvalid(problems)
    return draft


def _target_list(target_kind: str) -> str:
    return {"group": "groups", "figure": "figures", "allegation": "allegations"}.get(
        target_kind, "incidents"
    )


def _identity(kind: str, record) -> str:
    """How other records refer to this one."""
    if kind == "actors":
        return record.name
    if kind == "groups":
        return record.label
    return record.key


def _drop(draft: Draft, refs: dict, gone: set) -> None:
    for kind, names in refs.items():
        for record in getattr(draft, kind):
            for name in names:
                if getattr(record, name) in gone:
                    setattr(record, name, None)


def _dangling(draft: Draft, gone: dict[str, set]) -> list[tuple[str, int | None, str]]:
    messages = (
        (
            INCIDENT_REFS,
            gone["incidents"],
            _(
                "This record belongs to the incident “%(name)s”, which is left out: keep "
                "the incident, or leave this record out too."
            ),
        ),
        (
            GROUP_REFS,
            gone["groups"],
            _(
                "This record is about the group “%(name)s”, which is left out: keep the "
                "group, or leave this record out too."
            ),
        ),
    )
    problems = []
    for refs, missing, message in messages:
        for kind, names in refs.items():
            for index, record in enumerate(getattr(draft, kind)):
                problems += [
                    (kind, index, message % {"name": getattr(record, name)})
                    for name in names
                    if getattr(record, name) in missing
                ]
    return problems


def _twins(draft: Draft) -> list[tuple[str, int, str]]:
    """Two groups with one label, or two actors with one name, would be one record."""
    problems = []
    for kind, message in (
        ("groups", _("Another group is called “%(name)s”: give each group its own label.")),
        ("actors", _("Another actor is called “%(name)s”: give each actor its own name.")),
    ):
        seen = set()
        for index, record in enumerate(getattr(draft, kind)):
            name = _identity(kind, record)
            if name.casefold() in seen:
                problems.append((kind, index, message % {"name": name}))
            seen.add(name.casefold())
    return problems


# --- saving --------------------------------------------------------------------------------


def _citations_by_target(objects: list[dict]) -> dict[str, list[dict]]:
    by_target = defaultdict(list)
    for obj in objects:
        if obj["model"] == "incidents.citation":
            fields = obj["fields"]
            target = next(fields[name][0] for name in CITATION_TARGETS if fields[name])
            by_target[target].append(fields)
    return by_target


class _Writer:
    """Creates the records of one article's fixture objects, resolving their references."""

    def __init__(self, principal: Principal):
        self.principal = principal
        self.made: dict[str, Record] = {}  # uuid -> record written (or actor found)
        self.created: list[Record] = []

    def resolve(self, model: type[Record], name: str, value):
        if value is None:
            return None
        related = model._meta.get_field(name).related_model
        if related is Term:
            return Term.objects.get_by_natural_key(*value)
        uid = value[0]
        found = self.made.get(uid) or related.objects.filter(uuid=uid).first()
        if found is None:
            # The record it refers to was refused a moment ago (its own problem is listed
            # beside it): say so here too, rather than fail the whole save.
            raise services.Invalid(
                {name: [_("Refers to a record that could not be saved: correct that one first.")]}
            )
        return found

    def actor(self, fields: dict) -> Record:
        """An actor the database already holds (by id or by name) is used as it is."""
        existing = Actor.objects.filter(Q(uuid=fields["uuid"]) | Q(name__iexact=fields["name"]))
        found = existing.first()
        if found is not None:
            self.made[fields["uuid"]] = found
            return found
        return self.create(Actor, fields, [])

    def create(self, model: type[Record], fields: dict, citations: list[dict]) -> Record:
        values, methods = {}, None
        for name, value in fields.items():
            if name in ("created_at", "updated_at"):
                continue
            field = model._meta.get_field(name)
            if field.many_to_many:
                methods = [Term.objects.get_by_natural_key(*item) for item in value]
            elif field.is_relation:
                values[name] = self.resolve(model, name, value)
            else:
                values[name] = value
        values.update(visibility=Visibility.RESTRICTED, review_status=ReviewStatus.UNREVIEWED)
        record = services.record_create(
            model=model,
            fields=values,
            principal=self.principal,
            citations=[
                services.CitationData(
                    source=self.resolve(Citation, "source", c["source"]),
                    quote=c["quote"],
                    stance=c["stance"],
                    note=c["note"],
                    visibility=Visibility.RESTRICTED,
                )
                for c in citations
            ],
            methods=methods,
        )
        self.made[fields["uuid"]] = record
        self.created.append(record)
        return record


@dataclass
class Saved:
    """What an article import wrote."""

    article: Source
    created: list[Record] = dataclasses.field(default_factory=list)


def _problem(error: Exception, model: type[Record]) -> str:
    """One line a person can act on: each refused field by its label, with the reasons."""
    if isinstance(error, services.Invalid):
        detail = error.detail
    elif isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        detail = error.message_dict
    else:
        detail = {"": getattr(error, "messages", [str(error)])}
    parts = []
    for name, found in detail.items():
        reasons = " ".join(
            " ".join(map(str, m.values())) if isinstance(m, dict) else str(m)
            for m in (found if isinstance(found, list) else [found])
        )
        try:
            label = capfirst(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            label = capfirst(name.replace("_", " ")) if name and name != NON_FIELD_ERRORS else ""
        parts.append(f"{label}: {reasons}" if label else reasons)
    return " ".join(parts)


def _with_publisher(objects: list[dict], article_uid: str, publisher: str) -> list[dict]:
    """The article's issuer is its publisher, an actor (found by name, or a new media actor)."""
    if not publisher:
        return objects
    uid = actor_uid(publisher)
    actor = {
        "model": "incidents.actor",
        "extra": True,  # no row of the draft
        "fields": {
            "uuid": uid,
            "name": publisher,
            "kind": "media",
            "country": "",
            "parent": None,
            "role": "",
            "description": "",
        },
    }
    for obj in objects:
        if obj["fields"]["uuid"] == article_uid:
            obj["fields"]["issuer"] = [uid]
    return [actor, *objects]


@collecting()
def save_article(*, article: Article, draft: Draft, principal: Principal) -> Saved:
    """Write the article and its (corrected) draft records in one transaction.

    Every record is restricted and unreviewed, and has a history entry by the
    staff member (with the reason "article import"). ``AlreadyImported`` when
    a news article with this very text is held already; ``DraftInvalid`` with every record's errors
    when any is refused (then nothing is written).
    """
    # The article is in the language its draft was read in (detected or chosen).
    article = dataclasses.replace(article, language=draft.language)
    builder = FixtureBuilder(article.seed(), draft)
    objects = _with_publisher(builder.build(), builder.article_uid, article.publisher)
    # The same words are the same article, however they arrived (the seeds, another import).
    existing = Source.objects.filter(
        Q(uuid=builder.article_uid) | Q(kind=SourceKind.NEWS_ARTICLE, text=article.text)
    ).first()
    if existing is not None:
        raise AlreadyImported(existing)
    by_target = _citations_by_target(objects)
    writer = _Writer(principal)
    problems = []
    positions: dict[str, int] = defaultdict(int)
    with audit_context(reason=REASON, user=principal.user):
        for obj in objects:
            model_name = obj["model"].removeprefix("incidents.")
            if model_name == "citation":
                continue
            fields = obj["fields"]
            model, kind = MODELS[model_name]
            # The article itself (and its publisher) are no rows of the draft.
            extra = obj.get("extra") or fields["uuid"] == builder.article_uid
            index = None if extra else positions[kind]
            if not extra:
                positions[kind] += 1
            try:
                if model is Actor:
                    writer.actor(fields)
                else:
                    writer.create(model, fields, by_target.get(fields["uuid"], []))
            except (services.Invalid, ValidationError, services.Conflict) as error:
                problems.append((kind, index, _problem(error, model)))
        if problems:
            # Roll back whatever was written before the first refusal.
            raise DraftInvalid(problems)
    article_record = writer.made[builder.article_uid]
    return Saved(article=article_record, created=writer.created)


def drafted_from(article: Source) -> list[Record]:
    """The unreviewed records drafted from an article: what "publish the article" publishes.

    The article, the statements reported in it, every record a citation of
    either supports, the citations themselves, and the actors those records
    name. Only unreviewed records: one already reviewed was published (or
    deliberately kept back) by someone, and stays as they left it.
    """
    unreviewed = Q(review_status=ReviewStatus.UNREVIEWED, deleted_at__isnull=True)
    sources = list(Source.objects.filter(Q(pk=article.pk) | Q(reported_in=article)))
    citations = list(Citation.objects.filter(source__in=sources, deleted_at__isnull=True))
    targets: dict[str, set[int]] = defaultdict(set)
    for citation in citations:
        for name in CITATION_TARGETS:
            if getattr(citation, f"{name}_id"):
                targets[name].add(getattr(citation, f"{name}_id"))
    records: list[Record] = [s for s in sources if s.review_status == ReviewStatus.UNREVIEWED]
    records += [c for c in citations if c.review_status == ReviewStatus.UNREVIEWED]
    actor_ids = {s.issuer_id for s in sources if s.issuer_id}
    for name, model in (
        ("incident", Incident),
        ("group", DetaineeGroup),
        ("figure", Figure),
        ("allegation", Allegation),
    ):
        found = list(model.objects.filter(unreviewed, pk__in=targets[name]))
        records += found
        if model is Allegation:
            actor_ids |= {a.perpetrator_id for a in found if a.perpetrator_id}
    actors = list(Actor.objects.filter(unreviewed, pk__in=actor_ids))
    # Parents named only as an actor's organisation (Alfredo Romero -> Foro Penal).
    parent_ids = {a.parent_id for a in actors if a.parent_id} - actor_ids
    actors += list(Actor.objects.filter(unreviewed, pk__in=parent_ids))
    return records + actors
