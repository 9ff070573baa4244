"""Staff accounts in the admin: roles changed only after a recent second factor, and logged;
an administrator resets a colleague's second factors.

- Changing a user's groups, staff or superuser status, or own permissions (or a group's
  permissions) needs a second factor confirmed in the last ``STAFF_RECENT_2FA_SECONDS``:
  without one the form says so, with a link to confirm, and saves nothing. A change is
  logged as ``staff.roles_changed`` (who changed whose roles, from what to what: group
  names and permission codes, never anything else of the account).
- "Reset second factors" (an action on the users' list, also after a recent
  confirmation) removes every factor of the chosen colleagues and ends their sessions:
  they enrol again at their next sign-in (``second_factor.reset``).
- django-otp's own device pages are not shown: factors change only through the pages of
  ``incidents.admin.second_factor`` and this reset, each change logged. They would also
  let one account add a factor to another's.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from incidents.security import has_recent_second_factor, log_event, second_factor_confirmation
from incidents.writes import second_factor as factors

User = get_user_model()

# What makes a role: the fields of a user's page that grant rights.
ROLE_FIELDS = frozenset({"groups", "is_staff", "is_superuser", "user_permissions"})


def needs_recent_second_factor(request, change_url: str) -> forms.ValidationError:
    """The form error of a role change without a recent second factor, linking to confirm it."""
    confirm = reverse("admin:confirm_second_factor")
    return forms.ValidationError(
        format_html(
            '{} <a href="{}">{}</a>',
            gettext(
                "Changing roles or permissions needs your second factor, confirmed in the "
                "last few minutes. Nothing was saved."
            ),
            f"{confirm}?{urlencode({'next': change_url})}",
            gettext("Confirm it, then save again."),
        ),
        code="second_factor_needed",
    )


def guarded_form(form_class, request, fields: frozenset):
    """``form_class``, refusing a change of ``fields`` without a recent second factor."""

    class RoleChangeForm(form_class):
        def clean(self):
            cleaned = super().clean()
            if fields & set(self.changed_data) and not has_recent_second_factor(request):
                raise needs_recent_second_factor(request, request.get_full_path())
            return cleaned

    return RoleChangeForm


def roles_of(user) -> dict:
    """What a user may do, as the log names it: group names, flags, permission codes."""
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "permissions": sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
    }


if admin.site.is_registered(User):
    admin.site.unregister(User)
if admin.site.is_registered(Group):
    admin.site.unregister(Group)
for device_model in (TOTPDevice, StaticDevice, WebAuthnCredential):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user pages, with role changes guarded and logged, and factors resettable."""

    actions = ["reset_second_factors"]
    readonly_fields = ("second_factors",)
    fieldsets = (*UserAdmin.fieldsets, (_("Second factor"), {"fields": ("second_factors",)}))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return form if obj is None else guarded_form(form, request, ROLE_FIELDS)

    def save_model(self, request, obj, form, change):
        # Roles as they were, read before the save (many-to-many ones are saved after).
        request._roles_before = roles_of(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_roles_before", None)
        if before is None:
            return
        after = roles_of(form.instance)
        if after != before:
            log_event(
                "staff.roles_changed",
                request,
                target_user=form.instance.get_username(),
                groups_before=before["groups"],
                groups_after=after["groups"],
                is_staff_before=before["is_staff"],
                is_staff_after=after["is_staff"],
                is_superuser_before=before["is_superuser"],
                is_superuser_after=after["is_superuser"],
                permissions_added=sorted(set(after["permissions"]) - set(before["permissions"])),
                permissions_removed=sorted(set(before["permissions"]) - set(after["permissions"])),
            )

    @admin.display(description=_("Second factors"))
    def second_factors(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "-"
        apps = TOTPDevice.objects.devices_for_user(obj, confirmed=True).count()
        keys = WebAuthnCredential.objects.devices_for_user(obj, confirmed=True).count()
        if not apps and not keys:
            return gettext("None: enrols at the next sign-in.")
        return gettext(
            "Authenticator apps: %(apps)d; security keys: %(keys)d; recovery codes left: %(codes)d"
        ) % {"apps": apps, "keys": keys, "codes": factors.recovery_codes_left(obj)}

    @admin.action(
        description=_("Reset second factors (they enrol again at next sign-in)"),
        permissions=["change"],
    )
    def reset_second_factors(self, request, queryset):
        if not has_recent_second_factor(request):
            return second_factor_confirmation(request)
        users = list(queryset)
        for user in users:
            factors.factors_reset(request=request, user=user)
        self.message_user(
            request,
            ngettext(
                "The second factors of %(count)d account were reset: it enrols again at its "
                "next sign-in.",
                "The second factors of %(count)d accounts were reset: they enrol again at "
                "their next sign-in.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )
        return None


@admin.register(Group)
class StaffGroupAdmin(GroupAdmin):
    """Django's group pages: a group's permissions are every member's role, guarded alike."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return form if obj is None else guarded_form(form, request, frozenset({"permissions"}))

    def save_model(self, request, obj, form, change):
        request._permissions_before = (
            sorted(
                f"{app}.{codename}"
                for app, codename in Group.objects.get(pk=obj.pk).permissions.values_list(
                    "content_type__app_label", "codename"
                )
            )
            if change
            else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_permissions_before", None)
        if before is None:
            return
        after = sorted(
            f"{app}.{codename}"
            for app, codename in form.instance.permissions.values_list(
                "content_type__app_label", "codename"
            )
        )
        if after != before:
            log_event(
                "staff.group_permissions_changed",
                request,
                group=form.instance.name,
                permissions_added=sorted(set(after) - set(before)),
                permissions_removed=sorted(set(before) - set(after)),
            )
