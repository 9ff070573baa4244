"""The change feed: ``GET /api/v1/changes/?since=<cursor>``.

Partners keep a mirror by replaying it: apply each change in order (fetch the
record for "created" and "updated", drop it for "deleted"), store
``next_cursor``, and call again with it. See ``incidents.integration.changes`` for why
the order is commit order and how visibility is applied.

The cursor is a position in the feed of everyone's changes, sealed
(``incidents.api.sealing``): in the clear, a position that moves while nothing the
caller may see has changed would show that others are writing.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.access import principal_of
from incidents.api import sealing
from incidents.api.serializers import FastSerializer
from incidents.integration import changes

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100


def cursor(position: int) -> str:
    """A feed position as the caller gets it: sealed, so that it shows nothing of the
    changes of others (how many there were, or that there were any since the last call)."""
    return sealing.seal(sealing.FEED_CURSOR, position)


class ChangeSerializer(FastSerializer):
    """One change, as the caller sees it."""

    resource = serializers.ChoiceField(
        choices=sorted(changes.MODELS), help_text="Where the record lives: /api/v1/<resource>/."
    )
    id = serializers.UUIDField(source="record_uuid", help_text="The record's public id.")
    action = serializers.ChoiceField(
        source="shown_action",
        choices=["created", "updated", "deleted"],
        help_text="'deleted' is a tombstone: the record was deleted, or is no longer "
        "visible to you. 'created' may also mean it has just become visible to you.",
    )
    version = serializers.IntegerField(min_value=1, help_text="The record's version after it.")
    at = serializers.DateTimeField(help_text="When the change was committed.")


class ChangePageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    next_cursor = serializers.CharField(help_text="Send it as `since` in your next call.")
    has_more = serializers.BooleanField(help_text="True if more changes are waiting now.")


class ChangeQuerySerializer(serializers.Serializer):
    since = serializers.CharField(
        required=False,
        default="0",
        help_text="The next_cursor of your last call; 0 (the default) replays from the "
        "start, 'latest' gives no changes and the cursor of now.",
    )
    page_size = serializers.IntegerField(
        required=False, default=DEFAULT_PAGE_SIZE, min_value=1, max_value=MAX_PAGE_SIZE
    )
    resource = serializers.CharField(
        required=False,
        help_text="Only these resources, comma-separated (e.g. figures,allegations).",
    )

    def validate_since(self, value: str) -> int | None:
        if value == "latest":
            return None
        if value == "0":
            return 0
        try:
            position = sealing.unseal(sealing.FEED_CURSOR, value)
        except sealing.Unreadable:
            position = None
        if not isinstance(position, int) or isinstance(position, bool) or position < 0:
            raise ValidationError(_("Send a cursor this API gave you, 0, or 'latest'."))
        return position

    def validate_resource(self, value: str) -> list[str]:
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = sorted(set(names) - set(changes.MODELS))
        if unknown or not names:
            raise ValidationError(
                _("Unknown resource %(unknown)s; choose among %(known)s.")
                % {
                    "unknown": repr(", ".join(unknown) or value),
                    "known": ", ".join(sorted(changes.MODELS)),
                }
            )
        return names


class ChangeFeedView(APIView):
    """Every create, update and delete you may see, in commit order."""

    @extend_schema(
        summary="Changes since a cursor",
        description=(
            "Every create, update and delete of a record you may see, in commit order, "
            "each with its resource, id, version and time. Replay from since=0, then call "
            "again with next_cursor: the records you end up with are exactly those the "
            "API shows you. A record deleted or hidden from you comes as a 'deleted' "
            "tombstone. Several changes of one record may appear; keep the last."
        ),
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.STR,
                description=(
                    "The next_cursor of your last call; 0 replays from the start; "
                    "'latest' returns the cursor of now."
                ),
            ),
            OpenApiParameter(
                "page_size",
                OpenApiTypes.INT,
                description=f"Changes per call (1 to {MAX_PAGE_SIZE}; default "
                f"{DEFAULT_PAGE_SIZE}).",
            ),
            OpenApiParameter(
                "resource",
                OpenApiTypes.STR,
                description="Only these resources, comma-separated: "
                + ", ".join(sorted(changes.MODELS))
                + ".",
            ),
        ],
        responses=ChangePageSerializer,
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - set(ChangeQuerySerializer().fields))
        if unknown:
            raise ValidationError({name: [_("Unknown query parameter.")] for name in unknown})
        query = ChangeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        latest = changes.latest_cursor()
        since = params["since"]
        if since is None:
            return Response({"results": [], "next_cursor": cursor(latest), "has_more": False})
        if since > latest:
            raise ValidationError(
                {"since": [_("This cursor is ahead of the feed; send one this API gave you.")]}
            )
        page, next_cursor, has_more = changes.feed(
            principal_of(request),
            since,
            params["page_size"],
            params.get("resource"),
            ceiling=latest,
        )
        return Response(
            {
                "results": ChangeSerializer(page, many=True).data,
                "next_cursor": cursor(next_cursor),
                "has_more": has_more,
            }
        )
