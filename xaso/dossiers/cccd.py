"""The QR code on the chip ID card (CCCD): its text, read into the applicant's details.

The text (DOMAIN.md §5) is UTF-8 with fields separated by "|":

    personal ID (12 digits) | old ID (may be empty) | full name | date of birth ddmmyyyy |
    sex ("Nam" / "Nữ") | permanent address | issue date ddmmyyyy

and some cards leave the old ID out (6 fields). At the desk a USB scanner types the text as
keystrokes into a field; on the portal a phone camera reads it. So the parser is forgiving about
what the transport adds and strict about what the card says:

- forgiven: whitespace and newlines around the text (the scanner's Enter), one trailing "|", a
  leading byte order mark, decomposed Unicode (NFD, from some scanners and phones: normalised to
  NFC), whitespace around each field, runs of whitespace inside the name and the address, the case
  of the sex, and "Nu" for "Nữ" (scanners that can type only ASCII drop the diacritics; "Nam" has
  none to drop). Nothing else is guessed: "Nũ", "F" or "male" are refused.
- refused, each with its own stable code: the wrong number of fields, an ID that is not 12 ASCII
  digits, an old ID that is not 9 or 12 digits, an empty or implausible name, a date that does not
  exist, an unknown sex, a birth after the issue date, an issue date in the future.

The text is personal data: nothing here logs it, and no error message repeats any of it.

Pure: no database, no app registry. `today` defaults to the local date (Asia/Ho_Chi_Minh).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xaso.accounts.personal_id import personal_id_facts
from xaso.core.errors import InvalidInput

# A real card's text is about 300 characters; NFD input is longer. The API caps the body the same.
MAX_TEXT_LENGTH = 500

SEPARATOR = "|"
BOM = "\ufeff"

# Case-folded spellings accepted for each sex (see the module docstring).
SEXES = {"nam": "male", "nữ": "female", "nu": "female"}
SEX_ON_CARD = {"male": "Nam", "female": "Nữ"}

# The same characters the catalogue's person field refuses in a name (catalog/forms.py), so that a
# name read from a card is accepted when the dossier is submitted.
_NAME_FORBIDDEN = re.compile(r"[\d@#$%^&*_=+<>{}\[\]|\\/]")
_NAME_MAX_LENGTH = 100
_DATE = re.compile(r"[0-9]{8}")

# Warnings: the card was read, but something on it deserves a look at the card itself.
WARNING_ID_MISMATCH = "cccd_id_mismatch"
WARNING_ID_PROVINCE = "cccd_id_province"
WARNING_MESSAGES = {
    WARNING_ID_MISMATCH: gettext_lazy(
        "The personal ID number does not match the sex or the year of birth: "
        "check them against the card."
    ),
    WARNING_ID_PROVINCE: gettext_lazy(
        "The personal ID number does not start with a known province code: "
        "check it against the card."
    ),
}


class CccdInvalid(InvalidInput):
    """The text is not a readable chip ID card QR code. `code` says which part is wrong; `details`
    may name the field ({"field": "issued_on"}), never its value."""

    code = "cccd_invalid"
    default_message = gettext_lazy("This is not the QR code of a chip ID card.")


@dataclass(frozen=True)
class CccdData:
    personal_id: str
    old_id: str  # "" when the card has none
    full_name: str
    date_of_birth: date
    sex: str  # "male" | "female"
    address: str
    issued_on: date
    # Codes from WARNING_MESSAGES, in a fixed order; empty for a consistent card.
    warnings: tuple[str, ...] = ()


def parse_cccd_qr(text: str, *, today: date | None = None) -> CccdData:
    """Read the QR text of a chip ID card; raise `CccdInvalid` (a `DomainError`) on anything
    malformed."""
    if not isinstance(text, str):
        raise CccdInvalid()
    if len(text) > MAX_TEXT_LENGTH:
        raise CccdInvalid(_("The text is too long for an ID card QR code."), code="cccd_too_long")
    text = unicodedata.normalize("NFC", text).strip().removeprefix(BOM).strip()
    text = text.removesuffix(SEPARATOR)
    fields = [field.strip() for field in text.split(SEPARATOR)]
    if len(fields) == 6:
        fields.insert(1, "")
    if len(fields) != 7:
        raise CccdInvalid(
            _(
                "This is not the QR code of a chip ID card: it has the wrong number of parts. "
                "Scan it again, or type the details."
            ),
            code="cccd_field_count",
        )
    personal_id, old_id, full_name, born, sex, address, issued = fields

    if not _ascii_digits(personal_id, 12):
        raise CccdInvalid(
            _("The personal ID number in the QR code does not have 12 digits."),
            code="cccd_personal_id",
        )
    # The old number is usually the 9-digit identity card (CMND); some provinces issued 12-digit
    # CMND numbers (2012-2016), which a chip card may also carry as its old number.
    if old_id and not (_ascii_digits(old_id, 9) or _ascii_digits(old_id, 12)):
        raise CccdInvalid(
            _("The old ID number in the QR code does not have 9 or 12 digits."),
            code="cccd_old_id",
        )
    full_name = _single_spaced(full_name)
    if (
        not full_name
        or len(full_name) > _NAME_MAX_LENGTH
        or _NAME_FORBIDDEN.search(full_name)
        or _has_control(full_name)
        or not any(ch.isalpha() for ch in full_name)
    ):
        raise CccdInvalid(_("The QR code has no valid full name."), code="cccd_name")
    date_of_birth = _date(born)
    if date_of_birth is None:
        raise CccdInvalid(
            _("The date of birth in the QR code is not a real date."),
            code="cccd_date",
            details={"field": "date_of_birth"},
        )
    sex_value = SEXES.get(sex.casefold())
    if sex_value is None:
        raise CccdInvalid(_("The sex in the QR code is neither Nam nor Nữ."), code="cccd_sex")
    address = _single_spaced(address)
    if _has_control(address):
        raise CccdInvalid(
            _("The address in the QR code contains characters that cannot be read."),
            code="cccd_address",
        )
    issued_on = _date(issued)
    if issued_on is None:
        raise CccdInvalid(
            _("The issue date in the QR code is not a real date."),
            code="cccd_date",
            details={"field": "issued_on"},
        )
    # Equal dates are allowed: a card can be issued to a newborn (Law on Identification 2023).
    if date_of_birth > issued_on:
        raise CccdInvalid(
            _("The date of birth in the QR code is after the card's issue date."),
            code="cccd_dates_order",
        )
    if issued_on > (today or timezone.localdate()):
        raise CccdInvalid(
            _("The issue date in the QR code is in the future."), code="cccd_issued_future"
        )

    return CccdData(
        personal_id=personal_id,
        old_id=old_id,
        full_name=full_name,
        date_of_birth=date_of_birth,
        sex=sex_value,
        address=address,
        issued_on=issued_on,
        warnings=_warnings(personal_id, date_of_birth, sex_value),
    )


def format_cccd_qr(data: CccdData) -> str:
    """The QR text of a card with these details, in the 7-field form (the demo and tests)."""
    return SEPARATOR.join(
        (
            data.personal_id,
            data.old_id,
            data.full_name,
            data.date_of_birth.strftime("%d%m%Y"),
            SEX_ON_CARD[data.sex],
            data.address,
            data.issued_on.strftime("%d%m%Y"),
        )
    )


def _warnings(personal_id: str, date_of_birth: date, sex: str) -> tuple[str, ...]:
    """What the number says against what the card says.

    A warning, not a refusal. The number's digits 4-6 encode century, sex and birth year (Circular
    59/2021/TT-BCA, Circular 07/2016 before it), and the 12-digit numbers converted from 9-digit
    cards follow the rule too, so a consistent card is the norm. But the QR text is printed by the
    police from their own record: a text with the right shape that disagrees with itself is far
    more likely a real card with a quirk (a birth year corrected after the number was set, a
    re-determined sex, a province code missing from our list) than a misread, which the shape
    checks above catch. Refusing it would not correct anything; it would only make the officer
    type the card by hand. So the details are returned with a warning that the desk shows next to
    them, and the officer compares them with the printed card. (The catalogue's person field
    still refuses an inconsistent number when the dossier is submitted.)
    """
    facts = personal_id_facts(personal_id)
    if facts is None:
        return (WARNING_ID_PROVINCE,)
    if facts.sex != sex or facts.birth_year != date_of_birth.year:
        return (WARNING_ID_MISMATCH,)
    return ()


def _ascii_digits(value: str, length: int) -> bool:
    # str.isdigit alone accepts "０" (full width) and other scripts' digits.
    return len(value) == length and value.isascii() and value.isdigit()


def _date(value: str) -> date | None:
    if not _DATE.fullmatch(value):
        return None
    try:
        return date(int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:  # 31022000, month 13, year 0000
        return None


def _single_spaced(value: str) -> str:
    return " ".join(value.split())


def _has_control(value: str) -> bool:
    """Control, format (zero-width), private-use or unassigned characters: not from a card."""
    return any(unicodedata.category(ch).startswith("C") for ch in value)
