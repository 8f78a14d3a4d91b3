"""The chip ID card QR text: real-shaped samples, every refusal, and properties (Hypothesis).

All people and places are fictional.
"""

import unicodedata
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from xaso.accounts.personal_id import BIRTH_PROVINCE_CODES
from xaso.core.errors import DomainError, InvalidInput
from xaso.dossiers.cccd import (
    MAX_TEXT_LENGTH,
    WARNING_ID_MISMATCH,
    WARNING_ID_PROVINCE,
    CccdData,
    CccdInvalid,
    format_cccd_qr,
    parse_cccd_qr,
)

TODAY = date(2026, 11, 25)
ADDRESS = "Thôn Lộc Tân, xã Phú Lộc (demo)"
# 066 = Đắk Lắk; 0 = a man born in the 1900s; 90 = 1990.
MAN = f"066090001234|241234567|Nguyễn Văn A|01051990|Nam|{ADDRESS}|15042021"
MAN_DATA = CccdData(
    personal_id="066090001234",
    old_id="241234567",
    full_name="Nguyễn Văn A",
    date_of_birth=date(1990, 5, 1),
    sex="male",
    address=ADDRESS,
    issued_on=date(2021, 4, 15),
)
# 3 = a woman born in the 2000s; 01 = 2001. Her card has no old ID: 6 fields.
WOMAN = f"066301009876|Trần Thị B|12032001|Nữ|{ADDRESS}|20082022"
WOMAN_DATA = CccdData(
    personal_id="066301009876",
    old_id="",
    full_name="Trần Thị B",
    date_of_birth=date(2001, 3, 12),
    sex="female",
    address=ADDRESS,
    issued_on=date(2022, 8, 20),
)


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in the source language; the Vietnamese ones are checked by the
    catalogue test."""
    with translation.override("en"):
        yield


def parse(text):
    return parse_cccd_qr(text, today=TODAY)


def fields(text=MAN, **changes):
    """MAN with some fields replaced, by position name."""
    names = ["id", "old", "name", "born", "sex", "address", "issued"]
    parts = dict(zip(names, text.split("|"), strict=True))
    parts.update(changes)
    return "|".join(parts[name] for name in names)


# --- what is read ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(MAN, MAN_DATA, id="7 fields"),
        pytest.param(WOMAN, WOMAN_DATA, id="6 fields, no old ID"),
        pytest.param(WOMAN.replace("|", "||", 1), WOMAN_DATA, id="7 fields with an empty old ID"),
        pytest.param(unicodedata.normalize("NFD", MAN), MAN_DATA, id="NFD from the scanner"),
        pytest.param(unicodedata.normalize("NFD", WOMAN), WOMAN_DATA, id="NFD Nữ"),
        pytest.param(MAN + "\r\n", MAN_DATA, id="scanner's Enter (CRLF)"),
        pytest.param(MAN + "\n", MAN_DATA, id="scanner's Enter (LF)"),
        pytest.param("  \t" + MAN + " \n", MAN_DATA, id="whitespace around"),
        pytest.param(MAN + "|", MAN_DATA, id="trailing separator, 7 fields"),
        pytest.param(WOMAN + "|\r\n", WOMAN_DATA, id="trailing separator, 6 fields"),
        pytest.param("\ufeff" + MAN, MAN_DATA, id="byte order mark"),
        pytest.param(" \ufeff" + MAN, MAN_DATA, id="byte order mark after a space"),
        pytest.param(
            fields(id=" 066090001234 ", name="  Nguyễn   Văn\tA ", address=f" {ADDRESS}  "),
            MAN_DATA,
            id="whitespace inside fields",
        ),
        pytest.param(fields(sex="NAM"), MAN_DATA, id="NAM"),
        pytest.param(fields(sex="nam"), MAN_DATA, id="nam"),
        pytest.param(WOMAN.replace("Nữ", "NỮ"), WOMAN_DATA, id="NỮ"),
        pytest.param(WOMAN.replace("Nữ", "nữ"), WOMAN_DATA, id="nữ"),
        pytest.param(WOMAN.replace("Nữ", "Nu"), WOMAN_DATA, id="Nu without diacritics"),
        pytest.param(WOMAN.replace("Nữ", "NU"), WOMAN_DATA, id="NU without diacritics"),
        pytest.param(
            WOMAN.replace("Nữ", unicodedata.normalize("NFD", "NỮ")), WOMAN_DATA, id="NFD NỮ"
        ),
    ],
)
def test_reads_real_shaped_samples(text, expected):
    assert parse(text) == expected


def test_keeps_a_12_digit_old_id_number():
    """Some provinces issued 12-digit identity cards (CMND) before the CCCD."""
    assert parse(fields(old="024123456789")).old_id == "024123456789"


def test_a_name_without_diacritics_is_kept_as_typed():
    assert parse(fields(name="Nguyen Van A")).full_name == "Nguyen Van A"


def test_an_empty_address_is_read_as_empty():
    assert parse(fields(address="")).address == ""


def test_a_card_issued_today_or_on_the_day_of_birth_is_accepted():
    card = parse(fields(id="066226001234", born="25112026", issued="25112026"))
    assert card.date_of_birth == card.issued_on == TODAY
    assert card.warnings == ()


def test_today_defaults_to_the_local_date():
    today = timezone.localdate()
    assert parse_cccd_qr(fields(issued=today.strftime("%d%m%Y"))).issued_on == today
    tomorrow = (today + timedelta(days=1)).strftime("%d%m%Y")
    with pytest.raises(CccdInvalid) as raised:
        parse_cccd_qr(fields(issued=tomorrow))
    assert raised.value.code == "cccd_issued_future"


# --- the number against the card: a warning, not a refusal -----------------------------------


@pytest.mark.parametrize(
    ("text", "warnings"),
    [
        pytest.param(MAN, (), id="consistent man"),
        pytest.param(WOMAN, (), id="consistent woman"),
        pytest.param(fields(sex="Nữ"), (WARNING_ID_MISMATCH,), id="number of a man, card Nữ"),
        pytest.param(
            fields(born="01051991"), (WARNING_ID_MISMATCH,), id="number of 1990, card 1991"
        ),
        pytest.param(
            fields(id="066290001234"), (WARNING_ID_MISMATCH,), id="number of 2090 (century)"
        ),
        pytest.param(fields(id="999090001234"), (WARNING_ID_PROVINCE,), id="unknown province code"),
    ],
)
def test_warns_when_the_number_disagrees_with_the_card(text, warnings):
    card = parse(text)
    assert card.warnings == warnings
    assert card.personal_id == text.split("|")[0]  # still read as on the card


# --- what is refused ------------------------------------------------------------------------

NINE = "123456789"


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("", "cccd_field_count", None),
        ("   \r\n", "cccd_field_count", None),
        ("066090001234", "cccd_field_count", None),
        ("https://example.com/?q=066090001234", "cccd_field_count", None),
        ("|".join(MAN.split("|")[:5]), "cccd_field_count", None),
        (MAN + "|extra", "cccd_field_count", None),
        (MAN + "||", "cccd_field_count", None),
        (fields(address="Thôn 1 | xã Phú Lộc (demo)"), "cccd_field_count", None),
        (
            MAN.replace("|", ","),
            "cccd_field_count",
            "This is not the QR code of a chip ID card: it has the wrong number of parts. "
            "Scan it again, or type the details.",
        ),
        (
            fields(id="06609000123"),
            "cccd_personal_id",
            "The personal ID number in the QR code does not have 12 digits.",
        ),
        (fields(id="0660900012345"), "cccd_personal_id", None),
        (fields(id="06609000123A"), "cccd_personal_id", None),
        (fields(id="066 090 001234"), "cccd_personal_id", None),
        (fields(id="０６６０９０００１２３４"), "cccd_personal_id", None),  # full-width digits
        (fields(id=""), "cccd_personal_id", None),
        (
            fields(old="24123456"),
            "cccd_old_id",
            "The old ID number in the QR code does not have 9 or 12 digits.",
        ),
        (fields(old="2412345678"), "cccd_old_id", None),
        (fields(old="24123456X"), "cccd_old_id", None),
        (fields(name=""), "cccd_name", "The QR code has no valid full name."),
        (fields(name="   "), "cccd_name", None),
        (fields(name="Nguyễn Văn 1"), "cccd_name", None),
        (fields(name="Nguyễn\x00Văn A"), "cccd_name", None),
        (fields(name="Nguyễn\u200bVăn A"), "cccd_name", None),  # zero-width space
        (fields(name="...."), "cccd_name", None),
        (fields(name="A" * 101), "cccd_name", None),
        (
            fields(born="31022000"),
            "cccd_date",
            "The date of birth in the QR code is not a real date.",
        ),
        (fields(born="01/05/1990"), "cccd_date", None),
        (fields(born="1051990"), "cccd_date", None),
        (fields(born="01131990"), "cccd_date", None),
        (fields(born="00001990"), "cccd_date", None),
        (fields(born="01010000"), "cccd_date", None),
        (fields(born=""), "cccd_date", None),
        (
            fields(issued="29022021"),
            "cccd_date",
            "The issue date in the QR code is not a real date.",
        ),
        (fields(sex="Nũ"), "cccd_sex", "The sex in the QR code is neither Nam nor Nữ."),
        (fields(sex="male"), "cccd_sex", None),
        (fields(sex="F"), "cccd_sex", None),
        (fields(sex="Nam Nữ"), "cccd_sex", None),
        (fields(sex=""), "cccd_sex", None),
        (
            fields(address="Thôn Lộc Tân\x07"),
            "cccd_address",
            "The address in the QR code contains characters that cannot be read.",
        ),
        (
            fields(born="16042021"),
            "cccd_dates_order",
            "The date of birth in the QR code is after the card's issue date.",
        ),
        (
            fields(issued="26112026"),
            "cccd_issued_future",
            "The issue date in the QR code is in the future.",
        ),
        (
            MAN + " " * MAX_TEXT_LENGTH,
            "cccd_too_long",
            "The text is too long for an ID card QR code.",
        ),
    ],
)
def test_refuses(text, code, message):
    with pytest.raises(CccdInvalid) as raised:
        parse(text)
    error = raised.value
    assert isinstance(error, InvalidInput)
    assert error.status == 400
    assert error.code == code
    if message is not None:
        assert str(error.message) == message
    # Personal data is never repeated in an error.
    shown = str(error.as_dict())
    for part in ("066090001234", NINE, "Nguyễn", "Lộc Tân", "01051990"):
        assert part not in shown


@pytest.mark.parametrize(
    ("text", "field"),
    [(fields(born="31022000"), "date_of_birth"), (fields(issued="31042021"), "issued_on")],
)
def test_a_bad_date_names_its_field(text, field):
    with pytest.raises(CccdInvalid) as raised:
        parse(text)
    assert raised.value.details == {"field": field}


def test_format_writes_the_card_text():
    assert format_cccd_qr(MAN_DATA) == MAN
    assert format_cccd_qr(WOMAN_DATA) == WOMAN.replace("|", "||", 1)


# --- properties -----------------------------------------------------------------------------

PROPERTY = settings(max_examples=300, derandomize=True, deadline=None, database=None)

VIETNAMESE = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
LETTERS = VIETNAMESE + VIETNAMESE.upper()
words = st.text(alphabet=LETTERS, min_size=1, max_size=8)
names = st.lists(words, min_size=2, max_size=5).map(" ".join)
address_words = st.text(alphabet=LETTERS + "0123456789,./-()", min_size=1, max_size=12)
addresses = st.lists(address_words, min_size=0, max_size=10).map(" ".join)
digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@st.composite
def cards(draw) -> CccdData:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    issued = draw(st.dates(min_value=born, max_value=TODAY))
    sex = draw(st.sampled_from(["male", "female"]))
    province = draw(st.sampled_from(sorted(BIRTH_PROVINCE_CODES)))
    century_sex = (born.year // 100 - 19) * 2 + (sex == "female")
    tail = "".join(draw(st.lists(digits, min_size=6, max_size=6)))
    old_id = draw(
        st.sampled_from([0, 9, 12]).flatmap(
            lambda n: st.lists(digits, min_size=n, max_size=n).map("".join)
        )
    )
    return CccdData(
        personal_id=f"{province}{century_sex}{born.year % 100:02d}{tail}",
        old_id=old_id,
        full_name=draw(names),
        date_of_birth=born,
        sex=sex,
        address=draw(addresses),
        issued_on=issued,
    )


@PROPERTY
@given(card=cards())
def test_format_then_parse_round_trips(card):
    text = format_cccd_qr(card)
    assert parse(text) == card
    # As a scanner may send it: decomposed, with its Enter.
    assert parse(unicodedata.normalize("NFD", text) + "\r\n") == card
    if not card.old_id:  # the 6-field form of the same card
        assert parse(text.replace("||", "|", 1)) == card


def _only_domain_errors(text):
    try:
        parse(text)
    except CccdInvalid as error:
        assert isinstance(error, DomainError)
        assert error.code.startswith("cccd_")
        assert str(error.message)


@PROPERTY
@given(text=st.text(max_size=MAX_TEXT_LENGTH + 20))
def test_arbitrary_text_raises_only_domain_errors(text):
    _only_domain_errors(text)


field_text = st.one_of(
    st.text(max_size=15),
    st.from_regex(r"[0-9]{6,13}", fullmatch=True),
    st.sampled_from(["Nam", "Nữ", "nu", "", " ", "31022000", "01051990", "066090001234"]),
    names,
)


@PROPERTY
@given(parts=st.lists(field_text, min_size=5, max_size=8))
def test_card_shaped_text_raises_only_domain_errors(parts):
    """Text with about the right number of fields reaches every check."""
    _only_domain_errors("|".join(parts))
