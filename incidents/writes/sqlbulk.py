"""Many rows in a few statements: the INSERTs, UPDATEs and lookups of batched writes.

Django's ``bulk_create`` and ``bulk_update`` compile every value of every row
(its placeholder, ``pre_save``, its conversion, and for updates a CASE branch
per row and column). For an import of thousands of records, each with a
citation and a history entry for both, that is most of the time the import
takes. Here the columns, the statement and each column's conversion are
worked out once, and values are converted a column at a time:

- values that need no conversion for their column (text in a text column, an
  integer in an integer column, NULL) are sent as they are, which is all
  their field's ``get_db_prep_save`` would do with them (``_converter``);
- every other value goes through its field's ``get_db_prep_save``, and
  ``auto_now``/``auto_now_add`` fields through ``pre_save``, as ``save()``
  would, so the database holds exactly what single saves leave.

On PostgreSQL rows go in with a binary COPY, updates join the table to the
new values in one statement, and long ``IN`` lookups send their values as one
array (``among``). Nothing here sends a signal or writes history: callers do
that (``audit.bulk_history_create``, ``changes.record_changes``).
"""

import datetime
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from functools import cache
from operator import attrgetter

from django.db import connection, models
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import F, Lookup, Q

# Column types whose prepared value is the value itself: any str for text (``to_python``
# returns a str as it is), an int (exactly: a bool or an enum member is converted) for
# integers.
TEXT_TYPES = frozenset({"CharField", "TextField"})
INTEGER_TYPES = frozenset(
    {
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
    }
)
# Immutable values that repeat down a column (the moment of a batch, NULL): converted once
# while they repeat.
REPEATING = (datetime.date, datetime.datetime, type(None))

Column = list  # the values of one column, row by row
ColumnConverter = Callable[[Sequence], Column]


def _internal_type(field: models.Field) -> str:
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    return target.get_internal_type()


def _keeps_any_str(field: models.Field) -> bool:
    """Whether the field is Django's own text field, whose ``get_db_prep_save`` keeps any str.

    (An enum member of ``TextChoices`` included.) A subclass that converts its
    values its own way (a country) keeps an exact str only.
    """
    kind = type(field)
    return (
        kind.get_db_prep_save is models.Field.get_db_prep_save
        and kind.get_db_prep_value is models.Field.get_db_prep_value
        and kind.get_prep_value
        in (models.CharField.get_prep_value, models.TextField.get_prep_value)
        and kind.to_python in (models.CharField.to_python, models.TextField.to_python)
    )


def _converter(field: models.Field) -> ColumnConverter:
    """``get_db_prep_save`` for a whole column, skipped for values it would not change.

    A column at a time, in one comprehension: a function call per value costs
    more than most conversions. What each kind of column does:

    - text and integers: values that need no conversion (a str in a text
      column, see ``_keeps_any_str``; an int in an integer column; NULL) are
      kept as they are, which is all ``get_db_prep_save`` would do with them;
      others go through it;
    - a ``UUIDField`` (Django's own): a ``UUID`` becomes what its
      ``get_db_prep_value`` makes of one (itself where the database has a
      UUID type, its hex digits elsewhere), without parsing it again;
    - a ``DateField`` (Django's own, not a ``DateTimeField``): a ``date`` goes
      straight to the backend's ``adapt_datefield_value``, where
      ``get_db_prep_value`` sends it after finding it is already a date;
    - anything else: ``get_db_prep_save``, once for each run of equal dates,
      times or NULLs (see ``REPEATING``).
    """
    prep = field.get_db_prep_save
    kind = _internal_type(field)
    if kind in TEXT_TYPES and _keeps_any_str(field):
        return lambda column: [
            value if value is None or isinstance(value, str) else prep(value, connection)
            for value in column
        ]
    if kind in TEXT_TYPES:
        return lambda column: [
            value if value is None or type(value) is str else prep(value, connection)
            for value in column
        ]
    if kind in INTEGER_TYPES:
        return lambda column: [
            value if value is None or type(value) is int else prep(value, connection)
            for value in column
        ]
    if type(field) is models.UUIDField:
        if connection.features.has_native_uuid_field:
            return lambda column: [
                value if value is None or type(value) is uuid.UUID else prep(value, connection)
                for value in column
            ]
        return lambda column: [
            value.hex
            if type(value) is uuid.UUID
            else (None if value is None else prep(value, connection))
            for value in column
        ]
    if type(field) is models.DateField:
        adapt = connection.ops.adapt_datefield_value
        return lambda column: [
            adapt(value)
            if type(value) is datetime.date
            else (None if value is None else prep(value, connection))
            for value in column
        ]

    def convert(column: Sequence) -> Column:
        converted = []
        last, last_converted = None, None  # the previous value of a repeating kind, converted
        for value in column:
            if type(value) in REPEATING and type(value) is type(last) and value == last:
                converted.append(last_converted)
                continue
            last, last_converted = value, prep(value, connection)
            converted.append(last_converted)
        return converted

    return convert


def _simple_pre_save(field: models.Field) -> bool:
    """Whether the field's ``pre_save`` only reads the instance's value (most do)."""
    pre_save = type(field).pre_save
    if pre_save is models.Field.pre_save:
        return True
    # Dates and times stamp themselves only when auto_now(_add) says so.
    return pre_save in (models.DateField.pre_save, models.DateTimeField.pre_save) and not (
        field.auto_now or field.auto_now_add
    )


def _read(objs: list, field: models.Field, add: bool, now) -> Column:
    """The values of one column to save, read from the instances as ``save()`` reads them.

    ``pre_save`` where a field has one that does more than read the value;
    ``now``: the moment ``auto_now`` and ``auto_now_add`` fields take (set on each
    instance, as ``pre_save`` would); None for the time of each call, as ``save()``.
    """
    attname = field.attname
    stamped = getattr(field, "auto_now", False) or (add and getattr(field, "auto_now_add", False))
    if stamped and now is not None:
        for obj in objs:
            setattr(obj, attname, now)
        return [now] * len(objs)
    if _simple_pre_save(field):
        return list(map(attrgetter(attname), objs))
    return [field.pre_save(obj, add) for obj in objs]


def _converted(fields: Sequence[models.Field], columns: list[Sequence]) -> list[tuple]:
    """Rows of converted values, from columns of values to save."""
    return list(
        zip(
            *(_converter(field)(column) for field, column in zip(fields, columns, strict=True)),
            strict=True,
        )
    )


@cache
def columns(model) -> tuple[models.Field, ...]:
    """The columns an INSERT of ``model`` gives values for: all but the generated key."""
    return tuple(
        field
        for field in model._meta.concrete_fields
        if not isinstance(field, models.AutoField) and not field.generated
    )


def _max_params() -> int:
    """Parameters one statement may hold on this database."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        # The library's own limit (32766 since SQLite 3.32), not Django's conservative 999.
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 30000


class AnyOf(Lookup):
    """``column = ANY(%s)``: PostgreSQL's ``IN``, the values sent as one array.

    Django sends ``IN (%s, %s, ...)``: a placeholder and a parameter per value,
    each of which the driver then splits out of the statement and formats, and
    the server parses. For thousands of values that is twice the time of the
    query itself; an array is one parameter, formatted at once. The array is
    cast to the column's type, so the comparison is the one ``IN`` makes.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        field = self.lhs.output_field
        return ("%s", [[field.get_db_prep_value(item, connection) for item in value]])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _, rhs_params = self.process_rhs(compiler, connection)
        cast = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs} = ANY(%s::{cast}[])", [*lhs_params, *rhs_params]


def among(name: str, values: Sequence):
    """A filter: rows whose ``name`` is one of ``values`` (``__in``; ``AnyOf`` on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return AnyOf(F(name), list(values))
    return Q(**{f"{name}__in": values})


def chunks(values: Sequence, most: int = 5000):
    """``values`` in slices for ``__in`` lookups: as many a query as the database takes.

    Up to ``most`` (a bound on the size of one statement), less a margin for the
    query's other parameters. Fewer, larger lookups cost less than many small
    ones, on PostgreSQL especially, where each may scan a table its statistics
    still think small (rows written earlier in the same transaction).
    """
    size = max(1, min(most, _max_params() - 100))
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert(model, objs: list, *, now=None) -> None:
    """INSERT ``objs`` (unsaved instances of ``model``), setting each one's primary key.

    PostgreSQL: the keys are drawn from the table's sequence in one query, in
    the order of ``objs``, and the rows sent with one COPY. Elsewhere: one
    multi-row INSERT per as many rows as the database takes parameters for,
    ``RETURNING`` the keys (Django's ``bulk_create`` where there is no
    ``RETURNING``). ``now``: the creation time of every row (see ``_read``).
    """
    if not objs:
        return
    if not (
        connection.vendor == "postgresql" or connection.features.can_return_rows_from_bulk_insert
    ):
        model._base_manager.bulk_create(objs)
        return
    fields = columns(model)
    rows = _converted(fields, [_read(objs, field, True, now) for field in fields])
    keys = _insert(model, fields, rows, returning=True)
    pk = model._meta.pk
    for obj, key in zip(objs, keys, strict=True):
        setattr(obj, pk.attname, key)
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_rows(model, rows: list[Sequence], *, returning: bool = False) -> list | None:
    """INSERT rows given as values, one per column of ``columns(model)``, in that order.

    For rows nobody needs back as instances (history entries, the change feed).
    Values are converted as in ``insert``. ``returning``: return the new keys,
    in the order of ``rows``; otherwise PostgreSQL gets one COPY, others one
    statement executed for every row.
    """
    if not rows:
        return [] if returning else None
    fields = columns(model)
    converted = _converted(fields, list(zip(*rows, strict=True)))
    return _insert(model, fields, converted, returning=returning)


def _insert(model, fields, rows: list[tuple], *, returning: bool) -> list | None:
    """Converted rows into these columns; their new keys if ``returning``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if not returning:
                _copy(cursor, model, fields, rows)
                return None
            keys = _next_keys(cursor, model, len(rows))
            _copy(
                cursor,
                model,
                (model._meta.pk, *fields),
                [(key, *row) for key, row in zip(keys, rows, strict=True)],
            )
            return keys
        if returning:
            return _insert_returning(cursor, model, fields, rows)
        quote = connection.ops.quote_name
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})",
            rows,
        )
        return None


# (database, table) -> the sequence its keys come from, looked up once per process.
_SEQUENCES: dict[tuple[str, str], str] = {}


def _next_keys(cursor, model, count: int) -> list[int]:
    """``count`` new keys from the sequence of ``model``'s table, ascending.

    The sequence is named in the query as a constant: ``nextval`` of an
    expression (``pg_get_serial_sequence(...)``) looks the sequence up again
    for every key, ten times the cost of drawing it.
    """
    table = model._meta.db_table
    known = (connection.settings_dict["NAME"], table)
    sequence = _SEQUENCES.get(known)
    if sequence is None:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
        sequence = _SEQUENCES[known] = cursor.fetchone()[0]
    cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
    return sorted(key for (key,) in cursor.fetchall())


def _insert_returning(cursor, model, fields, rows: list[tuple]) -> list:
    """Multi-row INSERTs ``RETURNING`` the new keys, in the order of ``rows``."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning, returning_params = connection.ops.return_insert_columns([model._meta.pk])
    per_statement = max(1, _max_params() // len(fields))
    keys = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) "
            f"VALUES {', '.join([placeholders] * len(chunk))} {returning}",
            [value for row in chunk for value in row] + list(returning_params),
        )
        keys += [key for (key,) in cursor.fetchall()]
    return keys


def _copy_types(fields) -> list[int] | None:
    """The PostgreSQL type of each column, for a binary COPY; None if one is not known.

    A binary COPY sends each value in its column's own binary form, which
    PostgreSQL takes as it is (a text COPY has it parse every value from text,
    and the driver format every value as text first: several times the work on
    both sides). It applies no cast, so the types given must be the columns'
    own: each field's ``db_type``, looked up among the driver's known types.
    """
    registry = connection.connection.adapters.types
    oids = []
    for field in fields:
        name = (field.db_type(connection) or "").split("(")[0].strip()
        try:
            oids.append(registry.get_oid(name))
        except KeyError:
            return None  # a type of its own (an extension's): a text COPY
    return oids


def _copy(cursor, model, fields, rows: list) -> None:
    """PostgreSQL's COPY of converted rows into these columns: one statement, however many rows.

    Binary where every column's type is known (``_copy_types``), text otherwise.
    Run through the cursor's execute wrappers and, when queries are logged, logged,
    like any statement; its errors become Django's (``IntegrityError``, ...).
    """
    quote = connection.ops.quote_name
    types = _copy_types(fields)
    sql = (
        f"COPY {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) FROM STDIN"
        + (" (FORMAT BINARY)" if types is not None else "")
    )

    def copy(sql, params, many, context):
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as stream:
            if types is not None:
                stream.set_types(types)
            for row in rows:
                stream.write_row(row)

    logged = cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
    with logged:
        cursor._execute_with_wrappers(sql, None, many=False, executor=copy)


def update(model, objs: list, names: list[str]) -> None:
    """UPDATE the fields ``names`` of ``objs`` to their values on the instances.

    Like ``bulk_update``, no ``pre_save``: set ``updated_at`` (and the version)
    on the instances first. PostgreSQL: one statement per as many rows as it
    takes parameters for, joining the table to the new values (``UPDATE ...
    FROM (VALUES ...)``), each value cast to its column's type; a statement a
    row would cost a round trip, a parse and a plan each. Elsewhere (SQLite,
    which prepares the statement once and runs it in process): one statement,
    executed for every row.
    """
    if not objs:
        return
    fields = [model._meta.get_field(name) for name in names]
    rows = _converted(fields, [list(map(attrgetter(field.attname), objs)) for field in fields])
    rows = [(*row, obj.pk) for row, obj in zip(rows, objs, strict=True)]
    pk = model._meta.pk
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                f"UPDATE {table} SET "
                + ", ".join(f"{quote(field.column)} = %s" for field in fields)
                + f" WHERE {quote(pk.column)} = %s",
                rows,
            )
            return
        columns = [*fields, pk]
        names = [f"c{index}" for index in range(len(columns))]  # the VALUES' own column names
        row = "(" + ", ".join(f"%s::{field.cast_db_type(connection)}" for field in columns) + ")"
        per_statement = max(1, _max_params() // len(columns))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"UPDATE {table} SET "
                + ", ".join(
                    f"{quote(field.column)} = v.{name}"
                    for field, name in zip(fields, names, strict=False)
                )
                + f" FROM (VALUES {', '.join([row] * len(chunk))}) AS v ({', '.join(names)})"
                + f" WHERE {table}.{quote(pk.column)} = v.{names[-1]}",
                [value for values in chunk for value in values],
            )
