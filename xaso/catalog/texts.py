"""The catalogue's facts in words, for pages and documents: how long a procedure takes, how many
papers to bring. Presentation only; the rules themselves are data."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Procedure, RequiredDocument


def time_limit_text(procedure: Procedure) -> str:
    """'Trong ngày', '3 ngày làm việc', '8 giờ làm việc' (in Vietnamese)."""
    amount, unit = procedure.limit_amount, procedure.limit_unit
    if unit == Procedure.Unit.SAME_DAY or amount == 0:
        return _("Same day")
    if unit == Procedure.Unit.WORKING_HOURS:
        return ngettext("%(count)d working hour", "%(count)d working hours", amount) % {
            "count": amount
        }
    return ngettext("%(count)d working day", "%(count)d working days", amount) % {"count": amount}


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
