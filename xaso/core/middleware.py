from django.conf import settings
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
