"""How fast the extractor reads an article: milliseconds per 1,000 words, per language.

``manage.py benchmark_extraction`` is its command line. A measurement, never a
test: nothing here asserts a time.

The texts are the scored corpus (``tests/corpus/``: each article's language and
reference date from its annotation) and the seed articles (``seeds/``). Each
article is extracted ``repeat`` times and its best time kept (the least
disturbed by the rest of the machine); a language's rate is the sum of its
articles' best times over the sum of their words. Three things are measured per
language, in the same run:

- **articles**: each article as staff would import it, the language detected
  from the text (what the admin's import does by default);
- **language given**: the same with the language named, so the difference is
  what detection costs;
- **one long article**: every article of the language joined into one text, so
  a rule that grows faster than the text (a search from every sentence back to
  the start, say) shows as a ratio above 1 against the short articles.

Each timed extraction starts from empty caches, after another article of the same
language has been read (so the word lists' patterns are compiled, as in a server
that has read any article, but nothing of the timed article is remembered).

The target is 50 ms per 1,000 words; the report prints each rate as a share of it.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from incidents.extraction import extract

TARGET_MS_PER_1000_WORDS = 50.0


@dataclass
class Text:
    """One article to extract: its words, language and reference date."""

    name: str
    text: str
    language: str
    reference: date

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Rate:
    """One case's measurement: words read and the best seconds over the repeats."""

    language: str
    case: str
    articles: int
    words: int
    seconds: float
    per_article_ms: list[float] = field(default_factory=list)

    @property
    def ms_per_1000_words(self) -> float:
        return self.seconds * 1000 / self.words * 1000 if self.words else 0.0

    @property
    def share_of_target(self) -> float:
        return self.ms_per_1000_words / TARGET_MS_PER_1000_WORDS

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ms_per_1000_words"] = round(self.ms_per_1000_words, 2)
        data["share_of_target"] = round(self.share_of_target, 3)
        return data


def corpus_texts(folder: Path) -> list[Text]:
    """The annotated articles under ``folder`` (``NAME.txt`` with ``NAME.json`` beside it)."""
    texts = []
    for path in sorted(folder.rglob("*.txt")):
        annotation = path.with_suffix(".json")
        if not annotation.is_file():
            continue
        meta = json.loads(annotation.read_text(encoding="utf-8"))
        texts.append(
            Text(
                name=str(path.relative_to(folder)),
                text=path.read_text(encoding="utf-8"),
                language=meta["language"],
                reference=date.fromisoformat(meta["published"]),
            )
        )
    return texts


def seed_texts(folder: Path) -> list[Text]:
    """The seed articles (``NAME.txt`` with ``NAME.meta.json``), English unless it says."""
    texts = []
    for path in sorted(folder.glob("*.txt")):
        meta_path = path.with_name(path.stem + ".meta.json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        reference = meta.get("reference_date") or meta.get("published")
        texts.append(
            Text(
                name=f"seeds/{path.name}",
                text=path.read_text(encoding="utf-8"),
                language=meta.get("language", "en"),
                reference=date.fromisoformat(reference) if reference else date.today(),
            )
        )
    return texts


def clear_caches() -> int:
    """Empty every cache of the extraction package; how many there were.

    The rules memoise what they read (the dates of a sentence, a name's identity,
    compiled patterns). Extracting the same text again would find it all there, as no
    new article would: each timed extraction starts from empty caches.
    """
    cleared = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("incidents.extraction") or module is None:
            continue
        for value in vars(module).values():
            holders = [value, *vars(value).values()] if isinstance(value, type) else [value]
            for holder in holders:
                if callable(getattr(holder, "cache_clear", None)):
                    holder.cache_clear()
                    cleared += 1
    return cleared


def best_seconds(text: Text, repeat: int, detect: bool, warm_up: Text | None = None) -> float:
    """The fastest of ``repeat`` extractions of one text, each from empty caches.

    ``warm_up``, another article, is extracted first each time: that compiles the word
    lists' patterns and loads the language model, as a server that has read any
    article holds them, without holding anything of this article's own.
    """
    language = None if detect else text.language
    best = float("inf")
    for _ in range(repeat):
        clear_caches()
        if warm_up is not None:
            extract(warm_up.text, warm_up.reference, language=None if detect else warm_up.language)
        started = time.perf_counter()
        extract(text.text, text.reference, language=language)
        best = min(best, time.perf_counter() - started)
    return best


def measure(texts: list[Text], repeat: int = 5) -> list[Rate]:
    """Every case for every language the texts hold, in one run."""
    # Warm up once: compiled patterns and the language model load lazily.
    for text in texts:
        extract(text.text, text.reference, language=None)
    rates = []
    languages = sorted({t.language for t in texts})
    gc.collect()
    gc.disable()  # a collection landing in one repeat is noise, not the extractor's cost
    try:
        for language in languages:
            own = [t for t in texts if t.language == language]
            words = sum(t.words for t in own)
            for case, detect in (("articles", True), ("language given", False)):
                # Each article warmed up by the one before it (the last by the first).
                times = [
                    best_seconds(t, repeat, detect, warm_up=own[i - 1] if len(own) > 1 else None)
                    for i, t in enumerate(own)
                ]
                rates.append(
                    Rate(
                        language=language,
                        case=case,
                        articles=len(own),
                        words=words,
                        seconds=sum(times),
                        per_article_ms=[round(s * 1000, 2) for s in times],
                    )
                )
            joined = Text(
                name=f"{language}: all joined",
                text="\n\n".join(t.text.strip() for t in own),
                language=language,
                reference=max(t.reference for t in own),
            )
            rates.append(
                Rate(
                    language=language,
                    case="one long article",
                    articles=1,
                    words=joined.words,
                    seconds=best_seconds(joined, max(1, repeat // 2), False, warm_up=own[0]),
                )
            )
    finally:
        gc.enable()
    return rates


def report(rates: list[Rate]) -> list[str]:
    """The table the command prints."""
    lines = [
        f"{'language':<9}{'case':<18}{'articles':>9}{'words':>8}{'ms/1000 words':>15}"
        f"{'of 50 ms':>10}{'slowest article ms':>20}"
    ]
    short = {}
    for r in rates:
        slowest = f"{max(r.per_article_ms):.1f}" if r.per_article_ms else "-"
        lines.append(
            f"{r.language:<9}{r.case:<18}{r.articles:>9}{r.words:>8}"
            f"{r.ms_per_1000_words:>15.1f}{r.share_of_target:>9.0%}{slowest:>20}"
        )
        if r.case == "language given":
            short[r.language] = r.ms_per_1000_words
    for r in rates:
        if r.case == "one long article" and short.get(r.language):
            lines.append(
                f"{r.language}: one long article / short articles, per word: "
                f"x{r.ms_per_1000_words / short[r.language]:.2f}"
            )
    lines.append(
        "Best of the repeats for each article; a language's rate is its articles' best "
        "times over their words. 'articles' detects the language, 'language given' names it."
    )
    return lines
