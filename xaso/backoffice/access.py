"""What every back-office page shares: the staff check, the commune in view, domain errors turned
into messages, and the navigation with a count per queue."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.core.errors import DomainError
from xaso.core.text import by_name
from xaso.dossiers.models import State
from xaso.dossiers.selectors import queue_filter, staff_dossiers
from xaso.dossiers.workflow import UNFINISHED_STATES
from xaso.news.workflow import WRITER_ROLES
from xaso.places.models import Commune, Province
from xaso.workdays.selectors import calendar_years_to_confirm

# The queues of the navigation, in the order officers work through them.
QUEUE_ORDER = (
    "new",
    "waiting_citizen",
    "supplement_received",
    "mine",
    "due_today",
    "overdue",
    "awaiting_signature",
    "result_ready",
    "friday_board",
)

QUEUE_LABELS = {
    "new": _("New online dossiers"),
    "waiting_citizen": _("Waiting for the citizen"),
    "supplement_received": _("Supplement received"),
    "mine": _("Mine"),
    "due_today": _("Due today"),
    "overdue": _("Overdue"),
    "awaiting_signature": _("Awaiting signature"),
    "result_ready": _("Result ready"),
    "friday_board": _("Friday board"),
}


# Queues only for the officers who handle their dossiers; the others are for every staff role.
QUEUE_ROLES = {
    "waiting_citizen": frozenset({Role.RECEPTION, Role.SPECIALIST, Role.LEADER}),
    "supplement_received": frozenset({Role.RECEPTION, Role.SPECIALIST, Role.LEADER}),
}


def queue_allowed(queue: str, roles) -> bool:
    allowed = QUEUE_ROLES.get(queue)
    return allowed is None or bool(allowed & set(roles))


def queue_condition(queue: str, *, user, now) -> Q:
    """`result_ready` is a plain state; the others are the dossiers app's queue filters."""
    if queue == "result_ready":
        return Q(state=State.RESULT_READY)
    return queue_filter(queue, user=user, now=now)


def staff_required(view):
    """Signed-in staff only: anonymous users go to the login page; a user without any staff role
    gets 404, as another commune's user does (nothing reveals what exists)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "backoffice:login")
        if not staff_scope(request.user).is_staff:
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            if error.status == 404:
                raise Http404 from error
            # Bad input on a page: a clear 4xx page with the reason, never a 500.
            return page(request, "backoffice/error.html", {"error": error}, status=error.status)

    return wrapper


def error_message(request, error: DomainError) -> None:
    messages.error(request, str(error.message))


def back(request, fallback: str):
    """After a POST: back where the form was (same host only), else `fallback`."""
    target = request.POST.get("next", "")
    if target.startswith("/backoffice/") and "//" not in target:
        return redirect(target)
    return redirect(fallback)


def admin_commune(user) -> Commune:
    """The commune this user administers (every admin_* screen); 404 for everyone else."""
    ids = sorted(staff_scope(user).commune_ids([Role.COMMUNE_ADMIN]))
    if not ids:
        raise Http404
    return Commune.objects.select_related("province").get(pk=ids[0])


def _calendar_reminders(communes: list[Commune], today) -> list[dict]:
    """For a commune's administrators: years whose official days are still to be entered."""
    return [
        {"commune": commune, "year": str(year)}
        for commune, year in calendar_years_to_confirm(communes=communes, today=today)
    ]


def nav_context(request) -> dict:
    """Commune, roles and queue counts for the layout: two queries (communes, counts)."""
    user = request.user
    scope = staff_scope(user)
    ids = scope.commune_ids()
    communes = by_name(Commune.objects.filter(pk__in=ids))
    roles = sorted({role for held in scope.commune_roles.values() for role in held})
    if scope.province_ids and Role.PROVINCE_VIEWER not in roles:
        roles.append(Role.PROVINCE_VIEWER)
    now = timezone.now()
    # A province viewer holds no commune role: the commune desks' queues are not theirs.
    commune_staff = bool(scope.commune_roles)
    # Every queue is of unfinished dossiers: counting only those reads a few days' dossiers
    # through the state index, not all the years of the commune's (issue 22).
    counts = (
        staff_dossiers(user)
        .filter(state__in=UNFINISHED_STATES)
        .aggregate(
            **{
                queue: Count("pk", filter=queue_condition(queue, user=user, now=now))
                for queue in QUEUE_ORDER
            }
        )
        if commune_staff
        else {}
    )
    admin_communes = [c for c in communes if Role.COMMUNE_ADMIN in scope.roles_in(c)]
    return {
        "calendar_reminders": _calendar_reminders(admin_communes, timezone.localdate(now)),
        "nav_communes": communes,
        # A province viewer's header names their province (they hold no commune).
        "nav_provinces": []
        if communes
        else list(Province.objects.filter(pk__in=scope.province_ids)),
        "nav_roles": [Role(role).label for role in roles],
        "nav_queues": [
            (queue, QUEUE_LABELS[queue], counts[queue])
            for queue in QUEUE_ORDER
            if commune_staff and queue_allowed(queue, roles)
        ],
        "is_commune_staff": commune_staff,
        "is_reception": any(Role.RECEPTION in held for held in scope.commune_roles.values()),
        "is_leader": any(Role.LEADER in held for held in scope.commune_roles.values()),
        "is_admin": any(Role.COMMUNE_ADMIN in held for held in scope.commune_roles.values()),
        # Announcements and bulletins: every officer of a commune writes them (news/workflow.py).
        "is_news_writer": any(held & WRITER_ROLES for held in scope.commune_roles.values()),
    }


def page(request, template: str, context: dict | None = None, *, status: int = 200):
    """Render a back-office page inside the layout (navigation counts included)."""
    from django.shortcuts import render

    return render(request, template, {**nav_context(request), **(context or {})}, status=status)
