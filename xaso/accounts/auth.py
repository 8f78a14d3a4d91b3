"""API authentication: `Authorization: Bearer <token>`, or the staff session for same-site pages."""

from ninja.security import HttpBearer, SessionAuth

from .services import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [BearerToken(), SessionAuth()]


class OptionalBearer:
    """Anyone may call; a token, when sent, must be valid (a bad token is a 401, never silently
    anonymous). For endpoints that both citizens and staff use, e.g. submitting a dossier."""

    def __call__(self, request):
        if "Authorization" not in request.headers:
            return "anonymous"  # truthy: django-ninja lets the request through
        return BearerToken()(request)


OPTIONAL_AUTH = [OptionalBearer()]
