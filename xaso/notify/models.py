from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One message to one recipient, written in the transaction of the event that caused it.

    A task sends it after commit (`services.outbox_send`); a failed attempt is retried with
    exponential backoff from `next_attempt_at`, and after the last one the row stays `failed` for
    the commune admin to see. The text is rendered when the row is written, in the recipient's
    language and in the channel's form; `data` keeps what it was rendered from.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Channel(models.TextChoices):
        LOG = "log", _("Server log (demo)")
        SMS = "sms", _("SMS")
        ZALO = "zalo", _("Zalo")
        EMAIL = "email", _("E-mail")

    recipient = models.CharField(_("recipient"), max_length=254)  # a phone number or an e-mail
    channel = models.CharField(_("channel"), max_length=8, choices=Channel)
    template = models.CharField(_("template"), max_length=40)
    language = models.CharField(_("language"), max_length=8)
    data = models.JSONField(_("data"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    state = models.CharField(_("state"), max_length=8, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Pending: when the next attempt is due. Sending: when the claim of the attempt in progress
    # lapses (a worker that died mid-send). Sent and failed: empty.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The worker's query: rows still to send whose next attempt is due. Partial, so it stays
            # small while sent rows pile up.
            models.Index(
                fields=["state", "next_attempt_at"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="notify_outbox_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient} ({self.state})"


class NotificationPreference(models.Model):
    """How a citizen wants to hear from the commune, by phone number (their identity on every
    dossier), linked to their account when they set it signed in.

    `channels` is in order of preference; the first one xaso can use for a message is taken.
    `opted_out` stops the optional messages (result ready, payment received); the notices the
    law requires still go, by SMS.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        ZALO = "zalo", _("Zalo")
        EMAIL = "email", _("E-mail")

    phone = models.CharField(_("phone"), max_length=10, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opted_out = models.BooleanField(_("no optional messages"), default=False)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return self.phone
