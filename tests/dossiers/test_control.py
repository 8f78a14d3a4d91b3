"""Form 06, the process-control slip: rows from events, and the early / on-time / late marks."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.dossiers.conftest import birth_answers, upload
from tests.helpers.registers import entered
from xaso.dossiers import services
from xaso.dossiers.control import (
    DONE,
    EARLY,
    HOURS,
    LATE,
    LEADER,
    ON_TIME,
    PERCENT,
    RECEPTION,
    RETURN,
    SHARE,
    SPECIALIST,
    EventFact,
    Parties,
    advance,
    budget_mode,
    control_rows,
    control_slip,
    mark_for,
    step_budgets,
)
from xaso.dossiers.submission import dossier_submit
from xaso.workdays.engine import WorkCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Office 7:00–11:30 and 13:30–17:00; Tuesday 24/11/2026 is a public holiday (Culture Day).
CALENDAR = WorkCalendar(
    first_day=date(2026, 1, 1),
    last_day=date(2026, 12, 31),
    public_holidays={date(2026, 11, 24): "Ngày Văn hóa Việt Nam"},
)
PARTIES = Parties(
    applicant="Y Bhiơ Niê", desk="Bộ phận Một cửa", leader="Lãnh đạo", specialist="Chuyên viên",
    system="xaso",
)  # fmt: skip
# A procedure in working days (1.004873: 4 + 8 + 8 + 4 working hours) and a same-day one (%).
HOUR_STEPS = [("reception", 4), ("specialist", 8), ("leader", 8), ("return", 4)]
PERCENT_STEPS = [("reception", 10), ("specialist", 50), ("leader", 25), ("return", 15)]


def vn(*parts) -> datetime:
    return datetime(*parts, tzinfo=VN)


def event(action, at, actor=None, to="", to_state="processing") -> EventFact:
    return EventFact(action=action, at=at, actor=actor, to=to, to_state=to_state)


# --- office time ----------------------------------------------------------------------------


def test_advance_counts_office_time_only():
    # Over lunch, over the night, over a weekend, over a public holiday.
    assert advance(CALENDAR, vn(2026, 11, 25, 10, 30), 2 * 3600) == vn(2026, 11, 25, 14, 30)
    assert advance(CALENDAR, vn(2026, 11, 25, 16, 0), 2 * 3600) == vn(2026, 11, 26, 8, 0)
    assert advance(CALENDAR, vn(2026, 11, 27, 16, 0), 2 * 3600) == vn(2026, 11, 30, 8, 0)
    assert advance(CALENDAR, vn(2026, 11, 23, 16, 0), 2 * 3600) == vn(2026, 11, 25, 8, 0)
    # Outside office hours the count starts with the next period; an exact end stays the end.
    assert advance(CALENDAR, vn(2026, 11, 25, 12, 0), 3600) == vn(2026, 11, 25, 14, 30)
    assert advance(CALENDAR, vn(2026, 11, 25, 7, 0), 4.5 * 3600) == vn(2026, 11, 25, 11, 30)
    # Beyond the calendar's horizon: no deadline.
    assert advance(CALENDAR, vn(2026, 12, 31, 16, 0), 8 * 3600) is None


def test_advance_skips_pauses():
    pause = [(vn(2026, 11, 25, 9, 0), vn(2026, 11, 25, 14, 0))]  # 2 h 30 + 30 min of office
    assert advance(CALENDAR, vn(2026, 11, 25, 8, 0), 2 * 3600, skip=pause) == vn(
        2026, 11, 25, 15, 0
    )
    still_paused = [(vn(2026, 11, 25, 9, 0), None)]
    assert advance(CALENDAR, vn(2026, 11, 25, 8, 0), 2 * 3600, skip=still_paused) is None


def test_the_three_marks_and_their_boundaries():
    deadline = vn(2026, 11, 26, 10, 0)
    assert mark_for(vn(2026, 11, 26, 10, 0), deadline) == ON_TIME  # at the deadline
    assert mark_for(vn(2026, 11, 26, 7, 0), deadline) == ON_TIME  # same working day
    assert mark_for(vn(2026, 11, 25, 16, 59), deadline) == EARLY  # an earlier working day
    assert mark_for(vn(2026, 11, 26, 10, 0, 1), deadline) == LATE
    assert mark_for(vn(2026, 11, 26, 10, 0), None) is None


def test_budgets_in_hours_percent_and_share():
    assert step_budgets(HOUR_STEPS, mode=HOURS) == {
        "reception": 4 * 3600.0, "specialist": 8 * 3600.0, "leader": 8 * 3600.0,
        "return": 4 * 3600.0,
    }  # fmt: skip
    seven_hours = 7 * 3600
    assert step_budgets(PERCENT_STEPS, mode=PERCENT, window_seconds=seven_hours) == {
        "reception": 2520.0, "specialist": 12600.0, "leader": 6300.0, "return": 3780.0,
    }  # fmt: skip
    # The Friday rule shortened a 3-working-day procedure to the day: shares of 24 h.
    shares = step_budgets(HOUR_STEPS, mode=SHARE, window_seconds=seven_hours)
    assert shares["specialist"] == pytest.approx(seven_hours / 3)
    assert sum(shares.values()) == pytest.approx(seven_hours)
    # Two rows of one step add up; Decimal budgets (as stored) work.
    assert step_budgets([("leader", Decimal("1.5")), ("leader", Decimal("0.5"))], mode=HOURS) == {
        "leader": 7200.0
    }
    assert step_budgets(PERCENT_STEPS, mode=PERCENT, window_seconds=None) == {}
    assert budget_mode(limit_unit="same_day", due_rule="") == PERCENT
    assert budget_mode(limit_unit="working_days", due_rule="friday_same_day") == SHARE
    assert budget_mode(limit_unit="working_days", due_rule="") == HOURS


# --- rows -----------------------------------------------------------------------------------


def test_a_working_days_dossier_gets_one_row_per_hand_over_with_all_three_marks():
    events = [
        event("intake", vn(2026, 11, 30, 9, 0), "Cán bộ Một cửa", to_state="received"),
        event("assign", vn(2026, 11, 30, 9, 30), None, to="Chuyên viên Hộ tịch"),  # automatic
        event("propose", vn(2026, 12, 1, 10, 0), "Chuyên viên Hộ tịch", to_state="awaiting"),
        event("approve", vn(2026, 12, 1, 16, 0), "Phó Chủ tịch", to_state="result_ready"),
        event("return", vn(2026, 12, 2, 10, 0), "Cán bộ Một cửa", to_state="returned"),
    ]
    slip = control_rows(
        events, budgets=step_budgets(HOUR_STEPS, mode=HOURS), calendar=CALENDAR, parties=PARTIES
    )
    assert [(r.giver, r.receiver) for r in slip.rows] == [
        ("Y Bhiơ Niê", "Cán bộ Một cửa"),
        ("Cán bộ Một cửa", "Chuyên viên Hộ tịch"),  # the automatic hand-over: from the desk
        ("Chuyên viên Hộ tịch", "Phó Chủ tịch"),  # the leader who then signed
        ("Phó Chủ tịch", "Cán bộ Một cửa"),  # the officer who then returned it
        ("Cán bộ Một cửa", "Y Bhiơ Niê"),
    ]
    assert [r.step for r in slip.rows] == [None, RECEPTION, SPECIALIST, LEADER, RETURN]
    assert [r.enters for r in slip.rows] == [RECEPTION, SPECIALIST, LEADER, RETURN, DONE]
    assert [r.deadline for r in slip.rows] == [
        None,
        vn(2026, 11, 30, 15, 0),  # 9:00 + 4 h (2 h 30 in the morning)
        vn(2026, 12, 1, 9, 30),  # Monday 9:30 + 8 h
        vn(2026, 12, 2, 10, 0),  # Tuesday 10:00 + 8 h
        vn(2026, 12, 2, 10, 0),  # Tuesday 16:00 + 4 h
    ]
    assert [r.mark for r in slip.rows] == [None, ON_TIME, LATE, EARLY, ON_TIME]
    assert [r.number for r in slip.rows] == [1, 2, 3, 4, 5]
    assert slip.current_step is None  # returned: nothing open


def test_a_same_day_procedure_shares_the_days_office_time():
    # Received Wednesday 8:00, due 17:00: 7 h of office time to share 10/50/25/15 %.
    window = CALENDAR.working_seconds_between(vn(2026, 11, 25, 8, 0), vn(2026, 11, 25, 17, 0))
    budgets = step_budgets(PERCENT_STEPS, mode=PERCENT, window_seconds=window)
    events = [
        event("intake", vn(2026, 11, 25, 8, 0), "Cán bộ Một cửa", to_state="received"),
        event("assign", vn(2026, 11, 25, 8, 10), None, to="Chuyên viên Hộ tịch"),
        event("propose", vn(2026, 11, 25, 14, 0), "Chuyên viên Hộ tịch"),
        event("approve", vn(2026, 11, 25, 15, 0), None),
        event("return", vn(2026, 11, 25, 16, 0), None),
    ]
    slip = control_rows(events, budgets=budgets, calendar=CALENDAR, parties=PARTIES)
    assert [r.deadline for r in slip.rows] == [
        None,
        vn(2026, 11, 25, 8, 42),  # 10 % of 7 h = 42 min
        vn(2026, 11, 25, 13, 40),  # 8:10 + 3 h 30, over lunch
        vn(2026, 11, 25, 15, 45),  # 14:00 + 1 h 45
        vn(2026, 11, 25, 16, 3),  # 15:00 + 63 min
    ]
    assert [r.mark for r in slip.rows] == [None, ON_TIME, LATE, ON_TIME, ON_TIME]
    # Nobody is named for the system's steps: the parties' labels stand in.
    assert (slip.rows[3].giver, slip.rows[3].receiver) == ("Lãnh đạo", "Bộ phận Một cửa")
    assert (slip.rows[4].giver, slip.rows[4].receiver) == ("xaso", "Y Bhiơ Niê")


def test_a_same_day_dossier_received_after_the_cut_off_can_finish_a_step_early():
    # Received Wednesday 16:00, due Thursday 17:00: 1 h + 8 h of office time.
    window = CALENDAR.working_seconds_between(vn(2026, 11, 25, 16, 0), vn(2026, 11, 26, 17, 0))
    assert window == 9 * 3600
    budgets = step_budgets(PERCENT_STEPS, mode=PERCENT, window_seconds=window)
    events = [
        event("intake", vn(2026, 11, 25, 16, 0), "Cán bộ Một cửa", to_state="received"),
        event("assign", vn(2026, 11, 25, 16, 10), "Cán bộ Một cửa", to="Chuyên viên"),
        event("propose", vn(2026, 11, 25, 16, 50), "Chuyên viên"),
    ]
    slip = control_rows(events, budgets=budgets, calendar=CALENDAR, parties=PARTIES)
    assert slip.rows[2].deadline == vn(2026, 11, 26, 10, 40)  # 4 h 30: 50 min, then 3 h 40
    assert slip.rows[2].mark == EARLY
    # Still open: the leader's step runs, with its deadline (25 % = 2 h 15 from 16:50).
    assert (slip.current_step, slip.current_deadline) == (LEADER, vn(2026, 11, 26, 9, 5))


def test_hand_overs_inside_a_step_keep_its_deadline_and_a_send_back_opens_a_new_pass():
    budgets = step_budgets(HOUR_STEPS, mode=HOURS)
    events = [
        event("receive", vn(2026, 11, 30, 9, 0), "Cán bộ", to_state="received"),
        event("assign", vn(2026, 11, 30, 9, 0), "Phó Chủ tịch", to="Chuyên viên A"),
        event("handover", vn(2026, 11, 30, 16, 0), "Chuyên viên A", to="Chuyên viên B"),
        event("propose", vn(2026, 12, 1, 9, 0), "Chuyên viên B", to_state="awaiting"),
        event("send_back", vn(2026, 12, 1, 10, 0), "Phó Chủ tịch"),
        event("deny", vn(2026, 12, 3, 9, 0), "Chuyên viên B", to_state="awaiting"),
    ]
    slip = control_rows(events, budgets=budgets, calendar=CALENDAR, parties=PARTIES)
    handover, propose, send_back, deny = slip.rows[2:]
    assert (handover.giver, handover.receiver, handover.step) == (
        "Chuyên viên A", "Chuyên viên B", SPECIALIST,
    )  # fmt: skip
    assert handover.deadline == propose.deadline == vn(2026, 12, 1, 9, 0)  # 9:00 + 8 h
    assert (handover.mark, propose.mark) == (EARLY, ON_TIME)
    # The leader had never acted before the proposal: the next leader to act is named.
    assert propose.receiver == "Phó Chủ tịch"
    assert (send_back.giver, send_back.receiver, send_back.step) == (
        "Phó Chủ tịch", "Chuyên viên B", LEADER,
    )  # fmt: skip
    # Back to the specialist: a new pass with the full 8 h from Tuesday 10:00.
    assert (deny.step, deny.deadline, deny.mark) == (SPECIALIST, vn(2026, 12, 2, 10, 0), LATE)
    assert slip.current_step == LEADER


def test_time_paused_for_a_supplement_does_not_count():
    budgets = step_budgets(HOUR_STEPS, mode=HOURS)
    events = [
        event("intake", vn(2026, 11, 30, 9, 0), "Cán bộ", to_state="received"),
        event("assign", vn(2026, 11, 30, 9, 0), None, to="Chuyên viên"),
        event("request_supplement", vn(2026, 11, 30, 10, 0), "Chuyên viên", to_state="paused"),
        event("resume", vn(2026, 12, 2, 10, 0), "Cán bộ"),
        event("propose", vn(2026, 12, 3, 8, 0), "Chuyên viên", to_state="awaiting"),
    ]
    slip = control_rows(events, budgets=budgets, calendar=CALENDAR, parties=PARTIES)
    assert len(slip.rows) == 3  # the pause and the resume are not hand-overs
    propose = slip.rows[-1]
    # 1 h before the pause, then 7 h from Wednesday 10:00 (5 h that day): Thursday 9:00.
    assert propose.deadline == vn(2026, 12, 3, 9, 0)
    assert (propose.mark, propose.paused) == (ON_TIME, True)


def test_no_rows_before_the_dossier_is_received():
    events = [event("submit", vn(2026, 11, 30, 9, 0), None, to_state="submitted")]
    slip = control_rows(events, budgets={}, calendar=CALENDAR, parties=PARTIES)
    assert slip.rows == () and slip.current_step is None


def test_a_step_without_a_budget_has_no_mark():
    events = [
        event("intake", vn(2026, 11, 30, 9, 0), "Cán bộ", to_state="received"),
        event("assign", vn(2026, 11, 30, 9, 30), None, to="Chuyên viên"),
    ]
    slip = control_rows(events, budgets={}, calendar=CALENDAR, parties=PARTIES)
    assert [(r.deadline, r.mark) for r in slip.rows] == [(None, None), (None, None)]


# --- from the database ----------------------------------------------------------------------


def test_control_slip_of_a_birth_registration_driven_through_the_services(demo, at):
    at(2026, 11, 25, 8, 0)  # Wednesday: due 17:00, 7 h of office time
    dossier = dossier_submit(
        actor=demo["reception"], procedure_code="1.001193", commune_code="DEMO-PL",
        channel="counter", applicant={"full_name": "Y Bhiơ Niê", "phone": "0912345678"},
        answers=birth_answers(upload("control-1")), receive=True,
    ).dossier  # fmt: skip
    at(2026, 11, 25, 14, 0)
    dossier = entered(services.dossier_propose(actor=demo["specialist"], dossier=dossier))
    at(2026, 11, 25, 14, 30)
    dossier = services.dossier_approve(actor=demo["leader"], dossier=dossier)
    at(2026, 11, 25, 15, 0)
    dossier = services.dossier_return(actor=demo["reception"], dossier=dossier, channel="counter")

    slip = control_slip(dossier)
    desk = "Cán bộ Một cửa (demo)"
    specialist = "Công chức Tư pháp – Hộ tịch (demo)"
    leader = "Phó Chủ tịch UBND xã (demo)"
    assert [(r.giver, r.receiver) for r in slip.rows] == [
        ("Y Bhiơ Niê", desk),
        (desk, specialist),  # the demo's default specialist, assigned on receipt
        (specialist, leader),
        (leader, desk),
        (desk, "Y Bhiơ Niê"),
    ]
    assert [r.deadline for r in slip.rows] == [
        None,
        vn(2026, 11, 25, 8, 42),
        vn(2026, 11, 25, 11, 30),  # 8:00 + 3 h 30
        vn(2026, 11, 25, 15, 45),  # 14:00 + 1 h 45
        vn(2026, 11, 25, 15, 33),  # 14:30 + 63 min
    ]
    assert [r.mark for r in slip.rows] == [None, ON_TIME, LATE, ON_TIME, ON_TIME]


def test_an_unreceived_dossier_has_an_empty_slip(demo, at):
    at(2026, 11, 25, 8, 0)
    dossier = dossier_submit(
        actor=None, procedure_code="1.001193", commune_code="DEMO-PL", channel="online",
        applicant={"full_name": "Y Bhiơ Niê", "phone": "0912345678"},
        answers=birth_answers(upload("control-2")),
    ).dossier  # fmt: skip
    assert control_slip(dossier).rows == ()
