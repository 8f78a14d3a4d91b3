"""How the payments side tells the dossier its fee facts (dossiers never import payments): a
payment request saved fixes `fee_amount` and whether a VietQR code was offered; money recorded
sets `paid_at` and `paid_online` (a bank transfer; cash at the desk is not online)."""

from django.db.models.signals import post_save

from xaso.dossiers import facts
from xaso.payments.models import Payment, PaymentRequest
from xaso.payments.signals import payment_recorded


def on_request_saved(sender, instance: PaymentRequest, **kwargs) -> None:
    amount = 0 if instance.status == PaymentRequest.Status.WAIVED else instance.amount
    facts.fee_fixed(
        instance.dossier,
        amount=amount,
        online_offered=bool(instance.payload and instance.account_id),
    )


def on_payment(sender, payment: Payment, **kwargs) -> None:
    facts.fee_paid(
        payment.request.dossier, at=payment.at, online=payment.method == Payment.Method.TRANSFER
    )


def register() -> None:
    post_save.connect(on_request_saved, sender=PaymentRequest, dispatch_uid="reports.fee_fixed")
    payment_recorded.connect(on_payment, dispatch_uid="reports.fee_paid")
