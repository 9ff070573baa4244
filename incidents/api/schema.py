"""OpenAPI generation: drf-spectacular, with every error response in the one error shape.

Errors are ``{"type": ..., "errors": [{"code", "detail", "attr"}]}``
(drf-standardized-errors). A 400 names the parameter or field at fault in
``attr``; the schema documents that shape once, as ``ValidationErrorResponse``,
rather than one component per parameter, because ``attr`` may also name a
parameter the endpoint does not know (unknown parameters are refused).
"""

import re

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_serializer
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import (
    ParseErrorResponseSerializer,
    ValidationErrorEnum,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from incidents.api.renderers import CSV_MEDIA_TYPE


class ValidationErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable: invalid, invalid_choice, unknown ...")
    detail = serializers.CharField(help_text="A message for people.")
    attr = serializers.CharField(
        allow_null=True, help_text="The query parameter or field at fault, if any."
    )


@extend_schema_serializer(component_name="ValidationErrorResponse")
class ValidationErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
    errors = ValidationErrorSerializer(many=True)


class ClientErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


@extend_schema_serializer(component_name="ClientErrorResponse")
class ClientErrorResponseSerializer(serializers.Serializer):
    """409, 412, 413 and 422: a conflict, a stale version, a body too large, a reused key."""

    type = serializers.ChoiceField(choices=["client_error"])
    errors = ClientErrorSerializer(many=True)


class BusyErrorSerializer(ClientErrorSerializer):
    code = serializers.ChoiceField(choices=["database_busy"])


@extend_schema_serializer(component_name="BusyErrorResponse")
class BusyErrorResponseSerializer(serializers.Serializer):
    """503: the database was too busy to take the write in time; retry after Retry-After."""

    type = serializers.ChoiceField(choices=["server_error"])
    errors = BusyErrorSerializer(many=True)


# The body of a list's export (?format=csv or ?format=hxl).
EXPORT_BODY = (
    "CSV (RFC 4180, UTF-8): a header row of column names, with format=hxl a second row "
    "of HXL hashtags, then one row per record (figures and allegations: with their "
    "reporting source). Every matching record, not paginated."
)

# The response headers the API sends, documented where each is sent.
HEADERS = {
    "ETag": {
        "schema": {"type": "string"},
        "description": 'The record\'s version, quoted (e.g. "3"): send it back in If-Match '
        "to change the record only if nobody else has since.",
    },
    "Location": {
        "schema": {"type": "string", "format": "uri"},
        "description": "The address of the record just created.",
    },
    "X-Upsert-Outcome": {
        "schema": {"type": "string", "enum": ["created", "updated", "unchanged"]},
        "description": "What the upsert did: unchanged means the record already held "
        "exactly this (no new version, no history entry, no webhook).",
    },
    "Idempotent-Replayed": {
        "schema": {"type": "string", "enum": ["true"]},
        "description": "Present when this is the stored answer to an earlier request with "
        "the same Idempotency-Key: nothing was written again.",
    },
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 1},
        "description": "Seconds to wait before trying again.",
    },
    "X-Request-ID": {
        "schema": {"type": "string"},
        "description": "This request's id (yours, if you sent a well-formed one): quote it "
        "when reporting a problem.",
    },
}

# Statuses only writes can produce, and the methods that can produce them.
WRITE_STATUSES = {
    "403": {"POST", "PUT", "PATCH", "DELETE"},
    "409": {"POST", "PUT", "PATCH", "DELETE"},
    "412": {"PUT", "PATCH", "DELETE"},
    "413": {"POST", "PUT", "PATCH"},
    "415": {"POST", "PUT", "PATCH"},
    "422": {"POST"},
}


class AutoSchema(StandardizedErrorsAutoSchema):
    """Documents every error status an operation can answer with, in the one error shape.

    And who may call: an operation anyone may read declares that no credentials are
    needed (an empty security requirement), so that a generated client can call it
    anonymously; drf-spectacular sees that only for DRF's own permission classes.
    """

    def _get_response_headers_for_code(self, status_code, direction="response"):
        """The response headers clients rely on, on the operations that send them."""
        headers = super()._get_response_headers_for_code(status_code, direction)
        action = getattr(self.view, "action", None)
        record = hasattr(self.view, "model") and action not in (None, "list", "latest", "history")
        if (
            status_code in ("200", "201")
            and record
            and self.method in ("GET", "POST", "PUT", "PATCH")
        ):
            headers["ETag"] = HEADERS["ETag"]
        if status_code == "201" and record:
            headers["Location"] = HEADERS["Location"]
        if status_code in ("200", "201") and action == "by_external_id" and self.method == "PUT":
            headers["X-Upsert-Outcome"] = HEADERS["X-Upsert-Outcome"]
        if status_code == "201" and record and self.method == "POST":
            headers["Idempotent-Replayed"] = HEADERS["Idempotent-Replayed"]
        if status_code in ("429", "503"):
            headers["Retry-After"] = HEADERS["Retry-After"]
        headers["X-Request-ID"] = HEADERS["X-Request-ID"]
        return headers

    def _map_basic_serializer(self, serializer, direction):
        # A component's description is its serializer's own docstring, written for the
        # API's users; one inherited from a base class explains the code instead.
        schema = super()._map_basic_serializer(serializer, direction)
        if "__doc__" not in vars(type(serializer)) or not type(serializer).__doc__:
            schema.pop("description", None)
        return schema

    def get_auth(self):
        auth = super().get_auth()
        readable = self.method in ("GET", "HEAD") and all(
            isinstance(permission, AllowAny) or getattr(permission, "anonymous_reads", False)
            for permission in self.view.get_permissions()
        )
        if readable and {} not in auth:
            auth.append({})
        return auth

    def _get_http400_serializer(self):
        if self.method in ("POST", "PUT", "PATCH"):
            # A body that is not JSON at all is a parse error, not a field's.
            return PolymorphicProxySerializer(
                component_name="WriteErrorResponse400",
                serializers={
                    "validation_error": ValidationErrorResponseSerializer,
                    "client_error": ParseErrorResponseSerializer,
                },
                resource_type_field_name="type",
            )
        return ValidationErrorResponseSerializer

    def _should_add_error_response(self, responses, status_code):
        if status_code in responses:
            return False
        if status_code in WRITE_STATUSES:
            return self.method in WRITE_STATUSES[status_code]
        if status_code == "503":
            # The embedded SQLite database, too busy to take a write in time.
            return self.method in ("POST", "PUT", "PATCH", "DELETE")
        if status_code in ("401", "429"):
            # Any request may carry a wrong or expired token, and any may be throttled.
            return True
        return super()._should_add_error_response(responses, status_code)

    def _should_add_validation_error_response(self) -> bool:
        # Every list validates its query parameters (filters, page_size, unknown names).
        return super()._should_add_validation_error_response() or self._is_list_view()

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        """Lists' CSV exports: a text/csv body on success; errors are always JSON."""
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        content = response.get("content", {})
        if CSV_MEDIA_TYPE in content:
            if status_code.startswith("2"):
                content[CSV_MEDIA_TYPE] = {"schema": {"type": "string", "description": EXPORT_BODY}}
            else:
                del content[CSV_MEDIA_TYPE]
        return response


def country_choices():
    """ISO 3166-1 alpha-2 codes, one enum in the schema for every country field."""
    from django_countries import countries

    return [(code, name) for code, name in countries]


# Choices that only query parameters take, shared by several operations: one enum each.
SHARED_PARAMETER_ENUMS = {"ExportFormatEnum": ("json", "csv", "hxl")}


def _member_name(value) -> str:
    """A readable identifier for an enum value: ``-as_of`` is ``AS_OF_DESC``, ``""`` ``BLANK``."""
    text = str(value)
    descending = text.startswith("-")
    name = re.sub(r"[^0-9A-Za-z]+", "_", text.lstrip("-")).strip("_").upper() or "BLANK"
    if name[0].isdigit():
        name = f"V_{name}"
    return f"{name}_DESC" if descending else name


def _walk(node, visit, top=False):
    """Call ``visit`` on every schema object below ``node`` (``top``: ``node`` is a component)."""
    if isinstance(node, dict):
        if not top:
            visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for item in node:
            _walk(item, visit)


def unify_enums(result, generator, request, public):
    """One named enum per list of choices, used everywhere; readable member names.

    drf-spectacular names the enums of serializer fields (``MeasureEnum``), but a
    filter's choices stay inline in each parameter, and a generated client then
    makes one enum type per parameter: five kinds of "measure". Each inline enum
    whose values are exactly a named enum's becomes a reference to it. Every enum
    left then gets ``x-enum-varnames`` (read by openapi-python-client and
    OpenAPI Generator): ``-as_of`` is ``AS_OF_DESC``, not ``VALUE_0``.
    """
    schemas = result.get("components", {}).get("schemas", {})
    # Choices only parameters take, in several operations: named here.
    for name, values in SHARED_PARAMETER_ENUMS.items():
        schemas.setdefault(name, {"type": "string", "enum": list(values)})
    named = {
        tuple(sorted(map(str, schema["enum"]))): name
        for name, schema in schemas.items()
        if schema.get("type") == "string" and "enum" in schema
    }

    def refer(schema):
        if schema.get("type") != "string" or "enum" not in schema:
            return
        name = named.get(tuple(sorted(map(str, schema["enum"]))))
        if name is not None:
            schema.clear()
            schema["$ref"] = f"#/components/schemas/{name}"

    _walk(result.get("paths", {}), refer)
    for schema in schemas.values():
        _walk(schema, refer, top=True)

    def names(schema):
        if "enum" in schema and all(isinstance(v, str) for v in schema["enum"] if v is not None):
            varnames = [_member_name(v) for v in schema["enum"] if v is not None]
            if len(set(varnames)) == len(varnames):
                schema["x-enum-varnames"] = varnames

    _walk(result, names)
    return result


def optional_auth_at_the_top(result, generator, request, public):
    """Operations anyone may call inherit the document's optional security requirement.

    ``get_auth`` declares them ``[token, session, {}]``: credentials optional. Said
    once at the top of the document instead of on each operation, it means the same
    to OpenAPI, and generators that read only an operation's own list (such as
    openapi-python-client, for which any list there means "credentials required")
    let an anonymous client call them, while those that read the document's (such
    as OpenAPI Generator) still send a token when they have one.
    """
    optional = None
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            security = operation.get("security") if isinstance(operation, dict) else None
            if security and {} in security:
                optional = security
                del operation["security"]
    if optional is not None:
        result["security"] = optional
    return result
