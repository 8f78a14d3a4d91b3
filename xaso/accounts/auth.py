"""API authentication: `Authorization: Bearer <token>`, or the staff session for same-site pages.

A session cookie is sent by the browser whatever site the request comes from, so a write that the
cookie authenticates must also pass Django's CSRF check (the page's token in `X-CSRFToken`); a
bearer token is never sent by a browser on its own, so token requests need no CSRF token.
A session that has not passed the second factor its user needs is nobody's to the API.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from xaso.core.errors import Forbidden

from .second_factor import second_factor_needed
from .services import token_authenticate


class CsrfFailed(Forbidden):
    code = "csrf_failed"
    default_message = _("This request did not come from one of our pages: reload the page.")


def session_user_checked(request):
    """The session's signed-in user, after the CSRF check of an unsafe method (CsrfFailed when
    it fails); None when nobody is signed in, or when the session has not passed the second
    factor its user needs (a password-only session then acts as nobody)."""
    if not request.user.is_authenticated:
        return None
    verified = getattr(request.user, "is_verified", lambda: False)()
    if not verified and second_factor_needed(request.user):
        request.user = AnonymousUser()
        return None
    if check_csrf(request) is not None:
        raise CsrfFailed()
    return request.user


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class CheckedSession(SessionAuth):
    """django-ninja's session auth, its CSRF failure in our error shape."""

    def __call__(self, request):
        return session_user_checked(request)


API_AUTH = [BearerToken(), CheckedSession()]


class OptionalBearer:
    """Anyone may call; a token, when sent, must be valid (a bad token is a 401, never silently
    anonymous); a signed-in session must pass the CSRF check, as it acts in its user's name.
    For endpoints that both citizens and staff use, e.g. submitting a dossier."""

    def __call__(self, request):
        if "Authorization" in request.headers:
            return BearerToken()(request)
        session_user_checked(request)
        return "anonymous"  # truthy: django-ninja lets the request through


OPTIONAL_AUTH = [OptionalBearer()]
