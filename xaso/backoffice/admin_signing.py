"""Commune administration: the leaders' signing certificates (upload a PKCS#12 file and its
password) and the results the commune issued, each revocable with a reason."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Membership, Role
from xaso.core.errors import DomainError, InvalidInput
from xaso.results.credentials import credential_add_pkcs12
from xaso.results.models import ResultDocument, SigningCredential
from xaso.results.services import result_revoke
from xaso.results.verification import document_title

from .access import admin_commune, error_message, page, staff_required

RESULTS_PER_PAGE = 50
CREDENTIALS_SHOWN = 100  # a commune has a handful of leaders; older credentials are history
# What the list shows: never the PDF or the seal, which are large.
RESULT_COLUMNS = ("number", "kind", "issued_at", "holder_name", "signer_name", "revoked_at",
                  "revoke_reason")  # fmt: skip
PKCS12_MAX_BYTES = 64 * 1024  # a PKCS#12 file with its chain is a few kilobytes


def _leaders(commune) -> list:
    rows = Membership.objects.filter(commune=commune, role=Role.LEADER).select_related("user")
    return sorted({row.user for row in rows if row.user.is_active}, key=lambda u: u.username)


def _upload(request, commune) -> str:
    """Add the leader's PKCS#12 credential; the message to show."""
    username = request.POST.get("leader", "")
    staff = Membership.objects.filter(commune=commune, user__username=username).select_related(
        "user"
    )
    member = staff.first()
    if member is None:
        raise InvalidInput(_("Choose a leader of the commune."), code="not_a_leader")
    upload = request.FILES.get("pkcs12")
    if upload is None:
        raise InvalidInput(_("Choose the PKCS#12 file (.p12 or .pfx)."), code="pkcs12_required")
    if upload.size > PKCS12_MAX_BYTES:
        raise InvalidInput(_("This file is too large for a PKCS#12 file."), code="pkcs12_too_large")
    credential_add_pkcs12(
        actor=request.user, user=member.user, commune=commune, data=upload.read(),
        password=request.POST.get("password", ""),
        signer_title=request.POST.get("signer_title", "")[:200],
    )  # fmt: skip
    return _("The certificate is added; it replaces the leader's earlier one.")


def _revoke(request, commune) -> None:
    number = request.POST.get("result", "")
    document = (
        ResultDocument.objects.filter(commune=commune, pk=number).only("pk").first()
        if number.isascii() and number.isdigit()
        else None
    )
    if document is None:
        raise InvalidInput(_("No result of the commune is chosen."), code="result_not_found")
    result_revoke(actor=request.user, document=document, reason=request.POST.get("reason", ""))


def _after(request) -> int | None:
    """The keyset cursor: results older than this id (a bad cursor is said, the list restarts)."""
    text = request.GET.get("after", "")[:20]
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    messages.error(request, _("This page link is broken; here is the first page."))
    return None


@staff_required
def signing_page(request):
    commune = admin_commune(request.user)
    if request.method == "POST":
        operation = request.POST.get("operation", "")
        try:
            if operation == "upload":
                done = _upload(request, commune)
            elif operation == "revoke":
                _revoke(request, commune)
                done = _("The result is revoked: verification now answers so.")
            else:
                raise InvalidInput(_("Choose what to do."), code="operation")
        except DomainError as error:
            error_message(request, error)
        else:
            if done:
                messages.success(request, done)
        return redirect("backoffice:signing")
    credentials = (
        SigningCredential.objects.filter(commune=commune)
        .select_related("user")
        .defer("pkcs12", "secret")
        .order_by("-is_active", "user__username", "-created_at")[:CREDENTIALS_SHOWN]
    )
    results = ResultDocument.objects.filter(commune=commune).only(*RESULT_COLUMNS).order_by("-pk")
    after = _after(request)
    if after is not None:
        results = results.filter(pk__lt=after)
    results = list(results[: RESULTS_PER_PAGE + 1])
    next_cursor = results[RESULTS_PER_PAGE - 1].pk if len(results) > RESULTS_PER_PAGE else None
    for result in results:  # the kind as the paper prints it, never its slug
        result.kind_title = document_title(result.kind) or result.kind
    return page(
        request,
        "backoffice/admin/signing.html",
        {
            "commune": commune,
            "credentials": list(credentials),
            "leaders": _leaders(commune),
            "results": results[:RESULTS_PER_PAGE],
            "next_cursor": next_cursor,
            "now": timezone.now(),
        },
    )
