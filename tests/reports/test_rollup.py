"""The monthly roll-up (reports/rollup.py) gives the index the live computation gives: on the
hand-computed fixture over periods that read it whole, in part, or measured later than the month
(dossiers that became late since, a complaint filed the month after), and on random dossiers."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.clock import VN, clock_from
from tests.reports import fixture
from tests.reports.test_index import OCTOBER, TOTAL
from xaso.catalog.models import Procedure
from xaso.dossiers.models import Dossier
from xaso.feedback.models import Feedback
from xaso.reports.counters import Period, counters_for
from xaso.reports.measures import index_compute
from xaso.reports.models import MonthlyRollup, RollupBuild, RollupPending
from xaso.reports.rollup import rollup_rebuild, rollup_refresh
from xaso.reports.selectors import area_for, definition_for, index_for

pytestmark = pytest.mark.django_db

DECEMBER_15 = datetime(2026, 12, 15, 10, tzinfo=VN)


def both(commune_ids, period: Period):
    """The index from the roll-up and computed live, with how many parts went live."""
    definition = definition_for(period.first)
    rolled = index_compute(definition, counters_for(commune_ids, period))
    live = index_compute(definition, counters_for(commune_ids, period, live=True))
    return rolled, live


def as_table(result):
    return {i.code: (i.numerator, i.denominator, i.points) for i in result.indicators()}


def complaint(world, dossier: Dossier, filed: datetime) -> Feedback:
    found = Feedback(
        code=f"PA-{dossier.code}", code_key=f"PA{dossier.pk}", commune=world.commune,
        category="other", text="Chậm trả kết quả", phone="0912345678", dossier=dossier,
        state="received", filed_at=filed, classify_due_at=filed, ask_due_at=filed,
        answer_due_at=filed + timedelta(days=10),
    )  # fmt: skip
    found.lookup_secret = "secret"
    found.save()
    return found


def test_the_fixture_read_from_the_roll_up_is_the_hand_computed_index(world):
    fixture.build(world)
    with clock_from(DECEMBER_15, ticking=False):
        assert rollup_rebuild(first=date(2026, 9, 1), last=date(2026, 11, 30)) > 0
        result = index_for(area_for(world.user("leader"), commune="T-A"), OCTOBER)
        assert str(result.total) == TOTAL
        assert MonthlyRollup.objects.filter(month=date(2026, 10, 1)).exists()


@pytest.mark.parametrize(
    "first, last",
    [
        (date(2026, 10, 1), date(2026, 10, 31)),  # one whole month: measured at its end
        (date(2026, 10, 1), date(2026, 11, 30)),  # D5 (due 10/11, open) is late by then
        (date(2026, 10, 1), date(2026, 12, 31)),  # the quarter: December computed live
        (date(2026, 9, 20), date(2026, 11, 12)),  # partial months at both edges
        (date(2026, 1, 1), date(2026, 12, 31)),  # the year
    ],
)
def test_roll_up_and_live_agree_whatever_the_period(world, first, last):
    fixture.build(world)
    late_open = Dossier.objects.get(code="T-A-0005")
    disliked_later = Dossier.objects.get(code="T-A-0003")  # rated 4: disliked only by complaint
    complaint(world, disliked_later, datetime(2026, 11, 3, 9, tzinfo=VN))
    # Paused now, due after October: its clock stands still, late in no period.
    fixture.dossier(world.commune, Procedure.objects.get(code="1.000001"), 15, channel="counter",
                    state="paused", submitted=fixture.t(10, 25), due=fixture.t(11, 20, 17),
                    fee=8000)  # fmt: skip
    ids = [world.commune.pk, world.other_commune.pk]
    with clock_from(DECEMBER_15, ticking=False):
        rollup_rebuild(first=date(2026, 1, 1), last=date(2026, 12, 31))
        rolled, live = both(ids, Period(first, last))
    assert as_table(rolled) == as_table(live)
    assert rolled.total == live.total
    assert RollupPending.objects.filter(kind="late", n=1).count() >= 1  # D5, due after October
    assert late_open.due_at > datetime(2026, 11, 1, tzinfo=VN)


def test_a_complaint_filed_after_the_month_counts_in_the_longer_period_only(world):
    fixture.build(world)
    complaint(world, Dossier.objects.get(code="T-A-0003"), datetime(2026, 11, 3, 9, tzinfo=VN))
    with clock_from(DECEMBER_15, ticking=False):
        rollup_rebuild(first=date(2026, 10, 1), last=date(2026, 11, 30))
        october, _ = both([world.commune.pk], OCTOBER)
        autumn, _ = both([world.commune.pk], Period(date(2026, 10, 1), date(2026, 11, 30)))
    satisfaction = lambda r: as_table(r)["MDHL.3"]  # noqa: E731
    assert satisfaction(october)[0] == 3  # 10 − 5 late − 2 disliked, as by hand
    assert satisfaction(autumn)[0] == 1  # D3's complaint; D5 late by the end of November


def test_a_month_not_rolled_up_or_rolled_up_before_it_ended_is_computed_live(world):
    fixture.build(world)
    with clock_from(datetime(2026, 10, 20, tzinfo=VN), ticking=False):
        rollup_rebuild(first=date(2026, 10, 1), last=date(2026, 10, 31))  # not ended: skipped
    assert not RollupBuild.objects.exists()
    with clock_from(DECEMBER_15, ticking=False):
        result = index_for(area_for(world.user("leader"), commune="T-A"), OCTOBER)
    assert str(result.total) == TOTAL


def test_the_daily_refresh_rebuilds_what_changed(world):
    fixture.build(world)
    with clock_from(DECEMBER_15, ticking=False):
        assert rollup_refresh() >= 2  # September and October of T-A, October of T-B
        assert rollup_refresh() == 0  # nothing changed since
    with clock_from(DECEMBER_15 + timedelta(hours=1), ticking=False):
        d4 = Dossier.objects.get(code="T-A-0004")
        d4.state, d4.outcome = "returned", "approved"
        d4.returned_at = d4.completed_at = datetime(2026, 10, 16, 9, tzinfo=VN)
        d4.save()
        before = as_table(both([world.commune.pk], OCTOBER)[0])
    with clock_from(DECEMBER_15 + timedelta(hours=2), ticking=False):
        assert rollup_refresh() == 1
        rolled, live = both([world.commune.pk], OCTOBER)
    assert as_table(rolled) == as_table(live)
    assert as_table(rolled)["TDGQ.1"] != before["TDGQ.1"]  # D4 returned on time: no longer late


MOMENTS = st.datetimes(min_value=datetime(2026, 8, 1), max_value=datetime(2026, 11, 30))
dossier_facts = st.fixed_dictionaries(
    {
        "submitted": MOMENTS,
        "received": st.booleans(),
        "due_days": st.integers(min_value=-2, max_value=60),
        "end_days": st.none() | st.integers(min_value=0, max_value=60),
        "state": st.sampled_from(["processing", "paused", "returned", "awaiting_signature"]),
        "rounds": st.integers(min_value=0, max_value=2),
        "extended": st.booleans(),
        "rating": st.none() | st.integers(min_value=1, max_value=5),
        "complaint_days": st.none() | st.integers(min_value=0, max_value=60),
        "fee": st.sampled_from([None, 0, 8000]),
        "paid_online": st.booleans(),
        "e_result": st.booleans(),
    }
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(dossier_facts, min_size=1, max_size=10),
    st.dates(min_value=date(2026, 8, 1), max_value=date(2026, 11, 30)),
    st.integers(min_value=0, max_value=150),
)
def test_property_roll_up_equals_live(world, dossiers, first, days):
    Dossier.objects.filter(code__startswith="P-").delete()
    Feedback.objects.all().delete()
    proc = Procedure.objects.filter(code="9.000009").first() or fixture.procedure(
        "9.000009", "ho-tich", "full"
    )
    for n, f in enumerate(dossiers):
        submitted = f["submitted"].replace(tzinfo=VN)
        end = submitted + timedelta(days=f["end_days"]) if f["end_days"] is not None else None
        d = Dossier(
            code=f"P-{n}", receiving_commune=world.commune, deciding_commune=world.commune,
            procedure=proc, applicant={}, channel="online", state=f["state"],
            outcome="approved" if f["state"] == "returned" else "",
            submitted_at=submitted, received_at=submitted if f["received"] else None,
            due_at=submitted + timedelta(days=f["due_days"]), completed_at=end, returned_at=end,
            original_due_at=submitted + timedelta(days=1) if f["extended"] else None,
            extended=f["extended"], supplement_rounds=f["rounds"], rating=f["rating"],
            fee_amount=f["fee"], paid_online=f["paid_online"],
            e_result_issued_at=end if f["e_result"] else None,
        )  # fmt: skip
        d.lookup_secret = "secret"
        d.save()
        if f["complaint_days"] is not None:
            complaint(world, d, submitted + timedelta(days=f["complaint_days"]))
    period = Period(first, first + timedelta(days=days))
    with clock_from(DECEMBER_15, ticking=False):
        rollup_rebuild(first=date(2026, 8, 1), last=date(2026, 11, 30))
        rolled, live = both([world.commune.pk], period)
    assert as_table(rolled) == as_table(live)
    assert Decimal(0) <= rolled.total <= Decimal(100)


def test_the_command_and_the_daily_task(world):
    from io import StringIO

    from django.core.management import call_command

    from xaso.reports.tasks import rollup_refresh_task

    fixture.build(world)
    with clock_from(DECEMBER_15, ticking=False):
        out = StringIO()
        call_command("reports_rollup", "--from", "2026-10", stdout=out)
        assert "rebuilt:" in out.getvalue()
        assert set(RollupBuild.objects.values_list("month", flat=True)) == {date(2026, 10, 1)}
        assert rollup_refresh_task.call() >= 1  # September (T-A-0013) was not rolled up yet
        assert rollup_refresh_task.call() == 0
