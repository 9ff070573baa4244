"""Read-only viewsets. Thin: querysets come from ``incidents.queries``, filters from
``incidents.filters``, access from ``incidents.access``."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from incidents import filters, queries
from incidents.api import serializers

# Query parameters every list understands besides its filters.
GENERAL_PARAMETERS = frozenset({"page", "page_size", "format"})


def documented(summary: str, *, one: str, description: str | None = None):
    """Schema summaries for a resource's list and detail operations."""
    return extend_schema_view(
        list=extend_schema(summary=summary, description=description),
        retrieve=extend_schema(summary=one),
    )


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
                    {name: ["Unknown query parameter."] for name in unknown}, code="unknown"
                )
        return super().filter_queryset(request, queryset, view)


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
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


@documented(
    "List actors",
    description="Organisations, people and state bodies that report, perpetrate or respond.",
    one="One actor",
)
class ActorViewSet(RecordViewSet):
    serializer_class = serializers.ActorSerializer
    filterset_class = filters.ActorFilterSet
    queryset_for = staticmethod(queries.actors)


@documented(
    "List sources",
    description="Documents and statements, "
    "with their issuer and the article they reached us through.",
    one="One source",
)
class SourceViewSet(RecordViewSet):
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilterSet
    queryset_for = staticmethod(queries.sources)


@documented(
    "List incidents",
    one="One incident",
)
class IncidentViewSet(RecordViewSet):
    serializer_class = serializers.IncidentSerializer
    filterset_class = filters.IncidentFilterSet
    queryset_for = staticmethod(queries.incidents)

    def get_queryset(self):
        # The timeline lists figures, and takes the figure filters.
        if self.action == "timeline":
            return queries.figures(self.request)
        return super().get_queryset()

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
        incident = get_object_or_404(queries.incidents(request), uuid=id)
        figures = self.filter_queryset(self.get_queryset())
        timeline = queries.timeline(incident, figures, request)
        context = self.get_serializer_context()
        return Response(serializers.TimelineSerializer(timeline, context=context).data)


@documented(
    "List detainee groups",
    one="One detainee group",
)
class DetaineeGroupViewSet(RecordViewSet):
    serializer_class = serializers.DetaineeGroupSerializer
    filterset_class = filters.DetaineeGroupFilterSet
    queryset_for = staticmethod(queries.detainee_groups)


@documented(
    "List figures",
    description="Each figure with its reporting source, the sources that corroborate "
    "or dispute it, and whether (and why) it is contested.",
    one="One figure",
)
class FigureViewSet(RecordViewSet):
    serializer_class = serializers.FigureSerializer
    filterset_class = filters.FigureFilterSet
    queryset_for = staticmethod(queries.figures)

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
    )
    @action(detail=False, methods=["get"])
    def latest(self, request):
        figures = queries.latest_figures(self.filter_queryset(self.get_queryset()), request)
        page = self.paginate_queryset(figures)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


@documented(
    "List allegations",
    one="One allegation",
)
class AllegationViewSet(RecordViewSet):
    serializer_class = serializers.AllegationSerializer
    filterset_class = filters.AllegationFilterSet
    queryset_for = staticmethod(queries.allegations)


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
