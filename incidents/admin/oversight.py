"""The access log in the admin: who read which restricted record, for administrators.

Read-only for everyone, superusers included: an entry is evidence, and evidence that
could be edited or deleted from the page it is read on would prove nothing. Entries
leave only by age (``purge_access_log``). Administrators see it (the role has its
view permission, ``incidents.roles``); other roles do not.

A record's change page links here, filtered by the record (``record_id``).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from incidents.admin.readonly import ReadOnlyAdmin
from incidents.models import AccessLogEntry


def log_url(record) -> str:
    """The access log filtered by one record: "who read this record"."""
    url = reverse("admin:incidents_accesslogentry_changelist")
    return f"{url}?{urlencode({'record_id': str(record.uuid)})}"


def may_read_log(request) -> bool:
    return request.user.has_perm("incidents.view_accesslogentry")


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Entries newest first, filtered by date, staff member, partner and door."""

    list_display = ("at", "who", "how", "method", "path", "address", "model", "record_id")
    list_filter = (
        "at",
        ("user", admin.RelatedOnlyFieldListFilter),
        ("partner", admin.RelatedOnlyFieldListFilter),
        "how",
        "model",
    )
    # Exact ids: a record's id, a request's id (as a partner quotes it); names as typed.
    search_fields = ("=record_id", "=request_id", "username", "partner_name", "=token_prefix")
    date_hierarchy = "at"
    list_per_page = 100
    show_facets = admin.ShowFacets.NEVER  # a count per filter value would scan the log
    fields = (
        "at",
        "request_id",
        "user",
        "username",
        "partner",
        "partner_name",
        "token_prefix",
        "how",
        "method",
        "path",
        "address",
        "model",
        "record_id",
    )
    readonly_fields = fields

    @admin.display(description=_("who"), ordering="username")
    def who(self, entry):
        return entry.who
