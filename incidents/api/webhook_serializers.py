"""What the webhook endpoints read and write. Fields are listed explicitly.

The signing secret is shown in two responses only: the one that creates a
subscription and the one that rotates its secret.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.integration import webhooks
from incidents.models import DeliveryStatus, Partner, WebhookAttempt, WebhookDelivery

EVENT_CHOICES = [*webhooks.EVENT_TYPES, webhooks.ALL_EVENTS]


def _unknown_event_message() -> str:
    # DRF fills in {input}; the message is translated when it is shown, not at import.
    return gettext('Unknown event type "{input}"; choose among %(choices)s.') % {
        "choices": ", ".join(EVENT_CHOICES)
    }


unknown_event_message = lazy(_unknown_event_message, str)


class PartnerBriefSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Partner
        fields = ("id", "name")


class WebhookSubscriptionSerializer(serializers.Serializer):
    """A subscription as its owner (and staff) see it; never with its secret."""

    id = serializers.UUIDField(source="uuid", read_only=True, help_text="Public identifier.")
    partner = PartnerBriefSerializer(read_only=True, help_text="The partner it belongs to.")
    url = serializers.URLField(help_text="Where events are POSTed.")
    events = serializers.ListField(
        child=serializers.CharField(), help_text="The event types it receives; '*' for all."
    )
    description = serializers.CharField(allow_blank=True)
    is_active = serializers.BooleanField(help_text="False: switched off by its owner.")
    state = serializers.SerializerMethodField(
        help_text="active; paused (after failing too often: see paused_reason); or off "
        "(is_active false). Deliveries wait while paused or off."
    )
    paused_at = serializers.DateTimeField(allow_null=True)
    paused_reason = serializers.CharField(
        allow_blank=True, help_text="Why it was paused, with the last error; empty when not paused."
    )
    consecutive_failures = serializers.IntegerField(
        help_text="Failed attempts since the last successful one."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ChoiceField(choices=["active", "paused", "off"]))
    def get_state(self, subscription) -> str:
        if not subscription.is_active:
            return "off"
        return "paused" if subscription.paused_at is not None else "active"


class WebhookSubscriptionSecretSerializer(WebhookSubscriptionSerializer):
    """A subscription with its signing secret: the answer to creating it or rotating the secret."""

    secret = serializers.CharField(
        help_text="The signing secret (whsec_…). Shown only in this response: store it now. "
        "Check each request's webhook-signature with it (see docs/webhooks.md)."
    )


class WebhookSubscriptionWriteSerializer(serializers.Serializer):
    """What a client sends to subscribe, or to change a subscription (PATCH: any subset)."""

    url = serializers.URLField(
        max_length=500,
        help_text="An https URL (http only on development servers) of a public host.",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(
            choices=EVENT_CHOICES,
            error_messages={"invalid_choice": unknown_event_message()},
        ),
        min_length=1,
        max_length=len(EVENT_CHOICES),
        help_text="Event types to receive, e.g. ['figure.created', 'figure.disputed']; "
        "'*' for every type.",
    )
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="What it is for."
    )
    is_active = serializers.BooleanField(
        required=False,
        help_text="Set false to stop deliveries for a while; true sends what waited.",
    )
    partner = serializers.UUIDField(
        required=False,
        help_text="Staff only, when subscribing: the partner the subscription is for. "
        "Partners leave it out.",
    )

    def validate(self, attrs):
        data = self.initial_data if isinstance(self.initial_data, dict) else {}
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            hint = {
                "secret": gettext("Secrets are generated: POST .../rotate-secret/ for a new one.")
            }
            raise serializers.ValidationError(
                {name: [hint.get(name, gettext("Unknown field."))] for name in unknown}
            )
        return attrs


class WebhookPayloadSerializer(serializers.Serializer):
    """The JSON body each request carries."""

    id = serializers.UUIDField(help_text="The event id, also sent as webhook-id.")
    type = serializers.CharField(help_text="e.g. figure.created, figure.disputed, ping.")
    resource = serializers.CharField(
        allow_null=True, help_text="Where the record lives: /api/v1/<resource>/ (null for ping)."
    )
    record_id = serializers.UUIDField(allow_null=True, help_text="The record's public id.")
    version = serializers.IntegerField(
        allow_null=True, help_text="The record's version when the event was queued."
    )
    occurred_at = serializers.DateTimeField(help_text="When the change was committed.")


class WebhookAttemptSerializer(serializers.ModelSerializer):
    """One HTTP request of a delivery."""

    # Counters declared here: a model's PositiveIntegerField has a bound that differs
    # between SQLite and PostgreSQL, and the schema must be the same on both.
    number = serializers.IntegerField(min_value=1, help_text="1 for the first attempt.")
    status_code = serializers.IntegerField(
        allow_null=True, help_text="The receiver's HTTP status; null if none came back."
    )
    duration_ms = serializers.IntegerField(min_value=0, help_text="How long it took.")

    class Meta:
        model = WebhookAttempt
        fields = ("number", "at", "status_code", "error", "duration_ms", "response_excerpt")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    """One event for one subscription: where it stands, and every attempt so far."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    status = serializers.ChoiceField(
        choices=DeliveryStatus.choices,
        help_text="pending (waiting or retrying), succeeded, or failed (given up).",
    )
    payload = WebhookPayloadSerializer()
    next_attempt_at = serializers.DateTimeField(
        allow_null=True, help_text="When it will be tried next, if it is waiting for a retry."
    )
    delivered_at = serializers.DateTimeField(allow_null=True)
    log = WebhookAttemptSerializer(many=True, help_text="Its attempts, first to last.")
    attempts = serializers.IntegerField(min_value=0, help_text="Attempts so far.")

    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "event_id",
            "event_type",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "created_at",
            "delivered_at",
            "log",
        )
