"""Viewsets. Thin: querysets come from ``incidents.reads.queries``, filters from
``incidents.reads.filters``, access from ``incidents.access``, writes from
``incidents.writes.services`` (through ``incidents.api.writes``)."""

from django.db.models import prefetch_related_objects
from django.http import StreamingHttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from incidents import access_log
from incidents.access import principal_of
from incidents.api import serializers, write_serializers
from incidents.api.pagination import PAGE_PARAMETERS, NumberedPagination
from incidents.api.renderers import (
    CHART_RENDERERS,
    PNG_MEDIA_TYPE,
    SVG_MEDIA_TYPE,
    ChartRenderer,
    CSVRenderer,
    ExportRenderer,
    HXLRenderer,
    StrictFormatNegotiation,
)
from incidents.api.schema import AutoSchema
from incidents.api.writes import (
    RecordPermission,
    audited,
    etag,
    expected_version,
    idempotent,
    service_errors,
)
from incidents.integration import exports
from incidents.models import Actor, Allegation, Citation, DetaineeGroup, Figure, Incident, Source
from incidents.reads import filters, queries
from incidents.writes import services
from incidents.writes.history import record_history

# Query parameters every list understands besides its filters.
GENERAL_PARAMETERS = PAGE_PARAMETERS | {"format"}


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The ETag you last read (e.g. "3"); a stale one gets 412 and changes nothing.',
)
CHANGE_REASON = OpenApiParameter(
    "X-Change-Reason",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Why you make this change (up to 100 characters), kept in the history.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any unique string: resending the same request with the same key returns "
    "the first response and creates nothing new.",
)
EXPORT_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv", "hxl"],
    description="json (the default): pages of records. csv: every matching record, one "
    "row each, streamed as text/csv. hxl: the same CSV with a second header row of HXL "
    "hashtags. Exports take the same filters but not page or page_size.",
)


def documented(summary: str, *, one: str, description: str | None = None, model=None):
    """Schema summaries for a resource's operations, with its write bodies when it has any."""
    operations = {
        "list": extend_schema(summary=summary, description=description, parameters=[EXPORT_FORMAT]),
        "retrieve": extend_schema(summary=one),
    }
    if model is not None:
        name = str(model._meta.verbose_name)
        a_name = f"{'an' if name[0] in 'aeiou' else 'a'} {name}"  # "an actor", "a figure"
        write = write_serializers.WRITE_SERIALIZERS[model]
        read = serializers.READ_SERIALIZERS[model]
        operations.update(
            create=extend_schema(
                summary=f"Create {a_name}",
                request=write,
                responses={201: read},
                parameters=[IDEMPOTENCY_KEY, CHANGE_REASON],
            ),
            update=extend_schema(
                summary=f"Replace {a_name}",
                request=write,
                responses={200: read},
                parameters=[IF_MATCH, CHANGE_REASON],
            ),
            partial_update=extend_schema(
                summary=f"Change {a_name}",
                request=write,
                responses={200: read},
                parameters=[IF_MATCH, CHANGE_REASON],
            ),
            destroy=extend_schema(
                summary=f"Delete {a_name}",
                description="A soft delete: the record leaves the API but is kept, with its "
                "history, and staff can restore it.",
                responses={204: None},
                parameters=[IF_MATCH, CHANGE_REASON],
            ),
            by_external_id=[
                extend_schema(
                    methods=["GET"],
                    summary=f"Your {name} with this external id",
                    responses={200: read},
                ),
                extend_schema(
                    methods=["PUT"],
                    summary=f"Create or update your {name} with this external id",
                    description="Creates the record (201) the first time and updates it (200) "
                    "afterwards; the same body again changes nothing. The X-Upsert-Outcome "
                    "header says created, updated or unchanged. A deleted record is restored. "
                    "Citations, when sent, replace yours on the record.",
                    request=write,
                    responses={200: read, 201: read},
                    parameters=[IF_MATCH, CHANGE_REASON],
                ),
                extend_schema(
                    methods=["DELETE"],
                    summary=f"Delete your {name} with this external id",
                    responses={204: None},
                    parameters=[IF_MATCH, CHANGE_REASON],
                ),
            ],
            history=extend_schema(
                summary=f"The history of {a_name}",
                responses=serializers.HistoryEntrySerializer(many=True),
                filters=False,
            ),
        )
    return extend_schema_view(**operations)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, refusing query parameters it does not know.

    A misspelt filter (``?minor=true``) would otherwise return every record as if
    it had been applied: for a researcher counting detained children that is a
    wrong answer, not a convenience.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            known = GENERAL_PARAMETERS | set(filterset_class.base_filters)
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                raise ValidationError(
                    {name: [_("Unknown query parameter.")] for name in unknown}, code="unknown"
                )
        return super().filter_queryset(request, queryset, view)


class ExportMixin:
    """Lists also answer ``?format=csv`` and ``?format=hxl`` (or ``Accept: text/csv``).

    An export holds every record the JSON pages would, in the same order: the
    same queryset, scope and filters, handed to ``incidents.integration.exports`` and
    streamed row by row rather than paginated.
    """

    export_actions = ("list",)

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action in self.export_actions:
            renderers += [CSVRenderer(), HXLRenderer()]
        return renderers

    @property
    def exporting(self) -> bool:
        return isinstance(getattr(self.request, "accepted_renderer", None), ExportRenderer)

    def export(self, queryset, name: str | None = None) -> StreamingHttpResponse:
        # An export is every row; a page number would be silently ignored otherwise.
        paged = sorted(PAGE_PARAMETERS & set(self.request.query_params))
        if paged:
            raise ValidationError(
                {p: [_("Exports are not paginated: leave this parameter out.")] for p in paged}
            )
        export = exports.EXPORTS[queryset.model]
        hxl = self.request.accepted_renderer.hxl
        # The export answers on its list's URL; its rows are logged as they are written.
        kind = "export" if self.action == "list" else f"{self.action}-export"
        access_log.set_how(self.request, f"api:{self.basename}-{kind}")
        response = StreamingHttpResponse(
            exports.stream(export, queryset, self.request, hxl=hxl),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"{name or export.name}{'-hxl' if hxl else ''}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def list(self, request, *args, **kwargs):
        if self.exporting:
            return self.export(self.filter_queryset(self.get_queryset()))
        return super().list(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        if self.exporting and isinstance(response, Response):
            # Only the export itself is CSV: errors keep the one JSON error shape.
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class RecordViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only resource addressed by its public UUID."""

    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filter_backends = [StrictFilterBackend]

    def get_queryset(self):
        return self.queryset_for(self.request)

    def finish(self, records: list) -> list:
        """Attach what a representation derives from several rows (nothing by default)."""
        return records

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return self.finish(page) if page is not None else None

    def get_object(self):
        return self.finish([super().get_object()])[0]

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        response = Response(self.get_serializer(record).data)
        if hasattr(record, "version"):
            response["ETag"] = etag(record)
        return response


class WritableRecordViewSet(RecordViewSet, viewsets.ModelViewSet):
    """A resource partners (with a write token) and staff (per their group) may change.

    The answer to a write is the record as it now reads, with its ETag.
    """

    # This docstring is the public description of each operation in the schema; the
    # writes themselves go through incidents.writes.services.
    permission_classes = [RecordPermission]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    model = None

    def _write_serializer(self, *args, **kwargs):
        serializer_class = write_serializers.WRITE_SERIALIZERS[self.model]
        return serializer_class(*args, context=self.get_serializer_context(), **kwargs)

    def _written(self, record, status_code=status.HTTP_200_OK) -> Response:
        # Re-read through the caller's scope for the full representation; a caller
        # may write what it cannot read (staff without the restricted permission).
        queryset = self.get_queryset()
        fresh = queryset.filter(pk=record.pk).first()
        if fresh is None:
            fresh = record
            prefetch_related_objects([fresh], *queryset._prefetch_related_lookups)
        self.finish([fresh])
        response = Response(self.get_serializer(fresh).data, status=status_code)
        response["ETag"] = etag(fresh)
        if status_code == status.HTTP_201_CREATED:
            response["Location"] = self.request.build_absolute_uri(f"{fresh.uuid}/")
        return response

    def create(self, request, *args, **kwargs):
        return idempotent(request, lambda: self._create(request))

    def _create(self, request):
        serializer = self._write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors(), audited(request):
            record = services.record_create(
                model=self.model,
                fields=serializer.service_fields(),
                principal=principal_of(request),
                citations=data.get("citations"),
                methods=data.get("methods"),
            )
        return self._written(record, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        record = self.get_object()
        expected = expected_version(request)
        serializer = self._write_serializer(record, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with service_errors(), audited(request):
            record = services.record_update(
                record=record,
                fields=serializer.service_fields(),
                principal=principal_of(request),
                expected_version=expected,
                methods=serializer.validated_data.get("methods"),
            )
        return self._written(record)

    def destroy(self, request, *args, **kwargs):
        record = self.get_object()
        expected = expected_version(request)
        with service_errors(), audited(request):
            services.record_delete(
                record=record, principal=principal_of(request), expected_version=expected
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(
        detail=False,
        methods=["get", "put", "delete"],
        url_path=r"by-external-id/(?P<external_id>.+)",
        filterset_class=None,
        pagination_class=None,
    )
    def by_external_id(self, request, external_id=None):
        """The caller's record with this external id: read, create or update, delete."""
        principal = principal_of(request)
        if principal.is_anonymous:
            raise NotAuthenticated(_("External ids belong to a partner or to staff; sign in."))
        if request.method == "GET":
            return self.retrieve(request)
        if request.method == "DELETE":
            return self.destroy(request)
        return self._upsert(request, external_id)

    def get_object(self):
        if "external_id" not in self.kwargs:  # any method on .../by-external-id/, OPTIONS too
            return super().get_object()
        # The caller's own record, by the caller's own id.
        record = get_object_or_404(
            self.get_queryset(),
            owner=principal_of(self.request).partner,
            external_id=self.kwargs["external_id"],
        )
        self.check_object_permissions(self.request, record)
        return self.finish([record])[0]

    def _upsert(self, request, external_id):
        if not external_id.isprintable() or len(external_id) > 200:
            raise ValidationError(
                {"external_id": [_("Use at most 200 printable characters.")]}, code="invalid"
            )
        serializer = self._write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        fields = serializer.service_fields(upsert=True)
        if fields.pop("external_id", external_id) != external_id:
            raise ValidationError(
                {"external_id": [_("It differs from the external id in the path.")]},
                code="invalid",
            )
        with service_errors(), audited(request):
            record, outcome = services.record_upsert(
                model=self.model,
                external_id=external_id,
                fields=fields,
                principal=principal_of(request),
                citations=data.get("citations"),
                methods=data.get("methods"),
                expected_version=expected_version(request),
            )
        created = outcome == services.Outcome.CREATED
        response = self._written(record, status.HTTP_201_CREATED if created else status.HTTP_200_OK)
        if created:
            response["Location"] = request.build_absolute_uri(
                reverse(f"{self.basename}-detail", kwargs={"id": record.uuid})
            )
        response["X-Upsert-Outcome"] = outcome
        return response

    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=NumberedPagination)
    def history(self, request, id=None):
        record = self.get_object()
        access_log.note(request, [record])  # its old values are the record too
        entries = record_history(record, request)
        page = self.paginator.paginate_queryset(entries, request, view=self)
        data = serializers.HistoryEntrySerializer(page, many=True).data
        return self.paginator.get_paginated_response(data)


@documented(
    "List actors",
    description="Organisations, people and state bodies that report, perpetrate or respond.",
    one="One actor",
    model=Actor,
)
class ActorViewSet(WritableRecordViewSet):
    model = Actor
    serializer_class = serializers.ActorSerializer
    filterset_class = filters.ActorFilterSet
    queryset_for = staticmethod(queries.actors)


@documented(
    "List sources",
    description="Documents and statements, "
    "with their issuer and the article they reached us through.",
    one="One source",
    model=Source,
)
class SourceViewSet(WritableRecordViewSet):
    model = Source
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilterSet
    queryset_for = staticmethod(queries.sources)


CHART_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=[renderer.format for renderer in CHART_RENDERERS],
    description="svg (the default) or png; or send Accept: image/svg+xml or image/png.",
)


class ImageSchema(AutoSchema):
    """An endpoint answering with an image: its errors are documented as JSON, as they are."""

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        if not status_code.startswith("2"):
            media_types = ["application/json"]
        return super()._get_response_for_code(serializer, status_code, media_types, direction)


@documented(
    "List incidents",
    one="One incident",
    model=Incident,
)
class IncidentViewSet(WritableRecordViewSet):
    model = Incident
    serializer_class = serializers.IncidentSerializer
    filterset_class = filters.IncidentFilterSet
    queryset_for = staticmethod(queries.incidents)

    def get_queryset(self):
        # The timeline and its chart list figures, and take the figure filters.
        if self.action in ("timeline", "chart"):
            return queries.figures(self.request)
        return super().get_queryset()

    def _timeline(self, request, id) -> queries.Timeline:
        """The incident's timeline, narrowed by the request's figure filters."""
        incident = get_object_or_404(queries.incidents(request), uuid=id)
        figures = self.filter_queryset(self.get_queryset())
        return queries.timeline(incident, figures, request)

    @extend_schema(
        summary="An incident's figures over time",
        description=(
            "The figures of the incident and of every incident nested in it, in date "
            "order, grouped by measure and group, each with who reported it and in what "
            "words. Accepts the filters of /api/v1/figures/ (e.g. measure=still_detained)."
        ),
        responses=serializers.TimelineSerializer,
        filters=True,
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=filters.FigureFilterSet,
        pagination_class=None,
    )
    def timeline(self, request, id=None):
        timeline = self._timeline(request, id)
        context = self.get_serializer_context()
        return Response(serializers.TimelineSerializer(timeline, context=context).data)

    @extend_schema(
        summary="An incident's figures over time, as a chart",
        description=(
            "The timeline drawn: one panel per measure and group, the figures by date, one "
            "line per reporter (the issuer of the reporting source, or the source), ranges "
            "as bars, contested figures ringed in red, approximate dates as hollow markers. "
            "SVG by default, PNG with format=png or Accept: image/png; labels in the "
            "language of Accept-Language. Accepts the filters of /api/v1/figures/ (e.g. "
            "measure=still_detained). Errors are JSON."
        ),
        parameters=[CHART_FORMAT],
        responses={
            (200, SVG_MEDIA_TYPE): OpenApiResponse(
                {"type": "string", "description": "An SVG document."},
                description="The chart.",
            ),
            (200, PNG_MEDIA_TYPE): OpenApiResponse(
                {"type": "string", "format": "binary", "description": "A PNG image."},
                description="The chart.",
            ),
        },
        filters=True,
    )
    @action(
        detail=True,
        methods=["get"],
        filterset_class=filters.FigureFilterSet,
        pagination_class=None,
        renderer_classes=list(CHART_RENDERERS),
        content_negotiation_class=StrictFormatNegotiation,
        schema=ImageSchema(),
    )
    def chart(self, request, id=None):
        """The timeline's figures as an SVG or PNG chart, for what the caller may read."""
        # matplotlib loads on the first chart, not in every process that serves the API.
        from incidents.reads import charts

        timeline = self._timeline(request, id)
        fmt = request.accepted_renderer.format
        image = charts.render(timeline, principal_of(request), fmt)
        access_log.note(request, queries.timeline_records(timeline))
        response = Response(image, content_type=request.accepted_renderer.media_type)
        response["Content-Disposition"] = charts.disposition(timeline.incident, fmt)
        patch_vary_headers(response, ["Accept"])
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if (
            any(issubclass(renderer, ChartRenderer) for renderer in self.renderer_classes)
            and isinstance(response, Response)
            and not isinstance(response.data, bytes)
        ):
            # Only the chart itself is an image: errors (and OPTIONS, and a refused
            # POST) keep the one JSON shape.
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


@documented(
    "List detainee groups",
    one="One detainee group",
    model=DetaineeGroup,
)
class DetaineeGroupViewSet(WritableRecordViewSet):
    model = DetaineeGroup
    serializer_class = serializers.DetaineeGroupSerializer
    filterset_class = filters.DetaineeGroupFilterSet
    queryset_for = staticmethod(queries.detainee_groups)


@documented(
    "List figures",
    description="Each figure with its reporting source, the sources that corroborate "
    "or dispute it, and whether (and why) it is contested.",
    one="One figure",
    model=Figure,
)
class FigureViewSet(WritableRecordViewSet):
    model = Figure
    serializer_class = serializers.FigureSerializer
    filterset_class = filters.FigureFilterSet
    queryset_for = staticmethod(queries.figures)
    export_actions = ("list", "latest")

    def finish(self, records):
        return queries.finish_figures(records, self.request)

    @extend_schema(
        summary="The latest figure per group, measure and reporter",
        description=(
            "For each incident, group, measure and reporter (the issuer of the reporting "
            "source), the most recent figure among those the filters select. With "
            "as_of__lte it answers 'what did each source say as of that date'."
        ),
        responses=serializers.FigureSerializer(many=True),
        parameters=[EXPORT_FORMAT],
    )
    # Page numbers only: the latest figure per series is ranked over every figure, and a
    # keyset condition would take part in the ranking instead of following it.
    @action(detail=False, methods=["get"], pagination_class=NumberedPagination)
    def latest(self, request):
        figures = queries.latest_figures(self.filter_queryset(self.get_queryset()), request)
        if self.exporting:
            return self.export(figures, name="figures-latest")
        page = self.paginate_queryset(figures)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


@documented(
    "List allegations",
    one="One allegation",
    model=Allegation,
)
class AllegationViewSet(WritableRecordViewSet):
    model = Allegation
    serializer_class = serializers.AllegationSerializer
    filterset_class = filters.AllegationFilterSet
    queryset_for = staticmethod(queries.allegations)


@documented(
    "List citations",
    description="Every citation: a source's verbatim words for or against one incident, "
    "group, figure or allegation. Create one here to add a corroboration or a dispute.",
    one="One citation",
    model=Citation,
)
class CitationViewSet(WritableRecordViewSet):
    model = Citation
    serializer_class = serializers.CitationRecordSerializer
    filterset_class = filters.CitationFilterSet
    queryset_for = staticmethod(queries.citations)


@documented(
    "List vocabulary terms",
    description="Violation types and methods, with English and Spanish labels and "
    "HURIDOCS ESF codes. Send Accept-Language: es for Spanish labels.",
    one="One vocabulary term",
)
class TermViewSet(RecordViewSet):
    serializer_class = serializers.TermSerializer
    filterset_class = filters.TermFilterSet

    def get_queryset(self):
        return queries.terms()
