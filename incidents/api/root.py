"""``GET /api/v1/``: where everything is, for a newcomer or a client finding its way."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

# Each list, by the route name of its list view: what a client can read (and, with a
# write token, write).
RESOURCES = (
    ("actors", "actor-list"),
    ("sources", "source-list"),
    ("incidents", "incident-list"),
    ("detainee-groups", "detaineegroup-list"),
    ("figures", "figure-list"),
    ("allegations", "allegation-list"),
    ("citations", "citation-list"),
    ("terms", "term-list"),
)
SERVICES = (
    ("changes", "changes"),
    ("import", "import"),
    ("import-jobs", "importjob-list"),
    ("webhooks", "webhook-list"),
)
DOCUMENTS = (("schema", "schema"), ("docs", "swagger-ui"), ("redoc", "redoc"))


def _links(request, names) -> dict[str, str]:
    return {key: request.build_absolute_uri(reverse(name)) for key, name in names}


class ApiRootView(APIView):
    """The API's front door: its lists, its partner services, and its documentation."""

    @extend_schema(
        summary="Where everything is",
        description="The address of every list, of the services partners' systems use "
        "(the change feed, bulk import and its jobs, webhooks), and of the OpenAPI schema "
        "and its documentation. No token needed.",
        responses=inline_serializer(
            "ApiRoot",
            fields={
                "resources": serializers.DictField(
                    child=serializers.URLField(), help_text="Each list, by its name."
                ),
                "services": serializers.DictField(
                    child=serializers.URLField(),
                    help_text="The change feed, bulk import, import jobs and webhooks.",
                ),
                "schema": serializers.URLField(help_text="The OpenAPI 3 schema."),
                "docs": serializers.URLField(help_text="Swagger UI: try each operation."),
                "redoc": serializers.URLField(help_text="The reference, as one page."),
            },
        ),
    )
    def get(self, request):
        return Response(
            {
                "resources": _links(request, RESOURCES),
                "services": _links(request, SERVICES),
                **_links(request, DOCUMENTS),
            }
        )
