"""/tra-cuu/: a citizen follows a dossier by its code and lookup secret (typed from the receipt,
or opened from the receipt's QR code). No account, no personal data on the page.

The page shows the timeline, the appointment and the working time left, the fee (estimated from
the answers until the desk fixes it, then with its VietQR code, the image to save and the lines to
copy), the open supplement request with its form (`supplement.py`), the forms and receipts to
download (`status_files.py`), the signed result once issued, and the rating form once the result
is returned. It works without JavaScript: the rating and the supplement are plain POSTs, then a
redirect back. The code is matched however it is typed (`codes.code_key`).
"""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xaso.core.errors import DomainError
from xaso.core.ratelimit import secret_check_limit
from xaso.core.text import format_dong
from xaso.dossiers import hooks, services
from xaso.dossiers.codes import code_example
from xaso.dossiers.documents import available_documents
from xaso.dossiers.models import Dossier, State
from xaso.dossiers.selectors import (
    dossier_by_secret,
    dossier_status_by_secret,
    fee_estimate,
    public_timeline,
    supplement_request,
)
from xaso.dossiers.workflow import CLOCK_STATES, FINAL_STATES
from xaso.payments.models import PaymentRequest
from xaso.payments.vietqr import qr_svg
from xaso.workdays.selectors import due_is_provisional, working_time_remaining
from xaso.workdays.texts import format_work_duration

FIELD_MAX = 48
COMMENT_MAX = 500
SCORES = (5, 4, 3, 2, 1)
# The desk's forms written to the applicant, downloadable from the status page (the others are
# the office's own records).
CITIZEN_FORMS = {
    "receipt": gettext_lazy("Receipt and appointment (Form 01, PDF)"),
    "supplement-request": gettext_lazy("Supplement request (Form 02, PDF)"),
    "refusal": gettext_lazy("Refusal to receive (Form 03, PDF)"),
}
# What the page reads of the dossier besides the lookup's columns: the fee estimate's inputs,
# and the communes (their calendar: the time left, the provisional year; the provincial fees).
STATUS_PAGE_FIELDS = ("answers", "channel", "procedure__fees")
STATUS_PAGE_RELATED = ("receiving_commune", "deciding_commune")
# Payment statuses in which the citizen still has something to pay.
TO_PAY = {PaymentRequest.Status.UNPAID, PaymentRequest.Status.PARTIAL}


def status_url(code: str, secret: str, **extra) -> str:
    return f"{reverse('portal:lookup')}?{urlencode({'code': code, 'secret': secret, **extra})}"


def _time_left(dossier: Dossier, now) -> dict | None:
    """Working time left (office hours on the commune's calendar), while the clock runs."""
    if not dossier.due_at or dossier.state not in CLOCK_STATES:
        return None
    try:
        duration = working_time_remaining(
            commune=dossier.deciding_commune, now=now, due_at=dossier.due_at
        )
    except DomainError:  # a date beyond the calendar's years: the appointment alone is shown
        return None
    return {"text": format_work_duration(duration), "overdue": duration.overdue}


def _payment(payment: dict | None, dossier: Dossier) -> dict | None:
    """The fee once the desk fixed it; the VietQR code while something is left to pay, with
    its PNG to save (to scan from the same phone's bank app) and each receipt's PDF."""
    if not payment or dossier.state in {State.SUBMITTED, State.SUPPLEMENT_REQUESTED}:
        return None
    to_pay = payment["status"] in TO_PAY and not payment["amount_pending"]
    qr = ""
    if to_pay and payment.get("vietqr"):
        try:
            qr = qr_svg(payment["vietqr"])
        except ValueError:  # never draw a code that a bank app would refuse
            qr = ""
    receipts = [
        {**paid, "url": file_url("portal:status_receipt", dossier, number=paid["receipt_number"])}
        for paid in payment.get("payments", [])
        if paid.get("receipt_number")
    ]
    return {
        **payment,
        "to_pay": to_pay,
        "qr": qr,
        "qr_png_url": file_url("portal:status_vietqr", dossier) if qr else "",
        "amount_plain": str(payment["amount"]) if payment.get("amount") is not None else "",
        "receipts": receipts,
    }


def _fee_estimate(dossier: Dossier) -> str:
    """Before the desk fixes the fee: the amount the answers call for, or "free"."""
    if dossier.state not in {State.SUBMITTED, State.SUPPLEMENT_REQUESTED}:
        return ""
    quote = fee_estimate(dossier)
    if quote.rule == "exempt" or quote.amount == 0:
        return _("Free")
    if quote.amount is None:
        return _("The commune will tell you the fee when it receives your dossier.")
    return format_dong(quote.amount)


def _papers(dossier: Dossier) -> list[tuple[str, str]]:
    """(label, link) of each form the desk has issued to the applicant so far."""
    issued = available_documents(dossier)
    return [
        (label, file_url("portal:status_form", dossier, form=form))
        for form, label in CITIZEN_FORMS.items()
        if form in issued
    ]


def file_url(name: str, dossier: Dossier, **kwargs) -> str:
    """A file of the dossier for whoever holds its code and secret (checked again there)."""
    query = urlencode({"code": dossier.code, "secret": dossier.lookup_secret})
    return f"{reverse(name, kwargs=kwargs or None)}?{query}"


def _result(result: dict | None, dossier: Dossier) -> dict | None:
    """The signed result (results' contribution); its download link needs the lookup secret,
    which whoever sees this page has given."""
    if not result or not result.get("download_url"):
        return None
    url = result["download_url"]
    joiner = "&" if "?" in url else "?"
    secret = urlencode({"secret": dossier.lookup_secret})
    return {**result, "download_url": f"{url}{joiner}{secret}"}


def _provisional_year(dossier: Dossier) -> str:
    """The year of a pending appointment whose calendar is still provisional, else ""."""
    if dossier.state in FINAL_STATES:
        return ""
    try:
        provisional = due_is_provisional(commune=dossier.deciding_commune, due_at=dossier.due_at)
    except DomainError:
        return ""
    return str(timezone.localtime(dossier.due_at).year) if provisional else ""


def status_context(dossier: Dossier) -> dict:
    now = timezone.now()
    extra = hooks.contributions(dossier)
    return {
        "dossier": dossier,
        "state_label": State(dossier.state).label,
        "due_at": timezone.localtime(dossier.due_at) if dossier.due_at else None,
        "time_left": _time_left(dossier, now),
        "provisional_year": _provisional_year(dossier),
        "paused": dossier.state == State.PAUSED,
        # The rating leaves the state as it is: not a step of the dossier for its applicant.
        "timeline": [e for e in reversed(public_timeline(dossier)) if e["action"] != "rate"],
        "payment": _payment(extra.get("payment"), dossier),
        "fee_estimate": _fee_estimate(dossier),
        "result": _result(extra.get("result"), dossier),
        "supplement": supplement_request(dossier),
        "papers": _papers(dossier),
        "can_rate": dossier.state == State.RETURNED and dossier.rating is None,
        "scores": SCORES,
    }


def find_dossier(request, code: str, secret: str) -> Dossier:
    secret_check_limit(request)
    return dossier_by_secret(code, secret)


def lookup(request):
    code = request.GET.get("code", "").strip().upper()[:FIELD_MAX]
    secret = request.GET.get("secret", "").strip()[:FIELD_MAX]
    context = {
        "code": code,
        "secret": secret,
        "rated": request.GET.get("rated") == "1",
        "supplemented": request.GET.get("supplemented") == "1",
    }
    status = 200
    if code or secret:
        try:
            secret_check_limit(request)
            dossier = dossier_status_by_secret(
                code, secret, fields=STATUS_PAGE_FIELDS, related=STATUS_PAGE_RELATED
            )
        except DomainError as error:
            context["error"] = error.message
            context["error_code"] = error.code
            status = error.status
        else:
            context.update(status_context(dossier))
    return lookup_page(request, context, status=status)


def lookup_page(request, context: dict, *, status: int = 200):
    context.setdefault("code_example", code_example(timezone.localdate()))
    return render(request, "portal/lookup.html", context, status=status)


def rating_submit(request) -> tuple[dict, int | None]:
    """Record the rating POSTed from a status screen (portal or kiosk). Returns (context, None)
    on success, or the context to render again with the error and its HTTP status."""
    code = request.POST.get("code", "").strip()[:FIELD_MAX]
    secret = request.POST.get("secret", "").strip()[:FIELD_MAX]
    comment = request.POST.get("comment", "")[:COMMENT_MAX]
    try:
        score = int(request.POST.get("score", ""))
    except ValueError:
        score = 0
    context = {"code": code, "secret": secret, "comment": comment}
    dossier = None
    try:
        dossier = find_dossier(request, code, secret)
        services.dossier_rate(dossier=dossier, score=score, comment=comment)
    except DomainError as error:
        context["error_code"] = error.code
        if dossier is None:
            context["error"] = error.message
        else:  # the status stays on screen, the error beside the form
            dossier.refresh_from_db()
            context.update(status_context(dossier), rating_error=error.message)
        return context, error.status
    return context, None


@require_POST
def rate(request):
    """POST /tra-cuu/danh-gia/: the citizen's satisfaction score, by code and secret."""
    context, error_status = rating_submit(request)
    if error_status:
        return lookup_page(request, context, status=error_status)
    return redirect(status_url(context["code"], context["secret"], rated="1"))
