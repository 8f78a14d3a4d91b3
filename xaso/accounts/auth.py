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
