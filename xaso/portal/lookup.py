"""/tra-cuu/: a citizen follows a dossier by its code and lookup secret (typed from the receipt,
or opened from the receipt's QR code). No account, no personal data on the page."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from xaso.core.errors import DomainError
from xaso.core.ratelimit import rate_limit
from xaso.dossiers.selectors import dossier_by_secret, public_timeline

FIELD_MAX = 48


def lookup(request):
    code = request.GET.get("code", "").strip()[:FIELD_MAX]
    secret = request.GET.get("secret", "").strip()[:FIELD_MAX]
    context = {"code": code, "secret": secret}
    status = 200
    if code or secret:
        try:
            rate_limit(request, "dossier_lookup", settings.XASO_RATE_LOOKUP)
            dossier = dossier_by_secret(code, secret)
        except DomainError as error:
            context["error"] = error.message
            status = error.status
        else:
            context["dossier"] = dossier
            context["due_at"] = timezone.localtime(dossier.due_at) if dossier.due_at else None
            context["timeline"] = [
                {**entry, "at": timezone.localtime(entry["at"])}
                for entry in reversed(public_timeline(dossier))
            ]
    return render(request, "portal/lookup.html", context, status=status)
