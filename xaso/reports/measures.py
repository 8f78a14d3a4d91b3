"""The index's arithmetic, pure: counters in, points out (docs/index-766.md writes each formula).

`counters.py` reads the dossiers into `Row`s, one per (commune, procedure) pair of the period;
each measure turns their sums into a numerator and a denominator; `points` applies the
indicator's threshold and maximum. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

CENT = Decimal("0.01")


@dataclass
class Row:
    """What the dossiers of one procedure in one commune add up to over a period."""

    commune_id: int = 0
    procedure_id: int = 0
    full_online: bool = False  # the procedure offers whole-process online service
    certification: bool = False  # a certification (chứng thực) procedure
    n: int = 0  # dossiers filed in the period
    synced: int = 0  # synchronised to the National Portal
    timed: int = 0  # received (a due time runs)
    late: int = 0  # late at their end or at the period's end; > 1 supplement request
    late_apologised: int = 0  # late ones with an apology and extension before the due time
    online: int = 0  # filed online (channel code 2), with an e-result once there is a result
    fee_bearing: int = 0  # fee fixed above 0
    fee_online_offered: int = 0  # of those, a VietQR code offered
    paid_online: int = 0  # of those, paid by bank transfer
    resolved: int = 0  # with a result (approved or denied, result ready or returned)
    e_result: int = 0  # of those, an electronic result issued
    digitised: int = 0  # every component has a file, and an e-result if resolved
    components: int = 0  # document components
    components_reused: int = 0  # reused from an earlier dossier or the citizen's store
    store_or_pushed: int = 0  # a component from the citizen's store or the result sent to them
    population: int = 0  # identity read from the chip card or VNeID (population database)
    disliked: int = 0  # rated 1 or 2 of 5, or a complaint linked

    def add(self, other: Row) -> None:
        for name in SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))


# The counts a Row adds up, found once: a province's year adds ~100,000 rows, and looking the
# dataclass's fields up on each add cost more than the page's every query (bench/README.md).
SUMMED = tuple(
    f.name for f in fields(Row) if f.type == "int" and f.name not in ("commune_id", "procedure_id")
)
_counts_of = attrgetter(*SUMMED)


@dataclass
class Counters:
    rows: list[Row] = field(default_factory=list)
    offered: int = 0  # procedures offered (commune × procedure)
    published: int = 0  # of those, with a complete public record
    feedback: int = 0  # complaints and petitions (PAKN) due in the period
    feedback_on_time: int = 0
    feedback_rated: int = 0
    feedback_satisfied: int = 0

    def total(self) -> Row:
        return rows_total(self.rows)


Measure = Callable[[Counters, Row], tuple[int, int]]


def _procedures(c: Counters, keep: Callable[[Row], bool], among: Callable[[Row], bool]):
    pool = [row for row in c.rows if among(row)]
    return sum(1 for row in pool if keep(row)), len(pool)


def _online(c: Counters, t: Row) -> tuple[int, int]:
    rows = [row for row in c.rows if row.full_online]
    return sum(row.online for row in rows), sum(row.n for row in rows)


def _certified(c: Counters, t: Row) -> tuple[int, int]:
    rows = [row for row in c.rows if row.certification]
    return sum(row.e_result for row in rows), sum(row.resolved for row in rows)


MEASURES: dict[str, tuple[str, Measure]] = {
    "catalogue_published": (
        "procedures offered with a complete public record ÷ procedures offered",
        lambda c, t: (c.published, c.offered),
    ),
    "status_public": (
        "dossiers whose every status is public with its time ÷ dossiers",
        lambda c, t: (t.n, t.n),
    ),
    "apology": (
        "late dossiers apologised for before the due time ÷ late dossiers",
        lambda c, t: (t.late_apologised, t.late),
    ),
    "synced": (
        "dossiers synchronised to the National Portal ÷ dossiers",
        lambda c, t: (t.synced, t.n),
    ),
    "on_time": ("dossiers on time ÷ dossiers received", lambda c, t: (t.timed - t.late, t.timed)),
    "online": ("dossiers filed online ÷ dossiers of full-online procedures", _online),
    "pay_offered_procedures": (
        "fee-bearing procedures offered for online payment ÷ fee-bearing procedures",
        lambda c, t: _procedures(
            c, lambda r: r.fee_online_offered > 0, lambda r: r.fee_bearing > 0
        ),
    ),
    "pay_used_procedures": (
        "fee-bearing procedures with an online payment ÷ fee-bearing procedures",
        lambda c, t: _procedures(c, lambda r: r.paid_online > 0, lambda r: r.fee_bearing > 0),
    ),
    "paid_online": (
        "fee-bearing dossiers paid online ÷ fee-bearing dossiers",
        lambda c, t: (t.paid_online, t.fee_bearing),
    ),
    "e_result": (
        "dossiers with an electronic result ÷ dossiers with a result",
        lambda c, t: (t.e_result, t.resolved),
    ),
    "digitised": ("dossiers digitised ÷ dossiers", lambda c, t: (t.digitised, t.n)),
    "certified_copies": (
        "certifications issued electronically ÷ certifications with a result",
        _certified,
    ),
    "reuse": (
        "components reused ÷ document components",
        lambda c, t: (t.components_reused, t.components),
    ),
    "citizen_store": (
        "dossiers using the citizen's document store ÷ dossiers",
        lambda c, t: (t.store_or_pushed, t.n),
    ),
    "population_data": (
        "dossiers identified from the population database ÷ dossiers",
        lambda c, t: (t.population, t.n),
    ),
    "population_procedures": (
        "procedures using the population database ÷ procedures with dossiers",
        lambda c, t: _procedures(c, lambda r: r.population > 0, lambda r: r.n > 0),
    ),
    "feedback_on_time": (
        "complaints and petitions handled on time ÷ those due",
        lambda c, t: (c.feedback_on_time, c.feedback),
    ),
    "feedback_satisfied": (
        "satisfied with the handling ÷ answers rated",
        lambda c, t: (c.feedback_satisfied, c.feedback_rated),
    ),
    "dossier_satisfaction": (
        "100 % − (late share + share disliked or complained about)",
        lambda c, t: (max(0, t.timed - t.late - t.disliked), t.timed),
    ),
}
MEASURE_CHOICES = [(code, code) for code in MEASURES]


def points(
    numerator: int, denominator: int, *, maximum: Decimal, threshold: Decimal, empty: str
) -> Decimal:
    """Full points at or above the threshold, else ratio × max ÷ threshold (DOMAIN.md §2);
    `empty` ("full" / "zero") when nothing was measured. Rounded half up to the hundredth."""
    maximum = max(Decimal(maximum), Decimal(0))
    if denominator <= 0:
        return maximum if empty == "full" else Decimal(0)
    ratio = Decimal(min(max(numerator, 0), denominator)) / Decimal(denominator)
    threshold = min(max(Decimal(threshold), Decimal("0.0001")), Decimal(1))
    share = min(Decimal(1), ratio / threshold)
    return (maximum * share).quantize(CENT, rounding=ROUND_HALF_UP).min(maximum)


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: str
    measure: str
    max_points: Decimal
    threshold: Decimal = Decimal(1)
    empty_rule: str = "full"


@dataclass(frozen=True)
class GroupDef:
    code: str
    name: str
    max_points: Decimal
    indicators: tuple[IndicatorDef, ...]


@dataclass(frozen=True)
class Definition:
    version: str
    groups: tuple[GroupDef, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((g.max_points for g in self.groups), Decimal(0))


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    measure: str
    group: str
    numerator: int
    denominator: int
    points: Decimal
    max_points: Decimal

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.points


@dataclass(frozen=True)
class GroupResult:
    code: str
    name: str
    points: Decimal
    max_points: Decimal
    indicators: tuple[IndicatorResult, ...]


@dataclass(frozen=True)
class IndexResult:
    version: str
    total: Decimal
    max_points: Decimal
    groups: tuple[GroupResult, ...]

    def indicators(self) -> list[IndicatorResult]:
        return [i for g in self.groups for i in g.indicators]

    def weakest(self) -> list[IndicatorResult]:
        """Where the points are lost, the most first."""
        return sorted(self.indicators(), key=lambda i: (-i.lost, i.code))

    def group(self, code: str) -> GroupResult:
        return next(g for g in self.groups if g.code == code)


def index_compute(definition: Definition, counters: Counters) -> IndexResult:
    total_row = counters.total()
    groups = []
    for group in definition.groups:
        results = []
        for ind in group.indicators:
            _label, measure = MEASURES[ind.measure]
            numerator, denominator = measure(counters, total_row)
            results.append(
                IndicatorResult(
                    code=ind.code,
                    name=ind.name,
                    measure=ind.measure,
                    group=group.code,
                    numerator=max(0, min(numerator, denominator)) if denominator else numerator,
                    denominator=denominator,
                    points=points(
                        numerator,
                        denominator,
                        maximum=ind.max_points,
                        threshold=ind.threshold,
                        empty=ind.empty_rule,
                    ),
                    max_points=ind.max_points,
                )
            )
        earned = min(sum((r.points for r in results), Decimal(0)), group.max_points)
        groups.append(GroupResult(group.code, group.name, earned, group.max_points, tuple(results)))
    total = sum((g.points for g in groups), Decimal(0))
    return IndexResult(definition.version, total, definition.max_points, tuple(groups))


def rows_total(rows: Iterable[Row]) -> Row:
    counts = [_counts_of(row) for row in rows]  # each row's counts, in SUMMED's order
    if not counts:
        return Row()
    return Row(**dict(zip(SUMMED, map(sum, zip(*counts, strict=True)), strict=True)))
