"""The queues: one list page per queue (counts in the navigation), search, keyset pages, and the
Friday board that refreshes itself every 30 seconds with htmx (a plain page without JavaScript)."""

from datetime import timedelta

from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.core.errors import InvalidInput
from xaso.dossiers.models import State
from xaso.dossiers.search import DossierFilters, dossier_search
from xaso.dossiers.selectors import dossier_by_code_for_staff
from xaso.workdays.engine import WorkDuration
from xaso.workdays.texts import format_work_duration

from .access import QUEUE_ORDER, page, queue_allowed, staff_required

SEARCH_MAX = 100
BOARD_REFRESH_SECONDS = 30
# Queues that show how long the dossier has waited (for the citizen, or since their answer).
SUPPLEMENT_QUEUES = {"waiting_citizen", "supplement_received"}


def _waited(dossier, queue: str, now) -> str:
    """How long the dossier has waited: for the citizen since the request, or for the desk since
    the citizen's answer ("2 ngày 3 giờ"; calendar time, not office hours)."""
    since = (
        dossier.supplement_requested_at
        if queue == "waiting_citizen"
        else dossier.supplement_answered_at
    )
    if since is None:
        return ""
    elapsed = max(now - since, timedelta(0))
    hours, seconds = divmod(elapsed.seconds, 3600)
    return format_work_duration(
        WorkDuration(days=elapsed.days, hours=hours, minutes=seconds // 60, overdue=False)
    )


@staff_required
def home(request):
    """Each role starts where its work is."""
    scope = staff_scope(request.user)
    roles = {role for held in scope.commune_roles.values() for role in held}
    if roles == {Role.COMMUNITY_MEMBER}:  # a team member is no officer: their own workspace
        return redirect("community:workspace")
    if not roles and scope.province_ids:
        return redirect("backoffice:reports")  # the province viewer's dashboard
    if Role.RECEPTION in roles:
        return redirect("backoffice:queue", queue="new")
    if Role.LEADER in roles:
        return redirect("backoffice:leader")
    return redirect("backoffice:queue", queue="mine")


@staff_required
def queue_list(request, queue: str):
    roles = {role for held in staff_scope(request.user).commune_roles.values() for role in held}
    if queue not in QUEUE_ORDER or not queue_allowed(queue, roles):
        raise Http404
    search = request.GET.get("q", "").strip()[:SEARCH_MAX]
    # A dossier's exact code (typed any way) opens it, in whichever state or queue it is.
    if search and (found := dossier_by_code_for_staff(request.user, search)):
        return redirect("backoffice:dossier", code=found.code)
    after = request.GET.get("after", "")[:40]
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    if queue == "result_ready":
        state, selector_queue = State.RESULT_READY, ""
    else:
        selector_queue = queue
    # The box matches as the search across queues does (`dossiers.search`): the code without
    # case or punctuation, the name without diacritics, a phone or personal ID number.
    filters = DossierFilters(q=search, state=state, queue=selector_queue)
    error = ""
    try:
        result = dossier_search(user=request.user, filters=filters, after=after)
    except InvalidInput as invalid:  # a tampered page link: say so, show the first page
        error = str(invalid.message)
        result = dossier_search(user=request.user, filters=filters)
    dossiers, next_cursor = result.dossiers, result.next_cursor
    if queue in SUPPLEMENT_QUEUES:
        for dossier in dossiers:
            dossier.waiting = _waited(dossier, queue, timezone.now())
    board = queue == "friday_board"
    if board:  # the board reads by time left, soonest first
        dossiers = sorted(dossiers, key=lambda d: (d.due_at is None, d.due_at, d.pk))
    return page(
        request,
        "backoffice/queues/list.html",
        {
            "queue": queue,
            "dossiers": dossiers,
            "next_cursor": next_cursor,
            "search": search,
            "state": state,
            "states": State.choices,
            "error": error,
            "board": board,
            "supplement": queue in SUPPLEMENT_QUEUES,
            "refresh_seconds": BOARD_REFRESH_SECONDS,
            "now": timezone.now(),
        },
    )
