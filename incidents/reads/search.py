"""Full-text search for the ``q`` filter, with the same answers on PostgreSQL and SQLite.

Every word of the query must begin a word of the record's text (``tortur`` finds
"tortured", ``electric shock`` finds "electric shocks"); case does not matter,
accents do. A word is a run of letters and digits: "info@foropenal.com" holds
the words info, foropenal and com, "2024-07-29" holds 2024, 07 and 29.

On PostgreSQL this is ``to_tsvector('simple', <text with every non-alphanumeric
run replaced by a space>) @@ 'word':*``, served by the GIN expression indexes of
migration 0003. The replacement stops PostgreSQL's parser from keeping e-mail
addresses, URLs, dates and decimals as single tokens, which SQLite would split.
(It relies on a UTF-8 ``LC_CTYPE`` so that accented letters count as letters.)
On SQLite it is a word-boundary regular expression over the same columns.
Neither stems, so both agree on what matches.

A model's text is its own columns, plus the verbatim quotes of its citations for
the records citations support, so ``q`` finds a figure by the words its source
used.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value

CONFIG = "simple"
MAX_WORDS = 12
# Letters and digits: PostgreSQL's parser splits words at underscores and hyphens too.
WORD = re.compile(r"[^\W_]+")

# The columns searched per model. Migration 0003 indexes exactly these
# expressions on PostgreSQL; change both together.
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "actor": ("name", "role", "description"),
    "source": ("title", "text"),
    "incident": ("title", "summary", "location"),
    "detaineegroup": ("label", "charges", "description"),
    "figure": ("note",),
    "allegation": ("summary",),
    "citation": ("quote",),
    "term": ("code", "label", "label_es", "description"),
}


def search_words(q: str) -> list[str]:
    """The words of a query, lower-cased; punctuation and operators are not syntax here."""
    return [word.lower() for word in WORD.findall(q)]


def words_only(field: str) -> Func:
    """A column with every run of non-alphanumeric characters replaced by one space."""
    return Func(
        F(field),
        Value(r"[^[:alnum:]]+"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def search_vector(model_name: str) -> SearchVector:
    """The indexed text of a model, as PostgreSQL sees it (migration 0003 builds the same)."""
    return SearchVector(*(words_only(f) for f in SEARCH_FIELDS[model_name]), config=CONFIG)


def text_matches(queryset: QuerySet, words: list[str]) -> QuerySet:
    """Rows of ``queryset`` whose own searched columns contain every word."""
    fields = SEARCH_FIELDS[queryset.model._meta.model_name]
    if connection.vendor == "postgresql":
        query = SearchQuery(
            " & ".join(f"{word}:*" for word in words), config=CONFIG, search_type="raw"
        )
        return queryset.alias(_search=search_vector(queryset.model._meta.model_name)).filter(
            _search=query
        )
    condition = Q()
    for word in words:
        pattern = rf"(?<![^\W_]){re.escape(word)}"
        condition &= _any_field(fields, pattern)
    return queryset.filter(condition)


def _any_field(fields, pattern) -> Q:
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__iregex": pattern})
    return match
