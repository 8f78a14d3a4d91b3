from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xaso.dossiers.models import Dossier
from xaso.places.models import Commune

from .banks import BANK_CHOICES


class ReceivingAccount(models.Model):
    """A commune's bank account for fees; its webhook secret is stored encrypted (core.crypto)."""

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    bank_bin = models.CharField(_("bank"), max_length=6, choices=BANK_CHOICES)
    account_number = models.CharField(_("account number"), max_length=19)
    holder_name = models.CharField(_("account holder"), max_length=100)
    webhook_secret = models.TextField(_("webhook secret (encrypted)"), editable=False)
    is_default = models.BooleanField(_("default account"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("receiving account")
        verbose_name_plural = _("receiving accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["bank_bin", "account_number"], name="receiving_account_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_bank_bin_display()} {self.account_number}"


class PaymentSettings(models.Model):
    """Per commune: may a result be returned before its fee is paid; the receipt series."""

    commune = models.OneToOneField(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    return_requires_payment = models.BooleanField(_("return only when paid"), default=True)
    # Printed on receipts and in their file names: letters, digits and . / - only (a line break
    # would break the download's header).
    receipt_series = models.CharField(
        _("receipt series"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"\A[A-Za-z0-9][A-Za-z0-9./-]*\Z",
                _("Use letters, digits and . / - only, e.g. 1C26TAA."),
                code="receipt_series",
            )
        ],
    )

    class Meta:
        verbose_name = _("payment settings")
        verbose_name_plural = _("payment settings")

    def __str__(self) -> str:
        return str(self.commune)


class PaymentRequest(models.Model):
    """The fee of one dossier, fixed at receipt, and how much of it has come in."""

    class Status(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        PAID = "paid", _("Paid")
        PARTIAL = "partial", _("Partly paid")
        OVERPAID = "overpaid", _("Overpaid (to refund)")
        REFUND_DUE = "refund_due", _("To refund (dossier withdrawn)")
        REFUNDED = "refunded", _("Refunded")
        WAIVED = "waived", _("Waived")

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="payment"
    )
    account = models.ForeignKey(
        ReceivingAccount, verbose_name=_("account"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    paid_amount = models.PositiveBigIntegerField(_("paid (đồng)"), default=0)
    # The dossier code without punctuation: what survives bank apps that cut or upper-case notes.
    reference = models.CharField(_("transfer reference"), max_length=32, unique=True)
    transfer_note = models.CharField(_("transfer note"), max_length=25)
    payload = models.TextField(_("VietQR payload"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.UNPAID)
    fee_rule = models.CharField(_("fee rule"), max_length=20, blank=True)
    exemption = models.CharField(_("exemption"), max_length=40, blank=True)
    exemption_evidence = models.TextField(_("exemption evidence"), blank=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.reference


class BankTransaction(models.Model):
    """A credit reported by the bank (webhook or statement), recorded once per transaction id."""

    class Source(models.TextChoices):
        WEBHOOK = "webhook", _("Bank notification")
        STATEMENT = "statement", _("Bank statement")

    class Match(models.TextChoices):
        MATCHED = "matched", _("Matched")
        UNMATCHED = "unmatched", _("Unmatched")
        ASSIGNED = "assigned", _("Assigned by an officer")

    account = models.ForeignKey(
        ReceivingAccount, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    transaction_id = models.CharField(_("transaction id"), max_length=64)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    description = models.CharField(_("description"), max_length=500)
    occurred_at = models.DateTimeField(_("time"))
    recorded_at = models.DateTimeField(_("recorded"))
    source = models.CharField(_("source"), max_length=10, choices=Source)
    match = models.CharField(_("match"), max_length=10, choices=Match)
    request = models.ForeignKey(
        PaymentRequest, verbose_name=_("payment request"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="transactions",
    )  # fmt: skip

    class Meta:
        verbose_name = _("bank transaction")
        verbose_name_plural = _("bank transactions")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "transaction_id"], name="bank_transaction_once"
            )
        ]

    def __str__(self) -> str:
        return self.transaction_id


class Payment(models.Model):
    """Money received for a payment request: a matched transfer or cash at the desk."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Bank transfer")
        CASH = "cash", _("Cash at the desk")

    request = models.ForeignKey(
        PaymentRequest, verbose_name=_("payment request"), on_delete=models.PROTECT,
        related_name="payments",
    )  # fmt: skip
    method = models.CharField(_("method"), max_length=10, choices=Method)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    transaction = models.OneToOneField(
        BankTransaction, verbose_name=_("bank transaction"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="payment",
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("time"))
    receipt_number = models.CharField(_("receipt number"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return self.receipt_number


class ReceiptCounter(models.Model):
    """Receipt numbers per commune and year, without gaps (locked like dossier codes)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="receipt_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.year}: {self.last}"
