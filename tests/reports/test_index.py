"""The Decision 766 index on a hand-computed fixture (tests/reports/fixture.py): every
indicator's numerator, denominator and points worked out on paper, as docs/index-766.md writes
the formulas, for October 2026 in commune T-A."""

from datetime import date
from decimal import Decimal

import pytest

from tests.reports import fixture
from xaso.reports.counters import Period
from xaso.reports.selectors import area_for, index_for

pytestmark = pytest.mark.django_db

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))

# indicator   numerator denominator points   how (D1…D12 are the fixture's dossiers)
EXPECTED = """
CKMB.1         2   3   4.00   procedures offered 3, with a legal basis 2: 6 × 2/3
CKMB.2        12  12   4.00   every dossier's statuses are public
CKMB.3         2   5   0.80   late D2 D4 D6 D8 D12; apologised D8 D12: 2 × 2/5
CKMB.4         9  12   4.50   not synchronised D2 D4 D7: 6 × 9/12
TDGQ.1         5  10  10.00   received 10 (not D7 D10); late 5 (D11 paused is not): 20 × 5/10
CLGQ.1         4   8   6.00   full-online procedure P1: D1–D7, D12; online D1 D2 D5 D7: 12 × 4/8
TTTT.1         2   2   2.00   both fee-bearing procedures offered VietQR (threshold 80 %)
TTTT.2         1   2   1.25   only P1 paid online: 2 × (1/2 ÷ 0.8)
TTTT.3         4   9   2.67   fee-bearing 9 (D5 free, D7 D10 none); online D1 D3 D6 D12: 6 × 4/9
MDSH.1         5   6   5.00   with a result D1 D2 D3 D6 D8 D9; D9 on paper: 6 × 5/6
MDSH.2        10  12   4.00   D4 misses a file, D9 a file and an e-result: 10/12 ≥ 80 %
MDSH.3         1   2   1.00   certifications with a result D8 D9; e-result D8: 2 × 1/2
MDSH.4         3  20   0.38   components 8×2 + 4×1; reused D1 D11, store D3: 2 × (3/20 ÷ 0.8)
MDSH.5         2  12   0.67   store D3, delivered electronically D1: 4 × 2/12
MDSH.6         4  12   0.67   chip card read D3 D4 D8 D11: 2 × 4/12
MDSH.7         2   2   2.00   both procedures have a chip-card dossier
MDHL.1         0   0   6.00   no complaint: nothing to fault
MDHL.2         0   0   6.00   no rated answer: nothing to fault
MDHL.3         3  10   2.00   10 − 5 late − 2 disliked (D2, D6): 6 × (3/10 ÷ 0.9)
"""
GROUPS = {"CKMB": "13.30", "TDGQ": "10.00", "CLGQ": "6.00", "TTTT": "5.92", "MDSH": "13.72",
          "MDHL": "14.00"}  # fmt: skip
TOTAL = "62.94"


def expected_rows():
    for line in EXPECTED.strip().splitlines():
        code, numerator, denominator, points, _how = line.split(None, 4)
        yield code, int(numerator), int(denominator), Decimal(points)


def test_every_indicator_as_computed_by_hand(world):
    fixture.build(world)
    result = index_for(area_for(world.user("leader"), commune="T-A"), OCTOBER)
    got = {i.code: (i.numerator, i.denominator, i.points) for i in result.indicators()}
    for code, numerator, denominator, points in expected_rows():
        assert got[code] == (numerator, denominator, points), code
    assert {g.code: str(g.points) for g in result.groups} == GROUPS
    assert str(result.total) == TOTAL
    assert [g.max_points for g in result.groups] == [18, 20, 12, 10, 22, 18]
    assert result.max_points == 100


def test_weakest_first(world):
    fixture.build(world)
    result = index_for(area_for(world.user("leader"), commune="T-A"), OCTOBER)
    weakest = result.weakest()
    assert weakest[0].code == "TDGQ.1"  # 10 points lost
    losses = [w.lost for w in weakest]
    assert losses == sorted(losses, reverse=True)


def test_the_province_adds_its_communes(world):
    fixture.build(world)
    result = index_for(area_for(world.user("province_viewer"), province="66"), OCTOBER)
    on_time = next(i for i in result.indicators() if i.code == "TDGQ.1")
    # T-B's one dossier (received 10-03, due 10-04, still open) is late too.
    assert (on_time.numerator, on_time.denominator) == (5, 11)


def test_each_ranked_commune_is_scored_on_its_own_catalogue(world):
    from xaso.reports.selectors import communes_ranked

    fixture.build(world)
    area = area_for(world.user("province_viewer"), province="66")
    ranked = {commune.code: result for commune, result in communes_ranked(area, OCTOBER)}
    published = lambda r: next(i for i in r.indicators() if i.code == "CKMB.1")  # noqa: E731
    assert (published(ranked["T-A"]).numerator, published(ranked["T-A"]).denominator) == (2, 3)
    assert str(ranked["T-A"].total) == TOTAL  # as the commune's own dashboard
    assert published(ranked["T-B"]).denominator == 0  # T-B offers nothing: nothing to fault
