"""Files of a dossier for its applicant, linked from the status page: the desk's forms addressed
to them (Form 01, the receipt and appointment; Forms 02 and 03), each payment's e-receipt, and
the fee's VietQR code as a PNG to save and open in a bank app on the same phone.

Each needs the code and lookup secret, counted like a lookup (`dossier_lookup`); a wrong pair is
a 404, as on the status page. The forms and receipts carry the applicant's name: each download is
recorded as a personal-data read (Law 91/2025). The QR code carries no personal data.
"""

from django.http import Http404, HttpResponse

from xaso.core.audit import personal_data_view_log
from xaso.core.downloads import PDF, file_response
from xaso.core.errors import DomainError
from xaso.dossiers import documents
from xaso.dossiers.models import Dossier
from xaso.payments.receipts import receipt_filename, receipt_pdf
from xaso.payments.selectors import payment_by_receipt, payment_contribution
from xaso.payments.vietqr import qr_png

from .lookup import CITIZEN_FORMS, FIELD_MAX, find_dossier

QR_PNG_SCALE = 10  # pixels a module: sharp when a bank app reads it from the photo gallery


def _dossier(request) -> Dossier:
    code = request.GET.get("code", "").strip()[:FIELD_MAX]
    secret = request.GET.get("secret", "").strip()[:FIELD_MAX]
    try:
        return find_dossier(request, code, secret)
    except DomainError as error:
        if error.status == 404:
            raise Http404 from error
        raise


def _read_logged(dossier: Dossier, what: str) -> None:
    personal_data_view_log(
        actor=None,
        object_type="dossier",
        object_id=dossier.code,
        fields=[what],
        commune_code=dossier.receiving_commune.code,
        purpose="applicant_download",
    )


def _answer(request, build):
    """The file, or the domain error as a plain 4xx (a 429 keeps its Retry-After)."""
    try:
        return build(_dossier(request))
    except Http404:
        raise
    except DomainError as error:
        if error.status == 404:
            raise Http404 from error
        response = HttpResponse(str(error.message), status=error.status, content_type="text/plain")
        for header, value in error.headers.items():
            response[header] = value
        return response


def status_form(request, form: str):
    """/tra-cuu/mau/<form>.pdf?code=&secret=: Form 01 (or 02, 03) once the desk issued it."""
    if form not in CITIZEN_FORMS:
        raise Http404

    def build(dossier):
        content = documents.document_pdf(dossier, form, base_url=request.build_absolute_uri("/"))
        _read_logged(dossier, f"form:{form}")
        return file_response(content, documents.document_filename(dossier, form), PDF)

    return _answer(request, build)


def status_receipt(request, number: str):
    """/tra-cuu/bien-lai/<number>.pdf?code=&secret=: the e-receipt of one payment."""

    def build(dossier):
        payment = payment_by_receipt(dossier, number)
        content = receipt_pdf(payment)
        _read_logged(dossier, f"receipt:{payment.receipt_number}")
        return file_response(content, receipt_filename(payment), PDF)

    return _answer(request, build)


def status_vietqr(request):
    """/tra-cuu/vietqr.png?code=&secret=: the fee's VietQR code, to save as an image."""

    def build(dossier):
        payment = payment_contribution(dossier)
        if not payment or not payment.get("vietqr"):
            raise Http404
        try:
            image = qr_png(payment["vietqr"], scale=QR_PNG_SCALE)
        except ValueError as error:  # a payload a bank app would refuse: no image
            raise Http404 from error
        return file_response(image, f"vietqr-{dossier.code}.png", "image/png")

    return _answer(request, build)
