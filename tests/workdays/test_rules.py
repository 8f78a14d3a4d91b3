"""The Friday "không hẹn" and Tuesday "không viết" rules on the real 2026 calendar."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from tests.helpers.calendar_2026 import DAYS_OFF_2026, MAKEUP_2026
from xaso.workdays.engine import TZ, CalendarError, TimeLimit, WorkCalendar
from xaso.workdays.rules import (
    REASON_CODES,
    ProcedureTerms,
    ServiceRule,
    assisted_intake_check,
    compute_due,
)

MARITAL_STATUS = ProcedureTerms("1.004873", TimeLimit(3, "working_days"))
COPY_CERTIFICATION = ProcedureTerms("2.000815", TimeLimit(2, "working_hours"))
# Decided by the commune police: received and forwarded, never on the Friday board.
PERMANENT_RESIDENCE = ProcedureTerms(
    "1.004222", TimeLimit(7, "working_days"), decided_in_commune=False
)
SIGNATURE_CERTIFICATION = ProcedureTerms(
    "2.000884", TimeLimit(0, "same_day"), no_proxy_writing=True
)
PARENTAGE = ProcedureTerms(
    "1.000689", TimeLimit(3, "working_days"), verification_limit=TimeLimit(8, "working_days")
)
RE_REGISTRATION = ProcedureTerms("1.004884", TimeLimit(5, "working_days"))

FRIDAY = ServiceRule("friday_same_day", enabled=True, weekday=4, cutoff=time(10))
FRIDAY_DEFAULT = ServiceRule("friday_same_day", enabled=True, weekday=4)
TUESDAY = ServiceRule("tuesday_assisted", enabled=True, weekday=1)


def at(day: str, clock: str = "00:00") -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=TZ)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.for_years(
        2026, 2027, days_off=DAYS_OFF_2026, makeup_working_days=MAKEUP_2026
    )


# --- Friday "không hẹn" --------------------------------------------------------------------

FRIDAY_RULE = "friday_same_day"


@pytest.mark.parametrize(
    ("terms", "received", "rules", "due", "rule"),
    [
        # before the rule's cut-off: due at the close of that Friday, whatever the statutory limit
        (MARITAL_STATUS, ("2026-03-06", "09:59"), [FRIDAY], ("2026-03-06", "17:00"), FRIDAY_RULE),
        (MARITAL_STATUS, ("2026-03-06", "06:30"), [FRIDAY], ("2026-03-06", "17:00"), FRIDAY_RULE),
        # the cut-off itself is still before it
        (MARITAL_STATUS, ("2026-03-06", "10:00"), [FRIDAY], ("2026-03-06", "17:00"), FRIDAY_RULE),
        # the last Friday before Lunar New Year
        (MARITAL_STATUS, ("2026-02-13", "09:00"), [FRIDAY], ("2026-02-13", "17:00"), FRIDAY_RULE),
        # after the cut-off: the statutory limit, three working days after Friday, at the close
        (MARITAL_STATUS, ("2026-03-06", "10:01"), [FRIDAY], ("2026-03-11", "17:00"), None),
        # decided elsewhere: not on the default list
        (PERMANENT_RESIDENCE, ("2026-03-06", "08:00"), [FRIDAY], ("2026-03-17", "17:00"), None),
        # a statutory limit above 3 working days: not on the default list
        (RE_REGISTRATION, ("2026-03-06", "08:00"), [FRIDAY], ("2026-03-13", "17:00"), None),
        # Friday 1/5/2026 is a holiday: no rule; the clock starts on Monday 4/5, the receipt
        # day, and the three working days after it end at the close of Thursday 7/5
        (MARITAL_STATUS, ("2026-05-01", "09:00"), [FRIDAY], ("2026-05-07", "17:00"), None),
        # not a Friday
        (MARITAL_STATUS, ("2026-03-05", "09:00"), [FRIDAY], ("2026-03-10", "17:00"), None),
        # no rules at all
        (MARITAL_STATUS, ("2026-03-06", "09:00"), [], ("2026-03-11", "17:00"), None),
        # a shorter statutory limit is kept (the rule never slows service down)
        (COPY_CERTIFICATION, ("2026-03-06", "08:00"), [FRIDAY], ("2026-03-06", "10:00"),
         FRIDAY_RULE),
    ],
)  # fmt: skip
def test_friday_rule(
    cal: WorkCalendar,
    terms: ProcedureTerms,
    received: tuple[str, str],
    rules: list[ServiceRule],
    due: tuple[str, str],
    rule: str | None,
) -> None:
    result = compute_due(cal, terms, at(*received), rules)
    assert result.due_at == at(*due)
    assert result.rule == rule
    assert result.clock_starts_at == cal.clock_start(at(*received))


@pytest.mark.parametrize(
    ("rule", "applies"),
    [
        (FRIDAY, True),
        (ServiceRule("friday_same_day", enabled=False, weekday=4, cutoff=time(10)), False),
        (ServiceRule("friday_same_day", True, 4, time(10), valid_from=date(2026, 4, 1)), False),
        (ServiceRule("friday_same_day", True, 4, time(10), valid_to=date(2026, 3, 5)), False),
        (ServiceRule("friday_same_day", True, 4, time(10), valid_to=date(2026, 3, 6)), True),
        (ServiceRule("friday_same_day", True, 4, time(10), procedure_codes=frozenset({"1.004873"})),
         True),
        (ServiceRule("friday_same_day", True, 4, time(10), procedure_codes=frozenset({"2.000815"})),
         False),
        (FRIDAY_DEFAULT, True),
        # a Tuesday rule never changes a due date
        (ServiceRule("tuesday_assisted", True, 4), False),
    ],
)  # fmt: skip
def test_friday_rule_configuration(cal: WorkCalendar, rule: ServiceRule, applies: bool) -> None:
    result = compute_due(cal, MARITAL_STATUS, at("2026-03-06", "09:00"), [rule])
    expected = at("2026-03-06", "17:00") if applies else at("2026-03-11", "17:00")
    assert result.due_at == expected
    assert (result.rule == FRIDAY_RULE) is applies


def test_the_commune_list_replaces_the_default(cal: WorkCalendar) -> None:
    listed = ServiceRule("friday_same_day", True, 4, procedure_codes=frozenset({"1.004884"}))
    assert compute_due(cal, RE_REGISTRATION, at("2026-03-06", "09:00"), [listed]).rule == (
        FRIDAY_RULE
    )
    assert compute_due(cal, MARITAL_STATUS, at("2026-03-06", "09:00"), [listed]).rule is None


def test_without_a_cut_off_of_its_own_the_rule_runs_until_closing(cal: WorkCalendar) -> None:
    # The same-day cut-off (15:00) is not the Friday rule's: a dossier at 16:59 is served.
    for clock in ("14:59", "15:00", "15:01", "16:59"):
        result = compute_due(cal, MARITAL_STATUS, at("2026-03-06", clock), [FRIDAY_DEFAULT])
        assert (result.due_at, result.rule) == (at("2026-03-06", "17:00"), FRIDAY_RULE), clock
    closing = compute_due(cal, MARITAL_STATUS, at("2026-03-06", "17:00"), [FRIDAY_DEFAULT])
    assert (closing.due_at, closing.rule) == (at("2026-03-12", "17:00"), None)


def test_a_dossier_received_with_verification_is_not_on_the_friday_board(
    cal: WorkCalendar,
) -> None:
    plain = compute_due(cal, PARENTAGE, at("2026-12-04", "09:00"), [FRIDAY_DEFAULT])
    assert (plain.due_at, plain.rule) == (at("2026-12-04", "17:00"), FRIDAY_RULE)
    verified = compute_due(cal, PARENTAGE.verified(), at("2026-12-04", "09:00"), [FRIDAY_DEFAULT])
    # 8 working days after Friday 4/12: Mon 7 … Wed 16/12, at the close
    assert (verified.due_at, verified.rule) == (at("2026-12-16", "17:00"), None)


def test_only_a_procedure_with_a_limit_with_verification_can_be_verified() -> None:
    with pytest.raises(CalendarError) as raised:
        MARITAL_STATUS.verified()
    assert raised.value.code == "no_verification_limit"


def test_friday_rule_never_after_closing(cal: WorkCalendar) -> None:
    late = ServiceRule("friday_same_day", True, 4, cutoff=time(23))
    result = compute_due(cal, MARITAL_STATUS, at("2026-03-06", "17:30"), [late])
    assert result.rule is None
    assert result.due_at == at("2026-03-12", "17:00")


# --- Tuesday "không viết" ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "moment", "rules", "reason_code"),
    [
        (MARITAL_STATUS, ("2026-03-03", "09:00"), [TUESDAY], None),
        # any time of the working day, not only inside office periods
        (MARITAL_STATUS, ("2026-03-03", "12:00"), [TUESDAY], None),
        (MARITAL_STATUS, ("2026-03-03", "18:00"), [TUESDAY], None),
        (SIGNATURE_CERTIFICATION, ("2026-03-03", "09:00"), [TUESDAY], "no_proxy_writing"),
        (MARITAL_STATUS, ("2026-03-04", "09:00"), [TUESDAY], "not_rule_day"),
        # Tuesday 24/11/2026 is Vietnamese Culture Day
        (MARITAL_STATUS, ("2026-11-24", "09:00"), [TUESDAY], "not_working_day"),
        (MARITAL_STATUS, ("2026-03-03", "09:00"), [], "rule_disabled"),
        (MARITAL_STATUS, ("2026-03-03", "09:00"),
         [ServiceRule("tuesday_assisted", enabled=False, weekday=1)], "rule_disabled"),
        (MARITAL_STATUS, ("2026-03-03", "09:00"),
         [ServiceRule("tuesday_assisted", True, 1, procedure_codes=frozenset({"1.004222"}))],
         "not_covered"),
        (PERMANENT_RESIDENCE, ("2026-03-03", "09:00"),
         [ServiceRule("tuesday_assisted", True, 1, procedure_codes=frozenset({"1.004222"}))],
         None),
        (MARITAL_STATUS, ("2026-03-03", "09:00"),
         [ServiceRule("tuesday_assisted", True, 1, valid_from=date(2026, 6, 1))], "not_in_force"),
        (MARITAL_STATUS, ("2026-03-03", "11:00"),
         [ServiceRule("tuesday_assisted", True, 1, cutoff=time(11))], "after_cutoff"),
        (MARITAL_STATUS, ("2026-03-03", "10:59"),
         [ServiceRule("tuesday_assisted", True, 1, cutoff=time(11))], None),
        # several rules: one allowing is enough; otherwise the rule that got furthest explains
        (MARITAL_STATUS, ("2026-03-03", "09:00"),
         [ServiceRule("tuesday_assisted", True, 1, valid_to=date(2026, 1, 31)), TUESDAY], None),
        (MARITAL_STATUS, ("2026-03-04", "09:00"),
         [ServiceRule("tuesday_assisted", True, 1, valid_to=date(2026, 1, 31)), TUESDAY],
         "not_rule_day"),
    ],
)  # fmt: skip
def test_tuesday_rule(
    cal: WorkCalendar,
    terms: ProcedureTerms,
    moment: tuple[str, str],
    rules: list[ServiceRule],
    reason_code: str | None,
) -> None:
    decision = assisted_intake_check(terms, at(*moment), rules, cal)
    assert decision.allowed is (reason_code is None)
    assert decision.reason_code == reason_code
    assert reason_code is None or reason_code in REASON_CODES


def test_tuesday_rule_needs_an_aware_datetime(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarError) as exc:
        assisted_intake_check(MARITAL_STATUS, datetime(2026, 3, 3, 9), [TUESDAY], cal)
    assert exc.value.code == "naive_datetime"


@pytest.mark.parametrize(
    ("kind", "weekday", "code"),
    [("monday_magic", 0, "unknown_rule_kind"), ("friday_same_day", 7, "invalid_weekday")],
)
def test_bad_rules(kind: str, weekday: int, code: str) -> None:
    with pytest.raises(CalendarError) as exc:
        ServiceRule(kind, True, weekday)
    assert exc.value.code == code
