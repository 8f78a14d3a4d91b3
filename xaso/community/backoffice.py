"""The commune's pages for its village digital teams, in the back office (`/backoffice/community/`):
the teams and their members (the administrator sets them up and edits them), monthly targets,
trainings with attendance, and the adoption table by village and month with small charts and the
monthly report to the province (.xlsx). Read by every officer of the commune; written by its
administrator (the services check it)."""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role, User
from xaso.accounts.scoping import FULL_READ_ROLES, staff_scope
from xaso.backoffice.access import error_message, page, staff_required
from xaso.core.downloads import XLSX, file_response
from xaso.core.errors import DomainError
from xaso.places.models import Commune, Village

from .charts import bar_chart
from .models import Attendance, Member, Metric, Team, TrainingSession
from .report import adoption_workbook
from .selectors import (
    COUNT_COLUMNS,
    adoption_for_commune,
    members_of,
    month_start,
    period,
    target_progress,
    trainings_of,
)
from .services import (
    attendance_record,
    member_add,
    member_end,
    target_set,
    team_create,
    team_decision_set,
    training_create,
)


def _commune(user) -> Commune:
    ids = sorted(staff_scope(user).commune_ids(FULL_READ_ROLES))
    if not ids:
        raise Http404
    return Commune.objects.select_related("province").get(pk=ids[0])


def _is_admin(user, commune) -> bool:
    return Role.COMMUNE_ADMIN in staff_scope(user).roles_in(commune)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _done(request, action, success: str):
    try:
        action()
    except DomainError as error:
        fields = error.details.get("fields", {}) if error.details else {}
        texts = [str(m) for items in fields.values() for m in items]
        if texts:
            messages.error(request, "; ".join(texts))
        else:
            error_message(request, error)
    else:
        messages.success(request, success)


@staff_required
def team_list(request):
    commune = _commune(request.user)
    if request.method == "POST":
        village = Village.objects.filter(commune=commune, code=request.POST.get("village")).first()
        if village is None:
            raise Http404
        _done(
            request,
            lambda: team_create(
                actor=request.user,
                village=village,
                decision_number=request.POST.get("decision_number", ""),
                decision_date=_date(request.POST.get("decision_date", "")),
                decision_signer=request.POST.get("decision_signer", ""),
            ),
            _("The team is set up."),
        )
        return redirect("community_backoffice:teams")
    from .selectors import teams_visible

    today = timezone.localdate()
    from django.db.models import Count, Q

    active = Q(members__active_from__lte=today) & (
        Q(members__active_to__isnull=True) | Q(members__active_to__gte=today)
    )
    teams = teams_visible(request.user, commune).annotate(
        active_members=Count("members", filter=active)
    )
    from xaso.core.text import vietnamese_sort_key

    teams = sorted(teams, key=lambda team: vietnamese_sort_key(team.village.name))
    without = Village.objects.filter(commune=commune, digital_team__isnull=True)
    return page(
        request,
        "community/backoffice/teams.html",
        {
            "commune": commune,
            "teams": teams,
            "villages_without": sorted(without, key=lambda v: vietnamese_sort_key(v.name)),
            "can_edit": _is_admin(request.user, commune),
        },
    )


def _team(request, team_id: int) -> Team:
    commune = _commune(request.user)
    team = Team.objects.select_related("village", "commune").filter(pk=team_id).first()
    if team is None or team.commune_id != commune.pk:
        raise Http404
    return team


@staff_required
def team_page(request, team_id: int):
    team = _team(request, team_id)
    today = timezone.localdate()
    if request.method == "POST":
        operation = request.POST.get("operation")
        post = request.POST
        if operation == "decision":
            _done(request, lambda: team_decision_set(
                actor=request.user, team=team, decision_number=post.get("decision_number", ""),
                decision_date=_date(post.get("decision_date", "")),
                decision_signer=post.get("decision_signer", ""),
            ), _("The decision is saved."))  # fmt: skip
        elif operation == "member":
            username = post.get("username", "").strip()
            user = User.objects.filter(username=username).first() if username else None
            if username and user is None:
                messages.error(request, _("No account has this username."))
            else:
                _done(request, lambda: member_add(
                    actor=request.user, team=team, full_name=post.get("full_name", ""),
                    phone=post.get("phone", "").strip(), team_role=post.get("team_role", ""),
                    origin=post.get("origin", ""), active_from=_date(post.get("active_from", "")),
                    user=user,
                ), _("The member is added."))  # fmt: skip
        elif operation == "end":
            member = Member.objects.filter(team=team, pk=post.get("member")).first()
            if member is None:
                raise Http404
            _done(request, lambda: member_end(actor=request.user, member=member),
                  _("The member's activity is ended."))  # fmt: skip
        elif operation == "target":
            month = _date(post.get("month", "") + "-01") or month_start(today)
            try:
                target = int(post.get("target", ""))
            except ValueError:
                target = -1
            _done(request, lambda: target_set(
                actor=request.user, team=team, month=month, metric=post.get("metric", ""),
                target=target,
            ), _("The target is saved."))  # fmt: skip
        return redirect("community_backoffice:team", team_id=team.pk)
    return page(
        request,
        "community/backoffice/team.html",
        {
            "team": team,
            "members": members_of(team),
            "today": today,
            "targets": target_progress(team, today),
            "month": month_start(today),
            "roles": Member.TeamRole.choices,
            "origins": Member.Origin.choices,
            "metrics": Metric.choices,
            "can_edit": _is_admin(request.user, team.commune),
        },
    )


@staff_required
def trainings(request):
    commune = _commune(request.user)
    post = request.POST
    if request.method == "POST":
        if post.get("operation") == "attendee":
            session = TrainingSession.objects.filter(
                commune=commune, pk=post.get("session")
            ).first()
            if session is None:
                raise Http404
            member = Member.objects.filter(
                team__commune=commune, pk=post.get("member") or 0
            ).first()
            _done(request, lambda: attendance_record(
                actor=request.user, session=session, kind=post.get("kind", ""), member=member,
                name=post.get("name", ""), course_completed=post.get("completed") == "yes",
            ), _("The attendee is recorded."))  # fmt: skip
        else:
            team = Team.objects.filter(commune=commune, pk=post.get("team") or 0).first()
            _done(request, lambda: training_create(
                actor=request.user, commune=commune, team=team, topic=post.get("topic", ""),
                date=_date(post.get("date", "")) or timezone.localdate(),
                place=post.get("place", ""), trainer=post.get("trainer", ""),
                materials=post.get("materials", ""),
            ), _("The training is recorded."))  # fmt: skip
        return redirect("community_backoffice:trainings")
    from xaso.core.text import vietnamese_sort_key

    return page(
        request,
        "community/backoffice/trainings.html",
        {
            "commune": commune,
            "sessions": trainings_of(commune),
            "teams": sorted(
                Team.objects.filter(commune=commune).select_related("village"),
                key=lambda t: vietnamese_sort_key(t.village.name),
            ),
            "members": Member.objects.filter(team__commune=commune, active_to__isnull=True)
            .select_related("team__village")
            .order_by("team__village__name", "full_name"),
            "kinds": Attendance.Kind.choices,
            "today": timezone.localdate(),
            "can_edit": _is_admin(request.user, commune),
        },
    )


def _adoption(request):
    commune = _commune(request.user)
    start, end = period(request.GET.get("from", "")[:10], request.GET.get("to", "")[:10])
    return adoption_for_commune(commune, start, end)


COLUMN_LABELS = {
    "residents": _("Residents helped"),
    "activations": _("Accounts activated"),
    "payments": _("Payments set up"),
    "dossiers_filed": _("Dossiers filed"),
    "shops": _("Shops opened"),
    "courses": _("Skills courses completed"),
    "trainings": _("Trainings held"),
    "minutes": _("Minutes"),
}


@staff_required
def adoption_page(request):
    table = _adoption(request)
    rows = table.rows
    month_totals = table.month_totals()
    charts = [
        bar_chart(
            [(row.village.name, row.counts["residents"]) for row in rows],
            title=_("Residents helped by village"),
        ),
        bar_chart(
            [(month.month.strftime("%m/%Y"), month.counts["residents"]) for month in month_totals],
            title=_("Residents helped by month"),
        ),
    ]
    return page(
        request,
        "community/backoffice/adoption.html",
        {
            "table": table,
            "total": table.totals(),
            "columns": [(key, COLUMN_LABELS[key]) for key in COUNT_COLUMNS],
            "month_totals": month_totals,
            "charts": charts,
            "query": request.GET.urlencode(),
        },
    )


@staff_required
def adoption_file(request):
    table = _adoption(request)
    content = adoption_workbook(table, labels=COLUMN_LABELS)
    name = f"bao-cao-to-cong-nghe-so-{table.commune.code}-{table.start:%Y%m}-{table.end:%Y%m}.xlsx"
    return file_response(content, name, XLSX)
