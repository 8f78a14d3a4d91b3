"""VietQR payloads (DOMAIN.md §4): the NAPAS reference vector, every refusal, corruption of every
character, properties (Hypothesis), and the QR images decoded back.

All accounts are fictional, except the reference vector's and the circulating example's, which
are public test data.
"""

import io
import re
import string
import unicodedata

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from xaso.core.errors import DomainError, InvalidInput
from xaso.payments.vietqr import (
    PURPOSE_MAX_LENGTH,
    VietQrInvalid,
    build_payload,
    crc16_ccitt_false,
    normalise_purpose,
    parse_payload,
    qr_png,
    qr_svg,
)

REFERENCE = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA53037045406120000"
    "5802VN62170813ung ho lu lut6304C15C"
)
REFERENCE_FIELDS = {
    "payload_format": "01",
    "initiation": "dynamic",
    "bank_bin": "970415",
    "account": "0011001932418",
    "service": "QRIBFTTA",
    "currency": "704",
    "amount": 120000,
    "country": "VN",
    "purpose": "ung ho lu lut",
    "crc": "C15C",
    "other": {},
}
# Static, bank 970403, 13-digit account declared with length 12 (38 -> 01 -> 01 "0112"); its CRC
# is right for the text as it is, so only the structure can refuse it.
CIRCULATING = (
    "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5"
)
STATIC = build_payload(bank_bin="970405", account="3900205123456")
CARD = build_payload(
    bank_bin="970436",
    account="9704366812345678901",
    amount=9_999_999_999_999,
    purpose="XASO-PL 0001",
    service="QRIBFTTC",
)
SAMPLES = [REFERENCE, STATIC, CARD]
# What a substitution may put in: digits, letters of both cases, space, punctuation, a tab.
REPLACEMENTS = "019AFZaz .-\t"


def with_crc(body: str) -> str:
    """`body` (everything before "6304") with a correct CRC: for structural tests."""
    body += "6304"
    return body + f"{crc16_ccitt_false(body.encode()):04X}"


def body_of(payload: str) -> str:
    assert payload[-8:-4] == "6304"
    return payload[:-8]


def refusal(text: str) -> VietQrInvalid:
    with pytest.raises(VietQrInvalid) as caught:
        parse_payload(text)
    return caught.value


# --- The reference vector and the CRC -------------------------------------------------------------


def test_crc16_ccitt_false_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc16_ccitt_false(b"") == 0xFFFF
    assert crc16_ccitt_false(REFERENCE[:-4].encode()) == 0xC15C


def test_reference_vector_is_built_exactly():
    payload = build_payload(
        bank_bin="970415", account="0011001932418", amount=120000, purpose="ung ho lu lut"
    )
    assert payload == REFERENCE


def test_reference_vector_is_parsed_into_its_fields():
    assert parse_payload(REFERENCE) == REFERENCE_FIELDS


def test_surrounding_whitespace_from_a_scanner_is_forgiven():
    assert parse_payload(f"{REFERENCE}\r\n") == REFERENCE_FIELDS
    assert parse_payload(f"  {REFERENCE}\n") == REFERENCE_FIELDS


def test_the_circulating_static_example_is_refused():
    assert crc16_ccitt_false(CIRCULATING[:-4].encode()) == 0xF4E5  # its CRC is not the problem
    error = refusal(CIRCULATING)
    assert error.code == "vietqr_length"
    assert error.details == {"field": "38.01"}
    # Declared with its true length, the same code is valid.
    fixed = with_crc(body_of(CIRCULATING).replace("97040301120011", "97040301130011"))
    assert parse_payload(fixed)["account"] == "0011012345678"


# --- Building -------------------------------------------------------------------------------------


def test_static_payload_without_amount():
    assert STATIC.startswith("000201010211")
    assert "53037045802VN6304" in STATIC  # no amount (54), no note (62)
    fields = parse_payload(STATIC)
    assert fields["initiation"] == "static"
    assert fields["amount"] is None
    assert fields["purpose"] is None
    assert fields["account"] == "3900205123456"
    assert fields["bank_bin"] == "970405"


def test_static_payload_layout():
    assert (
        with_crc(
            "00020101021138570010A00000072701270006970405011339002051234560208QRIBFTTA53037045802VN"
        )
        == STATIC
    )


def test_dynamic_card_payload_with_the_largest_amount():
    fields = parse_payload(CARD)
    assert fields["initiation"] == "dynamic"
    assert fields["service"] == "QRIBFTTC"
    assert fields["account"] == "9704366812345678901"
    assert fields["amount"] == 9_999_999_999_999
    assert "54139999999999999" in CARD


def test_purpose_diacritics_are_stripped():
    payload = build_payload(
        bank_bin="970405",
        account="3900205123456",
        amount=50000,
        purpose="Lệ phí hồ sơ DEMO-PL-0001",
    )
    assert parse_payload(payload)["purpose"] == "Le phi ho so DEMO-PL-0001"
    assert normalise_purpose("Đăng ký khai sinh") == "Dang ky khai sinh"
    # Decomposed input (NFD, from some keyboards and phones) gives the same note.
    assert normalise_purpose(unicodedata.normalize("NFD", "Lệ phí hồ sơ")) == "Le phi ho so"


def test_purpose_whitespace_is_collapsed_and_an_empty_note_left_out():
    assert normalise_purpose("  ung   ho\tlu\nlut ") == "ung ho lu lut"
    for empty in ("", "   ", None):
        payload = build_payload(bank_bin="970405", account="1", amount=1, purpose=empty)
        assert parse_payload(payload)["purpose"] is None
        assert "6200" not in payload


def test_purpose_of_exactly_25_characters_is_kept_whole():
    note = "XASO " + "A" * 20
    assert len(note) == PURPOSE_MAX_LENGTH
    payload = build_payload(bank_bin="970405", account="1", purpose=note)
    assert parse_payload(payload)["purpose"] == note


@pytest.mark.parametrize(
    "purpose",
    [
        "Nộp lệ phí hồ sơ DEMO-PL-00012",  # 26 once stripped
        "A" * 26,
        "Lệ phí chứng thực bản sao từ bản chính DEMO-PL-0001",
    ],
)
def test_a_longer_purpose_is_refused_not_truncated(purpose):
    with pytest.raises(VietQrInvalid) as caught:
        build_payload(bank_bin="970405", account="1", amount=1000, purpose=purpose)
    assert caught.value.code == "vietqr_purpose_too_long"


@pytest.mark.parametrize("purpose", ["Phí 💰", "手数料", "50.000 ₫", "ung ho\x00", 12])
def test_purpose_without_an_ascii_form_is_refused(purpose):
    with pytest.raises(VietQrInvalid) as caught:
        build_payload(bank_bin="970405", account="1", purpose=purpose)
    assert caught.value.code == "vietqr_purpose"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"bank_bin": "97041"}, "vietqr_bank_bin"),
        ({"bank_bin": "9704150"}, "vietqr_bank_bin"),
        ({"bank_bin": "97041a"}, "vietqr_bank_bin"),
        ({"bank_bin": "９７０４１５"}, "vietqr_bank_bin"),  # full-width digits
        ({"bank_bin": 970415}, "vietqr_bank_bin"),
        ({"account": ""}, "vietqr_account"),
        ({"account": "1" * 20}, "vietqr_account"),
        ({"account": "0011-0019"}, "vietqr_account"),
        ({"account": "0011 0019"}, "vietqr_account"),
        ({"account": "vqrabc123"}, "vietqr_account"),  # lower case: no bank issues it
        ({"account": "００１１"}, "vietqr_account"),
        ({"account": 11001932418}, "vietqr_account"),
        ({"account": "970436681234567A", "service": "QRIBFTTC"}, "vietqr_account"),
        ({"account": "9704366", "service": "QRIBFTTC"}, "vietqr_account"),
        ({"account": "9" * 20, "service": "QRIBFTTC"}, "vietqr_account"),
        ({"service": "QRIBFTTX"}, "vietqr_service"),
        ({"service": "qribftta"}, "vietqr_service"),
        ({"amount": 0}, "vietqr_amount"),
        ({"amount": -1000}, "vietqr_amount"),
        ({"amount": 10**13}, "vietqr_amount"),
        ({"amount": True}, "vietqr_amount"),
        ({"amount": 1000.0}, "vietqr_amount"),
        ({"amount": "1000"}, "vietqr_amount"),
    ],
)
def test_build_refusals(kwargs, code):
    arguments = {"bank_bin": "970415", "account": "0011001932418", **kwargs}
    with pytest.raises(VietQrInvalid) as caught:
        build_payload(**arguments)
    assert caught.value.code == code


def test_an_account_with_capital_letters_is_accepted():
    """Virtual accounts of payment intermediaries and bank aliases carry letters."""
    payload = build_payload(bank_bin="970422", account="VQRQXASO0001", amount=30000)
    assert parse_payload(payload)["account"] == "VQRQXASO0001"


def test_refusal_is_an_invalid_input_domain_error():
    with pytest.raises(VietQrInvalid) as caught:
        build_payload(bank_bin="970415", account="0011001932418", amount=0)
    error = caught.value
    assert isinstance(error, InvalidInput)
    assert isinstance(error, DomainError)
    assert error.status == 400
    assert error.as_dict()["error"]["code"] == "vietqr_amount"
    assert error.as_dict()["error"]["details"] == {"field": "54"}


# --- Reading: every refusal -----------------------------------------------------------------------

REF_BODY = body_of(REFERENCE)
BENEFICIARY = "38570010A00000072701270006970415011300110019324180208QRIBFTTA"
assert BENEFICIARY in REF_BODY


def tlv(object_id: str, value: str) -> str:
    return f"{object_id}{len(value):02d}{value}"


def beneficiary(
    *,
    guid="A000000727",
    bank_bin="970415",
    account="0011001932418",
    service="QRIBFTTA",
    extra="",
    organisation_extra="",
):
    """Template 38, with any sub-object changed (None leaves it out)."""
    organisation = "".join(
        tlv(i, v) for i, v in (("00", bank_bin), ("01", account)) if v is not None
    )
    value = "".join(
        tlv(i, v)
        for i, v in (("00", guid), ("01", organisation + organisation_extra), ("02", service))
        if v is not None
    )
    return tlv("38", value + extra)


assert beneficiary() == BENEFICIARY


def replaced(old: str, new: str) -> str:
    """The reference body with `old` replaced by `new`, and a correct CRC."""
    assert REF_BODY.count(old) == 1
    return with_crc(REF_BODY.replace(old, new))


@pytest.mark.parametrize(
    ("text", "code", "field"),
    [
        # The checksum.
        (REFERENCE[:-1] + "D", "vietqr_crc", None),
        (REFERENCE[:-4] + "c15c", "vietqr_crc", None),  # lower-case hex
        (REFERENCE[:-4] + "C15G", "vietqr_crc", None),
        (REFERENCE.replace("ung ho", "ung hx"), "vietqr_crc", None),
        # Cut off.
        (REFERENCE[:-2], "vietqr_truncated", None),
        (REFERENCE[:-6], "vietqr_truncated", None),
        (REFERENCE[:60], "vietqr_truncated", None),
        (REFERENCE[:2], "vietqr_truncated", None),
        (with_crc(REF_BODY + "58"), "vietqr_truncated", None),  # a dangling ID
        (with_crc(REF_BODY + "5999XA SO"), "vietqr_truncated", None),  # runs past the end
        # Lengths.
        (replaced("5802VN", "58A2VN"), "vietqr_length", "58"),
        (replaced("5802VN", "58 2VN"), "vietqr_length", "58"),
        (replaced("5802VN", "5800"), "vietqr_length", "58"),
        (replaced("0813ung ho lu lut", "0814ung ho lu lut"), "vietqr_length", "62.08"),
        (replaced("0813ung ho lu lut", "0812ung ho lu lut"), "vietqr_length", "62"),
        (replaced("0208QRIBFTTA", "0209QRIBFTTA"), "vietqr_length", "38.02"),
        (REF_BODY + "6305C15CA", "vietqr_length", "63"),
        (with_crc(REF_BODY)[:-8] + "6303ABC", "vietqr_length", "63"),
        # Fields missing, misplaced, duplicated.
        (replaced("5303704", ""), "vietqr_missing_field", "53"),
        (replaced("5802VN", ""), "vietqr_missing_field", "58"),
        (replaced("010212", ""), "vietqr_missing_field", "01"),
        (replaced(BENEFICIARY, ""), "vietqr_missing_field", "38"),
        (with_crc(REF_BODY.removeprefix("000201")), "vietqr_missing_field", "00"),
        (REF_BODY, "vietqr_missing_field", "63"),
        (with_crc(REF_BODY.replace("000201", "") + "000201"), "vietqr_format", "00"),
        (REF_BODY + "6304C15C5910XA SO DEMO", "vietqr_crc_position", "63"),
        (replaced("5802VN", "5802VN5802VN"), "vietqr_duplicate_field", "58"),
        (
            replaced("62170813ung ho lu lut", "62340813ung ho lu lut0813ung ho lu lut"),
            "vietqr_duplicate_field",
            "62.08",
        ),
        (replaced("5802VN", "AB02VN"), "vietqr_format", None),
        # Fixed values.
        (replaced("000201", "000202"), "vietqr_format", "00"),
        (replaced("010212", "010213"), "vietqr_format", "01"),
        (replaced("5303704", "5303840"), "vietqr_format", "53"),
        (replaced("5802VN", "5802US"), "vietqr_format", "58"),
        # The beneficiary.
        (replaced("0010A000000727", "0010A000000728"), "vietqr_format", "38.00"),
        (replaced(BENEFICIARY, beneficiary(extra=tlv("03", "XXXXXXXX"))), "vietqr_format", "38.03"),
        (replaced(BENEFICIARY, beneficiary(service=None)), "vietqr_missing_field", "38.02"),
        (replaced(BENEFICIARY, beneficiary(account=None)), "vietqr_missing_field", "38.01.01"),
        (replaced(BENEFICIARY, beneficiary(bank_bin=None)), "vietqr_missing_field", "38.01.00"),
        (
            replaced(BENEFICIARY, beneficiary(organisation_extra=tlv("02", "X"))),
            "vietqr_format",
            "38.01.02",
        ),
        (replaced(BENEFICIARY, beneficiary(guid="A000000677")), "vietqr_format", "38.00"),
        (replaced(BENEFICIARY, beneficiary(guid=None)), "vietqr_missing_field", "38.00"),
        (replaced(BENEFICIARY, beneficiary(service="QRIBFTTX")), "vietqr_service", "38.02"),
        (replaced(BENEFICIARY, beneficiary(bank_bin="97041")), "vietqr_bank_bin", "38.01.00"),
        (replaced(BENEFICIARY, beneficiary(bank_bin="97041X")), "vietqr_bank_bin", "38.01.00"),
        (
            replaced(BENEFICIARY, beneficiary(account="0011001932418a")),
            "vietqr_account",
            "38.01.01",
        ),
        (replaced(BENEFICIARY, beneficiary(account="1" * 20)), "vietqr_account", "38.01.01"),
        (
            replaced(BENEFICIARY, beneficiary(account="VQRQ0001", service="QRIBFTTC")),
            "vietqr_account",
            "38.01.01",
        ),
        # The amount.
        (replaced("5406120000", "54070120000"), "vietqr_amount", "54"),
        (replaced("5406120000", "54010"), "vietqr_amount", "54"),
        (replaced("5406120000", "54071200.00"), "vietqr_amount", "54"),
        (replaced("5406120000", "5406-12000"), "vietqr_amount", "54"),
        (replaced("5406120000", "541499999999999999"), "vietqr_amount", "54"),
        # The purpose.
        (
            replaced("62170813ung ho lu lut", "62300826ung ho lu lut DEMO-PL-0001"),
            "vietqr_purpose_too_long",
            "62.08",
        ),
        # The text itself.
        ("", "vietqr_format", None),
        ("   ", "vietqr_format", None),
        (REFERENCE.replace("ung ho", "ủng hộ"), "vietqr_format", None),
        (REFERENCE.replace("ung ho", "ung\x00ho"), "vietqr_format", None),
        (REFERENCE + "0" * 600, "vietqr_too_long", None),
    ],
)
def test_parse_refusals(text, code, field):
    error = refusal(text)
    assert error.code == code, error.message
    assert error.details.get("field") == field


def test_parse_refuses_what_is_not_text():
    for value in (REFERENCE.encode(), None, 120000):
        assert refusal(value).code == "vietqr_invalid"


def test_error_messages_do_not_repeat_the_payload():
    error = refusal(replaced("01130011001932418", "0113001100193241a"))
    assert "0011001932" not in str(error.message)
    assert "0011001932" not in str(error.as_dict())


def test_unknown_ids_are_kept_in_other():
    text = replaced(
        "5802VN62170813ung ho lu lut",
        "520400005802VN5910XA SO DEMO62300813ung ho lu lut0509XASO-0001",
    )
    fields = parse_payload(text)
    assert fields["other"] == {"52": "0000", "59": "XA SO DEMO", "62.05": "XASO-0001"}
    assert fields["purpose"] == "ung ho lu lut"


def test_initiation_and_amount_are_read_as_written():
    """EMVCo does not tie them together: a static code with an amount is read, not refused."""
    static_with_amount = parse_payload(replaced("010212", "010211"))
    assert (static_with_amount["initiation"], static_with_amount["amount"]) == ("static", 120000)
    dynamic_without = parse_payload(replaced("5406120000", ""))
    assert (dynamic_without["initiation"], dynamic_without["amount"]) == ("dynamic", None)


def test_every_truncation_is_refused():
    for end in range(len(REFERENCE)):
        with pytest.raises(VietQrInvalid):
            parse_payload(REFERENCE[:end])


# --- Corruption of every character ----------------------------------------------------------------


@pytest.mark.parametrize("payload", SAMPLES, ids=["reference", "static", "card"])
def test_every_single_character_substitution_is_refused(payload):
    """CRC-16 detects every burst of at most 16 bits; an ASCII substitution is one of at most 8."""
    tried = 0
    for position, original in enumerate(payload):
        for replacement in REPLACEMENTS:
            if replacement == original:
                continue
            corrupted = payload[:position] + replacement + payload[position + 1 :]
            with pytest.raises(VietQrInvalid):
                parse_payload(corrupted)
            tried += 1
    assert tried > 10 * len(payload)


@pytest.mark.parametrize("payload", SAMPLES, ids=["reference", "static", "card"])
def test_every_single_character_deletion_is_refused(payload):
    for position in range(len(payload)):
        with pytest.raises(VietQrInvalid):
            parse_payload(payload[:position] + payload[position + 1 :])


@pytest.mark.parametrize("payload", SAMPLES, ids=["reference", "static", "card"])
def test_every_single_character_insertion_is_refused(payload):
    for position in range(1, len(payload)):
        for extra in "0A ":
            with pytest.raises(VietQrInvalid):
                parse_payload(payload[:position] + extra + payload[position:])


# --- Properties -----------------------------------------------------------------------------------

bank_bins = st.from_regex(r"[0-9]{6}", fullmatch=True)
accounts = st.from_regex(r"[0-9A-Z]{1,19}", fullmatch=True)
cards = st.from_regex(r"[0-9]{8,19}", fullmatch=True)
amounts = st.none() | st.integers(min_value=1, max_value=10**12)
purposes = st.none() | st.text(
    alphabet=string.ascii_letters + string.digits + " ", max_size=PURPOSE_MAX_LENGTH
)
transfers = st.one_of(
    st.tuples(accounts, st.just("QRIBFTTA")), st.tuples(cards, st.just("QRIBFTTC"))
)


@settings(max_examples=300)
@given(bank_bin=bank_bins, transfer=transfers, amount=amounts, purpose=purposes)
def test_build_then_parse_round_trip(bank_bin, transfer, amount, purpose):
    account, service = transfer
    payload = build_payload(
        bank_bin=bank_bin, account=account, amount=amount, purpose=purpose, service=service
    )
    assert payload.isascii() and payload.isprintable()
    fields = parse_payload(payload)
    assert fields == {
        "payload_format": "01",
        "initiation": "static" if amount is None else "dynamic",
        "bank_bin": bank_bin,
        "account": account,
        "service": service,
        "currency": "704",
        "amount": amount,
        "country": "VN",
        "purpose": (" ".join(purpose.split()) or None) if purpose is not None else None,
        "crc": payload[-4:],
        "other": {},
    }
    assert re.fullmatch(r"[0-9A-F]{4}", fields["crc"])


@settings(max_examples=300)
@given(
    bank_bin=bank_bins,
    account=accounts,
    amount=amounts,
    purpose=purposes,
    data=st.data(),
)
def test_a_random_substitution_of_a_random_payload_is_refused(
    bank_bin, account, amount, purpose, data
):
    payload = build_payload(bank_bin=bank_bin, account=account, amount=amount, purpose=purpose)
    position = data.draw(st.integers(min_value=0, max_value=len(payload) - 1))
    replacement = data.draw(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E).filter(
            lambda ch: ch != payload[position]
        )
    )
    with pytest.raises(VietQrInvalid):
        parse_payload(payload[:position] + replacement + payload[position + 1 :])


# --- QR images ------------------------------------------------------------------------------------


def decode(image: Image.Image) -> list:
    import zxingcpp  # test-only dependency (pyproject's `test` extra): a QR decoder in a wheel

    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


@pytest.mark.parametrize("payload", SAMPLES, ids=["reference", "static", "card"])
def test_png_decodes_back_to_the_payload(payload):
    png = qr_png(payload)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.verify()
    image = Image.open(io.BytesIO(png))
    qr = segno.make_qr(payload, error="m", boost_error=False)
    modules = qr.symbol_size(scale=1, border=0)[0]
    assert image.size == ((modules + 8) * 8,) * 2  # scale 8, quiet zone of 4 modules
    results = decode(image)
    assert [result.text for result in results] == [payload]
    assert results[0].ec_level == "M"


def test_png_scale():
    small, large = qr_png(REFERENCE, scale=2), qr_png(REFERENCE, scale=10)
    assert Image.open(io.BytesIO(large)).size[0] == 5 * Image.open(io.BytesIO(small)).size[0]
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError):
            qr_png(REFERENCE, scale=bad)


def rasterise(svg: str, scale: int = 8) -> Image.Image:
    """Draw segno's SVG path (M/m moves, h horizontal runs of a 1-unit stroke) into a bitmap."""
    view_box = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    width, height = int(view_box[1]), int(view_box[2])
    path = re.search(r' d="([^"]+)"', svg)[1]
    image = Image.new("1", (width * scale, height * scale), 1)
    pixels = image.load()
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHh])([-0-9. ]+)", path):
        values = [float(n) for n in re.findall(r"-?[0-9.]+", numbers)]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            length = values[0]
            row = int(y - 0.5)
            for column in range(int(x), int(x + length)):
                for dy in range(scale):
                    for dx in range(scale):
                        pixels[column * scale + dx, row * scale + dy] = 0
            x += length
    return image


@pytest.mark.parametrize("payload", SAMPLES, ids=["reference", "static", "card"])
def test_svg_decodes_back_to_the_payload(payload):
    svg = qr_svg(payload)
    assert [result.text for result in decode(rasterise(svg))] == [payload]


def test_svg_is_safe_to_inline_under_a_strict_csp():
    svg = qr_svg(REFERENCE)
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "\n" not in svg
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg.upper()
    lowered = svg.lower()
    for forbidden in ("<script", "style=", "<style", "href", "<image", "<foreignobject", " on"):
        assert forbidden not in lowered, forbidden
    # The only URL is the SVG namespace, which is a name, not a fetch.
    assert re.findall(r"https?://[^\"']+", svg) == ["http://www.w3.org/2000/svg"]
    assert 'viewBox="0 0 ' in svg
    assert svg.count("<path ") == 1


def test_images_of_an_invalid_payload_are_refused():
    for draw in (qr_svg, qr_png):
        with pytest.raises(VietQrInvalid):
            draw(CIRCULATING)
        with pytest.raises(VietQrInvalid):
            draw("hello")
