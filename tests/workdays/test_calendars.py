"""The per-commune calendar: data from the database, cached, and invalidated by every change."""

from datetime import date, datetime, time

import pytest

from xaso.core.audit import audit_verify
from xaso.core.errors import Conflict, InvalidInput, NotFound
from xaso.core.models import AuditEntry
from xaso.workdays import calendars
from xaso.workdays.engine import TZ, TimeLimit
from xaso.workdays.models import CalendarChange, CalendarVersion, ServiceRule
from xaso.workdays.rules import ProcedureTerms
from xaso.workdays.selectors import (
    assisted_intake_check,
    calendar_days,
    due_date_for_limit,
    due_date_for_procedure,
    working_time_remaining,
)
from xaso.workdays.services import (
    calendar_change_create,
    calendar_change_delete,
    calendar_settings_update,
    office_hours_replace,
    service_rule_update,
)
from xaso.workdays.texts import format_work_duration

THREE_DAYS = TimeLimit(3, "working_days")
MARITAL_STATUS = ProcedureTerms("1.004873", THREE_DAYS)


def at(day: str, clock: str = "00:00") -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=TZ)


def due(commune="T-A", received=("2026-03-02", "09:00"), limit=THREE_DAYS) -> datetime:
    return due_date_for_limit(commune=commune, received_at=at(*received), limit=limit).due_at


def test_due_date_on_the_commune_calendar(world, official_2026):
    answer = due_date_for_limit(
        commune=world.commune, received_at=at("2026-03-02", "09:00"), limit=THREE_DAYS
    )
    assert (answer.clock_starts_at, answer.due_at, answer.rule) == (
        at("2026-03-02", "09:00"),
        at("2026-03-05", "17:00"),
        None,
    )
    # across the New Year swap: Fri 2/1 off, Sat 10/1 worked
    assert due(received=("2025-12-31", "09:00"), limit=TimeLimit(2, "working_days")) == at(
        "2026-01-06", "17:00"
    )
    assert due(received=("2026-01-09", "09:00"), limit=TimeLimit(1, "working_days")) == at(
        "2026-01-10", "17:00"
    )


def test_a_second_due_date_for_the_commune_runs_no_query(
    world, official_2026, django_assert_num_queries
):
    due()
    with django_assert_num_queries(0):
        due(received=("2026-06-15", "14:00"))
        due_date_for_procedure(
            commune="T-A", terms=MARITAL_STATUS, received_at=at("2026-11-27", "10:00")
        )
        calendar_days(commune="T-A", first=date(2025, 12, 1), last=date(2026, 1, 31))


def test_communes_with_equal_inputs_share_one_calendar(world):
    first = calendars.commune_calendar("T-A", 2026)
    second = calendars.commune_calendar("T-B", 2026)
    assert first is not second and first.calendar is second.calendar
    office_hours_replace(
        actor=None,
        commune=world.other_commune,
        regimes=[{"periods": [(time(7, 30), time(11, 30))]}],
    )
    assert calendars.commune_calendar("T-B", 2026).calendar is not first.calendar


def test_a_change_through_the_service_moves_due_dates_at_once(world, official_2026):
    assert due() == at("2026-03-05", "17:00")
    change = calendar_change_create(
        actor=world.user("commune_admin"),
        date=date(2026, 3, 3),
        kind=CalendarChange.Kind.DAY_OFF,
        legal_reference="Quyết định thử nghiệm",
    )
    assert due() == at("2026-03-06", "17:00")
    calendar_change_delete(actor=None, change=change)
    assert due() == at("2026-03-05", "17:00")
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions[-2:] == ["calendar_change.create", "calendar_change.delete"]
    assert audit_verify() == []


def test_a_provincial_change_applies_to_that_province_only(world, official_2026):
    far = world.far_commune.code
    calendar_change_create(
        actor=None,
        date=date(2026, 3, 3),
        kind=CalendarChange.Kind.DAY_OFF,
        legal_reference="Quyết định của UBND tỉnh",
        province=world.province,
    )
    assert due("T-A") == at("2026-03-06", "17:00")
    assert due(far) == at("2026-03-05", "17:00")
    # a province's row replaces the national row of its date: here Sat 10/1/2026 is not worked
    calendar_change_create(
        actor=None,
        date=date(2026, 1, 12),
        kind=CalendarChange.Kind.DAY_OFF,
        legal_reference="x",
        province=world.province,
    )
    assert (
        calendar_days(commune="T-A", first=date(2026, 1, 12), last=date(2026, 1, 12))[0].working
        is False
    )
    assert (
        calendar_days(commune=far, first=date(2026, 1, 12), last=date(2026, 1, 12))[0].working
        is True
    )


def test_a_province_may_cancel_a_national_makeup_saturday(world, official_2026):
    # The province's own row for the same date wins over the national one (here: not worked).
    calendar_change_create(
        actor=None,
        date=date(2026, 1, 10),
        kind="day_off",
        legal_reference="x",
        province=world.province,
    )
    [day] = calendar_days(commune="T-A", first=date(2026, 1, 10), last=date(2026, 1, 10))
    assert day.reason == "day_off" and not day.working
    [day] = calendar_days(commune="T-C", first=date(2026, 1, 10), last=date(2026, 1, 10))
    assert day.reason == "makeup_working_day" and day.working


def test_office_hours_settings_and_rules_take_effect_at_once(world, official_2026):
    office_hours_replace(
        actor=None,
        commune=world.commune,
        regimes=[{"periods": [(time(7, 30), time(11, 30)), (time(13), time(17))]}],
    )
    # lunch 11:30-13:00 now: one working hour from 11:00 ends at 13:30 (not 14:00)
    assert due(received=("2026-03-02", "11:00"), limit=TimeLimit(1, "working_hours")) == at(
        "2026-03-02", "13:30"
    )
    assert due() == at("2026-03-05", "17:00")
    calendar_settings_update(actor=None, commune=world.commune, hour_for_hour=True)
    assert due() == at("2026-03-05", "09:00")
    office_hours_replace(actor=None, commune=world.commune, regimes=[])
    calendar_settings_update(
        actor=None, commune=world.commune, hour_for_hour=False, same_day_cutoff=time(11)
    )
    assert due(received=("2026-03-02", "11:15"), limit=TimeLimit(0, "same_day")) == at(
        "2026-03-03", "17:00"
    )
    friday = dict(commune="T-A", terms=MARITAL_STATUS, received_at=at("2026-03-06", "10:00"))
    assert due_date_for_procedure(**friday).rule is None
    service_rule_update(actor=None, commune=world.commune, kind="friday_same_day", enabled=True)
    assert due_date_for_procedure(**friday).due_at == at("2026-03-06", "17:00")
    assert due_date_for_procedure(**friday).rule == "friday_same_day"
    # the rule's cut-off is empty: until the close of office hours, whatever the commune's
    # same-day cut-off (11:00)
    afternoon = dict(friday, received_at=at("2026-03-06", "16:00"))
    assert due_date_for_procedure(**afternoon).rule == "friday_same_day"
    closed = dict(friday, received_at=at("2026-03-06", "17:00"))
    assert due_date_for_procedure(**closed).rule is None


def test_seasonal_office_hours_override_the_default(world):
    office_hours_replace(
        actor=None,
        commune=world.commune,
        regimes=[
            {
                "periods": [(time(6, 30), time(11)), (time(13, 30), time(17))],
                "valid_from": date(2026, 5, 1),
                "valid_to": date(2026, 9, 30),
            }
        ],
    )
    assert due(received=("2026-06-01", "06:45"), limit=TimeLimit(1, "working_hours")) == at(
        "2026-06-01", "07:45"
    )
    assert due(received=("2026-10-01", "06:45"), limit=TimeLimit(1, "working_hours")) == at(
        "2026-10-01", "08:00"
    )


def test_other_processes_follow_the_version_within_the_check_interval(world, settings):
    """A change committed by another process (no signal here) is seen at the next check."""
    assert due() == at("2026-03-05", "17:00")
    CalendarChange.objects.bulk_create(  # bulk_create sends no signal, like another process
        [CalendarChange(date=date(2026, 3, 3), kind="day_off", legal_reference="x")]
    )
    CalendarVersion.objects.update_or_create(pk=1, defaults={"version": 424242})
    assert due() == at("2026-03-05", "17:00")  # cached: checked less than 10 s ago
    settings.XASO_CALENDAR_CHECK_SECONDS = 0
    assert due() == at("2026-03-06", "17:00")


def test_remaining_time_in_words(world, official_2026):
    duration = working_time_remaining(
        commune="T-A", now=at("2026-03-02", "10:00"), due_at=at("2026-03-04", "13:00")
    )
    assert format_work_duration(duration) in ("2 days 1 hour", "2 ngày 1 giờ")


def test_assisted_intake_reason_in_words(world, official_2026):
    service_rule_update(actor=None, commune=world.commune, kind="tuesday_assisted", enabled=True)
    decision = assisted_intake_check(
        commune="T-A", terms=MARITAL_STATUS, at=at("2026-03-04", "09:00")
    )
    assert (decision.allowed, decision.reason_code) == (False, "not_rule_day")
    assert decision.reason


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"date": date(2026, 3, 4), "kind": "makeup_working_day"}, "invalid"),  # a Wednesday
        ({"date": date(2026, 3, 7), "kind": "day_off"}, "invalid"),  # a Saturday
        ({"date": date(2026, 3, 4), "kind": "holiday"}, "invalid"),
        ({"date": date(2026, 3, 4), "kind": "day_off", "legal_reference": ""}, "invalid"),
    ],
)
def test_bad_changes_are_refused(db, kwargs, code):
    kwargs.setdefault("legal_reference", "x")
    with pytest.raises(InvalidInput) as error:
        calendar_change_create(actor=None, **kwargs)
    assert error.value.code == code


def test_one_national_change_per_date(official_2026):
    with pytest.raises((Conflict, InvalidInput)):
        calendar_change_create(
            actor=None, date=date(2026, 1, 2), kind="day_off", legal_reference="x"
        )


@pytest.mark.parametrize(
    "regime",
    [
        {"periods": [(time(13), time(17)), (time(7), time(11))]},
        {"periods": [(time(7), time(12)), (time(11), time(17))]},
        {"periods": [(time(11), time(7))]},
        {"periods": []},
        {
            "periods": [(time(7), time(11))],
            "valid_from": date(2026, 5, 1),
            "valid_to": date(2026, 4, 1),
        },
    ],
)
def test_bad_office_hours_are_refused(world, regime):
    with pytest.raises(InvalidInput) as error:
        office_hours_replace(actor=None, commune=world.commune, regimes=[regime])
    assert error.value.code == "invalid_office_hours"


def test_bad_rules_are_refused(world):
    with pytest.raises(InvalidInput):
        service_rule_update(actor=None, commune=world.commune, kind="monday_magic", enabled=True)
    with pytest.raises(InvalidInput):
        service_rule_update(actor=None, commune=world.commune, kind="friday_same_day", weekday=9)
    with pytest.raises(InvalidInput):
        service_rule_update(
            actor=None, commune=world.commune, kind="friday_same_day", procedure_codes="1.004873"
        )
    assert not ServiceRule.objects.exists()


def test_unknown_commune_naive_time_and_far_years(world):
    with pytest.raises(NotFound) as error:
        due("nope")
    assert error.value.code == "commune_not_found"
    with pytest.raises(InvalidInput) as error:
        due_date_for_limit(commune="T-A", received_at=datetime(2026, 3, 2, 9), limit=THREE_DAYS)
    assert error.value.code == "naive_datetime"
    with pytest.raises(InvalidInput) as error:
        due(received=("2150-03-02", "09:00"))
    assert error.value.code == "out_of_range"
    with pytest.raises(InvalidInput) as error:
        due(limit=TimeLimit(2000, "working_days"))  # lands beyond the window
    assert error.value.code == "out_of_range"
