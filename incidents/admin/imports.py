"""Bulk import in the admin: a form, a preview, then the import.

Not django-import-export: it would write around the services and their
validation. This runs the import the API runs (``incidents.integration.imports``), so the
same rules apply, and history records it as through the admin, by the staff
member who confirmed it.

Both steps are import jobs. "Preview" stores the batch as a dry-run job and
runs it (in the request when small, by the task worker when large); its page
shows the counts and the rows with their outcomes and errors. "Confirm
import" on that page runs the stored batch for real, as a new job, which
takes the preview's stored copy over (a preview is confirmed once). Nothing
is written before that.

Templates: ``templates/admin/incidents/importjob/`` (Django's admin finds the
changelist and change form there by their names).
"""

import io

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from incidents.admin.readonly import ReadOnlyAdmin
from incidents.integration import imports
from incidents.models import ImportJob

# Rows shown on a job's page besides those with errors; a large report stays in the API.
SHOWN_ROWS = 500
FORMAT_CHOICES = [
    ("", gettext_lazy("Detect from the file name or the text")),
    ("json", gettext_lazy("JSON array")),
    ("ndjson", gettext_lazy("NDJSON (one JSON object a line)")),
    ("csv", gettext_lazy("CSV with a header row")),
]


def importable(user) -> list[str]:
    """The resources this staff member may import (add and change)."""
    return [name for name, model in imports.RESOURCES.items() if imports.may_import(user, model)]


class ImportForm(forms.Form):
    resource = forms.ChoiceField(label=gettext_lazy("Records"))
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMAT_CHOICES, required=False)
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy(".json, .ndjson or .csv (UTF-8)."),
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste the records"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 100, "class": "vLargeTextField"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Kept in the history of every record the import writes."),
    )

    def __init__(self, *args, resources: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [(name, name) for name in resources]

    def clean(self):
        cleaned = super().clean()
        upload, pasted = cleaned.get("file"), cleaned.get("text") or ""
        if bool(upload) == bool(pasted.strip()):
            raise forms.ValidationError(_("Choose a file or paste the records (one of the two)."))
        if upload is not None and upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d bytes.") % {"limit": settings.IMPORT_MAX_BYTES}
            )
        # Read as the API reads a request: a row at a time, the rows kept only when few.
        source = upload if upload is not None else io.BytesIO(pasted.encode())
        fmt = cleaned.get("format") or imports.detect_format(
            source, upload.name if upload is not None else ""
        )
        resource = cleaned.get("resource")
        if resource:
            try:
                cleaned["batch"] = imports.read_batch(
                    source, fmt, imports.RESOURCES[resource], keep=imports.sync_limit()
                )
            except imports.BatchError as error:
                raise forms.ValidationError(
                    [
                        message if key == "body" else f"{key}: {message}"
                        for key, values in error.detail.items()
                        for message in values
                    ]
                ) from None
        return cleaned


class ImportJobAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Imports, read-only, with their reports; "Import records" starts a new one."""

    list_display = (
        "created_at",
        "resource",
        "dry_run",
        "status",
        "progress",
        "created",
        "updated",
        "unchanged",
        "sent_by",
        "via",
    )
    list_filter = ("status", "resource", "dry_run", "via")
    fields = (
        "uuid",
        "resource",
        "format",
        "dry_run",
        "status",
        "progress",
        ("created", "updated", "unchanged"),
        "sent_by",
        "via",
        "reason",
        ("created_at", "started_at", "finished_at"),
    )
    readonly_fields = ("progress", "sent_by")
    show_facets = admin.ShowFacets.NEVER

    def has_view_permission(self, request, obj=None):
        if request.user.has_perm("incidents.view_importjob"):
            return True
        # Staff who may import see their own imports.
        mine = obj is None or (obj.partner_id is None and obj.user_id == request.user.pk)
        return mine and bool(importable(request.user))

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_queryset(self, request):
        jobs = super().get_queryset(request).select_related("partner", "user")
        if not request.user.has_perm("incidents.view_importjob"):
            jobs = jobs.filter(partner__isnull=True, user=request.user)
        return jobs

    @admin.display(description=gettext_lazy("progress"))
    def progress(self, job):
        return f"{job.processed_rows} / {job.total_rows} ({imports.job_phase(job)})"

    @admin.display(description=gettext_lazy("sent by"))
    def sent_by(self, job):
        if job.partner_id:
            return f"{job.partner} ({job.token_prefix})"
        return job.user or "-"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="incidents_importjob_import"),
            path(
                "<int:object_id>/confirm/",
                view(self.confirm_view),
                name="incidents_importjob_confirm",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"may_import": bool(importable(request.user)), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if job is not None:
            extra.update(self._report_context(request, job))
        return super().change_view(request, object_id, form_url, extra)

    def _report_context(self, request, job: ImportJob) -> dict:
        job = ImportJob.objects.get(pk=job.pk)  # rows and errors, deferred in lists
        report = imports.job_report(job)
        context = {
            "report": report,
            "running": report is None,
            "can_confirm": self._can_confirm(request, job),
            "confirm_url": reverse("admin:incidents_importjob_confirm", args=[job.pk]),
        }
        if report is not None:
            by_row: dict = {}
            for error in report["errors"]:
                by_row.setdefault(error["row"], []).append(error)
            failed = [row for row in report["rows"] if row["row"] in by_row]
            shown = {row["row"]: row for row in report["rows"][:SHOWN_ROWS]}
            shown.update({row["row"]: row for row in failed[:SHOWN_ROWS]})
            context["shown_rows"] = [
                {**row, "errors": by_row.get(row["row"], [])}
                for _number, row in sorted(shown.items())
            ]
            context["hidden_rows"] = len(report["rows"]) - len(shown)
            context["job_errors"] = by_row.get(None, [])
        return context

    def _can_confirm(self, request, job: ImportJob) -> bool:
        return (
            imports.awaits_confirmation(job)
            and bool(job.payload_file)  # a preview is confirmed once
            and job.user_id == request.user.pk
            and imports.may_import(request.user, imports.RESOURCES[job.resource])
        )

    def import_view(self, request):
        resources = importable(request.user)
        if not resources:
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None, resources=resources)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            caller = imports.Caller(user=request.user, via="admin", reason=data["reason"])
            with data["batch"] as batch:
                job = self._start(request, caller, data["resource"], batch, dry_run=True)
            return HttpResponseRedirect(reverse("admin:incidents_importjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": _("Import records"),
            "sync_limit": imports.sync_limit(),
        }
        return TemplateResponse(request, "admin/incidents/importjob/import_form.html", context)

    def confirm_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        preview = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self._can_confirm(request, preview):
            raise PermissionDenied
        caller = imports.Caller(user=request.user, via="admin", reason=preview.reason)
        try:
            # The confirming job takes the preview's stored batch over.
            batch = imports.take_batch(preview, keep=imports.sync_limit())
        except imports.BatchError as error:
            for message in (m for ms in error.detail.values() for m in ms):
                messages.error(request, message)
            return HttpResponseRedirect(
                reverse("admin:incidents_importjob_change", args=[preview.pk])
            )
        job = self._start(request, caller, preview.resource, batch, dry_run=False)
        return HttpResponseRedirect(reverse("admin:incidents_importjob_change", args=[job.pk]))

    def _start(self, request, caller, resource, batch, *, dry_run: bool) -> ImportJob:
        """A job for the batch: run now when its rows were kept, queued for the worker if not."""
        background = batch.rows is None
        job = imports.create_job(
            caller=caller, resource=resource, batch=batch, dry_run=dry_run, queue=background
        )
        if background:
            messages.info(
                request,
                _(
                    "The batch has %(n)d rows, so it runs in the background. Reload this page "
                    "to follow it."
                )
                % {"n": batch.total_rows},
            )
            return job
        report = imports.run_now(job, batch.rows, caller).as_dict()
        if report["failed"]:
            messages.error(
                request,
                ngettext(
                    "%(n)d row has errors: nothing was written. Correct it and try again.",
                    "%(n)d rows have errors: nothing was written. Correct them and try again.",
                    report["failed"],
                )
                % {"n": report["failed"]},
            )
        elif dry_run:
            messages.info(request, _("Nothing is written yet: check the rows, then confirm."))
        else:
            messages.success(
                request,
                _("Imported: %(c)d created, %(u)d updated, %(s)d unchanged.")
                % {"c": report["created"], "u": report["updated"], "s": report["unchanged"]},
            )
        return job


admin.site.register(ImportJob, ImportJobAdmin)
