"""Request rates: anonymous clients per address, partners per token, staff per user.

Exactly one throttle applies to a request, chosen by who is asking
(``incidents.access.principal_of``); the others answer ``None`` from
``get_cache_key`` and so do not count it. The history of each bucket lives in
Django's default cache (the database, or Redis with ``REDIS_URL``), which every
worker process shares: no state in process memory.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` and are read when a
throttle is instantiated (once per request), not when this module is imported,
so overriding the settings takes effect at once.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from incidents.access import principal_of


class PrincipalRateThrottle(SimpleRateThrottle):
    """A throttle that applies to one kind of principal and counts per ``ident``."""

    def get_rate(self):
        if not self.scope:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a scope.")
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(
                f"Set REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'][{self.scope!r}]."
            ) from None

    def ident_for(self, request, principal):
        """The bucket this request counts against, or None when the throttle does not apply."""
        raise NotImplementedError

    def get_cache_key(self, request, view):
        ident = self.ident_for(request, principal_of(request))
        if ident is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(PrincipalRateThrottle):
    """Callers without a partner token or a staff session, per client address.

    The address is ``REMOTE_ADDR``, or with ``NUM_PROXIES`` set the address the
    trusted proxies put in ``X-Forwarded-For`` (DRF's ``get_ident``).
    """

    scope = "anon"

    def ident_for(self, request, principal):
        if not principal.is_anonymous:
            return None
        return self.get_ident(request)


class PartnerRateThrottle(PrincipalRateThrottle):
    """Partners, per API token (wherever its requests come from)."""

    scope = "partner"

    def ident_for(self, request, principal):
        if principal.token is None:
            return None
        return principal.token.pk


class StaffRateThrottle(PrincipalRateThrottle):
    """Staff members signed in to the admin, per user."""

    scope = "staff"

    def ident_for(self, request, principal):
        if principal.token is not None or not principal.is_staff:
            return None
        return principal.user.pk
