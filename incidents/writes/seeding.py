"""Turn the articles in seeds/ into loaddata fixtures, deterministically.

Each article ``seeds/NAME.txt`` comes with ``seeds/NAME.meta.json`` (reference
date, language, country, what is known of the publisher). The extractor reads
the article; this module turns its draft into fixture objects:

- the article itself becomes a ``news_article`` Source holding the full text;
- each statement the article reports becomes a Source ``reported_in`` it;
- every incident, group, figure and allegation gets a Citation quoting the
  article, and every stance (a denial, an acknowledgement ...) one more.

Records are identified by UUIDs derived from the article name and the draft's
keys (uuid5), and fixtures use them as natural keys, so building twice gives
byte-identical files and loading twice updates rather than duplicates.
"""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from incidents.extraction import Draft, extract
from incidents.models.provenance import CITATION_TARGETS
from incidents.writes.quotes import quote_in_text

# Fixed namespace: changing it would change every seed record's public id.
SEED_NAMESPACE = uuid.UUID("6f1c9a52-3d0e-4c55-9a43-2f6f0c1b7e10")


class SeedError(Exception):
    """A seed article or its metadata cannot be turned into fixtures."""


@dataclass(frozen=True)
class SeedArticle:
    """One article in seeds/ with its metadata."""

    name: str
    text: str
    meta: dict

    @property
    def reference_date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.meta["reference_date"])


def read_meta(text_path: Path) -> dict | None:
    """The ``NAME.meta.json`` beside an article, or None when there is none."""
    meta_path = text_path.with_suffix(".meta.json")
    if not meta_path.exists():
        return None
    try:
        return json.loads(meta_path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise SeedError(f"{meta_path.name} is not valid JSON: {error}") from error


def load_seed(text_path: Path) -> SeedArticle:
    """Read ``NAME.txt`` and the ``NAME.meta.json`` beside it."""
    meta_path = text_path.with_suffix(".meta.json")
    meta = read_meta(text_path)
    if meta is None:
        raise SeedError(f"{text_path.name} has no metadata file {meta_path.name}")
    for required in ("reference_date", "language", "title"):
        if not meta.get(required):
            raise SeedError(f"{meta_path.name} lacks {required!r}")
    for name in ("reference_date", "published"):
        try:
            if meta.get(name):
                datetime.date.fromisoformat(meta[name])
        except ValueError as error:
            raise SeedError(f"{meta_path.name}: {name} must be YYYY-MM-DD") from error
    # Read bytes and decode without newline translation: quotes must match the file exactly.
    text = text_path.read_bytes().decode("utf-8")
    return SeedArticle(name=text_path.stem, text=text, meta=meta)


def seed_articles(seeds_dir: Path) -> list[SeedArticle]:
    return [load_seed(path) for path in sorted(seeds_dir.glob("*.txt"))]


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(SEED_NAMESPACE, "/".join(parts)))


def actor_uid(name: str) -> str:
    """Actors are shared across articles: the same name gives the same id."""
    return _uid("actor", name.casefold())


class FixtureBuilder:
    """Builds the fixture objects of one article from its draft."""

    def __init__(self, article: SeedArticle, draft: Draft):
        self.article = article
        self.draft = draft
        self.objects: list[dict] = []
        published = article.meta.get("published") or article.meta["reference_date"]
        # Seed records are stamped with the article's date, not the build time,
        # so the output does not change from one run to the next.
        self.timestamp = f"{published}T00:00:00Z"
        self.article_uid = self.uid("source", "article")
        self.country = article.meta.get("country") or ""

    def uid(self, kind: str, key: str) -> str:
        return _uid(self.article.name, kind, key)

    def add(self, model: str, uid: str, **fields) -> None:
        self.objects.append(
            {
                "model": f"incidents.{model}",
                "fields": {
                    "uuid": uid,
                    "created_at": self.timestamp,
                    "updated_at": self.timestamp,
                    "visibility": "public",
                    **fields,
                },
            }
        )

    def build(self) -> list[dict]:
        self.add_article()
        self.add_actors()
        self.add_sources()
        self.add_incidents()
        self.add_groups()
        self.add_figures()
        self.add_allegations()
        self.add_stances()
        self.check_quotes()
        return self.objects

    def add_article(self) -> None:
        meta = self.article.meta
        self.add(
            "source",
            self.article_uid,
            kind="news_article",
            title=meta["title"],
            issuer=None,
            reported_in=None,
            date=meta.get("published"),
            date_precision=meta.get("published_precision") or "exact",
            url=meta.get("url") or "",
            language=meta["language"],
            text=self.article.text,
        )

    def actor_ref(self, name: str | None) -> list[str] | None:
        return [actor_uid(name)] if name else None

    def add_actors(self) -> None:
        for actor in self.draft.actors:
            self.add(
                "actor",
                actor_uid(actor.name),
                name=actor.name,
                kind=actor.kind,
                country=actor.country or "",
                parent=self.actor_ref(actor.parent),
                role=actor.role or "",
                description="",
            )

    def source_ref(self, key: str | None) -> list[str]:
        return [self.uid("source", key)] if key else [self.article_uid]

    def add_sources(self) -> None:
        for source in self.draft.sources:
            self.add(
                "source",
                self.uid("source", source.key),
                kind=source.kind,
                title=source.title,
                issuer=self.actor_ref(source.issuer),
                reported_in=[self.article_uid],
                date=source.date,
                date_precision=source.date_precision or "exact",
                url="",
                language=self.draft.language,
                text="",
            )

    def citation(
        self,
        target_kind: str,
        target_uid: str,
        *,
        quote: str,
        source: str | None,
        stance: str = "asserts",
        note: str = "",
        key: str = "",
    ) -> None:
        fields = dict.fromkeys(CITATION_TARGETS)
        fields[target_kind] = [target_uid]
        self.add(
            "citation",
            self.uid("citation", f"{target_kind}/{target_uid}/{stance}/{key}"),
            source=self.source_ref(source),
            quote=quote,
            stance=stance,
            note=note,
            **fields,
        )

    def add_incidents(self) -> None:
        for incident in self.draft.incidents:
            uid = self.uid("incident", incident.key)
            self.add(
                "incident",
                uid,
                title=incident.title,
                kind=incident.kind,
                summary=incident.summary,
                country=incident.country or self.country,
                location=incident.location,
                start_date=incident.start_date,
                start_precision=incident.start_precision or "exact",
                end_date=incident.end_date,
                end_precision=incident.end_precision or "exact",
                parent=[self.uid("incident", incident.parent)] if incident.parent else None,
            )
            self.citation("incident", uid, quote=incident.quote, source=None)

    def add_groups(self) -> None:
        for group in self.draft.groups:
            uid = self.uid("group", group.label)
            self.add(
                "detaineegroup",
                uid,
                incident=[self.uid("incident", group.incident)],
                label=group.label,
                age_min=group.age_min,
                age_max=group.age_max,
                sex=group.sex,
                citizenship=group.citizenship,
                nationality=group.nationality or "",
                affiliation=group.affiliation,
                charges=group.charges,
                description="",
            )
            self.citation("group", uid, quote=group.quote, source=None)

    def add_figures(self) -> None:
        reference = self.article.meta["reference_date"]
        for figure in self.draft.figures:
            uid = self.uid("figure", figure.key)
            self.add(
                "figure",
                uid,
                incident=[self.uid("incident", figure.incident)],
                group=[self.uid("group", figure.group)] if figure.group else None,
                measure=figure.measure,
                value=figure.value,
                value_low=figure.value_low,
                value_high=figure.value_high,
                qualifier=figure.qualifier,
                # A figure with no date of its own holds as of the article, roughly.
                as_of=figure.as_of or reference,
                as_of_precision=figure.as_of_precision or "approximate",
                note="",
            )
            self.citation("figure", uid, quote=figure.quote, source=figure.source)

    def add_allegations(self) -> None:
        for allegation in self.draft.allegations:
            uid = self.uid("allegation", allegation.key)
            self.add(
                "allegation",
                uid,
                incident=[self.uid("incident", allegation.incident)],
                victim_group=(
                    [self.uid("group", allegation.victim_group)]
                    if allegation.victim_group
                    else None
                ),
                violation_type=["violation", allegation.violation_type],
                methods=[["method", code] for code in allegation.methods],
                perpetrator=self.actor_ref(allegation.perpetrator),
                status=allegation.status,
                summary=allegation.summary,
            )
            self.citation("allegation", uid, quote=allegation.quote, source=allegation.source)

    def add_stances(self) -> None:
        for stance in self.draft.stances:
            self.citation(
                stance.target_kind,
                self.uid(stance.target_kind, stance.target),
                quote=stance.quote,
                source=stance.source,
                stance=stance.stance,
                note=stance.note,
                key=stance.key,
            )

    def check_quotes(self) -> None:
        for obj in self.objects:
            quote = obj["fields"].get("quote")
            if quote is not None and not quote_in_text(quote, self.article.text):
                raise SeedError(f"{self.article.name}: quote not in the article: {quote!r}")


def build_fixture(article: SeedArticle) -> list[dict]:
    """The fixture objects of one seed article."""
    draft = extract(
        article.text,
        article.reference_date,
        language=article.meta["language"],
        country_hint=article.meta.get("country"),
    )
    return FixtureBuilder(article, draft).build()


def render(objects: list[dict]) -> str:
    """Fixture JSON, formatted the same way every time."""
    return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"


def build_all(seeds_dir: Path) -> dict[str, str]:
    """File name -> fixture JSON, for every article in ``seeds_dir``.

    Actors named in several articles are written once, in the first file that
    names them, so loading all files never meets the same actor twice.
    """
    outputs: dict[str, str] = {}
    seen_actors: set[str] = set()
    for article in seed_articles(seeds_dir):
        objects = []
        for obj in build_fixture(article):
            if obj["model"] == "incidents.actor":
                if obj["fields"]["uuid"] in seen_actors:
                    continue
                seen_actors.add(obj["fields"]["uuid"])
            objects.append(obj)
        outputs[f"{article.name}.json"] = render(objects)
    return outputs
