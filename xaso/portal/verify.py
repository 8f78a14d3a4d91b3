"""/xac-thuc/: anyone checks that a signed result is genuine — by uploading its PDF (a plain
multipart form, no JavaScript needed) or by opening the QR code's address (`?seal=<text>`).

The verdict comes from `xaso.results.verification` (valid, tampered, unknown signer, revoked); the
page shows it in plain words with the kind of document, its number, the holder's name as printed,
the issuing commune, the signing date and the signer (the verification answer holds nothing else).

Decisions:
- A bad upload (no file, an empty file, too large, not a PDF) is a 400 with the error on the page,
  the form still there; the rate limit is a 429 on the page. Both count against the same budget
  as the API's verification ("results_verify").
- An upload whose declared size is already too large is refused before Django reads the body:
  the view is exempt from the CSRF middleware (which would parse it first) and runs the same
  CSRF check itself right after that one test.
- The desk's USB QR scanner types the QR's whole address into the seal field: an address with a
  `seal=` parameter is accepted there as well as the bare seal text.
"""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from xaso.core.errors import DomainError, InvalidInput
from xaso.core.multipart import declared_too_large
from xaso.core.ratelimit import rate_limit
from xaso.results import verification

SEAL_MAX = 1000
RATE_GROUP = "results_verify"
STATUSES = ("valid", "tampered", "unknown_signer", "revoked")


class UploadInvalid(InvalidInput):
    code = "file_invalid"


def _megabytes() -> str:
    return f"{settings.XASO_VERIFY_MAX_BYTES / 1024 / 1024:g}"


def _too_large() -> UploadInvalid:
    return UploadInvalid(
        _("The file is larger than %(mb)s MB. A signed result is much smaller: check that you "
          "chose the right file.") % {"mb": _megabytes()},
        code="file_too_large",
    )  # fmt: skip


def seal_from_input(text: str) -> str:
    """The seal's text from what was typed or scanned: the bare seal, or the QR's address."""
    text = (text or "").strip()
    if "seal=" in text:
        values = parse_qs(urlsplit(text).query).get("seal")
        if values:
            return values[0].strip()
    return text


def _uploaded_pdf(request) -> bytes:
    upload = request.FILES.get("document")
    if upload is None:
        raise UploadInvalid(
            _("Choose the PDF file of the document to check."), code="file_required"
        )
    if upload.size > settings.XASO_VERIFY_MAX_BYTES:
        raise _too_large()
    data = upload.read()
    if not data:
        raise UploadInvalid(_("This file is empty. Choose the PDF file of the document."),
                            code="file_empty")  # fmt: skip
    return data


def _verdict(result) -> dict:
    """What the page shows of a Verification: the status and the public facts only."""
    commune = result.commune or {}
    signer = result.signer or {}
    return {
        "status": result.status if result.status in STATUSES else "tampered",
        "document_title": result.document_title or "",
        "document_number": result.document_number or "",
        "holder_name": result.holder_name or "",
        "commune": commune.get("name", ""),
        "signed_at": timezone.localtime(result.signed_at) if result.signed_at else None,
        "signer_name": signer.get("name", ""),
        "signer_title": _title_unless_named(signer),
        "revoked_at": (
            timezone.localtime(result.revoked_at) if getattr(result, "revoked_at", None) else None
        ),
        "revoke_reason": getattr(result, "revoke_reason", "") or "",
    }


def _title_unless_named(signer: dict) -> str:
    """The signer's title, unless their name already says it ("Phó Chủ tịch UBND xã (demo)",
    "Phó Chủ tịch UBND xã"): the signer is named once."""
    name, title = signer.get("name", ""), signer.get("title", "")
    return "" if title and title.casefold() in name.casefold() else title


def _page(request, context: dict, status: int = 200):
    context.setdefault("max_mb", _megabytes())
    return render(request, "portal/verify.html", context, status=status)


@csrf_exempt  # see the module's docstring: the size test first, then the same CSRF check
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    if request.method == "POST" and declared_too_large(request, settings.XASO_VERIFY_MAX_BYTES):
        return _page(request, {"error": _too_large().message}, status=400)
    return _verify(request)


@csrf_protect
def _verify(request):
    seal = seal_from_input(request.GET.get("seal", ""))[:SEAL_MAX]
    context = {"seal": seal}
    try:
        if request.method == "POST":
            rate_limit(request, RATE_GROUP, settings.XASO_RATE_VERIFY)
            result = verification.verify_pdf(_uploaded_pdf(request))
            context["checked"] = "file"
        elif seal:
            rate_limit(request, RATE_GROUP, settings.XASO_RATE_VERIFY)
            result = verification.verify_seal(seal)
            context["checked"] = "seal"
        else:
            return _page(request, context)
    except DomainError as error:
        context["error"] = error.message
        response = _page(request, context, status=error.status)
        for header, value in error.headers.items():  # Retry-After on a rate limit
            response[header] = value
        return response
    context["verdict"] = _verdict(result)
    return _page(request, context)
