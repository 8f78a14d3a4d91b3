"""Staff sessions: ended after XASO_STAFF_IDLE_MINUTES without a request and after
XASO_STAFF_SESSION_HOURS in all (ASVS 7.3.1, 7.3.2), and listed (`StaffSession`) so that their
owner can sign any of them out."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from xaso.core.ratelimit import client_address

from .services import staff_session_close, staff_session_seen, staff_session_start

STARTED = "staff_started_at"
SEEN = "staff_seen_at"
# Writing the session on every request would turn every read into a write.
SEEN_RESOLUTION_SECONDS = 60


@receiver(user_logged_in)
def _staff_signed_in(sender, request, user, **kwargs):
    if not user.is_staff or request is None or not hasattr(request, "session"):
        return
    if not request.session.session_key:
        request.session.save()
    now = timezone.now().timestamp()
    request.session[STARTED] = now
    request.session[SEEN] = now
    staff_session_start(
        user=user,
        session_key=request.session.session_key,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        address=client_address(request) if "REMOTE_ADDR" in request.META else "",
    )


@receiver(user_logged_out)
def _staff_signed_out(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        staff_session_close(session_key=key)


def session_expired(session, now: float) -> bool:
    started = session.get(STARTED, now)
    seen = session.get(SEEN, now)
    return (
        now - seen > settings.XASO_STAFF_IDLE_MINUTES * 60
        or now - started > settings.XASO_STAFF_SESSION_HOURS * 3600
    )


class StaffSessionMiddleware:
    """After the authentication middleware: a staff session past either limit is signed out
    before the view runs (the page then asks to sign in again; the API answers 401)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated and user.is_staff:
            now = timezone.now().timestamp()
            if session_expired(session, now):
                logout(request)
            elif now - session.get(SEEN, 0) > SEEN_RESOLUTION_SECONDS:
                session[SEEN] = now
                staff_session_seen(session_key=session.session_key)
        return self.get_response(request)
