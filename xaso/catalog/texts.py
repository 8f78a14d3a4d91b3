"""The catalogue's facts in words, for pages and documents: how long a procedure takes, how many
papers to bring. Presentation only; the rules themselves are data."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Procedure, RequiredDocument


def limit_words(amount: int, unit: str) -> str:
    """'Trong ngày', '3 ngày làm việc', '8 giờ làm việc', '15 ngày' (in Vietnamese)."""
    if unit == Procedure.Unit.SAME_DAY or amount == 0:
        return _("Same day")
    if unit == Procedure.Unit.WORKING_HOURS:
        return ngettext("%(count)d working hour", "%(count)d working hours", amount) % {
            "count": amount
        }
    if unit == Procedure.Unit.CALENDAR_DAYS:
        return ngettext("%(count)d day", "%(count)d days", amount) % {"count": amount}
    return ngettext("%(count)d working day", "%(count)d working days", amount) % {"count": amount}


def time_limit_text(procedure: Procedure) -> str:
    return limit_words(procedure.limit_amount, procedure.limit_unit)


def verification_limit_text(procedure: Procedure) -> str:
    """'5 ngày làm việc nếu cần xác minh', or "" when the law gives no longer limit."""
    if not procedure.verification_limit_unit:
        return ""
    return _("%(limit)s if verification is needed") % {
        "limit": limit_words(
            procedure.verification_limit_amount or 0, procedure.verification_limit_unit
        )
    }


def copies_text(document: RequiredDocument) -> str:
    """'1 bản chính', '1 bản chính, 2 bản sao', or 'to show' when nothing is handed in."""
    parts = []
    if document.originals:
        parts.append(
            ngettext("%(count)d original", "%(count)d originals", document.originals)
            % {"count": document.originals}
        )
    if document.copies:
        parts.append(
            ngettext("%(count)d copy", "%(count)d copies", document.copies)
            % {"count": document.copies}
        )
    return ", ".join(parts) if parts else _("to show, not to hand in")
