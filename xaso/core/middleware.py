from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import Http404
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404
from django.utils import translation
from django.views.defaults import page_not_found


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the visitor chose another language on the site.

    The browser's Accept-Language is ignored on the pages on purpose: many phones in Vietnam run
    an English system language, and their owners still expect the commune's site in Vietnamese.
    API clients set Accept-Language deliberately, so the API honours it.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ProjectNotFoundPageMiddleware:
    """In debug mode (the demo), a page that does not exist shows the project's own 404 page,
    as in production, instead of Django's technical one (which lists every URL pattern: of no
    use to a citizen trying the demo). Added to MIDDLEWARE only when DEBUG is on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return page_not_found(request, Resolver404())  # no URL matched
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):  # a view's own "not found"
            return page_not_found(request, exception)
        return None


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page and API answer that has not set its own: most of
    them show personal data (a dossier, a lookup by secret, the form being filled, an ID card
    read), and a browser or shared cache must keep none of it. The rule is the default, so a
    new page cannot forget it; a view that shows nothing personal and wants to be cached says
    so with its own Cache-Control. Static files (WhiteNoise, earlier) keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


class OneSegmentGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, leaving alone the answers that fit in one TCP segment (~1,460
    bytes on the usual 1,500-byte MTU): compressed or not they travel in one packet, so gzip
    saves the phone no round trip and costs the server a tenth of a citizen's lookup (the
    lookup's answer is ~1.3 KB; bench/README.md, issue 22). Pages and lists are larger and
    are compressed as before."""

    ONE_SEGMENT = 1400

    def process_response(self, request, response):
        if not response.streaming and len(response.content) < self.ONE_SEGMENT:
            return response
        return super().process_response(request, response)


class PlainPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy of a plain answer — no nonce used, no policy of
    its own (`csp_update`, `csp_replace`…) — built once, not on every request: building it twice
    (the policy, the report-only one) cost a tenth of a citizen's lookup (bench/README.md, issue
    22). It depends only on the settings, and is built again when a test changes them. Every
    other answer is built by django-csp as before."""

    _CUSTOM = tuple(
        f"_csp_{part}{ro}"
        for part in ("config", "update", "replace", "exempt")
        for ro in ("", "_ro")
    )
    _plain: tuple[str, str] | None = None

    @classmethod
    def forget(cls, *, setting, **kwargs) -> None:
        if setting.startswith("CONTENT_SECURITY_POLICY"):
            cls._plain = None

    @classmethod
    def _plain_headers(cls) -> tuple[str, str] | None:
        policies = [
            getattr(settings, name, None) or {}
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        ]
        if any(policy.get("EXCLUDE_URL_PREFIXES") for policy in policies):
            return None  # which path is excluded: django-csp decides
        if cls._plain is None:
            cls._plain = (build_policy(), build_policy(report_only=True))
        return cls._plain

    def process_response(self, request, response):
        plain = self._plain_headers()
        if (
            plain is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) for name in self._CUSTOM)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        for header, policy in zip((HEADER, HEADER_REPORT_ONLY), plain, strict=True):
            if policy and header not in response:
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


setting_changed.connect(PlainPolicyCSPMiddleware.forget)
