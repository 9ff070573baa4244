"""What the admin shows a staff member: the API's rule (``incidents.access``) at every door.

A viewer (no ``view_restricted``) must not read a restricted record through the
admin any more than through the API: not on its page, nor in a list, an inline,
a link's label, a search that matches its words, an autocomplete, or a history
page. Every door of the admin goes through these functions:

- ``scoped``: the records of a queryset the staff member may read (each admin's
  ``get_queryset``, inlines, autocompletes, prefetched citations);
- ``may_see`` and ``hide_unreadable``: a fetched record's links to records the
  staff member may not read are shown as empty (list columns, forms, history);
- ``search``: the changelist search, matching words of linked records (a
  figure's quotes, a source's issuer) only among those the staff member may read.

The one difference from the API: staff see deleted records, to restore them.
"""

import operator
from functools import reduce

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.text import smart_split, unescape_string_literal
from simple_history.template_utils import HistoricalRecordContextHelper

from incidents.access import principal_of, readable_by, visible

EMPTY = "-"


def scoped(queryset: QuerySet, request, live: bool = False) -> QuerySet:
    """The records of ``queryset`` the staff member may read (deleted ones too, unless ``live``)."""
    return visible(queryset, request, deleted=not live)


def may_see(obj, request) -> bool:
    """Whether the staff member may read this fetched record (its own visibility)."""
    return obj is not None and readable_by(obj, principal_of(request), deleted=True)


def record_links(model) -> list[models.ForeignKey]:
    """The model's links to kinds of records that have a visibility."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and hasattr(field.related_model, "visibility")
    ]


def hide_unreadable(obj, request, seen: dict | None = None):
    """``obj`` with every link to a record the staff member may not read set to empty.

    On this in-memory instance only: for pages that show a record without saving it
    (a viewer's read-only page, a history entry). ``seen`` carries what earlier
    calls found, (kind, pk) to readable, so that a page of history entries, which
    mostly link to the same few records, reads each of them once. Returns ``obj``.
    """
    principal = principal_of(request)
    seen = {} if seen is None else seen
    for field in record_links(type(obj)):
        pk = getattr(obj, field.attname)
        if pk is None:
            continue
        key = (field.related_model, pk)
        if key not in seen:
            try:
                linked = getattr(obj, field.name)
            except ObjectDoesNotExist:  # an old entry's link to a row no longer there
                linked = None
            seen[key] = readable_by(linked, principal, deleted=True)
        if not seen[key]:
            setattr(obj, field.name, None)
    return obj


def link_column(field: models.ForeignKey, request):
    """A list column showing the linked record, or "-" when the staff member may not read it."""

    def column(obj):
        linked = getattr(obj, field.name)
        return linked if may_see(linked, request) else EMPTY

    column.short_description = field.verbose_name
    column.admin_order_field = field.name
    return column


def list_display(model, names, request) -> list:
    """``names`` with each link to a kind of record replaced by its ``link_column``."""
    links = {field.name: field for field in record_links(model)}
    return [link_column(links[name], request) if name in links else name for name in names]


def _condition(model, path: str, term: str, request) -> Q:
    """Records of ``model`` whose ``path`` (a field, or one link then a field) holds ``term``."""
    lookup = "iexact" if path.startswith("=") else "icontains"
    path = path.lstrip("=^@")
    name, _, rest = path.partition("__")
    if not rest:
        return Q(**{f"{name}__{lookup}": term})
    field = model._meta.get_field(name)
    related = field.related_model
    matches = related._default_manager.filter(**{f"{rest}__{lookup}": term})
    if hasattr(related, "visibility"):
        matches = scoped(matches, request, live=True)
    if field.concrete and (field.many_to_one or field.one_to_one):
        return Q(**{f"{name}__in": matches.values("pk")})
    if field.many_to_many and not field.auto_created:
        through = getattr(model, name).through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        return Q(
            pk__in=through.objects.filter(**{f"{target}__in": matches.values("pk")}).values(source)
        )
    # A reverse link (a figure's citations): the records the matching ones point at.
    return Q(pk__in=matches.values(field.field.attname))


def search(model_admin, request, queryset: QuerySet, term: str) -> tuple[QuerySet, bool]:
    """``ModelAdmin.get_search_results``, matching linked records only where readable.

    Every word must match one of the search fields, as in Django's own search; a
    field on a linked record (``issuer__name``, ``citations__quote``) matches only
    linked records the staff member may read, so a record is never found by the
    words of a restricted quote or a hidden issuer's name.
    """
    fields = model_admin.get_search_fields(request)
    if not fields or not term:
        return queryset, False
    words = []
    for bit in smart_split(term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        words.append(bit)
    model = queryset.model
    for word in words:
        queryset = queryset.filter(
            reduce(operator.or_, (_condition(model, path, word, request) for path in fields))
        )
    # Links are matched through subqueries, never joins: no row comes back twice.
    return queryset, False


class ShownHistoryHelper(HistoricalRecordContextHelper):
    """A history entry's changes, with links to records the staff member may not read hidden."""

    def __init__(self, model, historical_record, *, request, **kwargs):
        super().__init__(model, historical_record, **kwargs)
        self.request = request

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, models.Model) and hasattr(value, "visibility"):
            return value if may_see(value, self.request) else EMPTY
        if isinstance(value, list):
            return [
                EMPTY
                if isinstance(item, models.Model)
                and hasattr(item, "visibility")
                and not may_see(item, self.request)
                else item
                for item in value
            ]
        return value


def readable_records(records: list, request) -> list:
    """Of these fetched records (of any kinds), those the staff member may read, containers too."""
    by_model: dict = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record.pk)
    allowed = {
        (model, pk)
        for model, pks in by_model.items()
        for pk in scoped(model._base_manager.filter(pk__in=pks), request).values_list(
            "pk", flat=True
        )
    }
    return [record for record in records if (type(record), record.pk) in allowed]


def limit_choices(formfield, db_field, request):
    """A form's choices for a link: only live records the staff member may read.

    A selected value outside them is not rendered, so its label never reaches the page.
    """
    if formfield is not None and hasattr(db_field.related_model, "visibility"):
        formfield.queryset = scoped(formfield.queryset, request, live=True)
    return formfield
