"""Sign-in attempts (django-axes) as administrators see them, and how they unlock.

An account, or an address, is locked out after ``AXES_FAILURE_LIMIT`` failed sign-ins
for ``AXES_COOLOFF_MINUTES``. Its failures are the rows of *Access attempts*;
deleting them (the "Unlock" action, or Django's delete) lifts the lockout at once.
Each unlock is logged as a security event (``signin.unlocked``). *Access failures*
keep every failure for the record, and *Access logs* every sign-in and sign-out.

django-axes' own admin pages are turned off (``AXES_ENABLE_ADMIN = False``) and
registered here from its classes, with the columns staff see translated.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from incidents.security import log_event


def _log_unlocked(request, attempts) -> None:
    for attempt in attempts:
        log_event(
            "signin.unlocked",
            request,
            username=attempt.username or "",
            address=attempt.ip_address or "",
        )


@admin.register(AccessAttempt)
class SignInAttemptAdmin(AccessAttemptAdmin):
    """Failed sign-ins that count towards a lockout; deleting them unlocks."""

    actions = ["unlock"]
    list_display = (
        "attempt_time",
        "username",
        "ip_address",
        "user_agent",
        "path_info",
        "failures_since_start",
        "state",
    )

    @admin.display(description=_("state"))
    def state(self, obj):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left <= 0:
            return _("Locked out")
        return ngettext("%(n)d attempt left", "%(n)d attempts left", left) % {"n": left}

    @admin.action(
        description=_("Unlock: forget the selected failed sign-ins"), permissions=["delete"]
    )
    def unlock(self, request, queryset):
        attempts = list(queryset)
        self.delete_queryset(request, queryset)
        self.message_user(
            request,
            ngettext(
                "Unlocked: %(n)d record of failed sign-ins forgotten.",
                "Unlocked: %(n)d records of failed sign-ins forgotten.",
                len(attempts),
            )
            % {"n": len(attempts)},
        )

    def delete_model(self, request, obj):
        _log_unlocked(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        _log_unlocked(request, queryset)
        # One by one, so that axes hears of each deletion (its cache handler forgets them).
        for attempt in queryset:
            attempt.delete()


@admin.register(AccessFailureLog)
class SignInFailureAdmin(AccessFailureLogAdmin):
    """Every failed sign-in, kept for the record (deleting these unlocks nothing)."""


@admin.register(AccessLog)
class SignInLogAdmin(AccessLogAdmin):
    """Every sign-in and sign-out, with the address and browser it came from."""
