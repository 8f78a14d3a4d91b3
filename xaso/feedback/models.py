"""Citizens' feedback and recommendations (phản ánh, kiến nghị — PAKN), as the 766 index counts
them (DOMAIN.md §2, §8b): filed by anyone, classified or rejected, answered, the answer published
without the citizen's personal data, and rated.

State and deadlines change only through `services` (the table of `workflow.py`); every change is
a `FeedbackEvent` and an audit row in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xaso.dossiers import secret_store
from xaso.dossiers.models import Dossier, Upload
from xaso.places.models import Commune, Village


class Category(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Roads, power, water and other infrastructure")
    ENVIRONMENT = "environment", _("Environment and sanitation")
    SECURITY_ORDER = "security_order", _("Security and public order")
    PROCEDURES = "procedures", _("Administrative procedures")
    OFFICIALS = "officials", _("Conduct of officials")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    RECEIVED = "received", _("Received, to classify")
    HANDLING = "handling", _("Being handled")
    INFO_REQUESTED = "info_requested", _("More information asked")
    ANSWERED = "answered", _("Answered")
    PUBLISHED = "published", _("Answer published")
    REJECTED = "rejected", _("Not accepted")


class Feedback(models.Model):
    code = models.CharField(_("code"), max_length=48, unique=True)
    code_key = models.CharField(_("code for lookups"), max_length=48, db_index=True, editable=False)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="feedback"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.TextField(_("feedback"))
    village = models.ForeignKey(
        Village, verbose_name=_("village"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    place = models.CharField(_("place"), max_length=200, blank=True)
    # Personal data: never on a public page or in a public answer.
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    channel = models.CharField(_("channel"), max_length=12, default="online")
    photo = models.ForeignKey(
        Upload, verbose_name=_("photo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    # A complaint about a dossier counts against that dossier's satisfaction (766 index).
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="feedback",
    )  # fmt: skip
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RECEIVED
    )
    filed_at = models.DateTimeField(_("filed"))
    # The deadlines of DOMAIN.md §8b on the commune's working days; `due_at` is the current step's.
    classify_due_at = models.DateTimeField(_("classify or reject by"))
    ask_due_at = models.DateTimeField(_("ask for more information by"))
    answer_due_at = models.DateTimeField(_("answer by"))
    publish_due_at = models.DateTimeField(_("publish the answer by"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    unit = models.CharField(_("unit in charge"), max_length=120, blank=True)
    info_request = models.TextField(_("information asked"), blank=True)
    info_answer = models.TextField(_("information given"), blank=True)
    reject_reason = models.TextField(_("reason for not accepting"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # What the public page shows of the question: written by the officer, without personal data.
    public_summary = models.TextField(_("public summary"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    lookup_secret_digest = models.CharField(max_length=64, editable=False)
    lookup_secret_sealed = models.TextField(editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-filed_at"]
        indexes = [models.Index(fields=["commune", "state", "due_at"])]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        from xaso.dossiers.codes import code_key

        self.code_key = code_key(self.code)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "code_key"}
        super().save(*args, **kwargs)

    @property
    def lookup_secret(self) -> str:
        return secret_store.opened(self.lookup_secret_sealed) if self.lookup_secret_sealed else ""

    @lookup_secret.setter
    def lookup_secret(self, secret: str) -> None:
        self.lookup_secret_digest = secret_store.digest(secret)
        self.lookup_secret_sealed = secret_store.sealed(secret)

    def lookup_secret_matches(self, given: str) -> bool:
        return secret_store.matches(self.lookup_secret_digest, given)


class FeedbackEvent(models.Model):
    """One row per transition, append-only: the citizen's timeline and the office's record."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    actor_label = models.CharField(max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("feedback events are append-only")
        super().save(*args, **kwargs)


class FeedbackCounter(models.Model):
    """The day's feedback numbers per commune, without gaps (core.counters)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "day"], name="feedback_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"
