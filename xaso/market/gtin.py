"""GTINs and GS1 Digital Link (docs/market.md, DOMAIN.md §8a): pure, no database.

A GTIN-8, -12, -13 or -14 ends in a check digit: from the right, the digits before it are
weighted 3, 1, 3, 1 …; the check digit brings the sum to a multiple of 10. GS1 Viet Nam's prefix
is 893. A product without a real GTIN gets a plain address of the commune, never an invented one.
"""

import re

from django.utils.translation import gettext as _

from xaso.core.errors import InvalidInput

LENGTHS = (8, 12, 13, 14)
VIETNAM_PREFIX = "893"
# GS1 AI (10) batch/lot: up to 20 characters; xaso's lot codes use A–Z, 0–9 and "-".
LOT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")


class GtinInvalid(InvalidInput):
    code = "gtin_invalid"


def check_digit(body: str) -> int:
    """The check digit of the digits before it (`body` without its last digit)."""
    total = sum(
        int(digit) * (3 if position % 2 == 0 else 1)
        for position, digit in enumerate(reversed(body))
    )
    return (10 - total % 10) % 10


def gtin_clean(value: str) -> str:
    """The GTIN as typed (spaces and hyphens allowed), checked; "" stays "".

    Raises GtinInvalid with a message that says what is wrong, in the user's language."""
    text = re.sub(r"[\s-]", "", value or "")
    if not text:
        return ""
    if not text.isdigit() or len(text) not in LENGTHS:
        raise GtinInvalid(
            _("A GTIN (barcode number) has 8, 12, 13 or 14 digits; “%(value)s” is not one.")
            % {"value": value.strip()[:40]}
        )
    expected = check_digit(text[:-1])
    if int(text[-1]) != expected:
        raise GtinInvalid(
            _(
                "The GTIN %(value)s is wrong: its last digit (check digit) should be %(expected)d, "
                "not %(given)s. Copy the number again from the barcode or from the GS1 Viet Nam "
                "certificate."
            )
            % {"value": text, "expected": expected, "given": text[-1]}
        )
    return text


def gtin14(gtin: str) -> str:
    """The GTIN as the 14 digits GS1 Digital Link carries (zeros in front)."""
    return gtin.rjust(14, "0")


def digital_link(base_url: str, gtin: str, lot: str) -> str:
    """`https://<host>/01/<GTIN-14>/10/<lot>`: the GS1 Digital Link URI of one lot."""
    return f"{base_url.rstrip('/')}/01/{gtin14(gtin)}/10/{lot}"
