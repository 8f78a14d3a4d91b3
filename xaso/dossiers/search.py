"""Finding dossiers: one selector for the back office's search box, its list of all dossiers and
that list's Excel export, and `GET /api/v1/dossiers`.

What a search matches, in the user's communes only (`selectors.staff_dossiers`) and in every
state:
- the code typed any way (`codes.code_key`: case, spaces and punctuation do not count);
- the applicant's name typed with or without diacritics, each word as the start of a word of
  the name, in any order ("nguyen an" finds "Nguyễn Văn An");
- a phone number (any of `+84 912 345 678`, `0912.345.678`) or a personal ID number, whole; a
  shorter run of digits (3 to 8) anywhere in them ("the number ends in 5678").
Names, phones and IDs are matched on `Dossier.search_text`, kept by `Dossier.save` from the
applicant (`applicant_search_text`); on PostgreSQL a trigram index serves it (migration 0012).

Lists run a fixed number of queries whatever their length; pages are keyset pages (stable while
dossiers arrive); a search that shows dossiers is recorded as a read of personal data in the
trail of each commune it found some in (Law 91/2025).
"""

import base64
import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xaso.accounts.models import Membership, Role
from xaso.accounts.scoping import FULL_READ_ROLES, staff_scope
from xaso.core.audit import personal_data_view_log
from xaso.core.errors import InvalidInput
from xaso.core.text import by_name, person_sort_key, phone_digits, search_key

from . import workflow
from .codes import code_key
from .models import Channel, Dossier, State
from .selectors import PAGE_SIZE, QUEUES, queue_filter, staff_dossiers

SEARCH_MAX = 100  # characters of a search
SEARCH_MIN = 2  # characters (without spaces) before anything is searched
EXPORT_MAX = 10_000  # rows of one Excel export
# Runs of digits at least this long are a whole phone or ID number, not a fragment of one.
WHOLE_NUMBER = 9

# Sort keys: (field, descending). "" is the newest first (the order of creation).
SORTS = {
    "": ("pk", True),
    "received": ("received_at", False),
    "-received": ("received_at", True),
    "due": ("due_at", False),
    "-due": ("due_at", True),
    "code": ("code", False),
    "-code": ("code", True),
}
# Who may be chosen as "officer": the roles that are given dossiers.
OFFICER_ROLES = (Role.RECEPTION, Role.SPECIALIST, Role.LEADER)


# --- what is stored ---------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", search_key(text)).split()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", phone_digits(str(text or "")))


def applicant_search_text(applicant: dict | None) -> str:
    """' nguyen van an 0912345678 066060001234 ': the applicant's name (lower case, without
    diacritics or punctuation), phone and personal ID, each word between spaces so that a
    search can ask for a whole number or the start of a word."""
    applicant = applicant or {}
    tokens = [
        *_words(str(applicant.get("full_name") or "")),
        _digits(applicant.get("phone") or ""),
        _digits(applicant.get("personal_id") or ""),
    ]
    tokens = [token for token in tokens if token]
    return f" {' '.join(tokens)} " if tokens else ""


# --- what is asked ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """A search as matched: the code key, a number (digits only), or name words."""

    key: str
    number: str
    words: tuple[str, ...]

    @property
    def fields(self) -> list[str]:
        """The personal data a search by these terms reads."""
        if self.number:
            return ["applicant.full_name", "applicant.phone", "applicant.personal_id"]
        return ["applicant.full_name"]


def search_terms(text: str) -> Terms | None:
    """The terms of a search box's text; None when there is too little to search."""
    text = (text or "").strip()[:SEARCH_MAX]
    if len(re.sub(r"\s", "", text)) < SEARCH_MIN:
        return None
    compact = re.sub(r"[\s.\-()/]", "", text)
    number = _digits(compact) if re.fullmatch(r"\+?\d+", compact) else ""
    words = () if number else tuple(_words(text))
    if not (number or words):
        return None
    return Terms(key=code_key(text), number=number, words=words)


def terms_condition(terms: Terms) -> Q:
    """The dossiers the terms find (before scoping)."""
    condition = Q(code_key=terms.key) if terms.key else Q(pk__in=[])
    if terms.number:
        whole = len(terms.number) >= WHOLE_NUMBER
        pattern = f" {terms.number} " if whole else terms.number
        return condition | Q(search_text__contains=pattern)
    named = Q()
    for word in terms.words:
        named &= Q(search_text__contains=f" {word}")
    return condition | named


# --- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierFilters:
    """What the list of all dossiers (and the API) may narrow by. Empty means "any"."""

    q: str = ""
    state: str = ""
    queue: str = ""
    procedure: str = ""  # a procedure code
    channel: str = ""
    received_from: date | None = None
    received_to: date | None = None
    officer: str = ""  # the assigned officer's username
    overdue: bool = False
    sort: str = ""

    def checked(self) -> "DossierFilters":
        """The same filters, or InvalidInput naming the first bad one."""
        if self.state and self.state not in State.values:
            raise InvalidInput(_("Unknown state."), code="unknown_state")
        if self.queue and self.queue not in QUEUES:
            raise InvalidInput(
                _("Unknown queue; use one of: %(queues)s.") % {"queues": ", ".join(QUEUES)},
                code="unknown_queue",
            )
        if self.channel and self.channel not in Channel.values:
            raise InvalidInput(_("Unknown channel."), code="unknown_channel")
        if self.sort not in SORTS:
            raise InvalidInput(
                _("Unknown order; use one of: %(sorts)s.")
                % {"sorts": ", ".join(key for key in SORTS if key)},
                code="unknown_sort",
            )
        if self.received_from and self.received_to and self.received_from > self.received_to:
            raise InvalidInput(
                _("The first day of the period is after its last day."), code="period"
            )
        return replace(self, q=self.q.strip()[:SEARCH_MAX])

    @property
    def searching(self) -> bool:
        return bool(self.q.strip())


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_dossiers(*, user, filters: DossierFilters, now: datetime) -> QuerySet[Dossier]:
    """The user's dossiers that pass `filters` (checked), unordered."""
    dossiers = staff_dossiers(user)
    if filters.searching:
        terms = search_terms(filters.q)
        if terms is None:
            return dossiers.none()
        dossiers = dossiers.filter(terms_condition(terms))
    if filters.state:
        dossiers = dossiers.filter(state=filters.state)
    if filters.queue:
        dossiers = dossiers.filter(queue_filter(filters.queue, user=user, now=now))
    if filters.procedure:
        dossiers = dossiers.filter(procedure__code=filters.procedure)
    if filters.channel:
        dossiers = dossiers.filter(channel=filters.channel)
    if filters.received_from:
        dossiers = dossiers.filter(received_at__gte=_day_start(filters.received_from))
    if filters.received_to:
        dossiers = dossiers.filter(
            received_at__lt=_day_start(filters.received_to + timedelta(days=1))
        )
    if filters.officer:
        dossiers = dossiers.filter(assigned_to__username=filters.officer)
    if filters.overdue:
        dossiers = dossiers.filter(state__in=workflow.CLOCK_STATES, due_at__lt=now)
    return dossiers


def _ordered(dossiers: QuerySet[Dossier], sort: str) -> QuerySet[Dossier]:
    field, descending = SORTS[sort]
    if field == "pk":
        return dossiers.order_by("-pk")
    column = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return dossiers.order_by(column, "-pk" if descending else "pk")


# --- keyset pages -----------------------------------------------------------------------------


def _cursor_encode(dossier: Dossier, sort: str) -> str:
    field, _descending = SORTS[sort]
    value = getattr(dossier, field)
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([sort, value, dossier.pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_decode(cursor: str, sort: str):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, value, pk = json.loads(raw)
        if cursor_sort != sort or not isinstance(pk, int):
            raise ValueError(cursor)
        field, _descending = SORTS[sort]
        if value is not None and field in ("received_at", "due_at"):
            value = datetime.fromisoformat(value)
        elif value is not None and not isinstance(value, (str, int)):
            raise ValueError(cursor)
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise InvalidInput(_("This page link is not valid."), code="cursor") from error
    return value, pk


def _after(dossiers: QuerySet[Dossier], cursor: str, sort: str) -> QuerySet[Dossier]:
    """The rows after the cursor's, in the order of `sort` (the empty values last, as shown)."""
    value, pk = _cursor_decode(cursor, sort)
    field, descending = SORTS[sort]
    if field == "pk":
        return dossiers.filter(pk__lt=pk)
    further = "lt" if descending else "gt"
    if value is None:
        return dossiers.filter(**{f"{field}__isnull": True, f"pk__{further}": pk})
    return dossiers.filter(
        Q(**{f"{field}__{further}": value})
        | Q(**{field: value, f"pk__{further}": pk})
        | Q(**{f"{field}__isnull": True})
    )


@dataclass(frozen=True)
class DossierPage:
    dossiers: list[Dossier]
    next_cursor: str | None


def _listed(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.select_related("procedure", "receiving_commune", "assigned_to")


# What no page of dossiers shows: the answers and documents, the secrets, and the procedure's form
# definition, fees and legal texts (JSON of a few KB a row). A page of 25 read and decoded some
# 260 JSON values it never showed (issue 22: the staff queue's cost); the pinned query counts of
# the list pages fail if one of them is read after all.
PAGE_DEFERRED = (
    "search_text", "lookup_secret_sealed", "consent", "answers", "components",
    *(f"procedure__{name}" for name in (
        "legal_basis", "unverified", "aliases", "form", "fees", "delivery_channels", "search_text",
    )),
)  # fmt: skip


def dossier_search(
    *, user, filters: DossierFilters, after: str = "", purpose: str = "dossier_search"
) -> DossierPage:
    """One page of the user's dossiers that pass `filters`, PAGE_SIZE at a time. When the
    filters search for words or numbers, showing the dossiers found is recorded (`purpose`)."""
    filters = filters.checked()
    now = timezone.now()
    dossiers = filtered_dossiers(user=user, filters=filters, now=now)
    if after:
        dossiers = _after(dossiers, after, filters.sort)
    page = list(_listed(_ordered(dossiers, filters.sort)).defer(*PAGE_DEFERRED)[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    if filters.searching:
        search_read_log(user, page, search_terms(filters.q), purpose=purpose)
    return DossierPage(page, _cursor_encode(page[-1], filters.sort) if more else None)


def search_read_log(user, found: list[Dossier], terms: Terms | None, *, purpose: str) -> None:
    """Searching by a person reads whose dossiers they are: one row in the trail of each
    commune where the search found some, naming the dossiers shown."""
    if terms is None:
        return
    by_commune: dict[str, list[str]] = {}
    for dossier in found:
        by_commune.setdefault(dossier.receiving_commune.code, []).append(dossier.code)
    # One transaction (one commit) for all the communes' rows, not one each: a province-wide
    # search finding dossiers of 20 communes waited for 20 commits. The chains are locked in the
    # order of their codes, as every writer of several chains must.
    with transaction.atomic():
        for commune_code, codes in sorted(by_commune.items()):
            personal_data_view_log(
                actor=user,
                object_type="dossier_search",
                object_id=codes[0],
                fields=[*terms.fields, *(f"dossier:{code}" for code in codes)],
                commune_code=commune_code,
                purpose=purpose,
            )


# --- the export -------------------------------------------------------------------------------


class TooManyRows(InvalidInput):
    code = "too_many_rows"


def dossiers_for_export(*, user, filters: DossierFilters) -> list[Dossier]:
    """Every dossier that passes `filters`, in their order (not one page): at most EXPORT_MAX,
    else TooManyRows. The export of personal data is recorded in each commune's trail."""
    filters = filters.checked()
    dossiers = filtered_dossiers(user=user, filters=filters, now=timezone.now())
    rows = list(_listed(_ordered(dossiers, filters.sort))[: EXPORT_MAX + 1])
    if len(rows) > EXPORT_MAX:
        raise TooManyRows(
            _("More than %(max)s dossiers match: narrow the filters (for example the dates) "
              "to export at most %(max)s at a time.") % {"max": f"{EXPORT_MAX:,}".replace(",", ".")}
        )  # fmt: skip
    by_commune: dict[str, list[str]] = {}
    for dossier in rows:
        by_commune.setdefault(dossier.receiving_commune.code, []).append(dossier.code)
    with transaction.atomic():  # one commit, the chains in order (as in search_read_log)
        for commune_code, codes in sorted(by_commune.items()):
            personal_data_view_log(
                actor=user,
                object_type="dossier_export",
                object_id=codes[0],
                fields=["applicant.full_name", f"rows:{len(codes)}", f"last:{codes[-1]}"],
                commune_code=commune_code,
                purpose="dossier_export_xlsx",
            )
    return rows


def dossiers_xlsx(dossiers: list[Dossier], *, now: datetime) -> bytes:
    """The rows as an Excel workbook, in Vietnamese: one header row, one row per dossier, times
    as real dates (Vietnam time); every text cell stays text (`core.cells`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from xaso.core.cells import row_as_text

    def local(moment):
        return timezone.localtime(moment).replace(tzinfo=None) if moment else None

    with translation.override("vi"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Dossiers")[:31]
        headers = [
            _("Dossier code"), _("Procedure code"), _("Procedure"), _("Applicant"), _("Channel"),
            _("State"), _("Received"), _("Due"), _("Overdue"), _("Assigned to"), _("Commune"),
        ]  # fmt: skip
        sheet.append(headers)
        for dossier in dossiers:
            late = (
                dossier.state in workflow.CLOCK_STATES
                and dossier.due_at is not None
                and dossier.due_at < now
            )
            sheet.append(
                [
                    dossier.code,
                    dossier.procedure.code,
                    dossier.procedure.name,
                    str(dossier.applicant.get("full_name") or ""),
                    dossier.get_channel_display(),
                    dossier.get_state_display(),
                    local(dossier.received_at),
                    local(dossier.due_at),
                    _("yes") if late else "",
                    dossier.assigned_to.get_full_name() if dossier.assigned_to else "",
                    dossier.receiving_commune.name,
                ]
            )
            row_as_text(sheet[sheet.max_row])  # names are typed by anyone
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in sheet.iter_rows(min_row=2, min_col=7, max_col=8):
        for cell in line:
            cell.number_format = "dd/mm/yyyy hh:mm"
    for index, width in enumerate([24, 10, 40, 24, 18, 20, 17, 17, 8, 22, 22], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# --- the choices of the filters ---------------------------------------------------------------


def officer_choices(user) -> list[tuple[str, str]]:
    """(username, full name) of the officers of the user's communes, in Vietnamese order."""
    commune_ids = staff_scope(user).commune_ids(FULL_READ_ROLES)
    people = {
        membership.user.username: membership.user.get_full_name() or membership.user.username
        for membership in Membership.objects.filter(
            commune_id__in=commune_ids, role__in=OFFICER_ROLES, user__is_active=True
        ).select_related("user")
    }
    return sorted(people.items(), key=lambda item: person_sort_key(item[1]))


def procedure_choices() -> list[tuple[str, str]]:
    """(code, name) of the active procedures, in Vietnamese order."""
    from xaso.catalog.models import Procedure

    return [(p.code, p.name) for p in by_name(Procedure.objects.filter(is_active=True))]
