"""The Decision 766 index as data: versions, groups and indicators with their weights,
thresholds and measures, editable by an operator in the admin (docs/index-766.md)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .measures import MEASURE_CHOICES


class IndexVersion(models.Model):
    """One transcription of the index: the version in force on a period's first day is used."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.TextField(_("source"))
    valid_from = models.DateField(_("valid from"))
    is_active = models.BooleanField(_("in use"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("index version")
        verbose_name_plural = _("index versions")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.code


class IndexGroup(models.Model):
    version = models.ForeignKey(
        IndexVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="groups"
    )
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=200)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("index group")
        verbose_name_plural = _("index groups")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="index_group_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.max_points})"


class IndexIndicator(models.Model):
    class Empty(models.TextChoices):
        FULL = "full", _("full points (nothing to fault)")
        ZERO = "zero", _("no points")

    group = models.ForeignKey(
        IndexGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=300)
    measure = models.CharField(_("measure"), max_length=40, choices=MEASURE_CHOICES)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    # Full points at or above the threshold, else ratio × max ÷ threshold; 1 = linear.
    threshold = models.DecimalField(
        _("threshold"), max_digits=5, decimal_places=4, default=Decimal("1")
    )
    empty_rule = models.CharField(
        _("when nothing is measured"), max_length=4, choices=Empty, default=Empty.FULL
    )
    source = models.TextField(_("source"), blank=True)
    verified = models.BooleanField(_("verified in the official text"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("index indicator")
        verbose_name_plural = _("index indicators")
        ordering = ["group", "position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="index_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.max_points})"

    def clean(self):
        if not Decimal("0") < self.threshold <= Decimal("1"):
            raise ValidationError({"threshold": _("A threshold is between 0 and 1.")})


class MonthlyRollup(models.Model):
    """What one procedure's dossiers filed in one commune in one month add up to (the counters of
    `measures.Row`), kept by `rollup.rollup_refresh` so that a province-year is read from a few
    thousand rows instead of a million dossiers. Lateness and complaints that still depend on
    when the index is measured are kept apart in `RollupPending`."""

    commune = models.ForeignKey("places.Commune", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the month's first day (Việt Nam time)
    n = models.PositiveIntegerField(default=0)
    synced = models.PositiveIntegerField(default=0)
    timed = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)  # late whenever the index is measured
    late_apologised = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    fee_bearing = models.PositiveIntegerField(default=0)
    fee_online_offered = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    e_result = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    components = models.PositiveIntegerField(default=0)
    components_reused = models.PositiveIntegerField(default=0)
    store_or_pushed = models.PositiveIntegerField(default=0)
    population = models.PositiveIntegerField(default=0)
    disliked = models.PositiveIntegerField(default=0)  # rated 1–2, or complained of by month end

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "month", "procedure"], name="monthly_rollup_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.procedure_id} {self.month:%m/%Y}"


class RollupPending(models.Model):
    """Dossiers of a rolled-up month whose count depends on the moment of measurement: `late`
    ones count once the index is measured after `at` (their due time), `disliked` ones once the
    period ends after `at` (their first complaint). `n` dossiers share the same key."""

    class Kind(models.TextChoices):
        LATE = "late"
        LATE_APOLOGISED = "late_apologised"
        DISLIKED = "disliked"

    commune = models.ForeignKey("places.Commune", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind)
    at = models.DateTimeField()
    n = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["commune", "month"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.n} after {self.at:%Y-%m-%d %H:%M}"


class RollupBuild(models.Model):
    """When a commune's month was last rolled up; a month is read from the roll-up only when it
    was built after it ended (else it is computed live)."""

    commune = models.ForeignKey("places.Commune", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    built_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "month"], name="rollup_build_unique")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.month:%m/%Y} {self.built_at:%Y-%m-%d %H:%M}"
