"""Score the extractor against a folder of annotated articles.

Each article is ``NAME.txt`` (UTF-8 prose, first line the headline) with a
sidecar ``NAME.json`` holding what a documentation NGO would record from it
(``tests/corpus/README.md`` describes the format). The extractor runs on the
text with the publication date as reference date, exactly as the article import
does, and never with the annotated language or country: telling them apart is
part of what is measured.

Per language the score reports:

- **recall**: expected figures found with the same (value, measure);
- **precision**: extracted figures whose (value, measure) is expected;
- **attribution**: among matched figures, the reporter is the expected name or
  one of its aliases (case and accents ignored; no reporter is wrong);
- **as-of**: among matched figures, the as-of date is the expected one;
- **non-verbatim quotes**: record quotes that are not a slice of the text;
- **crashes**: articles on which the extractor raised;
- **other language**: articles whose language was detected as another than the
  annotated one. One read as a language the extractor does not know
  (``UnsupportedLanguage``) is no crash: it yields no figure, so every expected
  figure is a miss.

Pure Python: no Django, so it runs anywhere the extractor does.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from incidents.extraction.draft import MEASURES, Draft
from incidents.extraction.extractor import extract
from incidents.extraction.language import UnsupportedLanguage

RECORD_LISTS = ("actors", "sources", "incidents", "groups", "figures", "allegations", "stances")


class CorpusError(ValueError):
    """The folder is not a usable corpus (missing, empty, or a malformed annotation)."""


@dataclass
class Expected:
    value: int
    measure: str
    reporters: frozenset[str]  # normalised name and aliases
    as_of: str | None


@dataclass
class Article:
    name: str
    text: str
    language: str
    published: date
    figures: list[Expected]


@dataclass
class ArticleScore:
    name: str
    language: str
    expected: int = 0
    extracted: int = 0
    matched: int = 0
    correct: int = 0  # extracted figures whose (value, measure) is expected
    attributed: int = 0
    dated: int = 0
    non_verbatim: int = 0
    crash: str | None = None
    detected: str | None = None  # the language the extractor read the article as
    missed: list[tuple[int, str]] = field(default_factory=list)
    spurious: list[tuple[int | None, str]] = field(default_factory=list)


@dataclass
class LanguageScore:
    language: str
    articles: int = 0
    expected: int = 0
    extracted: int = 0
    matched: int = 0
    correct: int = 0
    attributed: int = 0
    dated: int = 0
    non_verbatim: int = 0
    crashes: int = 0
    other_language: int = 0  # articles detected as another language

    def add(self, one: ArticleScore) -> None:
        self.articles += 1
        for name in (
            "expected",
            "extracted",
            "matched",
            "correct",
            "attributed",
            "dated",
            "non_verbatim",
        ):
            setattr(self, name, getattr(self, name) + getattr(one, name))
        self.crashes += one.crash is not None
        self.other_language += one.detected is not None and one.detected != one.language

    @property
    def recall(self) -> float | None:
        return self.matched / self.expected if self.expected else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.extracted if self.extracted else None

    @property
    def attribution(self) -> float | None:
        return self.attributed / self.matched if self.matched else None

    @property
    def as_of(self) -> float | None:
        return self.dated / self.matched if self.matched else None

    def to_dict(self) -> dict:
        return {
            "language": self.language,
            "articles": self.articles,
            "expected": self.expected,
            "extracted": self.extracted,
            "matched": self.matched,
            "recall": self.recall,
            "precision": self.precision,
            "attribution": self.attribution,
            "as_of": self.as_of,
            "non_verbatim_quotes": self.non_verbatim,
            "crashes": self.crashes,
            "other_language": self.other_language,
        }


def normalise(name: str | None) -> str:
    """Case, accents, apostrophes, spacing and a leading article do not count."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = text.replace("'s ", " ").split()
    if words and words[0] in {"the", "el", "la", "los", "las"}:
        words = words[1:]
    return " ".join(words)


def _fail(path: Path, message: str) -> CorpusError:
    return CorpusError(f"{path}: {message}")


def read_article(text_path: Path) -> Article:
    """One article and its annotation; a CorpusError names what is wrong."""
    json_path = text_path.with_suffix(".json")
    if not json_path.is_file():
        raise _fail(text_path, f"no annotation {json_path.name} beside it")
    try:
        text = text_path.read_text(encoding="utf-8")
        data = json.loads(json_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise _fail(text_path, f"not UTF-8 ({error.reason})") from error
    except json.JSONDecodeError as error:
        raise _fail(json_path, f"malformed JSON: {error}") from error
    if not isinstance(data, dict):
        raise _fail(json_path, "the annotation must be a JSON object")
    language = data.get("language")
    if not isinstance(language, str) or not language:
        raise _fail(json_path, '"language" is missing (e.g. "en" or "es")')
    try:
        published = date.fromisoformat(data.get("published") or "")
    except (TypeError, ValueError) as error:
        raise _fail(json_path, '"published" must be a date written YYYY-MM-DD') from error
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        raise _fail(json_path, '"aliases" must map a reporter to a list of names')
    figures = data.get("figures")
    if not isinstance(figures, list) or not figures:
        raise _fail(json_path, '"figures" must be a non-empty list')
    expected = []
    for number, figure in enumerate(figures, 1):
        where = f"figure {number}"
        if not isinstance(figure, dict):
            raise _fail(json_path, f"{where} must be an object")
        value, measure = figure.get("value"), figure.get("measure")
        if not isinstance(value, int) or isinstance(value, bool):
            raise _fail(json_path, f"{where}: value must be a whole number, not {value!r}")
        if measure not in MEASURES:
            raise _fail(
                json_path, f"{where}: unknown measure {measure!r} (one of {', '.join(MEASURES)})"
            )
        reporter = figure.get("reported_by")
        if not isinstance(reporter, str) or not reporter:
            raise _fail(json_path, f"{where}: reported_by must name the reporter")
        names = {normalise(reporter)} | {normalise(a) for a in aliases.get(reporter, [])}
        as_of = figure.get("as_of")
        if as_of is not None:
            try:
                date.fromisoformat(as_of)
            except (TypeError, ValueError) as error:
                raise _fail(json_path, f"{where}: as_of must be YYYY-MM-DD") from error
        expected.append(Expected(value, measure, frozenset(names), as_of))
    return Article(text_path.stem, text, language, published, expected)


def read_corpus(folder: Path) -> list[Article]:
    """Every annotated article under ``folder`` (sub-folders included), by path."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{folder} is not a directory")
    paths = sorted(folder.rglob("*.txt"))
    if not paths:
        raise CorpusError(f"{folder} holds no articles (NAME.txt with NAME.json)")
    return [read_article(path) for path in paths]


def _figure_value(figure) -> int | None:
    # A vague amount ("dozens") has no value, only its floor.
    return figure.value if figure.value is not None else figure.value_low


def _quotes(draft: Draft):
    for name in RECORD_LISTS:
        for record in getattr(draft, name):
            yield record.quote


def score_draft(draft: Draft, text: str, expected: list[Expected], name="", language=""):
    """Compare one draft with its annotation (the matching the score rests on)."""
    score = ArticleScore(name, language, expected=len(expected), extracted=len(draft.figures))
    score.non_verbatim = sum(1 for quote in _quotes(draft) if quote and quote not in text)
    wanted = {(e.value, e.measure) for e in expected}
    score.correct = sum((_figure_value(f), f.measure) in wanted for f in draft.figures)
    score.spurious = [
        (_figure_value(f), f.measure)
        for f in draft.figures
        if (_figure_value(f), f.measure) not in wanted
    ]
    unused = list(draft.figures)
    for want in expected:
        key = (want.value, want.measure)
        candidates = [f for f in unused if (_figure_value(f), f.measure) == key]
        if not candidates:
            score.missed.append((want.value, want.measure))
            continue

        def fit(figure, want=want):
            return (normalise(figure.reported_by) in want.reporters, figure.as_of == want.as_of)

        best = max(candidates, key=fit)  # the first of the best, in text order
        unused.remove(best)
        attributed, dated = fit(best)
        score.matched += 1
        score.attributed += attributed and bool(best.reported_by)
        score.dated += dated
    return score


def score_article(article: Article) -> ArticleScore:
    try:
        draft = extract(article.text, article.published)
    except UnsupportedLanguage as error:  # detected as a language it cannot read: no figure
        score = ArticleScore(article.name, article.language, expected=len(article.figures))
        score.detected = error.language
        score.missed = [(e.value, e.measure) for e in article.figures]
        return score
    except Exception as error:  # a crash is a result to report, not to raise
        score = ArticleScore(article.name, article.language, expected=len(article.figures))
        score.crash = f"{type(error).__name__}: {error}"
        score.missed = [(e.value, e.measure) for e in article.figures]
        return score
    score = score_draft(draft, article.text, article.figures, article.name, article.language)
    score.detected = draft.language
    return score


def score_corpus(folder: Path) -> tuple[dict[str, LanguageScore], list[ArticleScore]]:
    """Scores per language (sorted by code) and per article."""
    articles = [score_article(article) for article in read_corpus(folder)]
    languages: dict[str, LanguageScore] = {}
    for one in articles:
        languages.setdefault(one.language, LanguageScore(one.language)).add(one)
    return dict(sorted(languages.items())), articles
