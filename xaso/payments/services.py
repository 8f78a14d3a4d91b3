"""Fees and their payment: the request fixed at receipt, bank transactions (webhook or statement)
matched to it, cash at the desk, and the guard that keeps an unpaid result at the office.

Every write runs in one transaction with its audit row. Money is integer đồng.

Decisions:
- The fee is fixed when the dossier is received ("intake" at the desk or "receive" of an online
  dossier), by the catalogue's `fee_compute` on the commune's offer (its `fee_override`, else the
  national schedule) and the province's rates.
- The fee is settled at receipt (DOMAIN.md §3): a dossier whose fee the catalogue cannot compute
  (a provincial rate the province has not entered yet) is not received until the officer sets it
  at the desk — the amount, or an exemption with the evidence shown, passed with the receipt
  (`receipt_fee_guard`, error `fee_undetermined`), or the province's rate entered first.
  Requests made before that rule (amount 0, unpaid, no QR code: "fee to be set") are still
  completed with `payment_amount_set`.
- The fee follows the dossier's intake channel (residence fees are lower online) and the
  version of the procedure in force when it was received.
- A fee of 0 (free, or exempt) is "waived" with no QR code.
- The transfer reference is the dossier code upper-cased without punctuation: what survives bank
  apps that cut or upper-case notes; matching looks for it anywhere in the normalised note.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role
from xaso.catalog.fees import FeeError, FeeQuote, fee_compute
from xaso.catalog.selectors import commune_offer, provincial_rates, version_fact
from xaso.core.audit import audit_record
from xaso.core.counters import counter_next, locked_row
from xaso.core.crypto import encrypt_text
from xaso.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xaso.core.validation import apply_changes
from xaso.dossiers import hooks
from xaso.dossiers.models import Dossier
from xaso.dossiers.services import actor_kinds
from xaso.dossiers.workflow import RECEIVING
from xaso.places.models import Commune

from . import signals, vietqr
from .banks import BANKS
from .models import (
    BankTransaction,
    Payment,
    PaymentRequest,
    PaymentSettings,
    ReceiptCounter,
    ReceivingAccount,
)

Status = PaymentRequest.Status
SETTLED = frozenset({Status.PAID, Status.OVERPAID, Status.WAIVED, Status.REFUNDED})
NOTE_PREFIX = "XASO "


# The fee rule recorded when the officer entered the amount at receipt.
SET_AT_DESK = "set_at_desk"


class FeeUnpaid(Conflict):
    code = "fee_unpaid"


class NoPaymentRequest(Conflict):
    code = "no_payment_request"


# --- the request -----------------------------------------------------------------------------


def reference_for(code: str) -> str:
    """DEMO-PL-261130-0001 -> DEMOPL2611300001."""
    return normalise_note(code)


def normalise_note(text: str) -> str:
    """Upper case, only A-Z and 0-9: how a bank's note is compared with references."""
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())


def transfer_note_for(reference: str) -> str:
    """ "XASO <reference>" when it fits VietQR's 25 characters, else the reference alone; "" when
    even that does not fit (a long custom code pattern): then there is no QR code."""
    if len(NOTE_PREFIX + reference) <= vietqr.PURPOSE_MAX_LENGTH:
        return NOTE_PREFIX + reference
    return reference if len(reference) <= vietqr.PURPOSE_MAX_LENGTH else ""


def default_account(commune: Commune) -> ReceivingAccount | None:
    return (
        ReceivingAccount.objects.filter(commune=commune, is_active=True)
        .order_by("-is_default", "id")
        .first()
    )


class FeeUndetermined(Conflict):
    code = "fee_undetermined"


def _schedule(dossier: Dossier) -> dict:
    """The commune's own schedule, else that of the procedure's version the dossier keeps."""
    offer = commune_offer(dossier.receiving_commune, dossier.procedure)
    if offer and offer.fee_override:
        return offer.fee_override
    return version_fact(dossier.procedure, dossier.procedure_version, "fees")


def _quote(dossier: Dossier, exemptions=(), evidence: dict | None = None):
    try:
        return fee_compute(
            _schedule(dossier),
            dossier.answers,
            today=timezone.localdate(dossier.received_at or timezone.now()),
            channel=dossier.channel,
            claimed_exemptions=exemptions,
            exemption_evidence=evidence or {},
            provincial_rates=provincial_rates(dossier.receiving_commune),
        )
    except FeeError as error:
        raise InvalidInput(
            _("This exemption does not apply to this procedure."), code=error.code
        ) from error


def _payload(request: PaymentRequest) -> str:
    account = request.account
    if account is None or request.amount <= 0 or not request.transfer_note:
        return ""
    return vietqr.build_payload(
        bank_bin=account.bank_bin,
        account=account.account_number,
        amount=request.amount,
        purpose=request.transfer_note,
    )


def _status_for(amount: int, paid: int, *, waived_when_zero: bool = True) -> str:
    if amount == 0 and paid == 0:
        return Status.WAIVED if waived_when_zero else Status.UNPAID
    if paid == amount:
        return Status.PAID
    if paid > amount:
        return Status.OVERPAID
    return Status.PARTIAL if paid else Status.UNPAID


def amount_pending(request: PaymentRequest) -> bool:
    """A provincial rate not entered yet: the officer must set the amount."""
    return request.amount == 0 and request.status == Status.UNPAID


def _decided_quote(dossier: Dossier, decision: dict | None):
    """The quote with what the officer settled at the desk (`dossiers.services.fee_decision`)."""
    decision = decision or {}
    if "amount" in decision:
        return FeeQuote(decision["amount"], SET_AT_DESK)
    if decision.get("exemption"):
        code = decision["exemption"]
        return _quote(dossier, [code], {code: decision.get("evidence", "")})
    return _quote(dossier)


def payment_request_create(
    *, dossier: Dossier, exemptions=(), actor=None, decision: dict | None = None
) -> PaymentRequest:
    """The dossier's fee, fixed now (at receipt). Idempotent: an existing request is returned."""
    with transaction.atomic():
        existing = PaymentRequest.objects.filter(dossier=dossier).first()
        if existing is not None:
            return existing
        quote = _quote(dossier, exemptions) if exemptions else _decided_quote(dossier, decision)
        reference = reference_for(dossier.code)
        now = timezone.now()
        request = PaymentRequest(
            dossier=dossier,
            account=default_account(dossier.receiving_commune),
            amount=quote.amount or 0,
            reference=reference,
            transfer_note=transfer_note_for(reference),
            status=Status.UNPAID if quote.amount is None else _status_for(quote.amount, 0),
            fee_rule=quote.rule,
            exemption=quote.exemption or "",
            exemption_evidence=quote.evidence,
            created_at=now,
            updated_at=now,
        )
        request.payload = _payload(request)
        request.save()
        audit_record(
            actor=actor,
            action="payment.request_create",
            object_type="dossier",
            object_id=dossier.code,
            commune_code=dossier.receiving_commune.code,
            data={
                "amount": request.amount,
                "status": request.status,
                "rule": quote.rule,
                "amount_pending": quote.amount is None,
            },
        )
    return request


def reception_required(actor, dossier: Dossier) -> None:
    """404 outside the actor's communes, 403 for a role other than the receiving commune's desk:
    fees are the receiving commune's (its account, its receipt series), never the deciding
    commune's desk's."""
    if Role.RECEPTION not in actor_kinds(actor, dossier, RECEIVING):
        raise Forbidden()


def _locked_request(dossier: Dossier) -> PaymentRequest:
    request = (
        PaymentRequest.objects.select_for_update(of=("self",))
        .select_related("account")
        .filter(dossier=dossier)
        .first()
    )
    if request is None:
        raise NoPaymentRequest(
            _("This dossier has no fee to pay yet: it is set when the dossier is received.")
        )
    return request


def _set_amount(request: PaymentRequest, amount: int) -> None:
    request.amount = amount
    request.status = _status_for(amount, request.paid_amount)
    request.payload = _payload(request)
    request.updated_at = timezone.now()
    request.save()


def payment_exemption_apply(
    *, actor, dossier: Dossier, exemption: str, evidence: str
) -> PaymentRequest:
    """The desk records an exemption the applicant proved: the fee is computed again (0)."""
    reception_required(actor, dossier)
    evidence = (evidence or "").strip()
    if not evidence:
        raise InvalidInput(
            _("Describe the evidence the applicant showed for the exemption."),
            code="evidence_required",
        )
    with transaction.atomic():
        request = _locked_request(dossier)
        quote = _quote(dossier, [exemption], {exemption: evidence})
        if quote.rule == "free":  # on-time birth registration: free for all, no proof to keep
            raise Conflict(_("Nothing is due for this dossier: no exemption to record."),
                           code="nothing_due")  # fmt: skip
        request.exemption = exemption
        request.exemption_evidence = evidence
        request.fee_rule = quote.rule
        _set_amount(request, quote.amount or 0)
        audit_record(
            actor=actor,
            action="payment.exemption_apply",
            object_type="dossier",
            object_id=dossier.code,
            commune_code=dossier.receiving_commune.code,
            data={"exemption": exemption, "amount": request.amount, "status": request.status},
        )
    return request


def payment_amount_set(*, actor, dossier: Dossier, amount: int) -> PaymentRequest:
    """The desk enters a fee the catalogue could not compute (a provincial rate not entered)."""
    reception_required(actor, dossier)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise InvalidInput(_("Enter the amount in whole đồng."), code="amount")
    with transaction.atomic():
        request = _locked_request(dossier)
        if not amount_pending(request):
            raise Conflict(_("The fee of this dossier is already fixed."), code="fee_fixed")
        _set_amount(request, amount)
        audit_record(
            actor=actor,
            action="payment.amount_set",
            object_type="dossier",
            object_id=dossier.code,
            commune_code=dossier.receiving_commune.code,
            data={"amount": amount, "status": request.status},
        )
    return request


# --- money in --------------------------------------------------------------------------------


def receipt_number_next(commune: Commune, year: int) -> str:
    """`<series or agency code>-<year>-<6 digits>`, without gaps (the counter row is locked)."""
    number = counter_next(ReceiptCounter, commune=commune, year=year)
    settings_row = PaymentSettings.objects.filter(commune=commune).first()
    series = (settings_row.receipt_series if settings_row else "") or (
        commune.agency_code or commune.code
    )
    return f"{series}-{year}-{number:06d}"


def _pay(
    request: PaymentRequest, *, method: str, amount: int, actor, transaction_row=None
) -> Payment:
    """Record money for a locked request and update what it has received."""
    commune = request.dossier.receiving_commune
    now = timezone.now()
    payment = Payment.objects.create(
        request=request,
        method=method,
        amount=amount,
        transaction=transaction_row,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        at=now,
        receipt_number=receipt_number_next(commune, timezone.localdate(now).year),
    )
    request.paid_amount += amount
    request.status = _status_for(request.amount, request.paid_amount)
    request.updated_at = now
    request.save(update_fields=["paid_amount", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="payment.record",
        object_type="dossier",
        object_id=request.dossier.code,
        commune_code=commune.code,
        data={
            "method": method,
            "amount": amount,
            "receipt": payment.receipt_number,
            "paid_amount": request.paid_amount,
            "status": request.status,
            "transaction": transaction_row.transaction_id if transaction_row else None,
        },
    )
    signals.payment_recorded.send(sender=Payment, payment=payment)
    return payment


@dataclass(frozen=True)
class RecordResult:
    status: str  # "matched" | "unmatched" | "duplicate"
    transaction: BankTransaction


def request_for_note(commune: Commune, description: str) -> PaymentRequest | None:
    """The commune's payment request whose reference appears in the note (the longest if
    several do)."""
    note = normalise_note(description)
    if not note:
        return None
    return (
        PaymentRequest.objects.filter(dossier__receiving_commune=commune)
        .alias(note=Value(note, output_field=CharField()))
        .filter(note__contains=F("reference"))
        .order_by(Length("reference").desc(), "id")
        .first()
    )


def transaction_record(
    *,
    account: ReceivingAccount,
    transaction_id: str,
    amount: int,
    description: str,
    occurred_at: datetime,
    source: str,
) -> RecordResult:
    """Record a credit to `account` once (by its transaction id) and match it to a dossier's fee.
    A second report of the same transaction changes nothing and answers "duplicate"."""
    commune = account.commune
    with transaction.atomic():
        try:
            with transaction.atomic():  # the unique constraint decides races
                row = BankTransaction.objects.create(
                    account=account,
                    transaction_id=transaction_id,
                    amount=amount,
                    description=description,
                    occurred_at=occurred_at,
                    recorded_at=timezone.now(),
                    source=source,
                    match=BankTransaction.Match.UNMATCHED,
                )
        except IntegrityError:
            existing = BankTransaction.objects.get(account=account, transaction_id=transaction_id)
            return RecordResult("duplicate", existing)
        found = request_for_note(commune, description)
        if found is not None:
            request = (
                PaymentRequest.objects.select_for_update(of=("self",))
                .select_related("dossier__receiving_commune")
                .get(pk=found.pk)
            )
            row.match = BankTransaction.Match.MATCHED
            row.request = request
            row.save(update_fields=["match", "request"])
        audit_record(
            actor=None,
            action="payment.transaction_record",
            object_type="bank_transaction",
            object_id=row.pk,
            commune_code=commune.code,
            data={
                "transaction": transaction_id,
                "amount": amount,
                "source": source,
                "match": row.match,
                "dossier": found.dossier.code if found is not None else None,
            },
        )
        if found is None:
            return RecordResult("unmatched", row)
        _pay(
            request, method=Payment.Method.TRANSFER, amount=amount, actor=None, transaction_row=row
        )
    return RecordResult("matched", row)


def transaction_assign(*, actor, transaction: BankTransaction, dossier: Dossier) -> Payment:
    """An officer of the desk gives an unmatched transfer to the dossier it pays for."""
    from django.db import transaction as db

    reception_required(actor, dossier)
    with db.atomic():
        row = (
            BankTransaction.objects.select_for_update(of=("self",))
            .select_related("account")
            .filter(pk=transaction.pk, account__commune_id=dossier.receiving_commune_id)
            .first()
        )
        if row is None:
            raise NotFound(code="transaction_not_found")
        if row.match != BankTransaction.Match.UNMATCHED:
            raise Conflict(
                _("This transfer is already matched to a dossier."), code="already_matched"
            )
        request = _locked_request(dossier)
        row.match = BankTransaction.Match.ASSIGNED
        row.request = request
        row.save(update_fields=["match", "request"])
        audit_record(
            actor=actor,
            action="payment.transaction_assign",
            object_type="bank_transaction",
            object_id=row.pk,
            commune_code=dossier.receiving_commune.code,
            data={"transaction": row.transaction_id, "dossier": dossier.code},
        )
        return _pay(
            request, method=Payment.Method.TRANSFER, amount=row.amount, actor=actor,
            transaction_row=row,
        )  # fmt: skip


def cash_record(*, actor, dossier: Dossier, amount: int) -> Payment:
    """Cash taken at the desk by the reception officer of the dossier's commune."""
    reception_required(actor, dossier)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput(_("Enter the amount received in whole đồng."), code="amount")
    with transaction.atomic():
        request = _locked_request(dossier)
        return _pay(request, method=Payment.Method.CASH, amount=amount, actor=actor)


# --- receiving accounts ----------------------------------------------------------------------


def webhook_secret_new() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def receiving_account_create(
    *,
    actor,
    commune: Commune,
    bank_bin: str,
    account_number: str,
    holder_name: str,
    secret: str | None = None,
) -> tuple[ReceivingAccount, str]:
    """A commune's account for fees; returns it with its webhook secret (shown once)."""
    account_number = re.sub(r"\s", "", account_number or "")
    holder_name = " ".join((holder_name or "").split())
    errors = {}
    if bank_bin not in BANKS:
        errors["bank_bin"] = [_("Choose a bank from the list.")]
    if not re.fullmatch(r"[0-9A-Z]{1,19}", account_number):
        errors["account_number"] = [_("The account number has 1 to 19 digits or letters.")]
    if not holder_name or len(holder_name) > 100:
        errors["holder_name"] = [_("Enter the account holder's name.")]
    if errors:
        raise InvalidInput(details={"fields": errors})
    secret = secret or webhook_secret_new()
    with transaction.atomic():
        if ReceivingAccount.objects.filter(
            bank_bin=bank_bin, account_number=account_number
        ).exists():
            raise Conflict(_("This account is already registered."), code="account_exists")
        has_default = ReceivingAccount.objects.filter(
            commune=commune, is_default=True, is_active=True
        ).exists()
        account = ReceivingAccount.objects.create(
            commune=commune,
            bank_bin=bank_bin,
            account_number=account_number,
            holder_name=holder_name,
            webhook_secret=encrypt_text(secret),
            is_default=not has_default,
        )
        audit_record(
            actor=actor,
            action="payment.account_create",
            object_type="receiving_account",
            object_id=account.pk,
            commune_code=commune.code,
            data={"bank_bin": bank_bin, "account_number": account_number},
        )
    return account, secret


# --- the commune's settings ---------------------------------------------------------------------


def payment_settings_answer(commune: Commune) -> dict:
    row = PaymentSettings.objects.filter(commune=commune).first()
    return {
        "return_requires_payment": row.return_requires_payment if row else True,
        "receipt_series": row.receipt_series if row else "",
    }


def payment_settings_update(*, actor, commune: Commune, **changes) -> PaymentSettings:
    """The commune admin decides whether a result may leave before its fee is paid."""
    changes = {name: value for name, value in changes.items() if value is not None}
    with transaction.atomic():
        row = locked_row(PaymentSettings, commune=commune)
        data = apply_changes(
            row, changes, fields=("return_requires_payment", "receipt_series"), exclude=["commune"]
        )
        row.save()
        audit_record(
            actor=actor,
            action="payment_settings.update",
            object_type="commune",
            object_id=commune.code,
            commune_code=commune.code,
            data=data,
        )
    return row


# --- dossier hooks ---------------------------------------------------------------------------


def receipt_fee_guard(context: hooks.ActionContext) -> None:
    """Guard of "intake" and "receive": no dossier is received with a fee nobody knows. What the
    officer set (context.data["fee"]) must be valid for the procedure (an allowed exemption)."""
    decision = context.data.get("fee") or {}
    if "amount" in decision and _quote(context.dossier).amount is not None:
        raise Conflict(
            _("The catalogue sets this dossier's fee: leave the amount empty."), code="fee_fixed"
        )
    quote = _decided_quote(context.dossier, decision)
    if quote.amount is None:
        raise FeeUndetermined(
            _(
                "The fee of this dossier is not determined (the province's rate for it has not "
                "been entered): set it at the desk — the amount, or an exemption with the "
                "evidence shown — or enter the province's rate, then receive it."
            ),
            details={"provincial_key": quote.provincial_key},
        )


def on_received(context: hooks.ActionContext) -> None:
    """Listener of "intake" and "receive": the fee is fixed at receipt."""
    payment_request_create(
        dossier=context.dossier, actor=context.actor, decision=context.data.get("fee")
    )


def return_guard(context: hooks.ActionContext) -> None:
    """Guard of "return": the result stays at the office until the fee is paid, if the commune
    says so (the default)."""
    dossier = context.dossier
    setting = PaymentSettings.objects.filter(commune_id=dossier.receiving_commune_id).first()
    if setting is not None and not setting.return_requires_payment:
        return
    request = PaymentRequest.objects.filter(dossier=dossier).only("status").first()
    if request is not None and request.status not in SETTLED:
        raise FeeUnpaid(
            _(
                "The fee for this dossier has not been paid yet: the result can be handed over "
                "once it is paid."
            )
        )


def on_withdrawn(context: hooks.ActionContext) -> None:
    """Listener of "withdraw": money already paid for a dossier that stops is owed back."""
    request = (
        PaymentRequest.objects.select_for_update()
        .filter(dossier=context.dossier, paid_amount__gt=0)
        .first()
    )
    if request is None or request.status == PaymentRequest.Status.REFUNDED:
        return
    request.status = PaymentRequest.Status.REFUND_DUE
    request.updated_at = timezone.now()
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=context.actor,
        action="payment.refund_due",
        object_type="payment_request",
        object_id=request.reference,
        commune_code=context.dossier.receiving_commune.code,
        data={"paid_amount": request.paid_amount},
    )


def register_hooks() -> None:
    hooks.register_listener("withdraw", on_withdrawn)
    hooks.register_guard("intake", receipt_fee_guard)
    hooks.register_guard("receive", receipt_fee_guard)
    hooks.register_listener("intake", on_received)
    hooks.register_listener("receive", on_received)
    hooks.register_guard("return", return_guard)
    from .selectors import ANSWER_COLUMNS, ANSWER_JOINED, fee_and_payment_contribution

    hooks.register_contributors(
        ("fee", "payment"), fee_and_payment_contribution,
        joined=ANSWER_JOINED, columns=ANSWER_COLUMNS,
    )  # fmt: skip
