"""The payments API: the bank webhook (signed, no login), and the desk's and the commune
administrator's endpoints (cash, unmatched transfers, receiving accounts)."""

import hashlib
import hmac
import json
import time

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.core.crypto import decrypt_text
from xaso.core.downloads import PDF, file_response
from xaso.core.errors import DomainError, InvalidInput, NotFound
from xaso.dossiers.selectors import staff_dossiers

from . import selectors, services
from .banks import BANKS
from .models import BankTransaction, ReceivingAccount
from .receipts import receipt_filename, receipt_pdf

webhook_router = Router(tags=["payments"])
staff_router = Router(tags=["staff"])

SIGNATURE_TOLERANCE = 300  # seconds, either direction (as Stripe's)
MAX_WEBHOOK_BODY = 16 * 1024


class WebhookRefused(DomainError):
    status = 401
    code = "bad_signature"


def _bad_signature() -> WebhookRefused:
    # The same answer for an unknown account and a wrong signature: which accounts exist is
    # nobody's business.
    return WebhookRefused(_("The notification's signature is not valid."))


def _signature_valid(account: ReceivingAccount, timestamp: str, body: bytes, given: str) -> bool:
    try:
        secret = decrypt_text(account.webhook_secret)
    except ValueError:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), given)


def _malformed(field: str) -> InvalidInput:
    return InvalidInput(
        _("The notification is not valid."), code="invalid", details={"field": field}
    )


def _fields(data: dict) -> dict:
    transaction_id = data.get("transaction_id")
    if not isinstance(transaction_id, str) or not 1 <= len(transaction_id.strip()) <= 64:
        raise _malformed("transaction_id")
    amount = data.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount < 10**13:
        raise _malformed("amount")
    description = data.get("description", "")
    if not isinstance(description, str) or len(description) > 500:
        raise _malformed("description")
    occurred = data.get("occurred_at")
    moment = parse_datetime(occurred) if isinstance(occurred, str) else None
    if moment is None:
        raise _malformed("occurred_at")
    if timezone.is_naive(moment):  # a bank's local time: Vietnam
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return {
        "transaction_id": transaction_id.strip(),
        "amount": amount,
        "description": description,
        "occurred_at": moment,
    }


@webhook_router.post("/payments/webhooks/bank", auth=None)
def bank_webhook(request) -> dict:
    """A bank or payment intermediary reports a credit. Headers `X-Xaso-Timestamp` (Unix seconds)
    and `X-Xaso-Signature: sha256=<hex>`, the HMAC-SHA256 with the account's webhook secret over
    `<timestamp>.<raw body>`. Body `{"transaction_id", "account", "amount", "description",
    "occurred_at"}`. The same transaction reported again answers "duplicate" and changes nothing.

    Only the account number is read before the signature is checked (it names the key); nothing
    else in the body is looked at until the signature holds."""
    body = request.body
    timestamp = request.headers.get("X-Xaso-Timestamp", "").strip()
    header = request.headers.get("X-Xaso-Signature", "").strip()
    if not timestamp.isascii() or not timestamp.isdigit() or not header.startswith("sha256="):
        raise _bad_signature()
    if len(body) > MAX_WEBHOOK_BODY:
        raise _malformed("body")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(_("The request body is not valid JSON."), code="invalid") from None
    if not isinstance(data, dict):
        raise _malformed("body")
    number = data.get("account")
    if not isinstance(number, str) or not number:
        raise _malformed("account")
    given = header.removeprefix("sha256=")
    accounts = ReceivingAccount.objects.filter(
        account_number=number, is_active=True
    ).select_related("commune")
    account = next((a for a in accounts if _signature_valid(a, timestamp, body, given)), None)
    if account is None:
        raise _bad_signature()
    if abs(time.time() - int(timestamp)) > SIGNATURE_TOLERANCE:
        raise WebhookRefused(
            _("The notification is too old or from the future: check the sender's clock."),
            code="stale_timestamp",
        )
    result = services.transaction_record(account=account, source="webhook", **_fields(data))
    return {"status": result.status}


# --- staff -----------------------------------------------------------------------------------


def _dossier(user, code: str):
    dossier = (
        staff_dossiers(user)
        .select_related("receiving_commune", "deciding_commune", "procedure")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound(code="dossier_not_found")
    return dossier


def _payment(payment) -> dict:
    request = payment.request
    return {
        "receipt_number": payment.receipt_number,
        "method": payment.method,
        "amount": payment.amount,
        "at": timezone.localtime(payment.at),
        "status": request.status,
        "paid_amount": request.paid_amount,
    }


class CashIn(Schema):
    amount: int = Field(gt=0, lt=10**13)


@staff_router.post("/dossiers/{dossier_code}/payments/cash", response={201: dict})
def cash_view(request, dossier_code: str, payload: CashIn):
    """Cash received at the desk (reception officer of the dossier's commune)."""
    dossier = _dossier(request.user, dossier_code)
    payment = services.cash_record(actor=request.user, dossier=dossier, amount=payload.amount)
    return Status(201, _payment(payment))


@staff_router.get("/dossiers/{dossier_code}/payments/{receipt_number}/receipt")
def receipt_view(request, dossier_code: str, receipt_number: str):
    """The electronic receipt of one payment of the dossier, as PDF."""
    payment = selectors.payment_by_receipt(_dossier(request.user, dossier_code), receipt_number)
    selectors.receipt_read_log(request.user, payment, purpose="receipt_download")
    return file_response(receipt_pdf(payment), receipt_filename(payment), PDF)


class ExemptionIn(Schema):
    exemption: str = Field(max_length=40)
    evidence: str = Field(max_length=500)


@staff_router.post("/dossiers/{dossier_code}/payments/exemption")
def exemption_view(request, dossier_code: str, payload: ExemptionIn) -> dict:
    """The desk records an exemption the applicant proved (code, and the evidence seen)."""
    dossier = _dossier(request.user, dossier_code)
    services.payment_exemption_apply(
        actor=request.user, dossier=dossier, exemption=payload.exemption, evidence=payload.evidence
    )
    return selectors.payment_contribution(dossier)


class AmountIn(Schema):
    amount: int = Field(ge=0, lt=10**13)


@staff_router.post("/dossiers/{dossier_code}/payments/amount")
def amount_view(request, dossier_code: str, payload: AmountIn) -> dict:
    """The desk enters a fee the catalogue could not compute (a provincial rate not entered)."""
    dossier = _dossier(request.user, dossier_code)
    services.payment_amount_set(actor=request.user, dossier=dossier, amount=payload.amount)
    return selectors.payment_contribution(dossier)


class SettingsIn(Schema):
    return_requires_payment: bool | None = None
    receipt_series: str | None = Field(None, max_length=20)


@staff_router.get("/communes/{code}/payments/settings")
def settings_view(request, code: str) -> dict:
    commune = staff_scope(request.user).commune(code)
    return services.payment_settings_answer(commune)


@staff_router.patch("/communes/{code}/payments/settings")
def settings_update_view(request, code: str, payload: SettingsIn) -> dict:
    """Whether a result may be returned before its fee is paid; the receipt series."""
    commune = staff_scope(request.user).commune(code, roles=[Role.COMMUNE_ADMIN])
    services.payment_settings_update(
        actor=request.user, commune=commune, **payload.dict(exclude_unset=True)
    )
    return services.payment_settings_answer(commune)


class UnmatchedQuery(Schema):
    commune: str = Field(max_length=16)


def _transaction(row: BankTransaction) -> dict:
    return {
        "transaction_id": row.transaction_id,
        "account": row.account.account_number,
        "amount": row.amount,
        "description": row.description,
        "occurred_at": timezone.localtime(row.occurred_at),
        "source": row.source,
    }


UNMATCHED_ROLES = [Role.RECEPTION, Role.LEADER, Role.COMMUNE_ADMIN]


@staff_router.get("/payments/unmatched")
def unmatched_view(request, query: Query[UnmatchedQuery]) -> dict:
    """Transfers that named no dossier: an officer assigns each by hand."""
    commune = staff_scope(request.user).commune(query.commune, roles=UNMATCHED_ROLES)
    return {"items": [_transaction(row) for row in selectors.unmatched_transactions(commune)]}


class AssignIn(Schema):
    dossier: str = Field(max_length=40)


@staff_router.post("/payments/transactions/{transaction_id}/assign")
def assign_view(request, transaction_id: str, payload: AssignIn) -> dict:
    """Give an unmatched transfer of the dossier's commune to the dossier (reception)."""
    dossier = _dossier(request.user, payload.dossier)
    # The role first, so that a wrong role learns nothing of the commune's transfers.
    services.reception_required(request.user, dossier)
    row = BankTransaction.objects.filter(
        transaction_id=transaction_id,
        account__commune_id=dossier.receiving_commune_id,
        match=BankTransaction.Match.UNMATCHED,
    ).first()
    if row is None:
        raise NotFound(_("No unmatched transfer has this id."), code="transaction_not_found")
    payment = services.transaction_assign(actor=request.user, transaction=row, dossier=dossier)
    return _payment(payment)


class AccountIn(Schema):
    bank_bin: str = Field(max_length=6)
    account_number: str = Field(max_length=30)
    holder_name: str = Field(max_length=100)


def _account(account: ReceivingAccount) -> dict:
    return {
        "id": account.pk,
        "bank": BANKS.get(account.bank_bin, account.bank_bin),
        "bank_bin": account.bank_bin,
        "account_number": account.account_number,
        "holder_name": account.holder_name,
        "is_default": account.is_default,
        "is_active": account.is_active,
    }


@staff_router.post("/communes/{code}/payments/accounts", response={201: dict})
def account_create_view(request, code: str, payload: AccountIn):
    """Register a receiving account (commune administrator). The answer carries the webhook
    secret to give to the bank: it is shown this once, never again."""
    commune = staff_scope(request.user).commune(code, roles=[Role.COMMUNE_ADMIN])
    account, secret = services.receiving_account_create(
        actor=request.user,
        commune=commune,
        bank_bin=payload.bank_bin,
        account_number=payload.account_number,
        holder_name=payload.holder_name,
    )
    return Status(201, {**_account(account), "webhook_secret": secret})


@staff_router.get("/communes/{code}/payments/accounts")
def accounts_view(request, code: str) -> dict:
    commune = staff_scope(request.user).commune(
        code, roles=[Role.COMMUNE_ADMIN, Role.RECEPTION, Role.LEADER]
    )
    return {"items": [_account(account) for account in selectors.commune_accounts(commune)]}
