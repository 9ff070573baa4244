"""Pagination: ``{count, next, previous, results}``, ``page_size`` capped at 500, keyset links.

A list can be read two ways, and both give the same pages:

- ``page=N`` jumps to a page by its number. The database counts and skips the
  rows before it (``OFFSET``), so a deep page costs more than the first.
- ``cursor=...`` resumes the list after (or before) a given row. ``next`` and
  ``previous`` are always such links: the cursor holds the sort values of the
  last (or first) row of the page, and the next page is the rows that sort after
  it (``incidents.reads.ordering.after``), found through an index however deep the page.
  A client that follows ``next`` pays the same for the thousandth page as for the
  first, and a row added or deleted meanwhile never shifts a page by one.

A cursor is opaque: the sort values it holds (a primary key among them, whose
gaps would count hidden records) are sealed (``incidents.api.sealing``). It is
tied to the ordering it was made for, and a cursor for another ordering, or one
that was not made here, is a 400.

``count`` is exact, and on a large table it is most of a page's cost: the database
counts every matching row the caller may read (a few hundred milliseconds for half
a million figures). ``count=false`` leaves it out (``"count": null``) for clients
that walk a list by its links and do not need the total.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from incidents.api import sealing
from incidents.reads.ordering import Key, after, keys_of

MAX_PAGE_SIZE = 500
CURSOR = "cursor"
FORWARD, BACKWARD = "n", "p"
COUNT = "count"
# The query parameters of pagination, which every list accepts besides its filters.
MAX_OFFSET = 2**63 - 1
PAGE_PARAMETERS = frozenset({"page", "page_size", CURSOR, COUNT})


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page-number pagination with a strict ``page_size``.

    DRF silently falls back to the default page size for a value it cannot read;
    here a malformed or non-positive ``page_size`` is a 400 naming the parameter,
    so a client never mistakes a default page for the size it asked for. Sizes
    above the cap are served at the cap, as the contract documents.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = f"Results per page (1 to {MAX_PAGE_SIZE}; default 50)."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}
                    ]
                }
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1})
        return parameters


def _encode_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def encode_cursor(direction: str, keys: list[Key], values: list) -> str:
    """The cursor of the row with sort ``values``: pages after it (FORWARD) or before it."""
    document = {
        "d": direction,
        "o": [f"-{key.name}" if key.descending else key.name for key in keys],
        "v": [_encode_value(value) for value in values],
    }
    return sealing.seal(sealing.LIST_CURSOR, document)


def _invalid(
    message: str = gettext_lazy("This cursor cannot be read; follow the next and previous links."),
):
    return ValidationError({CURSOR: [message]}, code="invalid")


def decode_cursor(raw: str, keys: list[Key]) -> tuple[str, list]:
    """The direction and the sort values of a cursor made for the order ``keys``."""
    try:
        document = sealing.unseal(sealing.LIST_CURSOR, raw)
        direction, ordering, values = document["d"], document["o"], document["v"]
    except (sealing.Unreadable, KeyError, TypeError):
        raise _invalid() from None
    if direction not in (FORWARD, BACKWARD) or not isinstance(values, list):
        raise _invalid()
    expected = [f"-{key.name}" if key.descending else key.name for key in keys]
    if ordering != expected:
        raise _invalid(_("This cursor belongs to another ordering; start again without it."))
    if len(values) != len(keys):
        raise _invalid()
    try:
        parsed = [
            None if value is None else key.field.to_python(value)
            for key, value in zip(keys, values, strict=True)
        ]
    except (DjangoValidationError, TypeError, ValueError, OverflowError):
        raise _invalid() from None
    if parsed[-1] is None:
        raise _invalid()
    return direction, parsed


def sort_values(row, keys: list[Key]) -> list:
    return [getattr(row, key.field.attname) for key in keys]


class KeysetPagination(PageNumberPagination):
    """Page numbers or keyset cursors (see the module docstring); links are always cursors.

    Lists that are not a queryset in a total order of the model's own columns
    (a record's history, the latest figures) fall back to page numbers only.
    """

    keyset = True
    cursor_query_param = CURSOR
    cursor_query_description = (
        "Where to resume the list: the value from a next or previous link. Use it "
        "instead of page to walk a long list; a deep page then costs what the first does."
    )

    def paginate_queryset(self, queryset, request, view=None):
        self.keys = keys_of(queryset) if self.keyset and isinstance(queryset, QuerySet) else None
        cursor = request.query_params.get(self.cursor_query_param)
        self.uncounted = False
        if self.keys is None:
            if cursor is not None:
                raise _invalid(_("This list is paginated by page number only."))
            if self.wants_count(request):
                return super().paginate_queryset(queryset, request, view)
            # Page numbers without the total: links by page number, count null.
            self.uncounted = True
            self.rows = self._numbered_uncounted(queryset, request)
            return self.rows
        if cursor is not None and self.page_query_param in request.query_params:
            raise ValidationError(
                {self.cursor_query_param: [_("Give either cursor or page, not both.")]},
                code="invalid",
            )
        queryset = queryset.order_by(*(key.order_by() for key in self.keys))
        counted = self.wants_count(request)
        if cursor is None and counted:
            rows = super().paginate_queryset(queryset, request, view)
            self.count = self.page.paginator.count
            self.has_next, self.has_previous = self.page.has_next(), self.page.has_previous()
        elif cursor is None:
            rows = self._numbered_uncounted(queryset, request)
        else:
            rows = self._resume(queryset, request, cursor, counted)
        self.rows = rows
        return rows

    def wants_count(self, request) -> bool:
        raw = request.query_params.get(COUNT)
        if raw is None or raw.strip().lower() in ("true", "1", "yes"):
            return True
        if raw.strip().lower() in ("false", "0", "no"):
            return False
        raise ValidationError({COUNT: [_("Enter true or false.")]}, code="invalid")

    def _numbered_uncounted(self, queryset, request) -> list:
        """Page ``page`` without counting: one row more than the page tells if there is a next."""
        self.request = request
        self.count = None
        size = self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param) or "1"
        # ASCII digits only: "²" is a digit to str.isdigit() but not to int().
        number = int(raw) if raw.isascii() and raw.isdigit() else 0
        offset = (number - 1) * size
        # Databases take 64-bit offsets; a page beyond them is beyond every list.
        if number < 1 or offset + size + 1 > MAX_OFFSET:
            raise NotFound(self.invalid_page_message)
        rows = list(queryset[offset : offset + size + 1])
        if number > 1 and not rows:
            raise NotFound(self.invalid_page_message)
        self.number = number
        self.has_next, self.has_previous = len(rows) > size, number > 1
        return rows[:size]

    def _resume(self, queryset, request, cursor: str, counted: bool = True) -> list:
        self.request = request
        size = self.get_page_size(request)
        direction, values = decode_cursor(cursor, self.keys)
        self.count = queryset.count() if counted else None
        if direction == FORWARD:
            rows = list(queryset.filter(after(self.keys, values))[: size + 1])
            self.has_next, self.has_previous = len(rows) > size, True
            return rows[:size]
        backwards = [key.reversed() for key in self.keys]
        rows = list(
            queryset.filter(after(backwards, values)).order_by(
                *(key.order_by() for key in backwards)
            )[: size + 1]
        )
        self.has_next, self.has_previous = True, len(rows) > size
        return rows[:size][::-1]

    def _link(self, direction: str, row) -> str:
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        cursor = encode_cursor(direction, self.keys, sort_values(row, self.keys))
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_next_link(self):
        if self.keys is None and not self.uncounted:
            return super().get_next_link()
        if not self.has_next or not self.rows:
            return None
        if self.keys is None:
            return self._page_link(self.number + 1)
        return self._link(FORWARD, self.rows[-1])

    def get_previous_link(self):
        if self.keys is None and not self.uncounted:
            return super().get_previous_link()
        if not self.has_previous or not self.rows:
            return None
        if self.keys is None:
            return self._page_link(self.number - 1)
        return self._link(BACKWARD, self.rows[0])

    def _page_link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_paginated_response(self, data):
        if self.keys is None and not self.uncounted:
            return super().get_paginated_response(data)
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["nullable"] = True
        response["properties"]["count"]["description"] = "Null with count=false."
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": COUNT,
                "required": False,
                "in": "query",
                "description": "false: leave the total out (count is null), which saves "
                "counting every matching record on a large list. The default is true.",
                "schema": {"type": "boolean"},
            }
        )
        if not self.keyset:
            return parameters
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": self.cursor_query_description,
                "schema": {"type": "string"},
            }
        )
        return parameters


class NumberedPagination(KeysetPagination):
    """Page numbers only, for lists a keyset cannot resume (a cursor is a 400)."""

    keyset = False
