"""The list of all dossiers of the user's communes: filters (state, procedure, channel, received
dates, officer, overdue, the search box's words), an order, keyset pages of 25, cards on a phone,
and an Excel export of every row the filters keep (not only the page shown). One selector does
the reading: xaso.dossiers.search (the API's GET /api/v1/dossiers too)."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xaso.core.downloads import XLSX, file_response
from xaso.core.errors import InvalidInput
from xaso.dossiers.models import Channel, State
from xaso.dossiers.search import (
    SEARCH_MAX,
    DossierFilters,
    TooManyRows,
    dossier_search,
    dossiers_for_export,
    dossiers_xlsx,
    officer_choices,
    procedure_choices,
)
from xaso.dossiers.workflow import CLOCK_STATES

from .access import page, staff_required

SORT_LABELS = (
    ("", gettext_lazy("Newest first")),
    ("-received", gettext_lazy("Received, latest first")),
    ("received", gettext_lazy("Received, earliest first")),
    ("due", gettext_lazy("Due, soonest first")),
    ("-due", gettext_lazy("Due, latest first")),
    ("code", gettext_lazy("Code, A to Z")),
    ("-code", gettext_lazy("Code, Z to A")),
)
# The query string's names, as the filter form sends them.
FIELDS = ("q", "state", "procedure", "channel", "from", "to", "officer", "overdue", "sort")


def _day(text: str, errors: list[str], label: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        errors.append(_("%(field)s: not a date (dd/mm/yyyy).") % {"field": label})
        return None


def filters_from(query) -> tuple[DossierFilters, list[str]]:
    """The filters of a query string, and what was not understood in it (left out)."""
    errors: list[str] = []
    state = query.get("state", "")
    channel = query.get("channel", "")
    sort = query.get("sort", "")
    filters = DossierFilters(
        q=query.get("q", "").strip()[:SEARCH_MAX],
        state=state if state in State.values else "",
        procedure=query.get("procedure", "")[:10],
        channel=channel if channel in Channel.values else "",
        received_from=_day(query.get("from", ""), errors, _("Received from")),
        received_to=_day(query.get("to", ""), errors, _("Received until")),
        officer=query.get("officer", "")[:150],
        overdue=query.get("overdue", "") in ("1", "on", "true"),
        sort=sort if sort in dict(SORT_LABELS) else "",
    )
    if (
        filters.received_from
        and filters.received_to
        and filters.received_from > filters.received_to
    ):
        errors.append(_("The first day of the period is after its last day."))
        filters = DossierFilters(**{**filters.__dict__, "received_to": None})
    return filters, errors


def query_string(query, **changes) -> str:
    """The filter part of the query string (what the form sent), with `changes`."""
    kept = {name: query.get(name, "") for name in FIELDS}
    kept.update(changes)
    return urlencode({name: value for name, value in kept.items() if value})


def listing(request, filters: DossierFilters, *, purpose: str) -> tuple[list, str | None, str]:
    """The page of dossiers for `filters` from the `after` of the request, its next cursor,
    and the error of a tampered page link (then the first page)."""
    after = request.GET.get("after", "")[:200]
    try:
        result = dossier_search(user=request.user, filters=filters, after=after, purpose=purpose)
        return result.dossiers, result.next_cursor, ""
    except InvalidInput as invalid:
        if not after:
            raise
        result = dossier_search(user=request.user, filters=filters, purpose=purpose)
        return result.dossiers, result.next_cursor, str(invalid.message)


@staff_required
def all_dossiers(request):
    filters, errors = filters_from(request.GET)
    dossiers, next_cursor, error = listing(request, filters, purpose="backoffice_all_dossiers")
    if error:
        errors.append(error)
    return page(
        request,
        "backoffice/all_dossiers/list.html",
        {
            "queue": "all",
            "filters": filters,
            "received_from": request.GET.get("from", "")[:10] if filters.received_from else "",
            "received_to": request.GET.get("to", "")[:10] if filters.received_to else "",
            "errors": errors,
            "dossiers": dossiers,
            "next_query": query_string(request.GET, after=next_cursor) if next_cursor else "",
            "export_query": query_string(request.GET),
            "states": State.choices,
            "channels": Channel.choices,
            "procedures": procedure_choices(),
            "officers": officer_choices(request.user),
            "sorts": SORT_LABELS,
            "now": timezone.now(),
            "clock_states": CLOCK_STATES,
        },
    )


@staff_required
def all_dossiers_xlsx(request):
    """Every dossier the filters keep, as .xlsx (at most search.EXPORT_MAX rows)."""
    filters, _errors = filters_from(request.GET)
    try:
        rows = dossiers_for_export(user=request.user, filters=filters)
    except TooManyRows as error:
        messages.error(request, str(error.message))
        target = redirect("backoffice:all_dossiers")
        target["Location"] += f"?{query_string(request.GET)}"
        return target
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return file_response(dossiers_xlsx(rows, now=timezone.now()), f"ho-so-{stamp}.xlsx", XLSX)
