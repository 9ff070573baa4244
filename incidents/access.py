"""Who may read what. Every queryset the API serves goes through ``visible``.

The read API serves anonymous clients, so today only public records pass. Partner
tokens and staff permissions widen this later, in this one module, so that lists,
details, embedded citations, counts, the timeline and the latest figures can never
disagree about what a caller may see.

Two rules beyond a record's own visibility keep containers from leaking through
their contents:

- a record is readable only if the records it lives in are (a figure in a
  restricted incident is as hidden as the incident; a citation of a restricted
  source is hidden with the source);
- an optional link to a record the caller may not read (an allegation's
  perpetrator, a source's issuer) is shown as null, never as its name.
"""

from django.db.models import Q, QuerySet

from incidents.choices import Visibility

# Relations a record cannot be read without: (field, nullable).
CONTAINERS: dict[str, tuple[tuple[str, bool], ...]] = {
    "detaineegroup": (("incident", False),),
    "figure": (("incident", False), ("group", True)),
    "allegation": (("incident", False), ("victim_group", True)),
    "citation": (("source", False),),
}


def visibility_q(request, prefix: str = "") -> Q:
    """The condition a record (or the relation at ``prefix``) must meet on its own."""
    return Q(**{f"{prefix}visibility": Visibility.PUBLIC})


def readable_q(model, request, prefix: str = "") -> Q:
    """The full condition for reading a record of ``model``: itself and its containers."""
    condition = visibility_q(request, prefix)
    for field, nullable in CONTAINERS.get(model._meta.model_name, ()):
        inner = readable_q(
            model._meta.get_field(field).related_model, request, f"{prefix}{field}__"
        )
        condition &= (Q(**{f"{prefix}{field}__isnull": True}) | inner) if nullable else inner
    return condition


def visible(queryset: QuerySet, request) -> QuerySet:
    """The records of ``queryset`` the caller of ``request`` may read."""
    if not hasattr(queryset.model, "visibility"):
        return queryset  # vocabulary terms are reference data, public by nature
    return queryset.filter(readable_q(queryset.model, request))


def readable(obj, request) -> bool:
    """Whether an already-fetched record may be shown to this caller (for embedded links)."""
    return obj is not None and getattr(obj, "visibility", Visibility.PUBLIC) == Visibility.PUBLIC
