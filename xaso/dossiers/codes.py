"""Dossier codes and lookup secrets.

The code has the Circular 01/2018 shape `<agency code>-<yymmdd>-<NNNN>` by default; a
deployment or a commune may change the pattern (Circular 03/2025 may have: DOMAIN.md §1).
Numbers run per receiving commune and day without gaps: the day's counter row is locked inside
the creating transaction, so concurrent submissions queue for it and a rolled-back one gives its
number back.
"""

import re
import secrets
import unicodedata
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from xaso.core.counters import counter_next
from xaso.core.errors import InvalidInput
from xaso.places.models import Commune

from .models import DossierCounter

# No 0/O, 1/I/L: the secret is read aloud over the phone and typed from a paper slip.
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105 (an alphabet)
SECRET_LENGTH = 10


def code_key(text: str) -> str:
    """The code as lookups compare it: letters and digits only, upper case. "demo-pl 261202/0001"
    and "DEMOPL2612020001" are the same code as "DEMOPL-261202-0001" (typed from a slip, read
    over the phone, scanned by a kiosk)."""
    folded = unicodedata.normalize("NFKC", text or "").upper()
    return re.sub(r"[^0-9A-Z]", "", folded)


def lookup_secret_new() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def dossier_code_next(commune: Commune, day: date) -> str:
    """The next code of the commune for the day. Call inside the creating transaction."""
    if not commune.agency_code:
        raise InvalidInput(
            _("The commune has no agency code yet: its administrator must set it first."),
            code="no_agency_code",
        )
    number = counter_next(DossierCounter, commune=commune, day=day)
    pattern = commune.dossier_code_pattern or settings.XASO_DOSSIER_CODE_PATTERN
    return pattern.format(agency=commune.agency_code, date=day, number=number)


def code_example(day: date) -> str:
    """A code as the receipt prints it today, to show in a lookup field: the first commune's
    pattern and agency code, number 1."""
    first = (
        Commune.objects.exclude(agency_code="")
        .order_by("pk")
        .values_list("dossier_code_pattern", "agency_code")
        .first()
    )
    if first is None:
        return settings.XASO_DOSSIER_CODE_PATTERN.format(agency="XA", date=day, number=1)
    pattern, agency_code = first
    return (pattern or settings.XASO_DOSSIER_CODE_PATTERN).format(
        agency=agency_code, date=day, number=1
    )
