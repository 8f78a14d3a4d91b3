"""The JSON API under /api/v1: one NinjaAPI assembling each app's router, and one error shape.

Every error is `{"error": {"code": "...", "message": "..."}}` with a 4xx status.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xaso.accounts.api import router as accounts_router
from xaso.accounts.auth import API_AUTH
from xaso.catalog.api import router as catalog_router
from xaso.community.api import member_router as community_member_router
from xaso.community.api import router as community_router
from xaso.core.errors import DomainError
from xaso.dossiers.api import public_router as dossiers_public_router
from xaso.dossiers.api import staff_router as dossiers_staff_router
from xaso.dossiers.cccd_api import router as cccd_router
from xaso.dossiers.uploads_api import router as uploads_router
from xaso.feedback.api import public_router as feedback_public_router
from xaso.feedback.api import staff_router as feedback_staff_router
from xaso.market.api import public_router as market_public_router
from xaso.market.api import staff_router as market_staff_router
from xaso.news.api import public_router as news_public_router
from xaso.news.api import staff_router as news_staff_router
from xaso.notify.api import router as notify_router
from xaso.payments.api import staff_router as payments_staff_router
from xaso.payments.api import webhook_router as payments_webhook_router
from xaso.places.api import public_router as places_router
from xaso.places.api import staff_router as communes_router
from xaso.privacy.api import staff_router as privacy_staff_router
from xaso.reports.api import staff_router as reports_staff_router
from xaso.results.api import public_router as results_public_router
from xaso.results.api import staff_router as results_staff_router
from xaso.workdays.api import public_router as calendar_router
from xaso.workdays.api import staff_router as calendar_staff_router

api = NinjaAPI(
    title="xaso API",
    version="1",
    description="xã số — the digital commune",
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
)


def error_response(request, status: int, code: str, message: str, details: dict | None = None):
    error = {"code": code, "message": message}
    if details:
        error["details"] = details
    return api.create_response(request, {"error": error}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    for name, value in exc.headers.items():  # e.g. Retry-After on 429 and 409 "retry"
        response[name] = value
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields = [
        {"loc": [str(part) for part in error.get("loc", ())], "message": error.get("msg", "")}
        for error in exc.errors
    ]
    return error_response(
        request, 400, "invalid", _("Some of the data sent is not valid."), {"fields": fields}
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error_response(request, 401, "unauthenticated", _("Sign in first."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error_response(request, 403, "forbidden", _("Your role does not allow this action."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400:  # django-ninja's own: a body that is not JSON
        return error_response(request, 400, "invalid", _("The request body is not valid JSON."))
    codes = {405: "method_not_allowed", 413: "too_large", 429: "rate_limited"}
    return error_response(
        request, exc.status_code, codes.get(exc.status_code, "error"), str(exc.message)
    )


api.add_router("/", accounts_router)
api.add_router("/", places_router)
api.add_router("/", communes_router)
api.add_router("/", calendar_router)
api.add_router("/", calendar_staff_router)
api.add_router("/", catalog_router)
api.add_router("/", cccd_router)
# Public dossier routes first: /dossiers/lookup and /dossiers/{code}/resubmit must not be taken
# for a dossier code or a staff action.
api.add_router("/", dossiers_public_router)
api.add_router("/", dossiers_staff_router)
api.add_router("/", uploads_router)
api.add_router("/", payments_webhook_router)
api.add_router("/", payments_staff_router)
api.add_router("/", results_public_router)
api.add_router("/", results_staff_router)
api.add_router("/", privacy_staff_router)
api.add_router("/", reports_staff_router)
api.add_router("/", notify_router)
api.add_router("/", community_router)
api.add_router("/", community_member_router)
api.add_router("/", feedback_public_router)
api.add_router("/", feedback_staff_router)
api.add_router("/", news_public_router)
api.add_router("/", news_staff_router)
api.add_router("/", market_public_router)
api.add_router("/", market_staff_router)
