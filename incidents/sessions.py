"""Staff sessions are short: at most ``STAFF_SESSION_MAX_HOURS`` from sign-in, however
active, and ended after ``STAFF_SESSION_IDLE_MINUTES`` without a request.

A session left open on a shared or seized computer is a way in; so is a cookie copied
from one. The absolute limit is set on the session at sign-in (its expiry is a fixed
time, so activity never renews it, in the cookie and in the session store alike), and
the middleware checks it again on every request. The idle limit needs the time of the
last request: the middleware keeps it in the session, written at most once a minute so
that a busy admin page does not turn every request into a database write.

An ended session is flushed (signed out), logged as ``session.expired`` (INFO: an
expiry is routine, not an alarm), and the staff member is sent to sign in again with a
message in their language; outside the admin the request goes on anonymous.
"""

import logging
import time
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import ngettext

from incidents.security import log_event

# Where the session keeps when its user signed in and when it last saw a request
# (seconds since the epoch).
SIGNED_IN_AT = "incidents_signed_in_at"
LAST_SEEN_AT = "incidents_last_seen_at"
# The last-seen time is written when at least this old: an idle limit measured in
# minutes needs no finer clock, and most requests then write nothing.
LAST_SEEN_RESOLUTION_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="incidents.sessions.start")
def start(sender, request, user, **kwargs) -> None:
    """At sign-in: note the time, and fix the session's expiry to the absolute limit."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    session.set_expiry(timezone.now() + timedelta(hours=settings.STAFF_SESSION_MAX_HOURS))


def ended(session, now: int) -> str | None:
    """Why this session has ended ("idle", "absolute"), or None while it is live."""
    signed_in = session.get(SIGNED_IN_AT)
    if isinstance(signed_in, int) and now - signed_in > settings.STAFF_SESSION_MAX_HOURS * 3600:
        return "absolute"
    last_seen = session.get(LAST_SEEN_AT)
    if isinstance(last_seen, int) and now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60:
        return "idle"
    return None


class StaffSessionMiddleware:
    """Ends a signed-in session that is idle too long or older than its absolute limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            reason = ended(session, now)
            if reason is not None:
                return self.end(request, reason)
            if SIGNED_IN_AT not in session:
                # Signed in before these limits existed (or by other means): count from now.
                start(sender=type(user), request=request, user=user)
            elif now - session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_RESOLUTION_SECONDS:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)

    def end(self, request, reason: str):
        log_event(
            "session.expired",
            request,
            level=logging.INFO,
            reason=reason,
            path=request.path,
        )
        logout(request)
        if reason == "idle":
            minutes = settings.STAFF_SESSION_IDLE_MINUTES
            text = ngettext(
                "You were signed out after %(minutes)d minute without activity. "
                "Please sign in again.",
                "You were signed out after %(minutes)d minutes without activity. "
                "Please sign in again.",
                minutes,
            ) % {"minutes": minutes}
        else:
            hours = settings.STAFF_SESSION_MAX_HOURS
            text = ngettext(
                "You were signed out: a session lasts at most %(hours)d hour. "
                "Please sign in again.",
                "You were signed out: a session lasts at most %(hours)d hours. "
                "Please sign in again.",
                hours,
            ) % {"hours": hours}
        try:
            admin_root = reverse("admin:index")
            login = reverse("admin:login")
        except NoReverseMatch:  # no admin in this deployment's URLs
            return self.get_response(request)
        if not request.path.startswith(admin_root):
            # The API (and anything else) goes on, as an anonymous caller.
            return self.get_response(request)
        messages.warning(request, text)
        # Back to the page after signing in, unless it was a form sent: its data is gone.
        target = request.get_full_path() if request.method in ("GET", "HEAD") else admin_root
        return HttpResponseRedirect(f"{login}?{urlencode({'next': target})}")
