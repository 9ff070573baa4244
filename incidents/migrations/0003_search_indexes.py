"""Full-text search indexes for ``q`` on PostgreSQL (GIN over to_tsvector('simple', ...)).

Each column's text is reduced to its letters and digits first (regexp_replace),
as ``incidents.reads.search`` does when it queries.

The expressions must be exactly those ``incidents.reads.search`` queries with, so the
columns are listed here again (a migration must not change when app code does);
a PostgreSQL test checks with EXPLAIN that every list's ``q`` uses them. SQLite
has no GIN indexes: there the migration does nothing.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import F, Func, TextField, Value

SEARCH_FIELDS = {
    "actor": ("name", "role", "description"),
    "source": ("title", "text"),
    "incident": ("title", "summary", "location"),
    "detaineegroup": ("label", "charges", "description"),
    "figure": ("note",),
    "allegation": ("summary",),
    "citation": ("quote",),
    "term": ("code", "label", "label_es", "description"),
}


def words_only(field):
    """The column with every non-alphanumeric run replaced by a space (see incidents.reads.search)."""
    return Func(
        F(field),
        Value(r"[^[:alnum:]]+"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def index_for(model_name):
    return GinIndex(
        SearchVector(*(words_only(f) for f in SEARCH_FIELDS[model_name]), config="simple"),
        name=f"{model_name[:20]}_search_idx",
    )


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name in SEARCH_FIELDS:
        schema_editor.add_index(apps.get_model("incidents", model_name), index_for(model_name))


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name in SEARCH_FIELDS:
        schema_editor.remove_index(apps.get_model("incidents", model_name), index_for(model_name))


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_seed_terms")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
