"""Personal data (Law 91/2025/QH15, Decree 356/2025/NĐ-CP; DOMAIN.md §7): who the controller
is and how to reach it, how long each procedure's dossiers are kept, and the citizens' requests to
see, correct or delete their data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xaso.catalog.models import Procedure
from xaso.places.models import Commune


class ControllerContact(models.Model):
    """The commune as the controller of the personal data of its dossiers: where a citizen
    writes or goes about their data (printed in the portal's notice)."""

    commune = models.OneToOneField(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    officer = models.CharField(_("officer in charge of personal data"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("personal-data contact")
        verbose_name_plural = _("personal-data contacts")

    def __str__(self) -> str:
        return str(self.commune_id)


class RetentionRule(models.Model):
    """How long a procedure's dossiers are kept after they end. Results (the signed documents and
    the registers) are kept permanently whatever this says; no rule, or no years, means the
    dossier is kept until the archive term is set (never deleted by a guess)."""

    procedure = models.OneToOneField(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="+"
    )
    dossier_years = models.PositiveSmallIntegerField(
        _("dossier kept (years)"), null=True, blank=True, help_text=_("Empty: permanently.")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return str(self.procedure_id)


class SubjectRequest(models.Model):
    """A citizen's request about their own personal data (Law 91/2025, the data subject's rights),
    filed from the portal with their phone verified, answered by an officer of the commune within
    the deadline counted on the commune's working days."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("See my data")
        CORRECTION = "correction", _("Correct my data")
        DELETION = "deletion", _("Delete my data")

    class Target(models.TextChoices):
        DOSSIER = "dossier", _("A dossier")
        DRAFT = "draft", _("An application not sent")
        UPLOAD = "upload", _("A file not used in a dossier")
        ALL = "all", _("All my data")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        CARRIED_OUT = "carried_out", _("Carried out")
        ANSWERED = "answered", _("Answered")
        KEPT = "kept", _("Not deleted: the law requires it kept")

    code = models.CharField(_("code"), max_length=24, unique=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("citizen"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    phone = models.CharField(_("phone"), max_length=10)
    kind = models.CharField(_("request"), max_length=12, choices=Kind)
    target = models.CharField(_("about"), max_length=8, choices=Target)
    target_ref = models.CharField(_("dossier code or file"), max_length=48, blank=True)
    details = models.TextField(_("details"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.OPEN)
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("personal-data request")
        verbose_name_plural = _("personal-data requests")
        indexes = [models.Index(fields=["commune", "state", "due_at"])]

    def __str__(self) -> str:
        return self.code
