"""Reads of the community app, scoped: commune staff read their commune's teams, entries and
figures; a team member (role `community_member` only) reads their own team and their own entries.
Another commune's user finds nothing (404)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role
from xaso.accounts.scoping import FULL_READ_ROLES, staff_scope
from xaso.core.errors import InvalidInput, NotFound
from xaso.core.text import by_name, vietnamese_sort_key
from xaso.dossiers.models import Channel, Dossier
from xaso.payments.models import Payment, PaymentRequest
from xaso.places.models import Commune, Village

from .models import (
    Activity,
    Attendance,
    Member,
    Metric,
    MonthlyTarget,
    Outcome,
    Team,
    TrainingSession,
)
from .services import active_member


def reads_whole_commune(user, commune: Commune) -> bool:
    return bool(staff_scope(user).roles_in(commune) & FULL_READ_ROLES)


def commune_for(user, code: str) -> Commune:
    """The commune if the user holds any role there (a member included), else 404."""
    return staff_scope(user).commune(code)


def teams_visible(user, commune: Commune) -> QuerySet[Team]:
    teams = Team.objects.filter(commune=commune).select_related("village", "commune")
    if reads_whole_commune(user, commune):
        return teams
    member = active_member(user)
    return teams.filter(pk=member.team_id) if member else teams.none()


def team_for(user, team_id: int) -> Team:
    team = Team.objects.select_related("village", "commune").filter(pk=team_id).first()
    if team is None or not staff_scope(user).roles_in(team.commune):
        raise NotFound(code="team_not_found")
    if not teams_visible(user, team.commune).filter(pk=team.pk).exists():
        raise NotFound(code="team_not_found")
    return team


def team_for_manager(user, team_id: int) -> Team:
    """For a write: no role in the team's commune 404, a role but not its administrator 403."""
    from .services import MANAGERS

    team = Team.objects.select_related("village", "commune").filter(pk=team_id).first()
    if team is None or not staff_scope(user).roles_in(team.commune):
        raise NotFound(code="team_not_found")
    staff_scope(user).require(team.commune, MANAGERS)
    return team


def team_list(user, commune_code: str) -> list[Team]:
    """Teams of a commune by village name, each with its active members counted (2 queries)."""
    commune = commune_for(user, commune_code)
    today = timezone.localdate()
    active = Q(members__active_from__lte=today) & (
        Q(members__active_to__isnull=True) | Q(members__active_to__gte=today)
    )
    teams = teams_visible(user, commune).annotate(active_members=Count("members", filter=active))
    return sorted(teams, key=lambda team: vietnamese_sort_key(team.village.name))


def members_of(team: Team) -> list[Member]:
    return list(team.members.select_related("user").order_by("active_to", "team_role", "full_name"))


def activities_visible(user, *, commune: Commune | None = None) -> QuerySet[Activity]:
    """Staff of a commune: its teams' entries; a member: only the entries they recorded."""
    scope = staff_scope(user)
    entries = Activity.objects.select_related("team", "village", "member")
    whole = scope.filter(entries, commune_field="team__commune", roles=FULL_READ_ROLES)
    own = scope.filter(
        entries.filter(recorded_by_id=scope.user_id),
        commune_field="team__commune",
        roles=[Role.COMMUNITY_MEMBER],
    )
    visible = whole | own
    if commune is not None:
        visible = visible.filter(team__commune=commune)
    return visible


def activity_list(user, *, mine: bool = False, commune_code: str = "", limit: int = 200):
    commune = commune_for(user, commune_code) if commune_code else None
    entries = activities_visible(user, commune=commune)
    if mine:
        entries = entries.filter(recorded_by=user)
    return list(entries.order_by("-at", "-created_at")[:limit])


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_end(day: date) -> date:
    return date.fromordinal(next_month(day).toordinal() - 1)


def months_between(start: date, end: date) -> list[date]:
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = next_month(month)
    return months


def period(from_text: str = "", to_text: str = "") -> tuple[date, date]:
    """`from`/`to` (YYYY-MM-DD or YYYY-MM); by default the current month."""
    today = timezone.localdate()

    def parse(text: str, *, end: bool) -> date | None:
        text = (text or "").strip()
        if not text:
            return None
        try:
            if len(text) == 7:
                first = date.fromisoformat(text + "-01")
                return month_end(first) if end else first
            return date.fromisoformat(text)
        except ValueError as error:
            raise InvalidInput(_("Dates are YYYY-MM-DD."), code="date") from error

    start = parse(from_text, end=False) or month_start(today)
    end = parse(to_text, end=True) or month_end(start)
    if end < start:
        raise InvalidInput(_("The period ends before it starts."), code="period")
    if (end - start).days > 800:
        raise InvalidInput(_("A period of at most two years."), code="period")
    return start, end


# What the adoption table counts of the field log, by outcome.
OUTCOME_COLUMNS = {
    "activations": Outcome.ACCOUNT_ACTIVATED,
    "payments": Outcome.PAYMENT_SET_UP,
    "dossiers_filed": Outcome.DOSSIER_FILED,
    "shops": Outcome.SHOP_OPENED,
    "courses": Outcome.COURSE_COMPLETED,
}
COUNT_COLUMNS = ("residents", *OUTCOME_COLUMNS, "trainings", "minutes")


@dataclass
class AdoptionRow:
    village: Village
    team: Team | None
    month: date | None = None
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNT_COLUMNS, 0))
    dossiers: int = 0
    online: int = 0
    fee_dossiers: int = 0
    e_paid: int = 0

    @property
    def online_share(self) -> float | None:
        return round(100 * self.online / self.dossiers, 1) if self.dossiers else None

    @property
    def e_payment_share(self) -> float | None:
        return round(100 * self.e_paid / self.fee_dossiers, 1) if self.fee_dossiers else None

    def as_dict(self) -> dict:
        return {
            "village": {"code": self.village.code, "name": self.village.name},
            "team": {"id": self.team.pk, "name": self.team.name} if self.team else None,
            **({"month": self.month.strftime("%Y-%m")} if self.month else {}),
            **self.counts,
            "dossiers": self.dossiers,
            "dossiers_online": self.online,
            "online_share": self.online_share,
            "dossiers_with_fee": self.fee_dossiers,
            "dossiers_paid_electronically": self.e_paid,
            "e_payment_share": self.e_payment_share,
        }


@dataclass
class Adoption:
    commune: Commune
    start: date
    end: date
    rows: list[AdoptionRow]
    months: list[date]
    by_month: dict  # (month, village_id) -> AdoptionRow

    def totals(self) -> AdoptionRow:
        total = AdoptionRow(village=Village(name=_("Commune total"), code=""), team=None)
        for row in self.rows:
            for column in COUNT_COLUMNS:
                total.counts[column] += row.counts[column]
            total.dossiers += row.dossiers
            total.online += row.online
            total.fee_dossiers += row.fee_dossiers
            total.e_paid += row.e_paid
        return total

    def month_totals(self) -> list[AdoptionRow]:
        result = []
        for month in self.months:
            total = AdoptionRow(village=Village(name="", code=""), team=None, month=month)
            for row in self.rows:
                cell = self.by_month[(month, row.village.pk)]
                for column in COUNT_COLUMNS:
                    total.counts[column] += cell.counts[column]
                total.dossiers += cell.dossiers
                total.online += cell.online
                total.fee_dossiers += cell.fee_dossiers
                total.e_paid += cell.e_paid
            result.append(total)
        return result


def adoption(user, commune_code: str, start: date, end: date) -> Adoption:
    """One row per village of the commune (with its team), for the period; also by month.
    Staff of the commune only (a member reads their own figures in the workspace). A fixed
    number of queries whatever the number of villages or entries."""
    commune = staff_scope(user).commune(commune_code, roles=FULL_READ_ROLES)
    return adoption_for_commune(commune, start, end)


def adoption_for_commune(commune: Commune, start: date, end: date) -> Adoption:
    villages = by_name(Village.objects.filter(commune=commune).select_related("digital_team"))
    months = months_between(start, end)
    rows, by_month = [], {}
    for village in villages:
        team = getattr(village, "digital_team", None)
        rows.append(AdoptionRow(village=village, team=team))
        for month in months:
            by_month[(month, village.pk)] = AdoptionRow(village=village, team=team, month=month)
    index = {row.village.pk: row for row in rows}

    def cells(village_id, month):
        row = index.get(village_id)
        return (row, by_month.get((month, village_id))) if row else ()

    entries = (
        Activity.objects.filter(team__commune=commune, at__gte=start, at__lte=end)
        .annotate(month=TruncMonth("at"))
        .values("village_id", "month", "outcome")
        .annotate(n=Count("pk"), minutes=Sum("minutes"))
    )
    wanted = {value: column for column, value in OUTCOME_COLUMNS.items()}
    for item in entries:
        month = _as_date(item["month"])
        for cell in cells(item["village_id"], month):
            cell.counts["residents"] += item["n"]
            cell.counts["minutes"] += item["minutes"] or 0
            if item["outcome"] in wanted:
                cell.counts[wanted[item["outcome"]]] += item["n"]
    trainings = (
        TrainingSession.objects.filter(
            commune=commune, team__isnull=False, date__gte=start, date__lte=end
        )
        .annotate(month=TruncMonth("date"))
        .values("team__village_id", "month")
        .annotate(n=Count("pk"))
    )
    for item in trainings:
        for cell in cells(item["team__village_id"], _as_date(item["month"])):
            cell.counts["trainings"] += item["n"]
    codes = {village.code: village.pk for village in villages}
    tz = timezone.get_current_timezone()
    dossiers = Dossier.objects.filter(
        receiving_commune=commune,
        submitted_at__date__gte=start,
        submitted_at__date__lte=end,
    ).values_list("pk", "applicant__village", "channel", "submitted_at")
    dossier_cell = {}
    for pk, village_code, channel, submitted_at in dossiers:
        village_id = codes.get(village_code or "")
        if village_id is None:
            continue
        month = month_start(timezone.localtime(submitted_at, tz).date())
        dossier_cell[pk] = (village_id, month)
        for cell in cells(village_id, month):
            cell.dossiers += 1
            cell.online += channel == Channel.ONLINE
    fees = PaymentRequest.objects.filter(dossier_id__in=list(dossier_cell), amount__gt=0)
    paid = fees.annotate(
        transfers=Count("payments", filter=Q(payments__method=Payment.Method.TRANSFER))
    ).values_list("dossier_id", "transfers")
    for dossier_id, transfers in paid:
        village_id, month = dossier_cell[dossier_id]
        for cell in cells(village_id, month):
            cell.fee_dossiers += 1
            cell.e_paid += transfers > 0
    return Adoption(commune, start, end, rows, months, by_month)


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


TARGET_OUTCOMES = {
    Metric.ACTIVATIONS: Outcome.ACCOUNT_ACTIVATED,
    Metric.PAYMENTS: Outcome.PAYMENT_SET_UP,
    Metric.DOSSIERS: Outcome.DOSSIER_FILED,
    Metric.SHOPS: Outcome.SHOP_OPENED,
}


def targets_progress(teams: list[Team], month: date) -> dict[int, list[dict]]:
    """Each team's targets of the month (team id -> list, in the metrics' order), each with what
    the team's field log and trainings count so far. Three queries whatever the number of teams."""
    month = month_start(month)
    end = month_end(month)
    result: dict[int, list[dict]] = {team.pk: [] for team in teams}
    targets = list(MonthlyTarget.objects.filter(team_id__in=list(result), month=month))
    if not targets:
        return result
    by_outcome: dict[tuple[int, str], int] = {}
    for team_id, outcome, n in (
        Activity.objects.filter(team_id__in=list(result), at__gte=month, at__lte=end)
        .values_list("team_id", "outcome")
        .annotate(n=Count("pk"))
        .values_list("team_id", "outcome", "n")
    ):
        by_outcome[(team_id, outcome)] = n
    trainings = dict(
        TrainingSession.objects.filter(team_id__in=list(result), date__gte=month, date__lte=end)
        .values_list("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
    )
    for target in sorted(targets, key=lambda t: Metric.values.index(t.metric)):
        team_id = target.team_id
        if target.metric == Metric.RESIDENTS:
            done = sum(n for (team, _outcome), n in by_outcome.items() if team == team_id)
        elif target.metric == Metric.TRAININGS:
            done = trainings.get(team_id, 0)
        else:
            done = by_outcome.get((team_id, TARGET_OUTCOMES[target.metric]), 0)
        percent = min(100, round(100 * done / target.target)) if target.target else 100
        result[team_id].append(
            {
                "metric": target.metric,
                "label": Metric(target.metric).label,
                "target": target.target,
                "done": done,
                "percent": percent,
            }
        )
    return result


def target_progress(team: Team, month: date) -> list[dict]:
    """The team's targets of the month, each with what the field log counts so far."""
    return targets_progress([team], month)[team.pk]


def team_targets(user, commune_code: str, month: date) -> list[tuple[Team, list[dict]]]:
    """The month's targets of the teams the user may read (a member: their own team's), by
    village name; teams without a target that month are left out."""
    teams = team_list(user, commune_code)
    progress = targets_progress(teams, month)
    return [(team, progress[team.pk]) for team in teams if progress[team.pk]]


def trainings_visible(user, commune: Commune) -> QuerySet[TrainingSession]:
    """The commune's staff read all its trainings; a member, their own team's only."""
    sessions = TrainingSession.objects.filter(commune=commune)
    if reads_whole_commune(user, commune):
        return sessions
    member = active_member(user)
    if member is None or member.team.commune_id != commune.pk:
        return sessions.none()
    return sessions.filter(team_id=member.team_id)


def training_list(
    user, commune_code: str, start: date | None = None, end: date | None = None, limit: int = 200
) -> list[TrainingSession]:
    """The newest trainings the user may read, with their attendees (2 queries)."""
    commune = commune_for(user, commune_code)
    sessions = trainings_visible(user, commune)
    if start is not None:
        sessions = sessions.filter(date__gte=start)
    if end is not None:
        sessions = sessions.filter(date__lte=end)
    attendees = Attendance.objects.select_related("member").order_by("pk")
    return list(
        sessions.select_related("team__village")
        .prefetch_related(Prefetch("attendees", queryset=attendees))
        .order_by("-date", "-pk")[:limit]
    )


def trainings_of(commune: Commune) -> list[TrainingSession]:
    return list(
        TrainingSession.objects.filter(commune=commune)
        .select_related("team__village")
        .prefetch_related(Prefetch("attendees"))
        .order_by("-date")
    )
