from datetime import date

import pytest

from xaso.catalog.fees import FeeError, fee_compute, fee_schedule_errors

TODAY = date(2026, 11, 25)
CERTIFIED_COPY = {
    "rules": [
        {
            "kind": "per_page",
            "rate": 2000,
            "reduced_rate": 1000,
            "reduced_from_page": 3,
            "cap_per_copy": 200000,
            "pages_field": "pages",
            "copies_field": "copies",
        }
    ],
}
BIRTH = {
    "rules": [
        {
            "kind": "provincial",
            "key": "late_birth_registration",
            "when": {"field": "child.date_of_birth", "older_than_days": 60},
        },
        {"kind": "free"},
    ],
    "exemptions": ["poor_household"],
}


@pytest.mark.parametrize(
    "pages, copies, amount",
    [(1, 1, 2000), (2, 1, 4000), (3, 1, 5000), (10, 2, 24000), (500, 1, 200000), (500, 3, 600000)],
)
def test_certified_copies_per_page_with_the_lower_rate_and_the_cap(pages, copies, amount):
    quote = fee_compute(CERTIFIED_COPY, {"pages": pages, "copies": copies}, today=TODAY)
    assert quote.amount == amount


def test_birth_registration_is_free_on_time_and_the_provincial_rate_when_late():
    on_time = {"child": {"date_of_birth": "2026-10-01"}}
    late = {"child": {"date_of_birth": "2026-09-01"}}
    assert fee_compute(BIRTH, on_time, today=TODAY).amount == 0
    quote = fee_compute(
        BIRTH, late, today=TODAY, provincial_rates={"late_birth_registration": 5000}
    )
    assert (quote.amount, quote.rule) == (5000, "provincial")
    # A province that has not entered its rate: the quote says so instead of inventing one.
    assert fee_compute(BIRTH, late, today=TODAY).amount is None


def test_an_allowed_exemption_makes_it_free_and_names_the_evidence():
    quote = fee_compute(
        BIRTH,
        {"child": {"date_of_birth": "2026-01-01"}},
        today=TODAY,
        claimed_exemptions=["poor_household"],
        exemption_evidence={"poor_household": "Giấy chứng nhận hộ nghèo"},
    )
    assert (quote.amount, quote.exemption, quote.evidence) == (
        0,
        "poor_household",
        "Giấy chứng nhận hộ nghèo",
    )
    with pytest.raises(FeeError):
        fee_compute(BIRTH, {}, today=TODAY, claimed_exemptions=["disability"])


def test_flat_fee_per_copy():
    schedule = {"rules": [{"kind": "flat", "amount": 8000, "per": "copy", "quantity_field": "n"}]}
    assert fee_compute(schedule, {"n": 3}, today=TODAY).amount == 24000


def test_schedule_errors_name_the_problem():
    errors = fee_schedule_errors(
        {
            "rules": [{"kind": "flat", "amount": -1}, {"kind": "per_page", "rate": 1}],
            "exemptions": ["nobody"],
        },
        field_names=[],
        exemption_codes=["poor_household"],
    )
    assert errors == [
        "fees.rules[1]: amount must be a whole number of đồng ≥ 0",
        "fees.rules[2]: reduced_rate must be a whole number of đồng ≥ 0",
        "fees.rules[2]: cap_per_copy must be a whole number of đồng ≥ 0",
        "fees.rules[2]: pages_field is required",
        "fees.exemptions: unknown exemption category 'nobody'",
    ]


def test_zero_copies_cost_nothing_and_an_unanswered_count_is_one():
    schedule = {"rules": [{"kind": "flat", "amount": 8000, "per": "copy", "quantity_field": "n"}]}
    assert fee_compute(schedule, {"n": 0}, today=TODAY).amount == 0
    assert fee_compute(schedule, {}, today=TODAY).amount == 8000
    bad = {"rules": [{"kind": "flat", "amount": 8000, "per": "cpy"}]}
    assert fee_schedule_errors(bad, field_names=[], exemption_codes=[]) == [
        "fees.rules[1]: per must be case or copy"
    ]
