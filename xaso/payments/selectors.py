"""Reads of the payments app: the dossier answer's "payment" part and the unmatched queue."""

from django.db.models import QuerySet
from django.utils import timezone

from xaso.catalog.models import ExemptionCategory
from xaso.core.audit import personal_data_view_log
from xaso.core.errors import NotFound
from xaso.core.prepared import PreparedRead
from xaso.core.text import format_dong
from xaso.dossiers import hooks
from xaso.places.models import Commune

from .banks import BANKS
from .models import BankTransaction, Payment, PaymentRequest, ReceivingAccount


def account_answer(account: ReceivingAccount | None) -> dict | None:
    if account is None:
        return None
    return {
        "bank": BANKS.get(account.bank_bin, account.bank_bin),
        "bank_bin": account.bank_bin,
        "account_number": account.account_number,
        "holder_name": account.holder_name,
    }


# What the "fee" and "payment" parts read: the dossier's fee request and its receiving account,
# joined to the lookup's read of the dossier (`hooks.register_contributors`).
ANSWER_JOINED = ("payment", "payment__account")
ANSWER_COLUMNS = (
    *(f"payment__{name}" for name in (
        "dossier", "account", "amount", "paid_amount", "reference", "transfer_note", "status",
        "exemption", "exemption_evidence", "fee_rule", "payload",
    )),
    *(f"payment__account__{name}" for name in ("bank_bin", "account_number", "holder_name")),
)  # fmt: skip


def _request_of(dossier) -> PaymentRequest | None:
    """The dossier's fee request with its receiving account: joined to the dossier's read when
    it was (`ANSWER_JOINED`), else one query."""
    return hooks.joined_or_read(
        dossier,
        "payment",
        lambda: PaymentRequest.objects.select_related("account").filter(dossier=dossier).first(),
    )


# Read on every lookup of a dossier with something paid: compiled once (`core.prepared`).
_payments_read = PreparedRead(
    lambda request_id: (
        Payment.objects.filter(request_id=request_id)
        .only("request", "method", "amount", "at", "receipt_number")
        .order_by("at", "id")
    ),
    0,
)


def _payments_of(request: PaymentRequest) -> list:
    """The request's payments, in their order. `paid_amount` is their sum, kept in the same
    transaction as each payment (`services._pay`, every amount > 0): nothing paid, no query."""
    if not request.paid_amount:
        return []
    return list(_payments_read(request.pk))


def fee_contribution(dossier, request: PaymentRequest | None = None) -> dict | None:
    """The "fee" of a dossier's answer, as settled at receipt, free and exempt included (Form 01
    prints it): amount, the exemption's legal name. None before receipt."""
    request = request if request is not None else _request_of(dossier)
    if request is None:
        return None
    exemption = (
        ExemptionCategory.objects.filter(code=request.exemption).values_list("name", flat=True)
        if request.exemption
        else []
    )
    pending = request.amount == 0 and request.status == PaymentRequest.Status.UNPAID
    return {
        "amount": None if pending else request.amount,
        "display": "" if pending else format_dong(request.amount),
        "rule": request.fee_rule,
        "exemption": request.exemption or None,
        "exemption_name": next(iter(exemption), "") or request.exemption,
        "exemption_evidence": request.exemption_evidence,
    }


def payment_contribution(dossier, request: PaymentRequest | None = None) -> dict | None:
    """The "payment" of a dossier's API answer (the request with its account, and its payments
    when something was paid); None before the fee is fixed at receipt and when nothing is due."""
    request = request if request is not None else _request_of(dossier)
    if request is None:
        return None
    if request.status == PaymentRequest.Status.WAIVED and not request.paid_amount:
        return None  # nothing is due (free, or exempted): the answer says null, as documented
    pending = request.amount == 0 and request.status == PaymentRequest.Status.UNPAID
    return {
        "amount": None if pending else request.amount,
        "display": "" if pending else format_dong(request.amount),
        "amount_pending": pending,
        "status": request.status,
        "paid_amount": request.paid_amount,
        "reference": request.reference,
        "transfer_note": request.transfer_note or request.reference,
        "exemption": request.exemption or None,
        "vietqr": request.payload or None,
        "account": account_answer(request.account),
        # The commune has no receiving account yet: no QR code, pay in cash at the desk.
        "no_account": request.account_id is None,
        "payments": [
            {
                "method": payment.method,
                "amount": payment.amount,
                "at": timezone.localtime(payment.at),
                "receipt_number": payment.receipt_number,
            }
            for payment in _payments_of(request)
        ],
    }


def fee_and_payment_contribution(dossier) -> dict:
    """The "fee" and the "payment" of a dossier's answer from one read of its fee request."""
    request = _request_of(dossier)
    if request is None:
        return {"fee": None, "payment": None}
    return {
        "fee": fee_contribution(dossier, request),
        "payment": payment_contribution(dossier, request),
    }


def payment_by_receipt(dossier, receipt_number: str) -> Payment:
    """One payment of the dossier by its receipt number, ready for `receipts.receipt_pdf`."""
    payment = (
        Payment.objects.select_related("request__dossier", "transaction__account", "recorded_by")
        .filter(request__dossier=dossier, receipt_number=receipt_number)
        .exclude(receipt_number="")
        .first()
    )
    if payment is None:
        raise NotFound(code="receipt_not_found")
    return payment


def unmatched_transactions(commune: Commune) -> QuerySet[BankTransaction]:
    return (
        BankTransaction.objects.filter(
            account__commune=commune, match=BankTransaction.Match.UNMATCHED
        )
        .select_related("account")
        .order_by("-occurred_at", "-id")
    )


def commune_accounts(commune: Commune) -> QuerySet[ReceivingAccount]:
    return ReceivingAccount.objects.filter(commune=commune).order_by("-is_default", "id")


def receipt_read_log(user, payment: Payment, *, purpose: str) -> None:
    """A receipt names the payer: each staff download is recorded in the receiving commune's
    trail (Law 91/2025)."""
    dossier = payment.request.dossier
    personal_data_view_log(
        actor=user,
        object_type="dossier",
        object_id=dossier.code,
        fields=[f"receipt:{payment.receipt_number}"],
        commune_code=dossier.receiving_commune.code,
        purpose=purpose,
    )
