"""Many rows in a few statements: the INSERTs and UPDATEs of batched writes.

Django's ``bulk_create`` and ``bulk_update`` compile every value of every row
(its placeholder, ``pre_save``, its conversion, and for updates a CASE branch
per row and column). For an import of thousands of records, each with a
citation and a history entry for both, that is most of the time the import
takes. Here the columns, the statement and each column's conversion are
worked out once:

- values that need no conversion for their column (text in a text column, an
  integer in an integer column, NULL) are sent as they are, which is all
  their field's ``get_db_prep_save`` would do with them;
- every other value goes through its field's ``get_db_prep_save``, and
  ``auto_now``/``auto_now_add`` fields through ``pre_save``, as ``save()``
  would, so the database holds exactly what single saves leave.

Nothing here sends a signal or writes history: callers do that
(``audit.bulk_history_create``, ``changes.record_changes``).
"""

import datetime
import sqlite3
from contextlib import nullcontext
from functools import cache

from django.db import connection, models
from django.db.backends.utils import CursorDebugWrapper

# Column types whose prepared value is the value itself when it is a plain str or int.
PLAIN_TYPES = frozenset(
    {
        "CharField",
        "TextField",
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
PLAIN_VALUES = (str, int)
REPEATING = (datetime.date, datetime.datetime)


def _plain(field: models.Field) -> bool:
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    return target.get_internal_type() in PLAIN_TYPES


def _converter(field: models.Field):
    """``get_db_prep_save`` for one column, skipped for values it would not change.

    Dates and times repeat down a column (the moment of a batch, the day of its
    figures): each is converted once while it repeats.
    """
    prep = field.get_db_prep_save
    if _plain(field):
        return lambda value: (
            value if value is None or type(value) in PLAIN_VALUES else prep(value, connection)
        )
    last = [None, None]  # the previous value of a repeating kind, and what it became

    def convert(value):
        if type(value) in REPEATING and type(value) is type(last[0]) and value == last[0]:
            return last[1]
        last[0], last[1] = value, prep(value, connection)
        return last[1]

    return convert


def _reader(field: models.Field, add: bool, now):
    """How to read the value to save from an instance: ``pre_save`` where a field has one.

    ``now``: the moment ``auto_now`` and ``auto_now_add`` fields take (set on the
    instance as ``pre_save`` would); None for the time of each call, as ``save()``.
    """
    attname = field.attname
    stamped = getattr(field, "auto_now", False) or (add and getattr(field, "auto_now_add", False))
    if stamped and now is not None:

        def stamp(obj):
            setattr(obj, attname, now)
            return now

        return stamp
    if type(field).pre_save is models.Field.pre_save:
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.pre_save(obj, add)


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


def insert(model, objs: list, *, now=None) -> None:
    """INSERT ``objs`` (unsaved instances of ``model``), setting each one's primary key.

    PostgreSQL: the keys are drawn from the table's sequence in one query, in
    the order of ``objs``, and the rows sent with one COPY. Elsewhere: one
    multi-row INSERT per as many rows as the database takes parameters for,
    ``RETURNING`` the keys (Django's ``bulk_create`` where there is no
    ``RETURNING``). ``now``: the creation time of every row (see ``_reader``).
    """
    if not objs:
        return
    postgresql = connection.vendor == "postgresql"
    if not (postgresql or connection.features.can_return_rows_from_bulk_insert):
        model._base_manager.bulk_create(objs)
        return
    fields = columns(model)
    readers = [_reader(field, True, now) for field in fields]
    converters = [_converter(field) for field in fields]
    rows = [
        [convert(read(obj)) for read, convert in zip(readers, converters, strict=True)]
        for obj in objs
    ]
    pk = model._meta.pk
    with connection.cursor() as cursor:
        if postgresql:
            keys = _next_keys(cursor, model, len(objs))
            rows = [[key, *row] for key, row in zip(keys, rows, strict=True)]
            _copy(cursor, model, (pk, *fields), rows)
        else:
            keys = _insert_returning(cursor, model, fields, rows)
    for obj, key in zip(objs, keys, strict=True):
        setattr(obj, pk.attname, key)
        obj._state.adding = False
        obj._state.db = connection.alias


def _next_keys(cursor, model, count: int) -> list[int]:
    """``count`` new keys from the sequence of ``model``'s table, ascending."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return sorted(key for (key,) in cursor.fetchall())


def _insert_returning(cursor, model, fields, rows: list[list]) -> list:
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


def _copy(cursor, model, fields, rows: list[list]) -> None:
    """PostgreSQL's COPY of converted rows into these columns: one statement, however many rows.

    Run through the cursor's execute wrappers and, when queries are logged, logged,
    like any statement; its errors become Django's (``IntegrityError``, ...).
    """
    quote = connection.ops.quote_name
    sql = (
        f"COPY {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) FROM STDIN"
    )

    def copy(sql, params, many, context):
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as stream:
            for row in rows:
                stream.write_row(row)

    logged = cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
    with logged:
        cursor._execute_with_wrappers(sql, None, many=False, executor=copy)


def insert_rows(model, rows: list[list]) -> None:
    """INSERT rows given as values, one per column of ``columns(model)``, in that order.

    For rows nobody needs back as instances (history entries): no keys are
    returned. Values are converted as in ``insert``; PostgreSQL gets one COPY,
    others one statement executed for every row.
    """
    if not rows:
        return
    fields = columns(model)
    converters = [_converter(field) for field in fields]
    params = [
        [convert(value) for convert, value in zip(converters, row, strict=True)] for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, model, fields, params)
            return
        quote = connection.ops.quote_name
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})",
            params,
        )


def update(model, objs: list, names: list[str]) -> None:
    """UPDATE the fields ``names`` of ``objs`` to their values on the instances.

    One statement, executed for every row. Like ``bulk_update``, no ``pre_save``:
    set ``updated_at`` (and the version) on the instances first.
    """
    if not objs:
        return
    fields = [model._meta.get_field(name) for name in names]
    converters = [_converter(field) for field in fields]
    pk = model._meta.pk
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET "
        + ", ".join(f"{quote(field.column)} = %s" for field in fields)
        + f" WHERE {quote(pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                [
                    *(
                        convert(getattr(obj, field.attname))
                        for field, convert in zip(fields, converters, strict=True)
                    ),
                    obj.pk,
                ]
                for obj in objs
            ],
        )
