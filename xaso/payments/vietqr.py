"""VietQR: the bank-transfer QR code of NAPAS 247 (an EMVCo merchant-presented QR), built and read.

The text (DOMAIN.md §4) is a run of objects, each `ID` (2 digits) + `length` (2 digits, decimal,
01-99) + `value`; 38 and 62 are templates whose value is itself such a run:

    00 payload format "01"                 01 point of initiation "11" static / "12" dynamic
    38 beneficiary {00 "A000000727" (NAPAS), 01 {00 bank BIN, 01 account or card}, 02 service}
    53 currency "704"    54 amount (optional)    58 country "VN"    62 {08 purpose} (optional)
    63 CRC-16/CCITT-FALSE of everything before its 4 hex digits, "6304" included: always last

`build_payload` writes a code for one of the commune's accounts; `parse_payload` reads one back
(ours, or one a citizen or an intermediary hands us) and refuses anything malformed with a
`VietQrInvalid` whose `code` says what (see the constants below; `details` may name the field, as
{"field": "38.01.01"}, never its value). The decisions, in the order a reader meets them:

- The CRC is checked first, over the text exactly as given (surrounding whitespace aside, from a
  scanner's Enter: a real payload starts with "00" and ends with hex digits, so nothing real is
  lost). A misread or damaged code is thus reported as such ("vietqr_crc"), not as whatever field
  the damage happens to land in. CRC-16 detects every error burst of at most 16 bits, and a
  one-character substitution in ASCII is a burst of at most 8 bits: every such substitution is
  caught. A deletion shifts the text and is caught by the structure checks (the tests try every
  single-character substitution and deletion of real payloads).
- Then the structure, strictly: every length is two digits and at least 01; a template's objects
  must fill it exactly; at the top level, a length running past the end of the text is a cut-off
  ("vietqr_truncated"); inside a template it is a wrong length ("vietqr_length"). That is what
  refuses the static example that circulates widely (DOMAIN.md §4): its CRC is right, but it
  declares its 13-digit account with length 12, leaving one digit that is no object.
- 00 comes first and 63 last (EMVCo); an ID appearing twice in one template is refused. 00, 01,
  38, 53, 58 and 63 are required: EMVCo makes 01 optional, but NAPAS always writes it and a
  reader needs it. Other top-level IDs (EMVCo allows many: 52 merchant category, 59 name, ...)
  are kept, undecoded, in "other"; so are the sub-objects of 62 other than 08, as "62.NN".
  Template 38 is NAPAS's own and has only 00, 01 and 02: anything else there is refused.
- Static and dynamic are reported as written, and independently of the amount: EMVCo does not tie
  them together and real codes mix them. `build_payload` writes "11" without an amount and "12"
  with one.
- The amount is whole đồng: ASCII digits, no leading zero, above zero, at most 13 digits (the
  EMVCo maximum length of 54). A decimal point is refused: the đồng has no minor unit.
- Bank BIN: 6 ASCII digits, without a check of the prefix: most are 970xxx, but the VietQR list
  has others (foreign banks, e-wallets, digital banks).
- Account: for QRIBFTTA (to an account), 1-19 ASCII digits or upper-case letters. Banks number
  accounts with digits, but payment intermediaries and some banks' aliases put letters in the
  virtual accounts they issue, and the reconciliation of fees goes through such intermediaries;
  lower case is refused (no bank issues it: a form upper-cases before building). For QRIBFTTC (to
  a card), 8-19 ASCII digits, the ISO/IEC 7812 card number lengths; no Luhn check.
- Purpose (the transfer note): diacritics stripped (banks' apps and statements are ASCII), runs of
  whitespace made one space; it must then be printable ASCII and at most 25 characters (EMVCo's
  limit for 62-08). A longer note is refused, never cut: the cut part may be the dossier code the
  reconciliation matches on. An empty note is left out (no 62).
- Only printable ASCII anywhere in a payload, at most 512 characters (the EMVCo maximum).

QR images (segno): error correction M exactly (no boosting: the level is part of the contract),
a 4-module quiet zone. The SVG is one <svg> element with a viewBox and a path with presentation
attributes: no XML declaration, no script, no style attribute, no external reference, so it can be
inlined in a page under the strict CSP (style-src 'self'); the page sizes it with CSS.

Pure: no database, no app registry (messages go through gettext).
"""

import io
import re

import segno
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xaso.core.errors import InvalidInput
from xaso.core.text import strip_diacritics

PAYLOAD_FORMAT = "01"
INITIATION_STATIC = "11"
INITIATION_DYNAMIC = "12"
INITIATIONS = {INITIATION_STATIC: "static", INITIATION_DYNAMIC: "dynamic"}
NAPAS_GUID = "A000000727"
SERVICE_ACCOUNT = "QRIBFTTA"  # transfer to an account
SERVICE_CARD = "QRIBFTTC"  # transfer to a card
SERVICES = (SERVICE_ACCOUNT, SERVICE_CARD)
CURRENCY_VND = "704"
COUNTRY_VN = "VN"

MAX_PAYLOAD_LENGTH = 512
MAX_VALUE_LENGTH = 99
MAX_AMOUNT_DIGITS = 13
ACCOUNT_MAX_LENGTH = 19
CARD_MIN_LENGTH = 8
PURPOSE_MAX_LENGTH = 25

# Top-level IDs.
ID_FORMAT = "00"
ID_INITIATION = "01"
ID_BENEFICIARY = "38"
ID_CURRENCY = "53"
ID_AMOUNT = "54"
ID_COUNTRY = "58"
ID_ADDITIONAL = "62"
ID_CRC = "63"
REQUIRED_IDS = (ID_FORMAT, ID_INITIATION, ID_BENEFICIARY, ID_CURRENCY, ID_COUNTRY, ID_CRC)
DECODED_IDS = (*REQUIRED_IDS, ID_AMOUNT, ID_ADDITIONAL)
# Sub-IDs: 38 = {00 GUID, 01 {00 BIN, 01 account}, 02 service}; 62 = {08 purpose, ...}.
SUB_GUID = "00"
SUB_ORGANISATION = "01"
SUB_SERVICE = "02"
SUB_BANK_BIN = "00"
SUB_ACCOUNT = "01"
SUB_PURPOSE = "08"

# Error codes (stable: the API and the tests use them).
CODE_FORMAT = "vietqr_format"
CODE_TOO_LONG = "vietqr_too_long"
CODE_CRC = "vietqr_crc"
CODE_CRC_POSITION = "vietqr_crc_position"
CODE_LENGTH = "vietqr_length"
CODE_TRUNCATED = "vietqr_truncated"
CODE_MISSING_FIELD = "vietqr_missing_field"
CODE_DUPLICATE_FIELD = "vietqr_duplicate_field"
CODE_AMOUNT = "vietqr_amount"
CODE_BANK_BIN = "vietqr_bank_bin"
CODE_ACCOUNT = "vietqr_account"
CODE_SERVICE = "vietqr_service"
CODE_PURPOSE = "vietqr_purpose"
CODE_PURPOSE_TOO_LONG = "vietqr_purpose_too_long"

QR_ERROR = "m"
QR_BORDER = 4

_TWO_DIGITS = re.compile(r"[0-9]{2}")
_BANK_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(rf"[0-9A-Z]{{1,{ACCOUNT_MAX_LENGTH}}}")
_CARD = re.compile(rf"[0-9]{{{CARD_MIN_LENGTH},{ACCOUNT_MAX_LENGTH}}}")
_AMOUNT = re.compile(rf"[1-9][0-9]{{0,{MAX_AMOUNT_DIGITS - 1}}}")
_CRC_VALUE = re.compile(r"[0-9A-F]{4}")
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*")
_CRC_TAIL = ID_CRC + "04"  # "6304": the CRC object's header, covered by the CRC itself


class VietQrInvalid(InvalidInput):
    """The text is not a valid VietQR payload, or the details given cannot make one. `code` says
    which part is wrong; `details` may name the field ({"field": "38.01.01"}), never its value."""

    code = "vietqr_invalid"
    default_message = gettext_lazy("This is not a valid VietQR bank transfer code.")


# --- CRC ------------------------------------------------------------------------------------------


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        table.append(crc & 0xFFFF)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR.
    (Its check value: b"123456789" -> 0x29B1.)"""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[(crc >> 8) ^ byte]
    return crc


def _crc_hex(text: str) -> str:
    return f"{crc16_ccitt_false(text.encode('ascii')):04X}"


# --- Building -------------------------------------------------------------------------------------


def build_payload(
    *,
    bank_bin: str,
    account: str,
    amount: int | None = None,
    purpose: str | None = None,
    service: str = SERVICE_ACCOUNT,
) -> str:
    """The VietQR text for a transfer to `account` at the bank `bank_bin`: static (reusable) when
    `amount` is None, dynamic (one payment of `amount` whole đồng) otherwise. `purpose` is the
    transfer note (diacritics stripped, at most 25 characters). Raises `VietQrInvalid`."""
    if service not in SERVICES:
        raise VietQrInvalid(
            _("The VietQR service must be QRIBFTTA (to an account) or QRIBFTTC (to a card)."),
            code=CODE_SERVICE,
        )
    _check_bank_bin(bank_bin)
    _check_account(account, service)
    if amount is not None and (
        isinstance(amount, bool)
        or not isinstance(amount, int)
        or not _AMOUNT.fullmatch(str(amount))
    ):
        raise _amount_error()
    note = normalise_purpose(purpose) if purpose is not None else ""

    beneficiary = (
        _tlv(SUB_GUID, NAPAS_GUID)
        + _tlv(SUB_ORGANISATION, _tlv(SUB_BANK_BIN, bank_bin) + _tlv(SUB_ACCOUNT, account))
        + _tlv(SUB_SERVICE, service)
    )
    parts = [
        _tlv(ID_FORMAT, PAYLOAD_FORMAT),
        _tlv(ID_INITIATION, INITIATION_STATIC if amount is None else INITIATION_DYNAMIC),
        _tlv(ID_BENEFICIARY, beneficiary),
        _tlv(ID_CURRENCY, CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(_tlv(ID_AMOUNT, str(amount)))
    parts.append(_tlv(ID_COUNTRY, COUNTRY_VN))
    if note:
        parts.append(_tlv(ID_ADDITIONAL, _tlv(SUB_PURPOSE, note)))
    body = "".join(parts) + _CRC_TAIL
    return body + _crc_hex(body)


def normalise_purpose(purpose: str) -> str:
    """The transfer note as it goes into the code: 'Lệ phí  hồ sơ' -> 'Le phi ho so'. Raises
    `VietQrInvalid` for characters with no ASCII form, or a note longer than 25 characters."""
    if not isinstance(purpose, str):
        raise VietQrInvalid(_("The transfer note must be text."), code=CODE_PURPOSE)
    note = " ".join(strip_diacritics(purpose).split())
    if not _PRINTABLE_ASCII.fullmatch(note):
        raise VietQrInvalid(
            _(
                "The transfer note may contain only letters without diacritics, digits, spaces "
                "and common punctuation."
            ),
            code=CODE_PURPOSE,
        )
    if len(note) > PURPOSE_MAX_LENGTH:
        raise _purpose_too_long()
    return note


def _tlv(object_id: str, value: str) -> str:
    if not value or len(value) > MAX_VALUE_LENGTH:
        raise VietQrInvalid(
            _("A VietQR field must hold 1 to 99 characters."),
            code=CODE_LENGTH,
            details={"field": object_id},
        )
    return f"{object_id}{len(value):02d}{value}"


# --- Reading --------------------------------------------------------------------------------------


def parse_payload(text: str) -> dict:
    """Read a VietQR text into its fields; raise `VietQrInvalid` on anything malformed.

    Returns {"payload_format": "01", "initiation": "static" | "dynamic", "bank_bin", "account",
    "service", "currency": "704", "amount": int | None, "country": "VN", "purpose": str | None,
    "crc": "C15C", "other": {ID or "62.NN": raw value}}.
    """
    if not isinstance(text, str):
        raise VietQrInvalid()
    text = text.strip()
    if len(text) > MAX_PAYLOAD_LENGTH:
        raise VietQrInvalid(_("The text is too long for a VietQR code."), code=CODE_TOO_LONG)
    if not text:
        raise VietQrInvalid(_("The VietQR code is empty."), code=CODE_FORMAT)
    if not _PRINTABLE_ASCII.fullmatch(text):
        raise VietQrInvalid(
            _("The VietQR code contains characters that a VietQR code cannot hold."),
            code=CODE_FORMAT,
        )
    _check_crc(text)

    objects = _read_objects(text, path="", top=True)
    if ID_CRC in objects and list(objects)[-1] != ID_CRC:
        raise _crc_not_last()
    for object_id in REQUIRED_IDS:
        if object_id not in objects:
            raise _missing(object_id)
    if next(iter(objects)) != ID_FORMAT:
        raise VietQrInvalid(
            _("A VietQR code must start with its payload format (field 00)."),
            code=CODE_FORMAT,
            details={"field": ID_FORMAT},
        )
    # The CRC was checked over the text's last 8 characters: the structure must agree that they
    # are the CRC object (and not, say, the end of a longer 63).
    if len(objects[ID_CRC]) != 4:
        raise _bad_length(ID_CRC)

    _expect(objects, ID_FORMAT, PAYLOAD_FORMAT)
    initiation = INITIATIONS.get(objects[ID_INITIATION])
    if initiation is None:
        raise VietQrInvalid(
            _("The VietQR code is neither static (11) nor dynamic (12)."),
            code=CODE_FORMAT,
            details={"field": ID_INITIATION},
        )
    bank_bin, account, service = _read_beneficiary(objects[ID_BENEFICIARY])
    _expect(objects, ID_CURRENCY, CURRENCY_VND)
    _expect(objects, ID_COUNTRY, COUNTRY_VN)
    amount = None
    if ID_AMOUNT in objects:
        if not _AMOUNT.fullmatch(objects[ID_AMOUNT]):
            raise _amount_error()
        amount = int(objects[ID_AMOUNT])

    other = {key: value for key, value in objects.items() if key not in DECODED_IDS}
    purpose = None
    if ID_ADDITIONAL in objects:
        additional = _read_objects(objects[ID_ADDITIONAL], path=ID_ADDITIONAL)
        purpose = additional.pop(SUB_PURPOSE, None)
        if purpose is not None and len(purpose) > PURPOSE_MAX_LENGTH:
            raise _purpose_too_long()
        other.update({f"{ID_ADDITIONAL}.{key}": value for key, value in additional.items()})

    return {
        "payload_format": objects[ID_FORMAT],
        "initiation": initiation,
        "bank_bin": bank_bin,
        "account": account,
        "service": service,
        "currency": objects[ID_CURRENCY],
        "amount": amount,
        "country": objects[ID_COUNTRY],
        "purpose": purpose,
        "crc": objects[ID_CRC],
        "other": other,
    }


def _check_crc(text: str) -> None:
    crc = text[-4:]
    if len(text) < 8 or text[-8:-4] != _CRC_TAIL:
        # No CRC at the end: find out what is wrong from the structure (cut off, CRC elsewhere,
        # no CRC at all) and, if the structure says nothing, say so here.
        objects = _read_objects(text, path="", top=True)
        if ID_CRC in objects and list(objects)[-1] != ID_CRC:
            raise _crc_not_last()
        if ID_CRC in objects:
            raise _bad_length(ID_CRC)
        raise _missing(ID_CRC)
    if not _CRC_VALUE.fullmatch(crc) or crc != _crc_hex(text[:-4]):
        raise VietQrInvalid(
            _(
                "The VietQR code's checksum does not match: the code is damaged or was misread. "
                "Scan it again."
            ),
            code=CODE_CRC,
        )


def _read_objects(value: str, *, path: str, top: bool = False) -> dict[str, str]:
    """The objects of a run, in order; each ID at most once. `path` names the template."""
    objects: dict[str, str] = {}
    position = 0
    while position < len(value):
        header = value[position : position + 4]
        if len(header) < 4:
            # Fewer than 4 characters left: an object without its ID and length.
            if top:
                raise _truncated()
            raise _bad_length(path)
        object_id, length = header[:2], header[2:]
        field = f"{path}.{object_id}" if path else object_id
        if not _TWO_DIGITS.fullmatch(object_id):
            raise VietQrInvalid(
                _("A VietQR field has an ID that is not two digits."),
                code=CODE_FORMAT,
                details={"field": path} if path else {},
            )
        if not _TWO_DIGITS.fullmatch(length) or length == "00":
            raise _bad_length(field)
        start = position + 4
        end = start + int(length)
        if end > len(value):
            if top:
                raise _truncated()
            raise _bad_length(field)
        if object_id in objects:
            raise VietQrInvalid(
                _("A VietQR field appears twice."),
                code=CODE_DUPLICATE_FIELD,
                details={"field": field},
            )
        objects[object_id] = value[start:end]
        position = end
    return objects


def _read_beneficiary(value: str) -> tuple[str, str, str]:
    objects = _read_objects(value, path=ID_BENEFICIARY)
    for sub_id in objects:
        if sub_id not in (SUB_GUID, SUB_ORGANISATION, SUB_SERVICE):
            raise VietQrInvalid(
                _("The VietQR beneficiary has a field that NAPAS does not define."),
                code=CODE_FORMAT,
                details={"field": f"{ID_BENEFICIARY}.{sub_id}"},
            )
    for sub_id in (SUB_GUID, SUB_ORGANISATION, SUB_SERVICE):
        if sub_id not in objects:
            raise _missing(f"{ID_BENEFICIARY}.{sub_id}")
    if objects[SUB_GUID] != NAPAS_GUID:
        raise VietQrInvalid(
            _("This is not a NAPAS (VietQR) bank transfer code."),
            code=CODE_FORMAT,
            details={"field": f"{ID_BENEFICIARY}.{SUB_GUID}"},
        )
    service = objects[SUB_SERVICE]
    if service not in SERVICES:
        raise VietQrInvalid(
            _("The VietQR service must be QRIBFTTA (to an account) or QRIBFTTC (to a card)."),
            code=CODE_SERVICE,
            details={"field": f"{ID_BENEFICIARY}.{SUB_SERVICE}"},
        )
    path = f"{ID_BENEFICIARY}.{SUB_ORGANISATION}"
    organisation = _read_objects(objects[SUB_ORGANISATION], path=path)
    for sub_id in organisation:
        if sub_id not in (SUB_BANK_BIN, SUB_ACCOUNT):
            raise VietQrInvalid(
                _("The VietQR beneficiary has a field that NAPAS does not define."),
                code=CODE_FORMAT,
                details={"field": f"{path}.{sub_id}"},
            )
    for sub_id in (SUB_BANK_BIN, SUB_ACCOUNT):
        if sub_id not in organisation:
            raise _missing(f"{path}.{sub_id}")
    bank_bin, account = organisation[SUB_BANK_BIN], organisation[SUB_ACCOUNT]
    _check_bank_bin(bank_bin)
    _check_account(account, service)
    return bank_bin, account, service


def _expect(objects: dict[str, str], object_id: str, expected: str) -> None:
    if objects[object_id] != expected:
        raise VietQrInvalid(
            _("A VietQR field does not hold the value that a VietQR code requires."),
            code=CODE_FORMAT,
            details={"field": object_id},
        )


# --- Checks shared by both directions -------------------------------------------------------------


def _check_bank_bin(bank_bin: str) -> None:
    if not isinstance(bank_bin, str) or not _BANK_BIN.fullmatch(bank_bin):
        raise VietQrInvalid(
            _("The bank BIN must be 6 digits."),
            code=CODE_BANK_BIN,
            details={"field": f"{ID_BENEFICIARY}.{SUB_ORGANISATION}.{SUB_BANK_BIN}"},
        )


def _check_account(account: str, service: str) -> None:
    details = {"field": f"{ID_BENEFICIARY}.{SUB_ORGANISATION}.{SUB_ACCOUNT}"}
    if service == SERVICE_CARD:
        if not isinstance(account, str) or not _CARD.fullmatch(account):
            raise VietQrInvalid(
                _("A card number must have 8 to 19 digits."), code=CODE_ACCOUNT, details=details
            )
    elif not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise VietQrInvalid(
            _("An account number must have 1 to 19 digits or capital letters."),
            code=CODE_ACCOUNT,
            details=details,
        )


def _amount_error() -> VietQrInvalid:
    return VietQrInvalid(
        _("The amount must be a whole number of đồng above zero, at most 13 digits."),
        code=CODE_AMOUNT,
        details={"field": ID_AMOUNT},
    )


def _purpose_too_long() -> VietQrInvalid:
    return VietQrInvalid(
        _("The transfer note is longer than 25 characters (without diacritics)."),
        code=CODE_PURPOSE_TOO_LONG,
        details={"field": f"{ID_ADDITIONAL}.{SUB_PURPOSE}"},
    )


def _missing(field: str) -> VietQrInvalid:
    return VietQrInvalid(
        _("The VietQR code lacks a required field."),
        code=CODE_MISSING_FIELD,
        details={"field": field},
    )


def _bad_length(field: str) -> VietQrInvalid:
    return VietQrInvalid(
        _("A field of the VietQR code declares a length that does not match its content."),
        code=CODE_LENGTH,
        details={"field": field} if field else {},
    )


def _crc_not_last() -> VietQrInvalid:
    return VietQrInvalid(
        _("The checksum (field 63) must be the last field of a VietQR code."),
        code=CODE_CRC_POSITION,
        details={"field": ID_CRC},
    )


def _truncated() -> VietQrInvalid:
    return VietQrInvalid(
        _("The VietQR code is cut off: part of it is missing. Scan it again."),
        code=CODE_TRUNCATED,
    )


# --- Images ---------------------------------------------------------------------------------------


def _qr(payload: str) -> segno.QRCode:
    parse_payload(payload)  # never draw a code that a bank app would refuse
    return segno.make_qr(payload, error=QR_ERROR, boost_error=False)


def qr_svg(payload: str) -> str:
    """The QR code as one <svg> element to inline in a page (sized by CSS: it has a viewBox)."""
    buffer = io.BytesIO()
    _qr(payload).save(
        buffer,
        kind="svg",
        border=QR_BORDER,
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        svgclass="vietqr",
        lineclass=None,
    )
    return buffer.getvalue().decode("utf-8")


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """The QR code as a PNG, `scale` pixels a module."""
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError("scale must be a positive integer")
    buffer = io.BytesIO()
    _qr(payload).save(buffer, kind="png", scale=scale, border=QR_BORDER)
    return buffer.getvalue()
