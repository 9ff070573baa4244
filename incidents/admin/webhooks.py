"""The admin of webhooks: partners' subscriptions, their deliveries and every attempt.

Staff create a subscription for a partner here and give the partner its secret
(shown on the subscription's page, where it can also be rotated); they pause,
resume, and retry deliveries. Deliveries and their attempts are read-only: they
are the log of what was sent.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from incidents.admin.readonly import ReadOnlyAdmin
from incidents.integration import webhooks
from incidents.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

EVENT_CHOICES = [
    (webhooks.ALL_EVENTS, _("* (every event type)")),
    *((name, name) for name in webhooks.EVENT_TYPES),
]


class WebhookSubscriptionForm(forms.ModelForm):
    """Event types as checkboxes; the URL and the events checked as the API checks them."""

    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ("partner", "url", "events", "description", "is_active")

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            webhooks.check_url(url)
        except ValidationError as error:
            raise ValidationError(error.message_dict["url"]) from None
        return url

    def clean_events(self):
        try:
            return webhooks.clean_events(self.cleaned_data["events"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["events"]) from None


@admin.action(description=_("Resume the selected subscriptions (and send what waited)"))
def resume_subscriptions(modeladmin, request, queryset):
    resumed = count = 0
    for subscription in queryset:
        try:
            count += webhooks.resume(subscription)
            resumed += 1
        except ValidationError as error:  # its token was revoked or has expired
            modeladmin.message_user(
                request, f"{subscription}: {' '.join(error.messages)}", messages.ERROR
            )
    modeladmin.message_user(
        request,
        _("Resumed %(n)d subscriptions; %(d)d waiting deliveries queued.")
        % {"n": resumed, "d": count},
    )


@admin.action(description=_("Pause the selected subscriptions"))
def pause_subscriptions(modeladmin, request, queryset):
    reason = _("Paused by staff (%(user)s).") % {"user": request.user.get_username()}
    paused = sum(webhooks.pause(subscription, str(reason)) for subscription in queryset)
    modeladmin.message_user(request, _("Paused %(n)d subscriptions.") % {"n": paused})


@admin.action(description=_("Rotate the signing secret of the selected subscriptions"))
def rotate_secrets(modeladmin, request, queryset):
    for subscription in queryset:
        webhooks.rotate_secret(subscription)
    modeladmin.message_user(
        request,
        _(
            "New secrets for %(n)d subscriptions: give each partner the one shown on its "
            "subscription's page. Requests are signed with it from now on."
        )
        % {"n": queryset.count()},
        messages.WARNING,
    )


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """The secret is shown on the subscription's page, read-only, for staff to pass on."""

    form = WebhookSubscriptionForm
    list_display = (
        "partner",
        "url",
        "event_list",
        "is_active",
        "is_paused",
        "consecutive_failures",
        "created_at",
    )
    list_filter = ("is_active", ("paused_at", admin.EmptyFieldListFilter), "partner")
    list_select_related = ("partner",)
    search_fields = ("url", "description", "partner__name")
    autocomplete_fields = ("partner",)
    actions = [resume_subscriptions, pause_subscriptions, rotate_secrets]

    def get_fields(self, request, obj=None):
        fields = ["partner", "url", "events", "description", "is_active"]
        if obj is None:
            return fields
        return [
            *fields,
            "secret",
            "paused_at",
            "paused_reason",
            "consecutive_failures",
            "delivery_log",
            "uuid",
            "created_at",
            "updated_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "partner",
            "secret",
            "paused_at",
            "paused_reason",
            "consecutive_failures",
            "delivery_log",
            "uuid",
            "created_at",
            "updated_at",
        )

    def save_model(self, request, obj, form, change):
        turned_on = change and "is_active" in form.changed_data and obj.is_active
        super().save_model(request, obj, form, change)
        if turned_on and obj.paused_at is None:
            try:
                webhooks.resume(obj)  # sends the deliveries that waited while it was off
            except ValidationError as error:  # its token was revoked or has expired
                self.message_user(request, " ".join(error.messages), messages.WARNING)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            _(
                "Subscription created. Give the partner its signing secret, shown below; "
                "it checks each request's signature with it."
            ),
            messages.WARNING,
        )
        # To the subscription's page, where the secret is.
        return HttpResponseRedirect(
            reverse("admin:incidents_webhooksubscription_change", args=[obj.pk])
        )

    @admin.display(description=_("events"))
    def event_list(self, obj):
        return Truncator(", ".join(obj.events)).chars(80)

    @admin.display(description=_("paused"), boolean=True)
    def is_paused(self, obj):
        return obj.paused_at is not None

    @admin.display(description=_("deliveries"))
    def delivery_log(self, obj):
        url = reverse("admin:incidents_webhookdelivery_changelist")
        query = urlencode({"subscription__id__exact": obj.pk})
        pending = obj.deliveries.filter(status="pending").count()
        label = _("All deliveries (%(n)d pending)") % {"n": pending}
        return format_html('<a href="{}?{}">{}</a>', url, query, label)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("number", "at", "status_code", "error", "duration_ms", "response_excerpt")
    readonly_fields = fields


@admin.action(description=_("Retry the selected deliveries now"), permissions=["retry"])
def retry_deliveries(modeladmin, request, queryset):
    count = webhooks.retry_now(queryset)
    waiting = queryset.filter(subscription__paused_at__isnull=False).count()
    message = _("%(n)d deliveries queued.") % {"n": count}
    if waiting:
        message += " " + _(
            "%(w)d belong to paused subscriptions and wait until those are resumed."
        ) % {"w": waiting}
    modeladmin.message_user(request, message)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The log of what was sent where: read-only, with a retry."""

    list_display = (
        "event_type",
        "subscription",
        "status",
        "attempts",
        "short_error",
        "next_attempt_at",
        "created_at",
        "delivered_at",
    )
    list_filter = ("status", "event_type", "subscription")
    list_select_related = ("subscription__partner",)
    search_fields = ("event_id", "subscription__url", "subscription__partner__name")
    date_hierarchy = "created_at"
    inlines = (WebhookAttemptInline,)
    actions = [retry_deliveries]
    fields = (
        "subscription",
        "event_id",
        "event_type",
        "payload",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "delivered_at",
    )
    readonly_fields = fields

    def has_retry_permission(self, request):
        return request.user.has_perm("incidents.change_webhookdelivery")

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return Truncator(obj.last_error).chars(80)
