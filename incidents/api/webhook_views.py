"""``/api/v1/webhooks/``: partners' webhook subscriptions, their deliveries and attempts.

Thin: the writes are functions of ``incidents.integration.webhooks``. A partner sees and
manages only its own subscriptions (another's is a 404); reading needs any of
its tokens, changing a write token. Staff manage every partner's with the
Django permissions on webhook subscriptions.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from incidents.access import principal_of
from incidents.api.pagination import PAGE_PARAMETERS
from incidents.api.webhook_serializers import (
    WebhookDeliverySerializer,
    WebhookSubscriptionSecretSerializer,
    WebhookSubscriptionSerializer,
    WebhookSubscriptionWriteSerializer,
)
from incidents.api.writes import service_errors
from incidents.integration import webhooks
from incidents.models import (
    DeliveryStatus,
    Partner,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)


class WebhookPermission(permissions.BasePermission):
    """Partners: their own subscriptions, changed with a write token. Staff: per permission."""

    def has_permission(self, request, view):
        principal = principal_of(request)
        if principal.partner is not None:
            if request.method in permissions.SAFE_METHODS or principal.token.can_write:
                return True
            self.message = _("This token may only read; managing webhooks needs a write token.")
            return False
        if principal.is_staff:
            if request.method in permissions.SAFE_METHODS:
                return True  # staff without the view permission see none (get_queryset)
            if view.action == "create":
                needed = "add"
            else:
                needed = "delete" if request.method == "DELETE" else "change"
            self.message = _("Your staff role may not do this.")
            return request.user.has_perm(f"incidents.{needed}_webhooksubscription")
        self.message = _("Webhooks belong to a partner: send its API token, or sign in as staff.")
        return False


def refuse_unknown_parameters(request, known: frozenset) -> None:
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ValidationError({name: [_("Unknown query parameter.")] for name in unknown})


SUBSCRIPTION_DESCRIPTION = (
    "Each request is a POST of a small JSON event (id, type, resource, record_id, version, "
    "occurred_at), signed per Standard Webhooks with the subscription's secret "
    "(webhook-id, webhook-timestamp, webhook-signature). You receive events only about "
    "records you may read; a record hidden from you comes as a '<type>.deleted' tombstone. "
    "See docs/webhooks.md."
)


@extend_schema_view(
    list=extend_schema(
        summary="List your webhook subscriptions",
        description=SUBSCRIPTION_DESCRIPTION,
    ),
    create=extend_schema(
        summary="Subscribe an endpoint to events",
        description="The response holds the signing secret, the only time it is shown "
        "(besides rotating it). Event types: " + ", ".join(webhooks.EVENT_TYPES) + "; '*' "
        "for all.",
        request=WebhookSubscriptionWriteSerializer,
        responses={201: WebhookSubscriptionSecretSerializer},
    ),
    retrieve=extend_schema(
        summary="One webhook subscription",
        description="With its state: a subscription that failed too often is paused, and "
        "paused_reason says why.",
    ),
    partial_update=extend_schema(
        summary="Change a webhook subscription",
        description="Any of url, events, description and is_active. Turning is_active back "
        "on sends the deliveries that waited.",
        request=WebhookSubscriptionWriteSerializer,
        responses={200: WebhookSubscriptionSerializer},
    ),
    destroy=extend_schema(
        summary="Delete a webhook subscription",
        description="With its deliveries and their log; nothing more is sent to it.",
        responses={204: None},
    ),
)
class WebhookSubscriptionViewSet(viewsets.ModelViewSet):
    """A partner's webhook subscriptions."""

    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [WebhookPermission]
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filter_backends = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        subscriptions = WebhookSubscription.objects.select_related("partner").order_by(
            "created_at", "pk"
        )
        principal = principal_of(self.request)
        if principal.partner is not None:
            return subscriptions.filter(partner=principal.partner)
        if principal.is_staff and principal.user.has_perm("incidents.view_webhooksubscription"):
            return subscriptions
        return subscriptions.none()

    def list(self, request, *args, **kwargs):
        refuse_unknown_parameters(request, PAGE_PARAMETERS)
        return super().list(request, *args, **kwargs)

    def _partner_for(self, partner_id):
        """The partner a new subscription is for: the caller's own, or the one staff name."""
        own = principal_of(self.request).partner
        if own is not None:
            if partner_id is not None and partner_id != own.uuid:
                raise ValidationError(
                    {"partner": [_("Partners subscribe for their own organisation; leave it out.")]}
                )
            return own
        if partner_id is None:
            raise ValidationError({"partner": [_("Name the partner this subscription is for.")]})
        partner = Partner.objects.filter(uuid=partner_id).first()
        if partner is None:
            raise ValidationError({"partner": [_("No partner with this id.")]})
        return partner

    def create(self, request, *args, **kwargs):
        serializer = WebhookSubscriptionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        partner = self._partner_for(data.get("partner"))
        with service_errors():
            subscription = webhooks.create_subscription(
                partner=partner,
                url=data["url"],
                events=data["events"],
                description=data.get("description", ""),
                is_active=data.get("is_active", True),
                # A partner's subscription lives as long as the token that made it.
                token=principal_of(request).token,
            )
        response = Response(
            WebhookSubscriptionSecretSerializer(subscription).data, status=status.HTTP_201_CREATED
        )
        response["Location"] = request.build_absolute_uri(f"{subscription.uuid}/")
        return response

    def partial_update(self, request, *args, **kwargs):
        subscription = self.get_object()
        serializer = WebhookSubscriptionWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        if "partner" in fields:
            raise ValidationError(
                {"partner": [_("A subscription cannot move to another partner.")]}
            )
        with service_errors():
            subscription = webhooks.update_subscription(subscription, **fields)
        return Response(WebhookSubscriptionSerializer(subscription).data)

    def destroy(self, request, *args, **kwargs):
        webhooks.delete_subscription(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Resume a paused subscription",
        description="Clears the pause and the failure count, and sends the deliveries that "
        "waited. Fix the endpoint first: it is paused again if it keeps failing.",
        request=None,
        responses={200: WebhookSubscriptionSerializer},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request, id=None):
        subscription = self.get_object()
        with service_errors():
            webhooks.resume(subscription)
        return Response(WebhookSubscriptionSerializer(subscription).data)

    @extend_schema(
        summary="Replace the signing secret",
        description="The response holds the new secret, the only time it is shown. Requests "
        "from now on, retries included, are signed with it alone.",
        request=None,
        responses={200: WebhookSubscriptionSecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, id=None):
        subscription = self.get_object()
        webhooks.rotate_secret(subscription)
        return Response(WebhookSubscriptionSecretSerializer(subscription).data)

    @extend_schema(
        summary="Send a test event",
        description="Queues a 'ping' event (resource, record_id and version null) to this "
        "subscription, whatever events it chose. It waits like any delivery while the "
        "subscription is paused or off. Follow it in the deliveries.",
        request=None,
        responses={202: WebhookDeliverySerializer},
    )
    @action(detail=True, methods=["post"], url_path="test")
    def send_test(self, request, id=None):
        delivery = webhooks.send_ping(self.get_object())
        delivery = self._deliveries().get(pk=delivery.pk)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="A subscription's deliveries",
        description="Most recent first, each with its status, attempts, last error, next "
        "attempt, and the log of every attempt (HTTP status, error, duration, the start of "
        "the response).",
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=[*DeliveryStatus.values],
                description="Only deliveries in this state.",
            )
        ],
        responses=WebhookDeliverySerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, id=None):
        subscription = self.get_object()
        refuse_unknown_parameters(request, PAGE_PARAMETERS | {"status"})
        deliveries = self._deliveries().filter(subscription=subscription)
        wanted = request.query_params.get("status")
        if wanted is not None:
            if wanted not in DeliveryStatus.values:
                raise ValidationError(
                    {
                        "status": [
                            _("Choose among %(choices)s.")
                            % {"choices": ", ".join(DeliveryStatus.values)}
                        ]
                    }
                )
            deliveries = deliveries.filter(status=wanted)
        page = self.paginate_queryset(deliveries)
        data = WebhookDeliverySerializer(page, many=True).data
        return self.get_paginated_response(data)

    def _deliveries(self):
        return WebhookDelivery.objects.order_by("-created_at", "-pk").prefetch_related(
            Prefetch("log", queryset=WebhookAttempt.objects.order_by("number"))
        )
