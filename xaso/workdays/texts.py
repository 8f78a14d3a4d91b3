"""Words for people about working time, through gettext (the engine and rules hold only codes).

English msgids; the Vietnamese catalogue gives "2 ngày 3 giờ", "quá hạn 5 giờ" and so on.
"""

from functools import lru_cache

import holidays
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from .engine import WorkDuration


def format_work_duration(duration: WorkDuration) -> str:
    """ "2 days 3 hours", "1 day", "5 hours", "45 minutes"; "overdue by 2 hours".

    Minutes are shown only under one hour; every part is already rounded down by the engine.
    """
    days = ngettext("%(count)d day", "%(count)d days", duration.days) % {"count": duration.days}
    hours = ngettext("%(count)d hour", "%(count)d hours", duration.hours) % {
        "count": duration.hours
    }
    if duration.days and duration.hours:
        # Translators: a working-time duration made of days and hours, e.g. "2 days 3 hours".
        body = _("%(days)s %(hours)s") % {"days": days, "hours": hours}
    elif duration.days:
        body = days
    elif duration.hours:
        body = hours
    else:
        body = ngettext("%(count)d minute", "%(count)d minutes", duration.minutes) % {
            "count": duration.minutes
        }
    return _("overdue by %(duration)s") % {"duration": body} if duration.overdue else body


# Why assisted intake (the Tuesday "không viết" rule) is refused, by `rules.REASON_CODES`.
ASSISTED_INTAKE_ALLOWED = gettext_lazy(
    "Officers write the forms for the applicant today (the “we write for you” rule)."
)
ASSISTED_INTAKE_REASONS = {
    "no_proxy_writing": gettext_lazy(
        "The law does not allow someone else to write the forms of this procedure."
    ),
    "rule_disabled": gettext_lazy("The commune does not offer writing forms for applicants."),
    "not_covered": gettext_lazy(
        "This procedure is not on the list of procedures whose forms officers write."
    ),
    "not_in_force": gettext_lazy(
        "The rule on writing forms for applicants is not in force on this day."
    ),
    "not_rule_day": gettext_lazy("Officers write forms for applicants on another day of the week."),
    "not_working_day": gettext_lazy(
        "Today is a day off: officers do not write forms for applicants."
    ),
    "after_cutoff": gettext_lazy(
        "It is past the time until which officers write forms for applicants today."
    ),
}

# Why a date is or is not worked, by the engine's `DayInfo.reason` (without its holiday name).
DAY_REASONS = {
    "working_day": gettext_lazy("Working day"),
    "weekend": gettext_lazy("Weekend"),
    "public_holiday": gettext_lazy("Public holiday"),
    "day_off": gettext_lazy("Official day off"),
    "makeup_working_day": gettext_lazy("Make-up working day"),
}

# Messages for the engine's `CalendarError` codes (its own messages are for developers).
CALENDAR_ERRORS = {
    "unknown_unit": gettext_lazy(
        "Unknown time-limit unit: use working_days, working_hours or same_day."
    ),
    "negative_limit": gettext_lazy("A time limit cannot be negative."),
    "naive_datetime": gettext_lazy("Give the time with its time zone."),
    "out_of_range": gettext_lazy("This is outside the dates the calendar can count."),
    "invalid_office_hours": gettext_lazy(
        "Office periods must be in order, must not overlap and must not be empty."
    ),
    "no_office_hours": gettext_lazy("No office hours are defined for this date."),
    "conflicting_days": gettext_lazy("A date cannot be both a day off and a working day."),
    "invalid_interval": gettext_lazy("A dossier cannot resume before it was paused."),
    "unknown_resume_rule": gettext_lazy("Unknown rule for resuming the clock."),
    "unknown_rule_kind": gettext_lazy("Unknown service rule."),
    "invalid_weekday": gettext_lazy("The weekday must be 0 (Monday) to 6 (Sunday)."),
    "invalid_horizon": gettext_lazy("The calendar's last day precedes its first day."),
}


def calendar_error_message(code: str) -> str:
    return str(CALENDAR_ERRORS.get(code, gettext_lazy("The calendar cannot compute this.")))


@lru_cache(maxsize=64)
def _holiday_names(year: int, language: str) -> dict:
    return dict(holidays.country_holidays("VN", years=year, language=language))


def holiday_name(day, language: str | None = None) -> str:
    """The public holiday's name on `day` in the active language ('' if it is not one)."""
    language = language or get_language() or "vi"
    package_language = "vi" if language.startswith("vi") else "en_US"
    return _holiday_names(day.year, package_language).get(day, "")
