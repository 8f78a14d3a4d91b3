"""Whatever the dossiers, the index stays within 0–100 and each group within its maximum."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from xaso.reports.measures import (
    MEASURES,
    Counters,
    Definition,
    GroupDef,
    IndicatorDef,
    Row,
    index_compute,
)

# The seeded 766 definition (reports/migrations/0002_index_766.py), as plain data.
SEED = {
    "CKMB": (18, [("catalogue_published", 6, 1), ("status_public", 4, 1), ("apology", 2, 1),
                  ("synced", 6, 1)]),
    "TDGQ": (20, [("on_time", 20, 1)]),
    "CLGQ": (12, [("online", 12, 1)]),
    "TTTT": (10, [("pay_offered_procedures", 2, "0.8"), ("pay_used_procedures", 2, "0.8"),
                  ("paid_online", 6, 1)]),
    "MDSH": (22, [("e_result", 6, 1), ("digitised", 4, "0.8"), ("certified_copies", 2, 1),
                  ("reuse", 2, "0.8"), ("citizen_store", 4, 1), ("population_data", 2, 1),
                  ("population_procedures", 2, 1)]),
    "MDHL": (18, [("feedback_on_time", 6, 1), ("feedback_satisfied", 6, 1),
                  ("dossier_satisfaction", 6, "0.9")]),
}  # fmt: skip


def definition(empty: str) -> Definition:
    return Definition(
        "766-2022",
        tuple(
            GroupDef(
                code,
                code,
                Decimal(maximum),
                tuple(
                    IndicatorDef(f"{code}.{i}", m, m, Decimal(p), Decimal(str(th)), empty)
                    for i, (m, p, th) in enumerate(indicators, 1)
                ),
            )
            for code, (maximum, indicators) in SEED.items()
        ),
    )


small = st.integers(min_value=0, max_value=50)
rows = st.builds(
    Row,
    full_online=st.booleans(),
    certification=st.booleans(),
    **{name: small for name in Row.__dataclass_fields__ if Row.__dataclass_fields__[name].type
       == "int" and name not in ("commune_id", "procedure_id")},
)  # fmt: skip
counters = st.builds(
    Counters,
    rows=st.lists(rows, max_size=6),
    offered=small,
    published=small,
    feedback=small,
    feedback_on_time=small,
    feedback_rated=small,
    feedback_satisfied=small,
)


@given(counters, st.sampled_from(["full", "zero"]))
def test_total_and_groups_within_their_maxima(counters, empty):
    # Counters are drawn freely: numerators above their denominators, late above received…
    result = index_compute(definition(empty), counters)
    assert Decimal(0) <= result.total <= Decimal(100)
    for group in result.groups:
        assert Decimal(0) <= group.points <= group.max_points
        for indicator in group.indicators:
            assert Decimal(0) <= indicator.points <= indicator.max_points
            assert indicator.measure in MEASURES


def test_the_seed_definition_adds_up_to_100():
    assert definition("full").max_points == 100
    for code, (maximum, indicators) in SEED.items():
        assert sum(p for _m, p, _t in indicators) == maximum, code
