"""Check constraints evaluated in Python, with the database's three-valued logic.

Django validates a ``CheckConstraint`` with a query per constraint (and a
savepoint per query inside a transaction). Our conditions are simple
comparisons of a record's own fields, so they are evaluated here instead, the
way the database would: a comparison with NULL is unknown, and a CHECK passes
unless its condition is false. Anything this module does not understand (a
transform, a function) raises ``Unsupported`` and goes to the database as before;
the database still enforces every constraint on save.

``evaluate`` reads a condition afresh on every call. A model's constraints never
change, so ``rules`` works out once per model what validating each one needs
(the fields it reads, its condition compiled into a function of an instance
by ``compile_condition``), which is what ``Identified.validate_constraints``
runs for every record it validates; ``evaluate`` stays as the reference the
compiled functions are tested against.
"""

import operator
from collections.abc import Callable
from contextlib import suppress

from django.core.exceptions import ValidationError
from django.db import models
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
    return _combine(node, results)


def _combine(node: Q, results: list) -> bool | None:
    """A node's result from its children's, in three-valued logic."""
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


# --- Compiled once per model ---------------------------------------------------------------

Evaluator = Callable[[models.Model], bool | None]


def _readers(model) -> dict[str, Callable]:
    """How to read each name a condition may use from an instance: the keys of ``field_values``."""
    readers: dict[str, Callable] = {"pk": operator.attrgetter("pk")}
    for field in model._meta.concrete_fields:
        readers[field.name] = readers[field.attname] = operator.attrgetter(field.attname)
    return readers


def compile_condition(node: Q, model) -> Evaluator:
    """``evaluate`` of ``node`` as a function of an instance of ``model``, worked out once.

    It gives what ``evaluate(node, field_values(instance))`` gives, reading only
    the fields the condition names. Raises ``Unsupported`` here, once, where
    ``evaluate`` would raise it on every call (whether it does depends on the
    condition alone, never on the values).
    """
    return _compile(node, _readers(model))


def _compile(node: Q, readers: dict) -> Evaluator:
    children = []
    for child in node.children:
        if isinstance(child, Q):
            children.append(_compile(child, readers))
        elif isinstance(child, tuple) and len(child) == 2:
            children.append(_compile_lookup(*child, readers))
        else:
            raise Unsupported(repr(child))  # an expression rather than a lookup

    def evaluate_node(instance) -> bool | None:
        # Every child, as ``evaluate`` does: the result is the same either way, and
        # so is any error a comparison raises.
        return _combine(node, [child(instance) for child in children])

    return evaluate_node


def _compile_lookup(lookup: str, rhs, readers: dict) -> Evaluator:
    """``_lookup`` of one (lookup, value) pair, with everything but the values decided now."""
    parts = lookup.split("__")
    name, op = (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "exact")
    if len(parts) > 2 or name not in readers or (op not in COMPARISONS and op != "isnull"):
        raise Unsupported(lookup)
    read = readers[name]
    if op == "isnull":
        wanted = bool(rhs)
        return lambda instance: (read(instance) is None) == wanted
    compare = COMPARISONS[op]
    if isinstance(rhs, F):
        if rhs.name not in readers:
            raise Unsupported(rhs.name)
        read_rhs = readers[rhs.name]

        def column(instance) -> bool | None:
            lhs, other = read(instance), read_rhs(instance)
            if lhs is None or other is None:  # a column: NULL compares as unknown
                return None
            return compare(lhs, other)

        return column
    if hasattr(rhs, "resolve_expression"):
        raise Unsupported(lookup)
    if op == "exact" and rhs is None:
        return lambda instance: read(instance) is None  # Django's `= None` is IS NULL
    if rhs is None:
        return lambda instance: None  # any comparison with NULL is unknown

    def literal(instance) -> bool | None:
        lhs = read(instance)
        return None if lhs is None else compare(lhs, rhs)

    return literal


class Rule:
    """How to validate one constraint of a model, worked out once for every record of it.

    - A ``CheckConstraint`` this module understands is evaluated in Python
      (``compile_condition``); one it does not goes to Django's ``validate`` (a
      query). Either way it is skipped when it reads an excluded field, as
      Django skips it.
    - A ``UniqueConstraint`` on fields is skipped without going to Django when
      Django's ``validate`` would return before querying: a field of it is
      excluded, or (NULLs being distinct) holds NULL. Django's ``validate``
      builds a query set before it looks at either, which costs more than
      every check of a record but one; the rest goes to it, unchanged.
    - Anything else goes to Django's ``validate``.
    """

    def __init__(self, model_class, constraint, model):
        self.model_class = model_class
        self.constraint = constraint
        self.reads: frozenset[str] | None = None  # excluding any of these skips it
        self.evaluate: Evaluator | None = None  # a CHECK evaluated here
        self.attnames: tuple[str, ...] = ()  # a unique constraint's columns, for NULLs
        if isinstance(constraint, models.CheckConstraint):
            try:
                self.reads = frozenset(referenced(constraint.condition))
            except (TypeError, ValueError):
                return  # not a tree of lookups: Django's validate decides
            with suppress(Unsupported):  # left to Django's validate (a query)
                self.evaluate = compile_condition(constraint.condition, model)
        elif isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            fields = [model_class._meta.get_field(name) for name in constraint.fields]
            if not any(field.generated for field in fields):
                self.reads = frozenset(constraint.fields)
                if constraint.nulls_distinct is not False:
                    self.attnames = tuple(field.attname for field in fields)

    def validate(self, instance, exclude, using: Callable[[], str]) -> None:
        """Raise the constraint's ``ValidationError`` if ``instance`` breaks it.

        ``using``: the database to ask, for the constraints that need a query.
        """
        if self.reads is not None and exclude and not self.reads.isdisjoint(exclude):
            return
        if self.evaluate is not None:
            if self.evaluate(instance) is False:
                raise ValidationError(
                    self.constraint.get_violation_error_message(),
                    code=self.constraint.violation_error_code,
                )
            return
        if any(getattr(instance, attname) is None for attname in self.attnames):
            return  # NULL equals nothing: no row can collide with this one
        self.constraint.validate(self.model_class, instance, exclude=exclude, using=using())


# Model -> its rules. Constraints are fixed once models are loaded, so this never goes stale.
_RULES: dict[type, tuple[Rule, ...]] = {}


def rules(instance) -> tuple[Rule, ...]:
    """The ``Rule`` of each constraint of the instance's model (its own and its parents')."""
    model = type(instance)
    found = _RULES.get(model)
    if found is None:
        found = _RULES[model] = tuple(
            Rule(model_class, constraint, model)
            for model_class, constraints in instance.get_constraints()
            for constraint in constraints
        )
    return found
