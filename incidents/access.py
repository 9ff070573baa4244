"""Who may read what. Every queryset the API serves goes through ``visible``.

A caller is a ``Principal``: anonymous, a partner's token, or a staff member
(admin session). What each may read:

=================  =======  ========  ===============================================
visibility         anyone   partners  restricted
=================  =======  ========  ===============================================
anonymous          yes      no        no
partner token      yes      yes       only the records its organisation created
staff in a role    yes      yes       only with the ``view_restricted`` permission
=================  =======  ========  ===============================================

A staff account that may neither view nor change any kind of record (in no role,
``roles``) is read as anonymous: the admin shows it nothing, and neither does the API.

Soft-deleted records are readable by nobody through the API. Two rules beyond a
record's own visibility keep containers from leaking through their contents:

- a record is readable only if the records it lives in are (a figure in a
  restricted incident is as hidden as the incident; a citation of a restricted
  source is hidden with the source);
- an optional link to a record the caller may not read (an allegation's
  perpetrator, a source's issuer) is shown as null, never as its name.

Lists, details, embedded citations, filters on linked records, counts, the
contested rule, the timeline and the latest figures all call this module, so
they can never disagree about what a caller may see. So does the admin
(``incidents.admin.shown``): its lists, pages, inlines, links, searches,
autocompletes and history apply the same rule to the staff member, except that
it shows deleted records to restore them.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from incidents.choices import Visibility
from incidents.roles import RECORDS

# Relations a record cannot be read without: (field, nullable).
CONTAINERS: dict[str, tuple[tuple[str, bool], ...]] = {
    "detaineegroup": (("incident", False),),
    "figure": (("incident", False), ("group", True)),
    "allegation": (("incident", False), ("victim_group", True)),
    # A citation is as hidden as its source and as the record it supports.
    "citation": (
        ("source", False),
        ("incident", True),
        ("group", True),
        ("figure", True),
        ("allegation", True),
    ),
}

SHARED = (Visibility.PUBLIC, Visibility.PARTNERS)

# What lets the admin show a staff member records: viewing or changing some kind of
# record (every role may). An account with none of these is staff in name only, and
# reads what the public reads.
SEE_RECORDS = frozenset(
    f"incidents.{action}_{model}" for action in ("view", "change") for model in RECORDS
)


@dataclass(frozen=True)
class Principal:
    """Who is asking: nobody in particular, a partner's token, or a staff member."""

    user: object | None = None
    token: object | None = None

    @property
    def partner(self):
        return self.token.partner if self.token is not None else None

    @property
    def is_staff(self) -> bool:
        return self.user is not None and self.user.is_active and self.user.is_staff

    @property
    def reads_restricted(self) -> bool:
        return self.is_staff and self.user.has_perm("incidents.view_restricted")

    @property
    def is_anonymous(self) -> bool:
        return self.partner is None and not self.is_staff


ANONYMOUS = Principal()


def principal_of(request) -> Principal:
    """The principal behind a request (DRF's or Django's); anonymous when there is none."""
    if request is None:
        return ANONYMOUS
    from incidents.models import ApiToken

    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        return Principal(token=auth)
    user = getattr(request, "user", None)
    # A staff account reads beyond the public only through a role, as in the admin,
    # which shows it no record without one (``roles``).
    staff = user is not None and user.is_authenticated and user.is_active and user.is_staff
    if staff and not SEE_RECORDS.isdisjoint(user.get_all_permissions()):
        return Principal(user=user)
    return ANONYMOUS


def visibility_q(request, prefix: str = "", deleted: bool = False) -> Q:
    """The condition a record (or the relation at ``prefix``) must meet on its own.

    ``deleted=True`` lets deleted records through: the admin shows them to staff,
    who restore them, by the same rule otherwise.
    """
    principal = principal_of(request)
    live = Q() if deleted else Q(**{f"{prefix}deleted_at__isnull": True})
    if principal.reads_restricted:
        return live
    if principal.is_staff:
        return live & Q(**{f"{prefix}visibility__in": SHARED})
    if principal.partner is not None:
        return live & (
            Q(**{f"{prefix}visibility__in": SHARED}) | Q(**{f"{prefix}owner": principal.partner})
        )
    return live & Q(**{f"{prefix}visibility": Visibility.PUBLIC})


def readable_q(
    model, request, prefix: str = "", trusted: tuple[str, ...] = (), deleted: bool = False
) -> Q:
    """The full condition for reading a record of ``model``: itself and its containers.

    ``trusted`` names containers the caller has already scoped, such as the
    record whose citations are being prefetched. Checking them again would only
    add joins. ``deleted``: as in ``visibility_q``.
    """
    condition = visibility_q(request, prefix, deleted)
    for field, nullable in CONTAINERS.get(model._meta.model_name, ()):
        if field in trusted:
            continue
        inner = readable_q(
            model._meta.get_field(field).related_model, request, f"{prefix}{field}__", (), deleted
        )
        if not inner:
            continue  # no condition at all (staff who read everything, deleted included)
        condition &= (Q(**{f"{prefix}{field}__isnull": True}) | inner) if nullable else inner
    return condition


def visible(
    queryset: QuerySet, request, trusted: tuple[str, ...] = (), deleted: bool = False
) -> QuerySet:
    """The records of ``queryset`` the caller of ``request`` may read.

    Pass ``trusted`` only for containers that the query itself ties to records
    already fetched through ``visible``; ``deleted=True`` only for the admin.
    """
    if not hasattr(queryset.model, "visibility"):
        return queryset  # vocabulary terms are reference data, public by nature
    return queryset.filter(readable_q(queryset.model, request, trusted=trusted, deleted=deleted))


def readable(obj, request) -> bool:
    """Whether an already-fetched linked record may be shown (its own visibility only).

    Used for optional links (issuer, perpetrator, parent), whose own containers
    are not in question; records that have containers are fetched through
    ``visible`` instead.
    """
    return readable_by(obj, principal_of(request))


def readable_by(obj, principal: Principal | None, deleted: bool = False) -> bool:
    """``readable`` for a principal rather than a request (None: the system itself).

    ``deleted=True``: as in ``visibility_q`` (the admin).
    """
    if obj is None:
        return False
    if principal is None or not hasattr(obj, "visibility"):
        return True
    if obj.deleted_at is not None and not deleted:
        return False
    if principal.reads_restricted or obj.visibility == Visibility.PUBLIC:
        return True
    if principal.is_staff:
        return obj.visibility in SHARED
    partner = principal.partner
    if partner is not None:
        return obj.visibility in SHARED or obj.owner_id == partner.pk
    return False
