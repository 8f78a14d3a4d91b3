"""The results API: public verification (a PDF, or the QR seal's text), the published seal keys,
the citizen's download with code and secret; for staff, the download and batch signing."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from xaso.core.downloads import PDF, file_response
from xaso.core.errors import DomainError, InvalidInput
from xaso.core.multipart import FILE_BODY, declared_too_large
from xaso.core.ratelimit import rate_limit, secret_check_limit
from xaso.dossiers.selectors import dossier_for_staff

from . import selectors, services, verification

public_router = Router(tags=["results"])
staff_router = Router(tags=["staff"])


class VerifyTooLarge(DomainError):
    code = "file_too_large"
    status = 413

    def __init__(self):
        mb = f"{settings.XASO_VERIFY_MAX_BYTES / 1024 / 1024:g}"
        super().__init__(_("The file is larger than %(mb)s MB.") % {"mb": mb})


@public_router.get("/results/keys", auth=None)
def results_keys(request) -> dict:
    """Each commune's Ed25519 public key for the QR seals: check a seal offline with it. A seal
    is `<payload>.<signature>` in base64url; the signature is Ed25519 over the payload's bytes."""
    return {"keys": verification.published_keys()}


@public_router.post("/results/verify", auth=None, openapi_extra={"requestBody": FILE_BODY})
def results_verify_pdf(request) -> dict:
    """Upload a result PDF as `file`: `{"valid", "status": valid | tampered | unknown_signer |
    revoked, "document_number", "commune", "signed_at", "signer"}`. Not a PDF → 400 not_a_pdf."""
    if declared_too_large(request, settings.XASO_VERIFY_MAX_BYTES):
        raise VerifyTooLarge()
    rate_limit(request, "results_verify", settings.XASO_RATE_VERIFY)
    file = request.FILES.get("file")
    if file is None:
        raise InvalidInput(_("Choose the PDF file of the result."), code="file_required")
    if file.size > settings.XASO_VERIFY_MAX_BYTES:
        raise VerifyTooLarge()
    return verification.verify_pdf(file.read()).as_dict()


class SealQuery(Schema):
    seal: str = Field("", max_length=1000)


@public_router.get("/results/verify", auth=None)
def results_verify_seal(request, query: Query[SealQuery]) -> dict:
    """The QR seal's text (`?seal=`, as in the QR's URL): the same answer as for a PDF."""
    rate_limit(request, "results_verify", settings.XASO_RATE_VERIFY)
    return verification.verify_seal(query.seal).as_dict()


class DownloadQuery(Schema):
    code: str = Field(max_length=48)
    secret: str = Field(max_length=32)


@public_router.get("/results/download", auth=None)
def results_download(request, query: Query[DownloadQuery]):
    """The signed result PDF, for whoever holds the dossier's code and lookup secret (the
    lookup answer's `result.download_url`, plus `&secret=`)."""
    secret_check_limit(request)
    document = selectors.result_by_secret(query.code, query.secret)
    return file_response(bytes(document.pdf), selectors.result_filename(document), PDF)


@staff_router.get("/results/dossiers/{result_dossier_code}/pdf")
def results_staff_download(request, result_dossier_code: str):
    """The signed result of a dossier of the user's communes."""
    document = selectors.result_for_staff(request.user, result_dossier_code)
    return file_response(bytes(document.pdf), selectors.result_filename(document), PDF)


class RegisterEntryIn(Schema):
    number: str = Field("", max_length=20)
    book: str = Field("", max_length=40)
    personal_id: str = Field("", max_length=12)


@staff_router.post("/results/dossiers/{result_dossier_code}/register-entry")
def results_register_entry(request, result_dossier_code: str, payload: RegisterEntryIn) -> dict:
    """The entry the Ministry of Justice's civil-status system made for a civil-status dossier:
    `number` and `book` of the register, and for a birth the child's `personal_id`. Required
    before signing (else signing answers 400 register_entry_missing / personal_id_missing);
    a specialist or leader of the deciding commune records it."""
    dossier = dossier_for_staff(request.user, result_dossier_code)
    entry = services.register_entry_record(
        actor=request.user, dossier=dossier, number=payload.number, book=payload.book,
        personal_id=payload.personal_id,
    )  # fmt: skip
    return {
        "register": entry.register,
        "number": entry.number,
        "book": entry.book,
        "personal_id": entry.personal_id,
        "recorded_at": entry.recorded_at.isoformat(),
    }


class BatchIn(Schema):
    codes: list[str] = Field(max_length=services.BATCH_MAX)
    # The step-up: the authenticator's current code; the password for an account without one.
    otp: str = Field("", max_length=16)
    password: str = Field("", max_length=256)


@staff_router.post("/results/sign-batch")
def results_sign_batch(request, payload: BatchIn) -> dict:
    """The leader approves and signs many dossiers in one action (the Friday rush): each one in
    its own transaction; `items` gives each code's outcome (`signed` with its
    `document_number`, or `failed` with the error). 404 when none of the codes is a dossier of
    the user's communes; 403 for a user who is nowhere a leader; 401 `otp_required` /
    `otp_invalid` (or `password_required` / `password_invalid` without an authenticator) and
    nothing signed when the step-up fails."""
    items = services.results_sign_batch(
        actor=request.user, codes=payload.codes, otp=payload.otp, password=payload.password
    )
    return {"items": items}
