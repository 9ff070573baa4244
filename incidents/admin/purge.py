"""Purging a value in the admin: a page on each record, and the purge entries it leaves.

An administrator opens "Purge a value" on a record's page, picks the field, gives
the value to remove (the field's current value if left empty, or one that is only
in the record's history) and the reason, sees how many places hold the value,
and confirms. The page asks for a second factor confirmed within
``STAFF_RECENT_2FA_SECONDS``, as every sensitive action does. The work is
``incidents.writes.purge``; the entries are read-only here.

Templates: ``templates/admin/incidents/purge.html`` (the form and the
confirmation) and ``templates/admin/incidents/change_form_object_tools.html``
(the link on each record's page).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.admin.readonly import ReadOnlyAdmin
from incidents.models import PurgeEntry
from incidents.security import has_recent_second_factor, log_event, second_factor_confirmation
from incidents.writes import purge
from incidents.writes.audit import VIA_ADMIN

TEXT = {"rows": 3, "cols": 80, "class": "vLargeTextField"}


class PurgeForm(forms.Form):
    """What to purge from one record: a field, the value (optional), and why."""

    field = forms.ChoiceField(label=gettext_lazy("Field"))
    value = forms.CharField(
        label=gettext_lazy("Value to remove"),
        required=False,
        strip=False,  # the value is matched exactly, spaces included
        widget=forms.Textarea(attrs=TEXT),
        help_text=gettext_lazy(
            "Leave empty to remove the field's whole current value. To remove part of it, or "
            "a value that is only in the record's history, give it exactly as it was written."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs=TEXT),
        help_text=gettext_lazy(
            "Why the value is purged. It is kept in the purge entry and in the record's "
            "history: never write the value itself."
        ),
    )

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = purge.field_choices(model)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """The service's errors, each under its form field (the record's under the form)."""
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def summary(places: purge.Places) -> str:
    """The counts as one line: "history entries: 3, webhook deliveries: 0, ..."."""
    return ", ".join(f"{label}: {count}" for label, count in places.lines())


class PurgeAdminMixin:
    """A record's "Purge a value" page, for administrators (``purge.may_purge``)."""

    def get_urls(self):
        page = path(
            "<path:object_id>/purge/",
            self.admin_site.admin_view(self.purge_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_purge",
        )
        return [page, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        if purge.may_purge(request.user):
            extra["purge_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_purge",
                args=[quote(unquote(object_id))],
            )
        return super().change_view(request, object_id, form_url, extra)

    def purge_view(self, request, object_id):
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404
        if not purge.may_purge(request.user):
            log_event("purge.denied", request, record=str(record.uuid))
            raise PermissionDenied
        if not has_recent_second_factor(request):
            return second_factor_confirmation(request)

        model = type(record)
        form = PurgeForm(request.POST or None, model=model)
        places = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            chosen = {"record": record, "field": data["field"], "value": data["value"] or None}
            try:
                if "confirm" in request.POST:
                    entry = purge.purge(
                        **chosen,
                        reason=data["reason"],
                        user=request.user,
                        via=VIA_ADMIN,
                        request=request,
                    )
                    done = purge.Places.of(entry)
                    self.message_user(
                        request,
                        _("The value was purged from “%(field)s”: %(places)s.")
                        % {
                            "field": model._meta.get_field(entry.field).verbose_name,
                            "places": summary(done),
                        },
                        level=messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse(
                            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                            args=[quote(record.pk)],
                        )
                    )
                places = purge.preview(**chosen, reason=data["reason"])
            except ValidationError as error:
                _add_errors(form, error)
                places = None

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": record,
            "form": form,
            "places": places.lines() if places is not None else None,
            "field_label": (
                model._meta.get_field(form.cleaned_data["field"]).verbose_name
                if places is not None
                else ""
            ),
            "whole_value": places is not None and not form.cleaned_data["value"],
            "title": _("Purge a value from %(record)s") % {"record": record},
        }
        return TemplateResponse(request, "admin/incidents/purge.html", context)


@admin.register(PurgeEntry)
class PurgeEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The purge entries, read-only: who removed which field's value, when and why."""

    list_display = (
        "at",
        "by_name",
        "via",
        "record_type",
        "record_uuid",
        "field",
        "record_changed",
        "history_rows",
    )
    list_filter = ("record_type", "via")
    search_fields = ("record_uuid", "by_name", "field")
    date_hierarchy = "at"
    fields = (
        "at",
        "by",
        "by_name",
        "via",
        "record_type",
        "record_uuid",
        "field",
        "reason",
        "record_changed",
        "history_rows",
        "admin_log_entries",
        "webhook_deliveries",
        "import_jobs",
        "import_files",
        "idempotency_records",
    )
    readonly_fields = fields
