"""/kiosk/: the touch screen in the commune office's hall. No sign-in and no personal data; every
screen goes back to the start after 90 s without a touch (static/portal/kiosk.js; a meta refresh
does it without JavaScript), so the next visitor never sees the last one's dossier.

A visitor finds a procedure and prints its guide, scans the QR code of a receipt to see the
dossier's status (a USB scanner types the QR's text into the focused field, then Enter), and rates
the service once the result is returned.
"""

import re
from urllib.parse import parse_qs, urlsplit

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from xaso.catalog.selectors import procedure_search
from xaso.catalog.texts import time_limit_text
from xaso.core.errors import DomainError

from .lookup import FIELD_MAX, find_dossier, rating_submit, status_context

IDLE_SECONDS = 90
SCAN_MAX = 300
QUERY_MAX = 100
RESULTS = 8


def parse_scan(text: str) -> tuple[str, str]:
    """(code, secret) from what the scanner typed: the receipt QR's URL (…/tra-cuu/?code=&secret=)
    or the code and the secret separated by spaces (typed by hand from the receipt, in any case,
    the code perhaps in pieces: it is matched by `codes.code_key`)."""
    text = text.strip()[:SCAN_MAX]
    if "code=" in text:
        query = parse_qs(urlsplit(text).query or text.split("?", 1)[-1])
        return (query.get("code", [""])[0].strip()[:FIELD_MAX],
                query.get("secret", [""])[0].strip()[:FIELD_MAX])  # fmt: skip
    parts = [part for part in re.split(r"[\s;|,]+", text) if part]
    if len(parts) >= 2:  # the secret is the last word; the code may have been typed with spaces
        return "".join(parts[:-1])[:FIELD_MAX], parts[-1][:FIELD_MAX]
    return (parts[0][:FIELD_MAX] if parts else ""), ""


def _render(request, template: str, context: dict, status: int = 200):
    return render(request, template, {"idle_seconds": IDLE_SECONDS, **context}, status=status)


def start(request):
    return _render(request, "portal/kiosk/start.html", {})


def procedures(request):
    """/kiosk/thu-tuc/?q=: find a procedure; each result has its printable guide."""
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    found = procedure_search(query, page=1) if query else None
    results = [
        {
            "name": procedure.name,
            "time_limit": time_limit_text(procedure),
            "guide_url": reverse("portal:procedure_guide", args=[procedure.code]),
        }
        for procedure in (found.procedures[:RESULTS] if found else [])
    ]
    return _render(
        request,
        "portal/kiosk/procedures.html",
        {"query": query, "results": results, "count": found.count if found else 0},
    )


def status(request):
    """/kiosk/tra-cuu/?scan=: the status of the dossier whose receipt QR was scanned."""
    scan = request.GET.get("scan", "")
    context: dict = {}
    http_status = 200
    if scan.strip():
        code, secret = parse_scan(scan)
        context.update(code=code, secret=secret)
        try:
            dossier = find_dossier(request, code, secret)
        except DomainError as error:
            context.update(error=error.message, error_code=error.code)
            http_status = error.status
        else:
            context.update(status_context(dossier))
            context["rated"] = request.GET.get("rated") == "1"
    return _render(request, "portal/kiosk/status.html", context, http_status)


@require_POST
def rate(request):
    """POST /kiosk/danh-gia/: the rating form on the kiosk's status screen."""
    context, error_status = rating_submit(request)
    if error_status:
        return _render(request, "portal/kiosk/status.html", context, error_status)
    scan = f"{context['code']} {context['secret']}"
    return redirect(f"{reverse('portal:kiosk_status')}?{urlencode({'scan': scan, 'rated': '1'})}")
