"""Total orders for lists, and the keyset condition that resumes one after a given row.

Every list is sorted by its ``ordering`` (or the model's default) and then by
``pk``, so that no two rows tie and pages never repeat or skip a row. Columns
that may be NULL are given an explicit place for their NULLs: last when
ascending, first when descending. That is PostgreSQL's default (so its indexes
serve the order as they are) and SQLite is told to do the same, so both
databases return a list, its pages and its export in one and the same order.

A *keyset* resumes such an order after a row without counting the rows before
it: ``after(keys, values)`` is the condition "sorts after the row whose sort
values are ``values``". A database answers it with an index range scan, so the
hundredth page costs what the first does, where ``OFFSET`` reads and throws
away every row before the page.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Field, OrderBy, Q, QuerySet


@dataclass(frozen=True)
class Key:
    """One column of a total order: its name as ordered by, the model field, the direction."""

    name: str
    field: Field
    descending: bool

    @property
    def nullable(self) -> bool:
        return self.field.null

    def order_by(self) -> OrderBy:
        expression = F(self.name)
        if not self.nullable:
            return expression.desc() if self.descending else expression.asc()
        # NULLs sort as the largest value on both databases (see the module docstring).
        if self.descending:
            return expression.desc(nulls_first=True)
        return expression.asc(nulls_last=True)

    def reversed(self) -> "Key":
        return Key(self.name, self.field, not self.descending)


def _key(model, term) -> Key | None:
    if isinstance(term, str):
        descending = term.startswith("-")
        name = term.lstrip("-")
    elif isinstance(term, OrderBy) and isinstance(term.expression, F):
        descending = term.descending
        name = term.expression.name
    else:
        return None
    if "__" in name or name == "?":
        return None  # related columns and random order have no keyset here
    try:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    except FieldDoesNotExist:  # an annotation: no keyset
        return None
    if not field.concrete or field.many_to_many:
        return None
    if field.is_relation and name != field.attname:
        return None  # ordering by a relation sorts by the related model's own ordering
    return Key(name, field, descending)


def keys_of(queryset: QuerySet) -> list[Key] | None:
    """The total order of ``queryset`` as keys, or None when it is not one keysets can resume.

    It must end with the primary key (every list's order does, see ``total_order``)
    and consist of the model's own columns.
    """
    terms = list(queryset.query.order_by or queryset.model._meta.ordering)
    keys = [_key(queryset.model, term) for term in terms]
    if not keys or any(key is None for key in keys):
        return None
    if keys[-1].field is not queryset.model._meta.pk:
        return None
    return keys


def total_order(queryset: QuerySet) -> QuerySet:
    """``queryset`` ordered as asked, then by ``pk``, with the NULLs of each column placed."""
    terms = list(queryset.query.order_by or queryset.model._meta.ordering)
    if not any(isinstance(t, str) and t.lstrip("-") == "pk" for t in terms):
        terms.append("pk")
    keys = [_key(queryset.model, term) for term in terms]
    if any(key is None for key in keys):
        return queryset.order_by(*terms)
    return queryset.order_by(*(key.order_by() for key in keys))


def _beyond(key: Key, value) -> Q | None:
    """Rows whose ``key`` column sorts strictly after ``value`` (None: no row can)."""
    column = key.name
    if value is None:
        # NULL is the largest value: nothing is above it ascending; descending, every
        # non-NULL value comes after it.
        return Q(**{f"{column}__isnull": False}) if key.descending else None
    beyond = Q(**{f"{column}__lt" if key.descending else f"{column}__gt": value})
    if key.nullable and not key.descending:
        beyond |= Q(**{f"{column}__isnull": True})
    return beyond


def _equal(key: Key, value) -> Q:
    if value is None:
        return Q(**{f"{key.name}__isnull": True})
    return Q(**{key.name: value})


def after(keys: list[Key], values: list) -> Q:
    """Rows that sort after the row whose sort values are ``values``, in the order of ``keys``.

    The usual expansion of a row comparison, ``(a, b, pk) > (x, y, z)``: past ``x`` on
    ``a``, or equal on ``a`` and past ``y`` on ``b``, and so on. The first column's
    bound (``a >= x``) is repeated on its own, so the planner can start an index
    range scan there.
    """
    branches = []
    prefix = Q()
    for key, value in zip(keys, values, strict=True):
        beyond = _beyond(key, value)
        if beyond is not None:
            branches.append(prefix & beyond)
        prefix &= _equal(key, value)
    if not branches:
        return Q(pk__in=[])  # the row sorts last: nothing comes after it
    condition = branches[0]
    for branch in branches[1:]:
        condition |= branch
    first, value = keys[0], values[0]
    if value is not None and not (first.nullable and not first.descending):
        bound = Q(**{f"{first.name}__lte" if first.descending else f"{first.name}__gte": value})
        condition = bound & condition
    return condition
