"""Bulk writes (``incidents.writes.sqlbulk``) store exactly what single saves store."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from incidents.choices import Qualifier, Stance, Visibility
from incidents.models import Change, Citation, Figure, Partner, WebhookDelivery
from incidents.writes import sqlbulk
from tests.factories import DetaineeGroupFactory, SourceFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
SAMPLES = [
    None,
    "",
    "text",
    "ünïcode “quoted” 'and' \\ back",
    Visibility.RESTRICTED,  # an enum member: a str of a class of its own
    Qualifier.AT_LEAST,
    0,
    7,
    2_147_483_647,
    True,
    False,
    datetime.date(2024, 8, 1),
    NOW,
    NOW.replace(microsecond=0),
    uuid.uuid4(),
    str(uuid.uuid4()),
]


def _comparable(value):
    """A driver's JSON wrapper (PostgreSQL) compares by what it wraps."""
    return (type(value).__name__, value.obj) if hasattr(value, "obj") else value


def _prepared(field, value):
    try:
        return ("ok", _comparable(field.get_db_prep_save(value, connection)))
    except (TypeError, ValueError, AttributeError, ValidationError, RuntimeWarning) as error:
        return ("error", type(error))


def _converted(field, value):
    try:
        return ("ok", _comparable(sqlbulk._converter(field)([value])[0]))
    except (TypeError, ValueError, AttributeError, ValidationError, RuntimeWarning) as error:
        return ("error", type(error))


@pytest.mark.parametrize(
    "model",
    [
        Figure,
        Citation,
        Figure.history.model,
        Citation.history.model,
        Change,
        WebhookDelivery,
    ],
)
def test_each_column_is_converted_as_get_db_prep_save_converts_it(model):
    """Every value, in every column, alone and in a run of equal values."""
    connection.ensure_connection()
    for field in sqlbulk.columns(model):
        for value in SAMPLES:
            expected = _prepared(field, value)
            assert _converted(field, value) == expected, (field.name, value)
            if expected[0] == "ok":
                column = sqlbulk._converter(field)([value, value, None, value])
                assert [_comparable(v) for v in column] == [
                    expected[1],
                    expected[1],
                    _prepared(field, None)[1],
                    expected[1],
                ]


def _stored(model, pk) -> dict:
    return {
        field.attname: getattr(obj, field.attname)
        for obj in [model.objects.get(pk=pk)]
        for field in model._meta.concrete_fields
        if field.attname not in ("id", "uuid", "created_at", "updated_at")
    }


def test_insert_and_update_store_what_save_stores():
    partner = Partner.objects.create(name="Bulk partner")
    group = DetaineeGroupFactory()
    source = SourceFactory()

    def figures(note):
        return [
            Figure(
                incident=group.incident,
                group=group if n % 2 else None,
                owner=partner if n % 3 else None,
                measure="detained",
                value=None if n == 2 else n,
                value_low=0 if n == 3 else None,
                qualifier=Qualifier.UNSPECIFIED if n == 2 else Qualifier.AT_LEAST,
                as_of=datetime.date(2024, 8, n + 1),
                note=note,
                external_id=f"bulk-{note[:3]}-{n}",
                visibility=Visibility.RESTRICTED,
            )
            for n in range(5)
        ]

    saved, bulk = figures("saved “one by one”"), figures("bulk “one by one”")
    for figure in saved:
        figure.save()
    sqlbulk.insert(Figure, bulk, now=NOW)
    assert all(figure.pk is not None and not figure._state.adding for figure in bulk)
    for one, other in zip(saved, bulk, strict=True):
        expected = _stored(Figure, one.pk)
        got = _stored(Figure, other.pk)
        assert {**got, "note": None, "external_id": None} == {
            **expected,
            "note": None,
            "external_id": None,
        }
        assert Figure.objects.get(pk=other.pk).updated_at == NOW

    citations = [
        Citation(source=source, quote="q “x”", stance=Stance.ASSERTS, figure=figure, note="")
        for figure in bulk
    ]
    sqlbulk.insert(Citation, citations, now=NOW)
    assert [c.figure_id for c in Citation.objects.filter(pk__in=[c.pk for c in citations])] == [
        figure.pk for figure in bulk
    ]

    # Updates: every kind of value, NULL included, as save() leaves it.
    for n, (one, other) in enumerate(zip(saved, bulk, strict=True)):
        for figure in (one, other):
            figure.value = None if n % 2 else n + 100
            figure.value_low = n
            figure.qualifier = Qualifier.UNSPECIFIED if n % 2 else Qualifier.EXACT
            figure.as_of = datetime.date(2025, 1, n + 1)
            figure.deleted_at = NOW if n == 4 else None
            figure.note = f"changed «{n}»"
    for figure in saved:
        Figure.objects.filter(pk=figure.pk).update(
            **{name: getattr(figure, name) for name in ("value", "value_low", "qualifier")},
            as_of=figure.as_of,
            deleted_at=figure.deleted_at,
            note=figure.note,
        )
    sqlbulk.update(Figure, bulk, ["value", "value_low", "qualifier", "as_of", "deleted_at", "note"])
    for one, other in zip(saved, bulk, strict=True):
        assert {**_stored(Figure, other.pk), "external_id": None} == {
            **_stored(Figure, one.pk),
            "external_id": None,
        }


def test_rows_without_keys_and_with_keys():
    """``insert_rows``: the keys back, in order, when asked for; the rows stored either way."""
    rows = [
        ("figures", uuid.uuid4(), "created", n, NOW, "restricted", None, "nobody", None)
        for n in range(1, 4)
    ]
    assert sqlbulk.insert_rows(Change, rows[:1]) is None
    keys = sqlbulk.insert_rows(Change, rows[1:], returning=True)
    assert keys == sorted(keys) and len(keys) == 2
    stored = list(Change.objects.order_by("seq").values_list("record_uuid", "version", "seq"))
    assert [(u, v) for u, v, _ in stored] == [(row[1], row[3]) for row in rows]
    assert [seq for _, _, seq in stored][1:] == keys
    assert sqlbulk.insert_rows(Change, [], returning=True) == []


def test_lookups_come_in_chunks_the_database_takes():
    values = list(range(12_345))
    chunks = list(sqlbulk.chunks(values))
    assert [value for chunk in chunks for value in chunk] == values
    assert all(len(chunk) <= min(5000, sqlbulk._max_params() - 100) for chunk in chunks)
    assert list(sqlbulk.chunks([])) == []
