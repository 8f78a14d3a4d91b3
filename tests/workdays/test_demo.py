"""The demo commune works the Phú Lộc way: Friday "không hẹn", Tuesday "không viết"."""

from datetime import date, datetime, time

import pytest
from django.core.management import call_command

from xaso.workdays.engine import TZ, TimeLimit
from xaso.workdays.models import CalendarSettings, ServiceRule
from xaso.workdays.rules import ProcedureTerms
from xaso.workdays.selectors import assisted_intake_check, due_date_for_procedure
from xaso.workdays.services import service_rule_update

DEMO = "DEMO-PL"
MARITAL_STATUS = ProcedureTerms("1.004873", TimeLimit(3, "working_days"))
# Decided elsewhere (the commune receives and forwards): never on the Friday board.
LAND_CHANGE = ProcedureTerms("1.000000", TimeLimit(3, "working_days"), decided_in_commune=False)
NO_PROXY = ProcedureTerms("2.000000", TimeLimit(1, "working_days"), no_proxy_writing=True)


def at(day: str, clock: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=TZ)


@pytest.fixture
def demo(db, official_2026):
    call_command("seed_demo")


def test_the_demo_commune_has_both_rules(demo):
    rules = {rule.kind: rule for rule in ServiceRule.objects.filter(commune__code=DEMO)}
    assert (rules["friday_same_day"].enabled, rules["friday_same_day"].weekday) == (True, 4)
    assert rules["friday_same_day"].cutoff is None  # until the close of office hours
    assert rules["friday_same_day"].procedure_codes == []  # the default list
    assert (rules["tuesday_assisted"].enabled, rules["tuesday_assisted"].weekday) == (True, 1)
    assert CalendarSettings.objects.get(commune__code=DEMO).same_day_cutoff == time(15)
    assert not ServiceRule.objects.filter(commune__code="DEMO-TN").exists()


def test_friday_no_appointment(demo):
    friday = due_date_for_procedure(
        commune=DEMO, terms=MARITAL_STATUS, received_at=at("2026-11-27", "10:00")
    )
    assert (friday.due_at, friday.rule) == (at("2026-11-27", "17:00"), "friday_same_day")
    afternoon = due_date_for_procedure(
        commune=DEMO, terms=MARITAL_STATUS, received_at=at("2026-11-27", "16:30")
    )
    assert (afternoon.due_at, afternoon.rule) == (at("2026-11-27", "17:00"), "friday_same_day")
    after_closing = due_date_for_procedure(
        commune=DEMO, terms=MARITAL_STATUS, received_at=at("2026-11-27", "17:00")
    )
    # received at closing: the clock starts Monday; three working days after it, at the close
    assert (after_closing.due_at, after_closing.rule) == (at("2026-12-03", "17:00"), None)
    not_eligible = due_date_for_procedure(
        commune=DEMO, terms=LAND_CHANGE, received_at=at("2026-11-27", "10:00")
    )
    assert (not_eligible.due_at, not_eligible.rule) == (at("2026-12-02", "17:00"), None)


def test_tuesday_we_write_for_you(demo):
    allowed = assisted_intake_check(
        commune=DEMO, terms=MARITAL_STATUS, at=at("2026-12-01", "09:00")
    )
    assert (allowed.allowed, allowed.reason_code) == (True, None)
    holiday = assisted_intake_check(
        commune=DEMO, terms=MARITAL_STATUS, at=at("2026-11-24", "09:00")
    )
    assert (holiday.allowed, holiday.reason_code) == (False, "not_working_day")
    assert holiday.reason
    barred = assisted_intake_check(commune=DEMO, terms=NO_PROXY, at=at("2026-12-01", "09:00"))
    assert (barred.allowed, barred.reason_code) == (False, "no_proxy_writing")


def test_seeding_again_keeps_the_communes_own_changes(demo):
    demo_commune = ServiceRule.objects.get(commune__code=DEMO, kind="friday_same_day").commune
    service_rule_update(actor=None, commune=demo_commune, kind="friday_same_day", enabled=False)
    call_command("seed_demo")
    assert not ServiceRule.objects.get(commune__code=DEMO, kind="friday_same_day").enabled
    assert ServiceRule.objects.filter(commune__code=DEMO).count() == 2
