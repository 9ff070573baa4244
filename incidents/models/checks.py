"""Check constraints evaluated in Python, with the database's three-valued logic.

Django validates a ``CheckConstraint`` with a query per constraint (and a
savepoint per query inside a transaction). Our conditions are simple
comparisons of a record's own fields, so they are evaluated here instead, the
way the database would: a comparison with NULL is unknown, and a CHECK passes
unless its condition is false. Anything this module does not understand (a
transform, a function) raises ``Unsupported`` and goes to the database as before;
the database still enforces every constraint on save.
"""

import operator

from django.db.models import F, Q

COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class Unsupported(Exception):
    """A condition this evaluator does not handle."""


def field_values(instance) -> dict:
    """The instance's values by field name and attname (``parent`` and ``parent_id``)."""
    values = {"pk": instance.pk}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        values[field.name] = values[field.attname] = value
    return values


def referenced(node) -> set[str]:
    """The field names a condition reads."""
    names = set()
    for child in node.children:
        if isinstance(child, Q):
            names |= referenced(child)
        else:
            lookup, value = child
            names.add(lookup.split("__")[0])
            if isinstance(value, F):
                names.add(value.name)
    return names


def evaluate(node: Q, values: dict) -> bool | None:
    """True, False, or None for unknown (SQL NULL), as the database would evaluate it."""
    results = [
        evaluate(child, values) if isinstance(child, Q) else _lookup(*child, values)
        for child in node.children
    ]
    if node.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    else:
        result = True if True in results else (None if None in results else False)
    if node.negated:
        return None if result is None else not result
    return result


def _lookup(lookup: str, rhs, values: dict) -> bool | None:
    parts = lookup.split("__")
    name, op = (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "exact")
    if len(parts) > 2 or name not in values or (op not in COMPARISONS and op != "isnull"):
        raise Unsupported(lookup)
    lhs = values[name]
    if op == "isnull":
        return (lhs is None) == bool(rhs)
    if isinstance(rhs, F):
        if rhs.name not in values:
            raise Unsupported(rhs.name)
        rhs = values[rhs.name]  # a column: NULL compares as unknown
    elif hasattr(rhs, "resolve_expression"):
        raise Unsupported(lookup)
    elif op == "exact" and rhs is None:
        return lhs is None  # Django turns `= None` (a literal) into IS NULL
    if lhs is None or rhs is None:
        return None
    return COMPARISONS[op](lhs, rhs)
