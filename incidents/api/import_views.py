"""Bulk import over HTTP: ``POST /api/v1/import/`` and the jobs of large batches.

Thin: reading, validating and writing batches is ``incidents.integration.imports``; this
module turns HTTP into its arguments (query parameters, Content-Type, the
body, the caller) and its results into responses.
"""

import io

from django.conf import settings
from django.utils.functional import lazy
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.exceptions import UnsupportedMediaType, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from incidents.access import principal_of
from incidents.api.pagination import PAGE_PARAMETERS
from incidents.api.schema import ValidationErrorResponseSerializer
from incidents.api.write_serializers import WRITE_SERIALIZERS
from incidents.api.writes import MAX_REASON, RequestTooLarge, printable
from incidents.integration import imports
from incidents.models import ImportJob

# --- Serializers (the report and the job) --------------------------------------------------


class RowResultSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="1-based: the n-th record of the batch.")
    external_id = serializers.CharField(allow_null=True)
    id = serializers.UUIDField(
        allow_null=True, help_text="The record's public id, when it exists (or was written)."
    )
    outcome = serializers.ChoiceField(
        choices=["created", "updated", "unchanged", "error"],
        help_text="What was done, or in a dry run or a failed batch what would have been.",
    )


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="1-based; null for an error about the whole job."
    )
    field = serializers.CharField(
        allow_null=True, help_text="Dotted path (citations.0.quote); null for the whole row."
    )
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    """What a batch did, or would have done."""

    resource = serializers.ChoiceField(choices=sorted(imports.RESOURCES))
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField(
        help_text="Whether the batch was written. False for a dry run and for a batch with "
        "any failed row: then nothing was written, and counts and outcomes say what would "
        "have been."
    )
    total_rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    failed = serializers.IntegerField()
    rows = RowResultSerializer(many=True)
    errors = RowErrorSerializer(many=True)


class ImportJobSerializer(serializers.ModelSerializer):
    """A background import: its progress, and on its own page, once finished, its report."""

    # One serializer for lists and details (report is null in lists), so that the schema
    # has one component, and one name for its enums.

    id = serializers.UUIDField(source="uuid", read_only=True)
    url = serializers.SerializerMethodField()
    phase = serializers.SerializerMethodField(
        help_text="queued; validating (processed_rows counts the rows validated); writing "
        "(every row passed and all are being written in one transaction); finished."
    )
    report = serializers.SerializerMethodField(
        help_text="On the job's own page, once it has finished; null until then and in lists."
    )

    class Meta:
        model = ImportJob
        fields = (
            "id",
            "url",
            "resource",
            "format",
            "dry_run",
            "status",
            "phase",
            "total_rows",
            "processed_rows",
            "created_at",
            "started_at",
            "finished_at",
            "report",
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, job) -> str:
        return reverse("importjob-detail", kwargs={"id": job.uuid}, request=self.context["request"])

    @extend_schema_field(
        serializers.ChoiceField(choices=["queued", "validating", "writing", "finished"])
    )
    def get_phase(self, job) -> str:
        return imports.job_phase(job)

    @extend_schema_field(ImportReportSerializer(allow_null=True))
    def get_report(self, job) -> dict | None:
        return imports.job_report(job) if self.context.get("with_report") else None


class ImportQuerySerializer(serializers.Serializer):
    resource = serializers.ChoiceField(choices=sorted(imports.RESOURCES))
    dry_run = serializers.BooleanField(required=False, default=False)
    background = serializers.BooleanField(required=False, default=False)


# --- Permissions -----------------------------------------------------------------------------


class ImportPermission(permissions.BasePermission):
    """Importing writes: a partner's write token, or staff who may add and change the records.

    Reading jobs: a partner's token (its organisation's jobs) or staff (their own).
    """

    def has_permission(self, request, view):
        principal = principal_of(request)
        if principal.partner is not None:
            if request.method in permissions.SAFE_METHODS:
                return True
            if not principal.token.can_write:
                self.message = _("This token may only read; importing needs a write token.")
                return False
            return True
        if principal.is_staff:
            model = imports.RESOURCES.get(request.query_params.get("resource"))
            if request.method in permissions.SAFE_METHODS or model is None:
                return True  # an unknown resource is the view's 400
            self.message = _("Your staff role may not add and change these records.")
            return imports.may_import(request.user, model)
        self.message = _("Importing needs a partner's write token or a staff session.")
        return False


# --- Views -----------------------------------------------------------------------------------

RESOURCE = OpenApiParameter(
    "resource",
    OpenApiTypes.STR,
    required=True,
    enum=sorted(imports.RESOURCES),
    description="The kind of records in the batch.",
)
DRY_RUN = OpenApiParameter(
    "dry_run",
    OpenApiTypes.BOOL,
    description="Validate every row and report what would happen, writing nothing.",
)
BACKGROUND = OpenApiParameter(
    "background",
    OpenApiTypes.BOOL,
    description="Run as a background job even when the batch is small.",
)
CHANGE_REASON = OpenApiParameter(
    "X-Change-Reason",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Why you make this change (up to 100 characters), kept in each record's history.",
)
NDJSON_BATCH = {
    "type": "string",
    "description": "One JSON object a line: a record's write body, with its external_id.",
}
CSV_BATCH = {
    "type": "string",
    "description": "A header row of field names (nested ones with dots: citations.0.source, "
    "citations.0.quote; list fields such as methods as ;-separated codes), then one row "
    "per record; an empty cell means 'not given'.",
}
RECORD_BODY = PolymorphicProxySerializer(
    component_name="ImportRecord",
    serializers=list(WRITE_SERIALIZERS.values()),
    resource_type_field_name=None,
    many=True,
)


def import_description() -> str:
    """The operation's description, with the limits as configured when the schema is made.

    Lazy: read when the schema is generated, not when this module is first imported
    (in a test, perhaps while the limits are overridden).
    """
    return (
        "Creates or updates records of one resource, keyed by each row's external_id "
        "(required in every row): importing the same batch again changes nothing. "
        "Send a JSON array of write bodies (application/json), NDJSON "
        "(application/x-ndjson) or CSV with a header row (text/csv). A batch is all or "
        "nothing: if any row fails, nothing is written, and the report (422) names "
        "each failed row, field and reason. Batches of up to "
        f"{settings.IMPORT_SYNC_MAX_ROWS} rows run within the request (200 when every "
        "row passed); larger ones, or with background=true, run in the background: "
        "202, with the job in the body and its address in Location. A batch may have "
        f"at most {settings.IMPORT_MAX_ROWS} rows and {settings.IMPORT_MAX_BYTES} bytes: "
        "a larger one is refused (413) as soon as the first row or byte too many is "
        "read, and nothing is written. Row numbers are 1-based and count records (for "
        "CSV, the first row after the header is row 1)."
    )


class ImportView(APIView):
    """Upsert a batch of records of one resource by their external ids."""

    permission_classes = [ImportPermission]
    parser_classes = []  # the body is read here, in any of the three formats

    @extend_schema(
        summary="Import a batch of records",
        description=lazy(import_description, str)(),
        parameters=[RESOURCE, DRY_RUN, BACKGROUND, CHANGE_REASON],
        request={
            "application/json": RECORD_BODY,
            "application/x-ndjson": NDJSON_BATCH,
            "text/csv": CSV_BATCH,
        },
        responses={
            200: ImportReportSerializer,
            202: ImportJobSerializer,
            # The batch as a whole (not JSON, no header, unknown column, no records) or
            # a query parameter, in the one error shape.
            400: ValidationErrorResponseSerializer,
            422: ImportReportSerializer,
        },
    )
    def post(self, request):
        unknown = sorted(set(request.query_params) - set(ImportQuerySerializer().fields))
        if unknown:
            raise ValidationError({name: [_("Unknown query parameter.")] for name in unknown})
        query = ImportQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        resource, dry_run = query.validated_data["resource"], query.validated_data["dry_run"]
        background = query.validated_data["background"]
        fmt = batch_format(request)
        try:
            # Read from the stream rather than ``request.body``, which Django bounds by
            # DATA_UPLOAD_MAX_MEMORY_SIZE (the general limit, far smaller) and holds whole.
            batch = imports.read_batch(
                request.stream or io.BytesIO(),
                fmt,
                imports.RESOURCES[resource],
                keep=0 if background else imports.sync_limit(),
            )
        except imports.TooLarge as error:
            raise RequestTooLarge(error.message) from None
        except imports.BatchError as error:
            raise ValidationError(error.detail) from None
        caller = imports.Caller(
            user=request.user,
            auth=request.auth,
            via="api",
            reason=printable(request.headers.get("X-Change-Reason") or "")[:MAX_REASON],
        )
        with batch:
            if batch.rows is None:  # background=true, or more rows than run within a request
                job = imports.create_job(
                    caller=caller, resource=resource, batch=batch, dry_run=dry_run, queue=True
                )
                data = ImportJobSerializer(job, context={"request": request}).data
                headers = {"Location": data["url"]}
                return Response(data, status=status.HTTP_202_ACCEPTED, headers=headers)
            report = imports.run_batch(batch.rows, resource, caller, dry_run=dry_run)
        code = status.HTTP_422_UNPROCESSABLE_ENTITY if report.errors else status.HTTP_200_OK
        return Response(report.as_dict(), status=code)


def batch_format(request) -> str:
    """json, ndjson or csv, from the Content-Type (UTF-8 only); 415 otherwise."""
    media_type, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
    fmt = imports.MEDIA_TYPES.get(media_type)
    charset = params.get("charset", "utf-8").lower()
    if fmt is None or charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(
            media_type,
            detail=_("Send application/json, application/x-ndjson or text/csv, in UTF-8."),
        )
    return fmt


@extend_schema_view(
    list=extend_schema(
        summary="List your import jobs",
        description="Background imports sent with your organisation's tokens (staff: your "
        "own), newest first; each job's report is on its own page.",
    ),
    retrieve=extend_schema(
        summary="One import job",
        description="Status and progress (processed_rows of total_rows) of a background "
        "import and, once finished, its report.",
    ),
)
class ImportJobViewSet(viewsets.ReadOnlyModelViewSet):
    """Background imports: a partner sees its organisation's, staff their own."""

    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    permission_classes = [ImportPermission]
    filter_backends = []

    def get_queryset(self):
        principal = principal_of(self.request)
        jobs = ImportJob.objects.all()
        if self.action == "list":
            jobs = jobs.defer("rows", "errors")  # a report may run to many rows
        if principal.partner is not None:
            return jobs.filter(partner=principal.partner)
        if principal.is_staff:
            return jobs.filter(partner__isnull=True, user=principal.user)
        return jobs.none()

    serializer_class = ImportJobSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_report": self.action == "retrieve"}

    def list(self, request, *args, **kwargs):
        unknown = sorted(set(request.query_params) - PAGE_PARAMETERS)
        if unknown:
            raise ValidationError({name: [_("Unknown query parameter.")] for name in unknown})
        return super().list(request, *args, **kwargs)
