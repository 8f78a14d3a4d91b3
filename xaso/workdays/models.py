"""Calendar data: official day changes, each commune's office hours, settings and service rules.

The due-date engine (`engine.py`) and the rules (`rules.py`) are pure; `calendars.py` turns these
rows into their plain data and caches the result per commune. Every write goes through
`services.py`.
"""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from xaso.places.models import Commune, Province

from .engine import DEFAULT_PERIODS, CalendarError
from .engine import OfficeHours as EngineOfficeHours
from .rules import FRIDAY_SAME_DAY, TUESDAY_ASSISTED

WEEKDAY_CHOICES = sorted(WEEKDAYS.items())  # 0 = Monday, as datetime.weekday()
DEFAULT_SAME_DAY_CUTOFF = time(15)


class CalendarChange(models.Model):
    """An official change to the ordinary week: a weekday off, or a weekend day worked.

    Public holidays themselves come from the `holidays` package; this table holds what it lacks
    (the government's yearly swaps, make-up Saturdays, new holidays), nationally or for one
    province. A province's row replaces a national row of the same date for that province.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        MAKEUP_WORKING_DAY = "makeup_working_day", _("Make-up working day")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_changes",
        help_text=_("Empty: the change applies to the whole country."),
    )
    legal_reference = models.CharField(
        _("legal reference"),
        max_length=400,
        help_text=_("The document that decides the change, with its number and date."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Checked against the text of the legal document itself."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["date", "province__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(province__isnull=True),
                name="calendar_change_national_date_unique",
            ),
            models.UniqueConstraint(
                fields=["date", "province"],
                condition=Q(province__isnull=False),
                name="calendar_change_province_date_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"

    def clean(self) -> None:
        if self.date is None:
            return
        weekend = self.date.weekday() >= 5
        if self.kind == self.Kind.MAKEUP_WORKING_DAY and not weekend:
            raise ValidationError(
                {"date": _("A make-up working day is a Saturday or a Sunday.")},
                code="makeup_on_weekday",
            )
        # A province may put a weekend day back to rest, cancelling a national make-up day there.
        if self.kind == self.Kind.DAY_OFF and weekend and self.province_id is None:
            raise ValidationError(
                {"date": _("A national day off is a weekday: weekends are not worked anyway.")},
                code="day_off_on_weekend",
            )


def _parse_periods(value) -> tuple[tuple[time, time], ...]:
    """`[["07:00", "11:30"], ["13:30", "17:00"]]` → ((start, end), ...); ValueError if bad."""
    if not isinstance(value, list | tuple) or not value:
        raise ValueError("periods must be a non-empty list")
    periods = []
    for item in value:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValueError("each period is [start, end]")
        start, end = (
            part if isinstance(part, time) else time.fromisoformat(str(part)) for part in item
        )
        periods.append((start, end))
    return tuple(periods)


def periods_to_json(periods) -> list[list[str]]:
    return [[start.strftime("%H:%M"), end.strftime("%H:%M")] for start, end in periods]


def default_periods() -> list[list[str]]:
    return periods_to_json(DEFAULT_PERIODS)


class OfficeHours(models.Model):
    """Office periods of a commune's working days, in force between two dates (open-ended if empty).

    A commune without any row works the national default (07:00–11:30 and 13:30–17:00). Rows with
    dates (summer or winter hours) take precedence over a row without dates; among dated rows, the
    one starting later wins.
    """

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="office_hours"
    )
    periods = models.JSONField(
        _("office periods"),
        default=default_periods,
        help_text=_('Start and end of each period, e.g. [["07:00", "11:30"], ["13:30", "17:00"]].'),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        ordering = ["commune", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                name="office_hours_dates_in_order",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
            )
        ]

    def __str__(self) -> str:
        return ", ".join(f"{start}–{end}" for start, end in self.periods or [])

    def as_engine(self) -> EngineOfficeHours:
        return EngineOfficeHours(
            periods=_parse_periods(self.periods),
            valid_from=self.valid_from,
            valid_to=self.valid_to,
        )

    def clean(self) -> None:
        try:
            periods = _parse_periods(self.periods)
            EngineOfficeHours(periods=periods)
        except (ValueError, TypeError, CalendarError) as error:
            raise ValidationError(
                {
                    "periods": _(
                        "Give each period as [start, end] in HH:MM; periods must be in order "
                        "and must not overlap."
                    )
                },
                code="invalid_office_hours",
            ) from error
        self.periods = periods_to_json(periods)
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValidationError(
                {"valid_to": _("The end date is before the start date.")}, code="dates_reversed"
            )


class CalendarSettings(models.Model):
    """A commune's due-date options; a commune without a row uses the defaults."""

    commune = models.OneToOneField(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="calendar_settings",
    )
    same_day_cutoff = models.TimeField(
        _("same-day cut-off"),
        default=DEFAULT_SAME_DAY_CUTOFF,
        help_text=_("A same-day dossier received after this time is due the next working day."),
    )
    hour_for_hour = models.BooleanField(
        _("count working days hour for hour"),
        default=False,
        help_text=_(
            "Off (the law's way): a limit in days ends at the close of office hours of its last "
            "day. On: 3 working days from Monday 10:00 end on Thursday at 10:00."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("calendar settings")
        verbose_name_plural = _("calendar settings")

    def __str__(self) -> str:
        return str(self.commune)


class ServiceRule(models.Model):
    """A commune's Tuesday "không viết" or Friday "không hẹn" rule (DESIGN.md §4)."""

    class Kind(models.TextChoices):
        FRIDAY_SAME_DAY = FRIDAY_SAME_DAY, _("Same-day return, no appointment (“không hẹn”)")
        TUESDAY_ASSISTED = TUESDAY_ASSISTED, _("Officers write the forms (“không viết”)")

    DEFAULT_WEEKDAYS = {FRIDAY_SAME_DAY: 4, TUESDAY_ASSISTED: 1}

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="service_rules"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    enabled = models.BooleanField(_("enabled"), default=False)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAY_CHOICES)
    cutoff = models.TimeField(
        _("cut-off"),
        null=True,
        blank=True,
        help_text=_(
            "Same-day rule: received at or before this time. Empty: until the close of office "
            "hours. Writing forms: before this time; empty: the whole working day."
        ),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    procedure_codes = models.JSONField(
        _("procedure codes"),
        default=list,
        blank=True,
        help_text=_(
            "Empty: the rule's default (same-day rule: every procedure decided in the commune "
            "with a limit of at most 3 working days). Otherwise only these codes, "
            'e.g. ["1.004873"].'
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service rule")
        verbose_name_plural = _("service rules")
        ordering = ["commune", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "kind"], name="service_rule_kind_unique"),
            models.CheckConstraint(
                name="service_rule_dates_in_order",
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.get_kind_display()}"

    def clean(self) -> None:
        codes = self.procedure_codes
        if codes is None:
            codes = self.procedure_codes = []
        if not isinstance(codes, list) or not all(
            isinstance(code, str) and code.strip() for code in codes
        ):
            raise ValidationError(
                {"procedure_codes": _('Give a list of procedure codes, e.g. ["1.004873"].')},
                code="invalid_codes",
            )
        self.procedure_codes = sorted({code.strip() for code in codes})
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValidationError(
                {"valid_to": _("The end date is before the start date.")}, code="dates_reversed"
            )


class CalendarVersion(models.Model):
    """One row whose counter goes up whenever any calendar data changes (see `calendars.py`)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("calendar version")
        verbose_name_plural = _("calendar version")

    def __str__(self) -> str:
        return str(self.version)
