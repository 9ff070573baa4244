"""The HTTP side of writes: permissions, ETag and If-Match, idempotency keys, audit context.

Views call ``incidents.writes.services`` for the writes themselves; this module turns
HTTP into the services' arguments and their exceptions into status codes.
"""

import hashlib
import re
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response

from incidents.access import principal_of
from incidents.models import IdempotencyKey
from incidents.writes import services
from incidents.writes.audit import audit_context

ETAG = re.compile(r'^\s*(?:W/)?"(\d+)"\s*$')
MAX_REASON = 100


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy("The record has changed since you read it; fetch it again.")
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This conflicts with another request or record.")
    default_code = "conflict"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is larger than this server accepts.")
    default_code = "request_too_large"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy("This Idempotency-Key was used with a different request.")
    default_code = "idempotency_key_reused"


class RecordPermission(permissions.BasePermission):
    """Deny by default. Reads are scoped by ``access.visible``; writes need a right to write.

    - a partner writes with a write-scoped token, and changes only its own records;
    - staff write according to their Django permissions (the editor group has them);
    - anyone else gets 401 (no credentials) or 403 (credentials without the right).
    """

    ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}
    # Anyone may read (what they may see): the schema declares no credentials needed.
    anonymous_reads = True

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        principal = principal_of(request)
        if principal.partner is not None:
            if not principal.token.can_write:
                self.message = _("This token may only read; writing needs a write token.")
                return False
            return True
        if principal.is_staff:
            model = view.get_queryset().model
            action = self.ACTIONS.get(request.method, "change")
            self.message = _("Your staff role may not do this.")
            return request.user.has_perm(f"incidents.{action}_{model._meta.model_name}")
        if getattr(request.user, "is_staff", False):
            self.message = _("Your staff role may not do this.")  # a staff account in no role
        else:
            self.message = _("Writing needs a partner's write token or a staff session.")
        return False

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        partner = principal_of(request).partner
        if partner is not None and obj.owner_id != partner.pk:
            self.message = _("You may change only the records your organisation created.")
            return False
        return True


def printable(text: str) -> str:
    """Text without control characters (PostgreSQL refuses NUL in a text column)."""
    return "".join(ch for ch in text if ch.isprintable())


def expected_version(request) -> set[int] | None:
    """The versions named in If-Match (None: no condition, or ``*``)."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    versions = set()
    for tag in header.split(","):
        match = ETAG.match(tag)
        if match is None:
            raise exceptions.ValidationError(
                {"If-Match": [_('Send an ETag this API gave you, e.g. "3".')]}, code="invalid"
            )
        versions.add(int(match.group(1)))
    return versions


def etag(record) -> str:
    return f'"{record.version}"'


@contextmanager
def service_errors():
    """Turn the services' exceptions into HTTP errors with field-level detail."""
    try:
        yield
    except services.StaleVersion as error:
        raise PreconditionFailed(
            _(
                'The record is now at version %(current)d (ETag "%(current)d"); '
                "fetch it again and reapply your change."
            )
            % {"current": error.current}
        ) from error
    except services.Conflict as error:
        raise Conflict(str(error)) from error
    except services.Invalid as error:
        raise exceptions.ValidationError(_drf_keys(error.detail)) from error
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            detail = _drf_keys(error.message_dict)
        else:
            detail = {"non_field_errors": error.messages}
        raise exceptions.ValidationError(detail) from error


def _drf_keys(detail: dict) -> dict:
    """Django files record-level errors under "__all__"; DRF calls them non_field_errors."""
    return {
        ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
        for field, messages in detail.items()
    }


@contextmanager
def audited(request):
    """The audit context of an API write: who, through the API, with the reason they gave."""
    principal = principal_of(request)
    token = principal.token
    with audit_context(
        via="api",
        user=principal.user,
        partner=principal.partner,
        token_prefix=token.prefix if token is not None else "",
        reason=printable(request.headers.get("X-Change-Reason") or "")[:MAX_REASON],
    ):
        yield


def _caller(request) -> str:
    principal = principal_of(request)
    if principal.token is not None:
        return f"token:{principal.token.pk}"
    return f"user:{principal.user.pk}"


def idempotent(request, handler) -> Response:
    """Run a POST once per ``Idempotency-Key``; replay its response for the same request.

    The key is claimed (committed) before the work starts, so a duplicate that
    arrives meanwhile gets 409, and one that arrives later gets the stored
    response. A failed request releases its key so that the client may retry.
    """
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return handler()
    key = key.strip()
    if not key or len(key) > 255 or not key.isprintable():
        raise exceptions.ValidationError(
            {"Idempotency-Key": [_("Send 1 to 255 printable characters.")]}, code="invalid"
        )
    try:
        body = request.body
    except RequestDataTooBig:  # the limits middleware normally answers before this
        raise RequestTooLarge() from None
    fingerprint = hashlib.sha256(
        b"\n".join([request.method.encode(), request.path.encode(), body])
    ).hexdigest()
    caller = _caller(request)
    try:
        with transaction.atomic():
            claim = IdempotencyKey.objects.create(caller=caller, key=key, fingerprint=fingerprint)
    except IntegrityError:
        previous = IdempotencyKey.objects.get(caller=caller, key=key)
        if previous.fingerprint != fingerprint:
            raise Unprocessable() from None
        if previous.status is None:
            raise Conflict(
                _("A request with this Idempotency-Key is still being handled.")
            ) from None
        return Response(
            previous.body,
            status=previous.status,
            headers={**previous.headers, "Idempotent-Replayed": "true"},
        )
    try:
        response = handler()
    except Exception:
        claim.delete()
        raise
    IdempotencyKey.objects.filter(pk=claim.pk).update(
        status=response.status_code,
        body=response.data,
        headers={k: v for k, v in response.items() if k in ("ETag", "Location")},
    )
    return response
