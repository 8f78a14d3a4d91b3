from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xaso.places.models import Commune, Province

# A national code (1.001193), or a commune's own code (XS.0001) for a procedure whose national
# code is not known yet: never a made-up national one.
PROCEDURE_CODE = r"\d\.\d{6}|XS\.\d{4}"
procedure_code_validator = RegexValidator(
    rf"^(?:{PROCEDURE_CODE})$",
    _("A national procedure code looks like 1.001193; a local one like XS.0001."),
)


class ProcedureField(models.Model):
    """Lĩnh vực: the area of law a procedure belongs to (Hộ tịch, Chứng thực …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExemptionCategory(models.Model):
    """Who may be exempted from a fee, and what they must show for it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    evidence = models.TextField(_("evidence required"), blank=True)
    # Where the category's wording comes from ("Luật Hộ tịch 2014, Điều 11 khoản 1 điểm a").
    legal_reference = models.CharField(_("legal reference"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("exemption category")
        verbose_name_plural = _("exemption categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """Thủ tục hành chính: what a citizen applies for, with its form, fees and internal process."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        WORKING_HOURS = "working_hours", _("working hours")
        CALENDAR_DAYS = "calendar_days", _("days (calendar)")
        SAME_DAY = "same_day", _("same day")

    class ResumeRule(models.TextChoices):
        CONTINUE = "continue", _("continue with the time left")
        RESTART = "restart", _("restart the full time")

    class OnlineLevel(models.TextChoices):
        FULL = "full", _("whole process online (toàn trình)")
        PARTIAL = "partial", _("partly online (một phần)")

    class Level(models.TextChoices):
        COMMUNE = "commune", _("commune")
        PROVINCE = "province", _("province")

    class Decider(models.TextChoices):
        """Who decides, and so who signs the result and how (Decree 30/2020: TM., KT., title)."""

        COMMITTEE = "committee", _("the commune People's Committee as a body")
        CHAIRMAN = "chairman", _("the chairman of the commune People's Committee")
        CENTRE = "centre", _("the Public Administration Service Centre")
        COMMUNE_POLICE = "commune_police", _("the commune police (received and forwarded)")
        HIGHER_LEVEL = "higher_level", _("a provincial body (received and forwarded)")

    class DocumentKind(models.TextChoices):
        """What the commune issues; each kind has its template (`forwarded`: the other body's)."""

        BIRTH_EXTRACT = "birth_extract", _("birth extract")
        DEATH_EXTRACT = "death_extract", _("death extract")
        MARRIAGE_EXTRACT = "marriage_extract", _("marriage extract")
        EXTRACT_COPY = "extract_copy", _("copy of a civil-status extract")
        MARITAL_STATUS = "marital_status", _("marital status certificate")
        CIVIL_STATUS_CHANGE_EXTRACT = (
            "civil_status_change_extract",
            _("extract of a change of civil-status information"),
        )
        CERTIFICATION = "certification", _("certification")
        CONTRACT_CERTIFICATION = "contract_certification", _("certification of a contract")
        GUARDIANSHIP_EXTRACT = "guardianship_extract", _("guardianship extract")
        PARENTAGE_EXTRACT = "parentage_extract", _("parentage recognition extract")
        ADOPTION_CERTIFICATE = "adoption_certificate", _("adoption certificate")
        HOUSEHOLD_BUSINESS_CERTIFICATE = (
            "household_business_certificate",
            _("household business certificate"),
        )
        CONSTRUCTION_PERMIT = "construction_permit", _("construction permit")
        DISABILITY_CERTIFICATE = "disability_certificate", _("disability certificate")
        DECISION = "decision", _("decision")
        FORWARDED = "forwarded", _("decided by another body (its answer is recorded)")

    code = models.CharField(
        _("code"), max_length=10, unique=True, validators=[procedure_code_validator]
    )
    name = models.CharField(_("name"), max_length=300)
    field = models.ForeignKey(
        ProcedureField, verbose_name=_("field"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level, default=Level.COMMUNE)
    limit_amount = models.PositiveSmallIntegerField(_("time limit"))
    limit_unit = models.CharField(_("time limit unit"), max_length=16, choices=Unit)
    limit_note = models.CharField(_("time limit note"), max_length=300, blank=True)
    # The statutory limit when verification is needed: the whole limit, chosen at receipt with
    # a reason; a dossier within it is neither extended nor late (DOMAIN.md §6).
    verification_limit_amount = models.PositiveSmallIntegerField(
        _("time limit with verification"), null=True, blank=True
    )
    verification_limit_unit = models.CharField(
        _("time limit unit with verification"), max_length=16, choices=Unit, blank=True
    )
    verification_reason = models.CharField(
        _("when verification is needed"), max_length=300, blank=True
    )
    resume_rule = models.CharField(
        _("clock on resume"), max_length=10, choices=ResumeRule, default=ResumeRule.CONTINUE
    )
    online_level = models.CharField(_("online service level"), max_length=10, choices=OnlineLevel)
    result_type = models.CharField(_("result"), max_length=300)
    decider = models.CharField(_("who decides"), max_length=20, choices=Decider)
    document_kind = models.CharField(_("document issued"), max_length=40, choices=DocumentKind)
    legal_basis = models.JSONField(_("legal basis"), default=list)
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Every fact checked against an official source.")
    )
    unverified = models.JSONField(
        _("unverified facts"),
        default=list,
        blank=True,
        help_text=_("Which facts still need checking against an official source."),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    no_proxy_writing = models.BooleanField(_("no proxy writing"), default=False)
    same_day_eligible = models.BooleanField(_("same-day eligible"), default=False)
    requires_leader_signature = models.BooleanField(_("leader signs the result"), default=True)
    inter_agency = models.BooleanField(_("inter-agency"), default=False)
    aliases = models.JSONField(_("other phrasings"), default=list, blank=True)
    form = models.JSONField(_("form"), default=dict)
    fees = models.JSONField(_("fees"), default=dict)
    is_active = models.BooleanField(_("active"), default=True)
    # How the result may be handed over (`DELIVERY_CHANNELS` of catalog.records); marriage and
    # signature certification are completed in person only.
    delivery_channels = models.JSONField(_("result delivery channels"), default=list)
    # The version of the record the row holds, and when that version applies (valid_to: the
    # first day it no longer does). Every version imported is kept in ProcedureVersion.
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True)
    # Name, code, field and phrasings without diacritics: one search for SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_forwarded(self) -> bool:
        """Decided by another body: the commune receives, hands over and records the answer."""
        return self.decider in (self.Decider.COMMUNE_POLICE, self.Decider.HIGHER_LEVEL)


class ProcedureVersion(models.Model):
    """One version of a procedure's record, as imported, with the days it applies: a dossier keeps
    the version in force when it was received (DOMAIN.md §3: the 2027-03-01 switch)."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True)
    record = models.JSONField(_("record"))
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"


class RequiredDocument(models.Model):
    """Thành phần hồ sơ: one document of the dossier."""

    class Requirement(models.TextChoices):
        REQUIRED = "required", _("required")
        CONDITIONAL = "conditional", _("conditional")

    class Replacement(models.TextChoices):
        NONE = "none", _("must be submitted")
        NATIONAL_DATABASE = "national_database", _("looked up in a national database")
        REUSED_DOCUMENT = "reused_document", _("reused from an earlier dossier")

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="documents"
    )
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=300)
    originals = models.PositiveSmallIntegerField(_("originals"), default=1)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    requirement = models.CharField(
        _("requirement"), max_length=12, choices=Requirement, default=Requirement.REQUIRED
    )
    condition = models.CharField(_("when required"), max_length=300, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    replaceable_by = models.CharField(
        _("can be replaced by"), max_length=20, choices=Replacement, default=Replacement.NONE
    )

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["procedure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "key"], name="document_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    """One step of the internal process (quy trình nội bộ) with its share of the time limit.

    `budget` is in working hours, or, for same-day procedures, a percentage of the office time left
    on the day of receipt.
    """

    class Step(models.TextChoices):
        RECEPTION = "reception", _("Reception")
        SPECIALIST = "specialist", _("Processing by the specialist")
        LEADER = "leader", _("Leader's approval and signature")
        RETURN = "return", _("Numbering, issuing and returning the result")

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    step = models.CharField(_("step"), max_length=12, choices=Step)
    role = models.CharField(_("role"), max_length=20)
    budget = models.DecimalField(_("time budget"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["procedure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="step_position_unique")
        ]

    def __str__(self) -> str:
        return self.get_step_display()


class CommuneProcedure(models.Model):
    """A procedure as one commune offers it, with its local overrides."""

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="offers"
    )
    offered = models.BooleanField(_("offered"), default=True)
    fee_override = models.JSONField(
        _("local fee schedule"), null=True, blank=True, help_text=_("Replaces the national one.")
    )
    limit_amount = models.PositiveSmallIntegerField(_("local time limit"), null=True, blank=True)
    limit_unit = models.CharField(
        _("local time limit unit"), max_length=16, choices=Procedure.Unit, blank=True
    )
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    default_specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("default specialist"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("procedure offered by a commune")
        verbose_name_plural = _("procedures offered by communes")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "procedure"], name="commune_procedure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.procedure}"


class ProvincialFeeRate(models.Model):
    """A fee a province sets by its People's Council resolution (e.g. late birth registration)."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.SlugField(_("key"), max_length=60)
    amount = models.PositiveIntegerField(_("amount (đồng)"))
    legal_reference = models.CharField(_("legal reference"), max_length=300)
    verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        verbose_name = _("provincial fee rate")
        verbose_name_plural = _("provincial fee rates")
        constraints = [
            models.UniqueConstraint(fields=["province", "key"], name="provincial_rate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.province}: {self.key}"
