from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

agency_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9.\-]{0,31}$",
    _("Use capital letters, digits, dots and hyphens, e.g. 000.00.12.H56."),
)


class Province(models.Model):
    """A province-level unit (tỉnh / thành phố trung ương) of the post-July-2025 list."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("type"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune-level unit (xã / phường / đặc khu) with its one-stop shop."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    division_type = models.CharField(_("type"), max_length=40, blank=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )
    agency_code = models.CharField(
        _("agency code"),
        max_length=32,
        blank=True,
        validators=[agency_code_validator],
        help_text=_("The first part of every dossier code of this commune."),
    )
    dossier_code_pattern = models.CharField(
        _("dossier code pattern"),
        max_length=80,
        blank=True,
        help_text=_(
            "Empty: the deployment's pattern, {agency}-{date:%y%m%d}-{number:04d} by default."
        ),
    )
    # Since 2025-07-01 the unit receiving and returning dossiers (docs/domain.md §1); its name
    # is the second line of the forms' masthead.
    service_centre_name = models.CharField(
        _("service centre"),
        max_length=120,
        default="Trung tâm Phục vụ hành chính công",
        help_text=_("The unit that receives and returns dossiers, as printed on the forms."),
    )
    is_demo = models.BooleanField(
        _("demo"), default=False, help_text=_("Demonstration data, not a real unit.")
    )

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["province__code", "code"]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A village or residential group (thôn, buôn, tổ dân phố, ấp, bản) of one commune."""

    class Kind(models.TextChoices):
        THON = "thon", _("Village (thôn)")
        BUON = "buon", _("Village (buôn)")
        TO_DAN_PHO = "to_dan_pho", _("Residential group (tổ dân phố)")
        AP = "ap", _("Hamlet (ấp)")
        BAN = "ban", _("Village (bản)")

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="villages"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.THON)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="village_code_unique"),
            models.UniqueConstraint(fields=["commune", "name"], name="village_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name
