"""The QR seal checks offline with only the commune's public key, and any change breaks it."""

import string
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from xaso.results.seal import SealFields, SealInvalid, seal_make, seal_verify

KEY = Ed25519PrivateKey.generate()
FIELDS = SealFields(
    number="12/TLKS",
    commune="DEMO-PL",
    kind="birth_extract",
    holder_name="H'Hen Niê",
    issued_at=date(2026, 11, 25),
    sha256="ab" * 32,
)
SEAL = seal_make(FIELDS, KEY)


def test_the_seal_verifies_offline_with_the_public_key_alone():
    assert seal_verify(SEAL, KEY.public_key()) == FIELDS
    assert len(SEAL) < 300  # fits a QR code a phone reads from print


def test_another_communes_key_does_not_verify_it():
    with pytest.raises(SealInvalid):
        seal_verify(SEAL, Ed25519PrivateKey.generate().public_key())


ALPHABET = string.ascii_letters + string.digits + "-_."


def test_changing_any_character_breaks_it():
    for position, character in enumerate(SEAL):
        for replacement in {"A", "b", "0", "-", "_"} - {character}:
            changed = SEAL[:position] + replacement + SEAL[position + 1 :]
            with pytest.raises(SealInvalid):
                seal_verify(changed, KEY.public_key())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET + "|é ", min_size=0, max_size=400))
def test_no_other_text_verifies(text):
    if text == SEAL:
        return
    with pytest.raises(SealInvalid):
        seal_verify(text, KEY.public_key())


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(SEAL) - 1), st.text(ALPHABET, min_size=1, max_size=3))
def test_inserted_or_removed_characters_break_it(position, inserted):
    for changed in (
        SEAL[:position] + inserted + SEAL[position:],
        SEAL[:position] + SEAL[position + 1 :],
    ):
        with pytest.raises(SealInvalid):
            seal_verify(changed, KEY.public_key())


def test_a_field_holding_the_separator_is_refused():
    with pytest.raises(ValueError):
        seal_make(SealFields(**{**FIELDS.__dict__, "holder_name": "A|B"}), KEY)
