"""Partners authenticate with ``Authorization: Bearer <token>``."""

import hashlib
import hmac
import math
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from incidents.addresses import client_address
from incidents.models import ApiToken, FailedTokenAttempt
from incidents.models.partners import TOKEN_TAG, hash_secret
from incidents.security import log_event

# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION_SECONDS = 60
# Failed token attempts per client address in a minute before its failures are
# answered 429. Throttles run after authentication, so wrong tokens are counted here.
MAX_FAILURES_PER_MINUTE = 20
FAILURE_WINDOW = timedelta(seconds=60)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A partner's API token. A wrong, revoked or expired token is a 401, never anonymous.

    So is a token used from outside its ``allowed_networks``: it counts as a failed
    attempt, and is logged (``token.address_refused``).
    """

    keyword = b"bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != self.keyword:
            # Another scheme ("Token irt_...", "Basic ...") is never read as anonymous:
            # the client meant to authenticate, and must hear how.
            raise exceptions.AuthenticationFailed(
                gettext(
                    "Send your token as 'Authorization: Bearer <token>': no other scheme "
                    "is accepted."
                )
            )
        try:
            # A valid token is always accepted: never refused for others' failures
            # from the same address (a shared office, a NAT).
            return self._authenticate(request, header)
        except exceptions.AuthenticationFailed:
            client = self._client(request)
            now = timezone.now()
            recent = FailedTokenAttempt.objects.filter(client=client, at__gt=now - FAILURE_WINDOW)
            window = list(
                recent.order_by("at").values_list("at", flat=True)[:MAX_FAILURES_PER_MINUTE]
            )
            if len(window) >= MAX_FAILURES_PER_MINUTE:  # until the oldest of them leaves
                wait = (window[0] + FAILURE_WINDOW - now).total_seconds()
                raise exceptions.Throttled(
                    wait=max(1, math.ceil(wait)), detail=gettext("Too many failed token attempts.")
                ) from None
            FailedTokenAttempt.objects.create(client=client, at=now)
            # Rows past the window count for nothing: keep the table that small.
            FailedTokenAttempt.objects.filter(at__lte=now - FAILURE_WINDOW).delete()
            raise

    @staticmethod
    def _client(request) -> str:
        """The client's address (as the throttles see it), hashed: no address is stored."""
        ident = client_address(request) or ""
        return hashlib.sha256(ident.encode()).hexdigest()

    def _authenticate(self, request, header):
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(gettext("Send 'Authorization: Bearer <token>'."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(gettext("Invalid token.")) from None
        token = self._find(secret)
        # First, before saying anything of the token's state: a stolen token used from
        # elsewhere learns nothing but that it is refused there.
        address = client_address(request)
        if not token.allows_address(address):
            log_event(
                "token.address_refused",
                # Django's request: DRF's would authenticate again to say who is asking.
                getattr(request, "_request", request),
                token_prefix=token.prefix,
                partner=token.partner.name,
                address=address or "",
            )
            raise exceptions.AuthenticationFailed(
                gettext("This token may not be used from your address (%(address)s).")
                % {"address": address or gettext("unknown")}
            )
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(gettext("This token has been revoked."))
        if token.expires_at is not None and token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(gettext("This token has expired."))
        if not token.partner.is_active:
            raise exceptions.AuthenticationFailed(gettext("This partner's access is suspended."))
        self._touch(token)
        return AnonymousUser(), token

    def _find(self, secret: str) -> ApiToken:
        tag, _, rest = secret.partition("_")
        prefix = rest.partition("_")[0]
        token = None
        if tag == TOKEN_TAG and prefix:
            token = ApiToken.objects.select_related("partner").filter(prefix=prefix).first()
        # Compare even when no row matched, so timing does not tell a known prefix apart.
        expected = token.key_hash if token is not None else "0" * 64
        if not hmac.compare_digest(expected, hash_secret(secret)) or token is None:
            raise exceptions.AuthenticationFailed(gettext("Invalid token."))
        return token

    def _touch(self, token: ApiToken) -> None:
        now = timezone.now()
        last = token.last_used_at
        if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner's API token (irt_<prefix>_<secret>). Read tokens see "
            "partner-only records and their own restricted ones; write tokens may also "
            "create and change their organisation's records.",
        }
