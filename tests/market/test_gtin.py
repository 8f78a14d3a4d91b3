import pytest
from hypothesis import given
from hypothesis import strategies as st

from xaso.market.gtin import (
    GtinInvalid,
    check_digit,
    digital_link,
    gtin14,
    gtin_clean,
)


@pytest.mark.parametrize(
    "gtin", ["8930000000019", "8934563138165", "4006381333931", "96385074", "036000291452"]
)
def test_real_gtins_pass(gtin):
    assert gtin_clean(gtin) == gtin


def test_spaces_and_hyphens_are_forgiven():
    assert gtin_clean(" 893-4563 138165 ") == "8934563138165"
    assert gtin_clean("") == ""


def test_a_wrong_check_digit_is_refused_with_the_digit_it_should_be():
    with pytest.raises(GtinInvalid) as refused:
        gtin_clean("8934563138164")
    message = str(refused.value.message)
    assert "8934563138164" in message and "5" in message
    assert refused.value.code == "gtin_invalid" and refused.value.status == 400


@pytest.mark.parametrize("bad", ["893456313816", "12345", "89345631381A4", "893456313816500"])
def test_a_number_that_is_not_a_gtin_is_refused(bad):
    with pytest.raises(GtinInvalid):
        gtin_clean(bad)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_exactly_one_check_digit_fits(body):
    good = [d for d in "0123456789" if _ok(body + d)]
    assert good == [str(check_digit(body))]


def _ok(value: str) -> bool:
    try:
        gtin_clean(value)
    except GtinInvalid:
        return False
    return True


def test_digital_link_carries_the_gtin_14_and_the_lot():
    assert gtin14("8934563138165") == "08934563138165"
    assert (
        digital_link("https://xa.example.vn/", "8934563138165", "261110-K7Q4")
        == "https://xa.example.vn/01/08934563138165/10/261110-K7Q4"
    )
