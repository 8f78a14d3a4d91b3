from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def current_time():
    """`timezone.now()`, looked up at each call: a field default that holds `timezone.now`
    itself keeps the function imported first, so a clock set for a demo or a test (which
    replaces `django.utils.timezone.now`) would not reach it."""
    return timezone.now()


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit entries are append-only.")

    def delete(self):
        raise TypeError("Audit entries are append-only.")


class AuditEntry(models.Model):
    """One row of the tamper-evident trail: its hash (an HMAC under a key outside the database,
    core/audit.py) covers its content and the previous hash.

    There is one chain per commune (``chain`` = commune code, "" for deployment-wide actions), so
    that the communes of a province do not queue behind each other for the chain head.
    """

    chain = models.CharField(_("chain"), max_length=32, blank=True, db_index=True)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries are append-only.")


class AuditChainHead(models.Model):
    """The last hash and length of one chain: locked while appending, and it lets `verify` notice
    rows deleted from the end of a chain."""

    chain = models.CharField(max_length=32, primary_key=True, blank=True)
    last_hash = models.CharField(max_length=64, blank=True)
    length = models.PositiveBigIntegerField(default=0)
    # HMAC of chain, length and last hash: a database writer cannot shorten the chain unseen.
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.chain or '-'}: {self.length}"


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key and the answer its first request got (see core/idempotency.py).

    The unique (scope, key) index is what serialises duplicates: the first insert wins.
    """

    class State(models.TextChoices):
        IN_FLIGHT = "in_flight", _("in flight")
        DONE = "done", _("done")

    scope = models.CharField(_("scope"), max_length=255)  # endpoint + user id or "anonymous"
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)  # SHA-256, hex
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.IN_FLIGHT)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_body = models.TextField(_("response body"), blank=True)  # the exact JSON text sent
    created_at = models.DateTimeField(_("created at"), default=current_time, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="core_idempotency_scope_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} ({self.state})"
