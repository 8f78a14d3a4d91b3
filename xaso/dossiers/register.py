"""Form 07, the dossier register (Sổ theo dõi hồ sơ) of a commune for a period, as PDF and .xlsx.

Decisions:
- The register is the one-stop desk's: the dossiers the commune received at its desk or online
  (`receiving_commune`), whatever commune decides them.
- The period is by creation date (online submission or desk intake) in Asia/Ho_Chi_Minh: codes
  are numbered by that date without gaps, so the register lists them in order with none missing,
  refused and withdrawn dossiers included.
- On time or late, derived (never stored): a dossier ends when it is completed (approved,
  refused, withdrawn); it is late if that is after its due time, or, still open and not paused,
  when its due time has passed; more than one supplement request counts it as late, as the
  national index does (DOMAIN §2). No due time (refused at reception): nothing to say.
- A period is at most 366 days (a year's register); three queries, however many dossiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from xaso.accounts.scoping import FULL_READ_ROLES, staff_scope
from xaso.core.audit import personal_data_view_log
from xaso.core.cells import row_as_text
from xaso.core.errors import InvalidInput
from xaso.core.pdf import render_pdf
from xaso.places.models import Commune
from xaso.workdays.engine import TZ

from .documents import FORM_NUMBER, REGISTER_NUMBER, REGISTER_TITLE, masthead, short_moment
from .models import Dossier, State

MAX_REGISTER_DAYS = 366
ON_TIME = "on_time"
LATE = "late"
_NOT_RUNNING = frozenset({State.PAUSED, State.SUPPLEMENT_REQUESTED})


@dataclass(frozen=True, slots=True)
class RegisterRow:
    number: int
    code: str
    procedure_code: str
    procedure_name: str
    applicant: str
    received_at: datetime | None
    due_at: datetime | None
    completed_at: datetime | None
    returned_at: datetime | None
    timeliness: str  # ON_TIME, LATE or ""
    state: str
    state_label: str


def timeliness(dossier: Dossier, now: datetime) -> str:
    """On time, late, or "" (no due time, or still running before it)."""
    if dossier.due_at is None:
        return ""
    if dossier.supplement_rounds > 1:
        return LATE
    if dossier.completed_at is not None:
        return LATE if dossier.completed_at > dossier.due_at else ON_TIME
    if dossier.state not in _NOT_RUNNING and now > dossier.due_at:
        return LATE
    return ""


def _period(first: date, last: date) -> tuple[datetime, datetime]:
    if first > last:
        raise InvalidInput(_("The first date is after the last one."), code="invalid_range")
    if (last - first).days + 1 > MAX_REGISTER_DAYS:
        raise InvalidInput(
            _("Ask for at most %(days)d days at a time.") % {"days": MAX_REGISTER_DAYS},
            code="range_too_long",
        )
    start = datetime.combine(first, time.min, tzinfo=TZ)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=TZ)
    return start, end


def register_rows(
    commune: Commune, first: date, last: date, *, now: datetime | None = None
) -> list[RegisterRow]:
    """One row per dossier the commune's desk created from `first` to `last` (inclusive)."""
    start, end = _period(first, last)
    now = now or timezone.now()
    dossiers = (
        Dossier.objects.filter(
            receiving_commune=commune, submitted_at__gte=start, submitted_at__lt=end
        )
        .select_related("procedure")
        .order_by("submitted_at", "id")
    )
    return [
        RegisterRow(
            number=number,
            code=dossier.code,
            procedure_code=dossier.procedure.code,
            procedure_name=dossier.procedure.name,
            applicant=str(dossier.applicant.get("full_name") or ""),
            received_at=dossier.received_at,
            due_at=dossier.due_at,
            completed_at=dossier.completed_at,
            returned_at=dossier.returned_at,
            timeliness=timeliness(dossier, now),
            state=dossier.state,
            state_label=str(dossier.get_state_display()),
        )
        for number, dossier in enumerate(dossiers, start=1)
    ]


def timeliness_label(value: str) -> str:
    return {ON_TIME: _("On time"), LATE: _("Late")}.get(value, "")


def _period_text(first: date, last: date) -> str:
    return _("From %(first)s to %(last)s") % {
        "first": first.strftime("%d/%m/%Y"),
        "last": last.strftime("%d/%m/%Y"),
    }


def register_pdf(commune: Commune, first: date, last: date) -> bytes:
    """Form 07 for the period, A4 landscape, as many pages as it takes (the header row repeats)."""
    with translation.override("vi"):
        rows = register_rows(commune, first, last)
        today = timezone.localdate()
        context = {
            **masthead(commune, number="", at=today),
            "title": REGISTER_TITLE,
            "form_number": FORM_NUMBER.format(number=REGISTER_NUMBER),
            "period": _period_text(first, last),
            "rows": [
                {
                    "row": row,
                    "received": short_moment(row.received_at),
                    "due": short_moment(row.due_at),
                    "completed": short_moment(row.completed_at),
                    "returned": short_moment(row.returned_at),
                    "timeliness": timeliness_label(row.timeliness),
                }
                for row in rows
            ],
            "density": "normal",
        }
        return render_pdf(render_to_string("dossiers/forms/register.html", context))


def _headers() -> list[str]:
    return [
        _("No."),
        _("Dossier code"),
        _("Procedure code"),
        _("Procedure"),
        _("Applicant"),
        _("Received"),
        _("Due"),
        _("Completed"),
        _("Returned"),
        _("On time or late"),
        _("State"),
    ]


def _local(moment: datetime | None) -> datetime | None:
    # Spreadsheets have no time zones: the local time, as shown on paper.
    return moment.astimezone(TZ).replace(tzinfo=None) if moment else None


def register_xlsx(commune: Commune, first: date, last: date) -> bytes:
    """Form 07 for the period as a spreadsheet: a title block, then a header row and one row
    per dossier (dates as real dates, local time)."""
    with translation.override("vi"):
        rows = register_rows(commune, first, last)
        headers = _headers()
        book = Workbook()
        sheet = book.active
        sheet.title = "Sổ theo dõi hồ sơ"
        sheet.append([REGISTER_TITLE])
        sheet.append([commune.name])
        sheet.append([_period_text(first, last)])
        sheet.append([])
        sheet.append(headers)
        header_row = sheet.max_row
        for row in rows:
            sheet.append(
                [
                    row.number,
                    row.code,
                    row.procedure_code,
                    row.procedure_name,
                    row.applicant,
                    _local(row.received_at),
                    _local(row.due_at),
                    _local(row.completed_at),
                    _local(row.returned_at),
                    timeliness_label(row.timeliness),
                    row.state_label,
                ]
            )
            row_as_text(sheet[sheet.max_row])  # the applicant's name is typed by anyone
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"].font = Font(bold=True)
    thin = Side(style="thin", color="000000")
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for line in sheet.iter_rows(min_row=header_row + 1, min_col=6, max_col=9):
        for cell in line:
            cell.number_format = "dd/mm/yyyy hh:mm"
    widths = [6, 24, 11, 40, 24, 17, 17, 17, 17, 14, 20]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if rows:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{sheet.max_row}"
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def register_commune_for_staff(user, commune_code: str, first: date, last: date, *, purpose: str):
    """The commune whose register `user` may read, and the record that they read it: the
    register names every applicant of the period, so a community team member (who sees only the
    dossiers they filed) may not, and each read is logged (Law 91/2025)."""
    commune = staff_scope(user).commune(commune_code, roles=FULL_READ_ROLES)
    personal_data_view_log(
        actor=user,
        object_type="register",
        object_id=f"{commune.code}:{first.isoformat()}:{last.isoformat()}",
        fields=["applicant"],
        commune_code=commune.code,
        purpose=purpose,
    )
    return commune
