"""OpenAPI generation: drf-spectacular, with every error response in the one error shape.

Errors are ``{"type": ..., "errors": [{"code", "detail", "attr"}]}``
(drf-standardized-errors). A 400 names the parameter or field at fault in
``attr``; the schema documents that shape once, as ``ValidationErrorResponse``,
rather than one component per parameter, because ``attr`` may also name a
parameter the endpoint does not know (unknown parameters are refused).
"""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_serializer
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import (
    ParseErrorResponseSerializer,
    ValidationErrorEnum,
)
from rest_framework import serializers

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


# The body of a list's export (?format=csv or ?format=hxl).
EXPORT_BODY = (
    "CSV (RFC 4180, UTF-8): a header row of column names, with format=hxl a second row "
    "of HXL hashtags, then one row per record (figures and allegations: with their "
    "reporting source). Every matching record, not paginated."
)

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
    """Documents every error status an operation can answer with, in the one error shape."""

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
