"""Domain errors: a stable machine `code`, a message for people (Vietnamese by default), and an
HTTP status. Services raise them; the API and the pages turn them into a 4xx answer, so bad input
never becomes a 500.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400
    default_message = _("The request cannot be carried out.")
    # True when the same request may succeed later (rate limit, a duplicate in flight): an
    # idempotent endpoint then forgets the key instead of storing this answer for replays.
    retryable = False

    def __init__(self, message=None, *, code: str | None = None, details: dict | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.details = details or {}
        super().__init__(str(self.message))

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers the error answer carries (e.g. Retry-After)."""
        return {}

    def after_rollback(self) -> None:
        """What must be kept although the transaction around the raise is rolled back (a wrong
        one-time code still counts as an attempt). Called by whoever rolls it back
        (core.idempotency); safe to run when nothing was rolled back."""

    def as_dict(self) -> dict:
        error = {"code": self.code, "message": str(self.message)}
        if self.details:
            error["details"] = self.details
        return {"error": error}


class InvalidInput(DomainError):
    code = "invalid"
    default_message = _("Some of the data sent is not valid.")


class NotFound(DomainError):
    """Also what a user of another commune gets: we do not reveal that the object exists."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    default_message = _("Your role does not allow this action.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("This conflicts with data that already exists.")


class Throttled(DomainError):
    """Too many requests from one client address; `retry_after` in seconds."""

    code = "rate_limited"
    status = 429
    default_message = _("Too many requests. Wait a moment and try again.")
    retryable = True

    def __init__(self, message=None, *, retry_after: int):
        self.retry_after = max(1, int(retry_after))
        super().__init__(message, details={"retry_after": self.retry_after})

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}
