"""The community API (`/api/v1/community/…`), scoped like every staff route: a commune's staff
read its teams, entries and figures, its administrator writes teams and members; a team member
reads their own team and records and reads their own entries. Another commune's user: 404."""

import datetime as dt
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from xaso.core.errors import InvalidInput
from xaso.places.models import Village

from .models import Activity, Member, Metric, Team, TrainingSession
from .selectors import (
    activity_list,
    adoption,
    commune_for,
    members_of,
    month_start,
    period,
    target_progress,
    team_for,
    team_for_manager,
    team_list,
    team_targets,
    training_list,
)
from .services import activity_record, member_add, target_set, team_create, training_create

router = Router(tags=["staff"])
# The field log: a member writes and reads their own entries, staff read their commune's
# (no commune in the path; scoping tested in tests/community/test_api.py).
member_router = Router(tags=["community"])


def team_json(team: Team) -> dict:
    return {
        "id": team.pk,
        "name": team.name,
        "commune": team.commune.code,
        "village": {"code": team.village.code, "name": team.village.name},
        "decision": {
            "number": team.decision_number,
            "date": team.decision_date.isoformat() if team.decision_date else None,
            "signer": team.decision_signer,
        },
        "active_members": getattr(team, "active_members", None),
    }


def member_json(member: Member) -> dict:
    return {
        "id": member.pk,
        "full_name": member.full_name,
        "phone": member.phone,
        "role": member.team_role,
        "origin": member.origin,
        "active_from": member.active_from.isoformat(),
        "active_to": member.active_to.isoformat() if member.active_to else None,
        "account": member.user.username if member.user_id else None,
    }


def activity_json(entry: Activity) -> dict:
    return {
        "id": str(entry.uid),
        "team": entry.team_id,
        "village": entry.village.code,
        "member": entry.member.full_name if entry.member_id else None,
        "resident": {
            "name": entry.resident_name,
            "phone": entry.resident_phone,
            "household": entry.resident_household,
            "consent": entry.consent,
        },
        "skill": entry.skill,
        "outcome": entry.outcome,
        "dossier": entry.dossier_code or None,
        "minutes": entry.minutes,
        "at": entry.at.isoformat(),
        "note": entry.note,
        "photo": bool(entry.photo_id),
        "recorded_at": entry.created_at.isoformat(),
    }


@router.get("/community/teams")
def teams_get(request, commune: str) -> dict:
    """The commune's teams, one per village, with their establishing decision and how many
    members are active today. A team member sees their own team only."""
    return {"items": [team_json(team) for team in team_list(request.user, commune)]}


class DecisionIn(Schema):
    number: str = Field("", max_length=40)
    date: dt.date | None = None
    signer: str = Field("", max_length=150)


class TeamIn(Schema):
    commune: str = Field(max_length=16)
    village: str = Field(max_length=40)
    name: str = Field("", max_length=150)
    decision: DecisionIn = DecisionIn()


@router.post("/community/teams", response={201: dict})
def teams_post(request, payload: TeamIn):
    """Set up a village's team (the commune administrator), with the chairman's decision."""
    commune = commune_for(request.user, payload.commune)
    village = Village.objects.filter(commune=commune, code=payload.village).first()
    if village is None:
        raise InvalidInput(_("This village is not in that commune."), code="village")
    team = team_create(
        actor=request.user,
        village=village,
        name=payload.name,
        decision_number=payload.decision.number,
        decision_date=payload.decision.date,
        decision_signer=payload.decision.signer,
    )
    return Status(201, {"items": [team_json(team)]})


@router.get("/community/teams/{team_id}/members")
def members_get(request, team_id: int) -> dict:
    team = team_for(request.user, team_id)
    return {"items": [member_json(member) for member in members_of(team)]}


class MemberIn(Schema):
    full_name: str = Field(max_length=150)
    phone: str = Field("", max_length=10)
    role: str = Member.TeamRole.MEMBER
    origin: str = Member.Origin.OTHER
    active_from: dt.date | None = None
    active_to: dt.date | None = None


@router.post("/community/teams/{team_id}/members", response={201: dict})
def members_post(request, team_id: int, payload: MemberIn):
    """Add a member (the commune administrator); accounts are linked in the back office."""
    team = team_for_manager(request.user, team_id)
    member = member_add(
        actor=request.user,
        team=team,
        full_name=payload.full_name,
        phone=payload.phone,
        team_role=payload.role,
        origin=payload.origin,
        active_from=payload.active_from,
        active_to=payload.active_to,
    )
    return Status(201, member_json(member))


class ResidentIn(Schema):
    name: str = Field(max_length=150)
    phone: str = Field("", max_length=10)
    household: str = Field("", max_length=150)
    consent: bool = False


class ActivityIn(Schema):
    id: UUID
    resident: ResidentIn
    skill: str = Field(max_length=16)
    outcome: str = Field(max_length=20)
    minutes: int = Field(0, ge=0, le=600)
    at: dt.date
    village: str = Field("", max_length=40)
    dossier: str = Field("", max_length=48)
    photo: str = Field("", max_length=40)
    note: str = Field("", max_length=500)


@member_router.post("/community/activities", response={200: dict, 201: dict})
def activities_post(request, payload: ActivityIn):
    """Record one field-log entry (a team member). `id` is a UUID the phone made: the first send
    answers 201, a repeat of the same id 200 with the entry as first recorded."""
    entry, created = activity_record(
        actor=request.user,
        uid=payload.id,
        resident=payload.resident.dict(),
        skill=payload.skill,
        outcome=payload.outcome,
        minutes=payload.minutes,
        at=payload.at,
        village_code=payload.village,
        dossier_code=payload.dossier,
        photo_token=payload.photo,
        note=payload.note,
    )
    entry = Activity.objects.select_related("village", "member").get(pk=entry.pk)
    return Status(201 if created else 200, activity_json(entry))


class ActivityQuery(Schema):
    mine: bool = False
    commune: str = Field("", max_length=16)


@member_router.get("/community/activities")
def activities_get(request, query: Query[ActivityQuery]) -> dict:
    """The newest 200 entries the user may read: a member's own; a commune's staff, the commune's
    (`commune=` to choose one); `mine=1` only those the user recorded."""
    entries = activity_list(request.user, mine=query.mine, commune_code=query.commune)
    return {"items": [activity_json(entry) for entry in entries]}


class PeriodQuery(Schema):
    commune: str = Field(max_length=16)
    from_: str = Field("", alias="from", max_length=10)
    to: str = Field("", max_length=10)


@router.get("/community/adoption")
def adoption_get(request, query: Query[PeriodQuery]) -> dict:
    """One row per village of the commune over the period (default: this month): residents
    helped, accounts activated, payments set up, dossiers filed, shops opened, courses completed,
    trainings held, minutes; and from the dossiers of the village's applicants, the online-filing
    and e-payment shares (%; null without dossiers)."""
    start, end = period(query.from_, query.to)
    table = adoption(request.user, query.commune, start, end)
    return {
        "commune": table.commune.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "items": [row.as_dict() for row in table.rows],
        "total": table.totals().as_dict(),
    }


# --- trainings -------------------------------------------------------------------------------


def team_ref(team: Team | None) -> dict | None:
    if team is None:
        return None
    return {"id": team.pk, "name": team.name, "village": team.village.code}


def training_json(session: TrainingSession) -> dict:
    attendees = list(session.attendees.all())
    return {
        "id": session.pk,
        "team": team_ref(session.team),
        "topic": session.topic,
        "date": session.date.isoformat(),
        "place": session.place,
        "trainer": session.trainer,
        "materials": session.materials,
        "attendees": [
            {
                "kind": attendee.kind,
                "name": attendee.name,
                "member": attendee.member_id,
                "present": attendee.present,
                "course_completed": attendee.course_completed,
            }
            for attendee in attendees
        ],
        "present": sum(attendee.present for attendee in attendees),
        "courses_completed": sum(attendee.course_completed for attendee in attendees),
    }


@router.get("/community/trainings")
def trainings_get(request, query: Query[PeriodQuery]) -> dict:
    """The commune's training sessions, newest first (at most 200; `from`/`to` YYYY-MM-DD or
    YYYY-MM to choose a period), each with its attendees. A team member reads their own team's
    sessions only."""
    start, end = period(query.from_, query.to) if query.from_ or query.to else (None, None)
    sessions = training_list(request.user, query.commune, start, end)
    return {"items": [training_json(session) for session in sessions]}


class AttendeeIn(Schema):
    kind: str = Field(max_length=10, description="member, official or resident")
    name: str = Field("", max_length=150, description="Defaults to the member's name.")
    member: int | None = Field(None, description="A team member's id (GET .../members).")
    present: bool = True
    course_completed: bool = False


class TrainingIn(Schema):
    commune: str = Field(max_length=16)
    team: int | None = Field(None, description="The team trained; none for the whole commune.")
    topic: str = Field(max_length=200)
    date: dt.date
    place: str = Field(max_length=200)
    trainer: str = Field(max_length=150)
    materials: str = Field("", max_length=4000)
    attendees: list[AttendeeIn] = Field(default_factory=list, max_length=500)


@router.post("/community/trainings", response={201: dict})
def trainings_post(request, payload: TrainingIn):
    """Record a training held (the commune administrator), with its attendance at once."""
    commune = commune_for(request.user, payload.commune)
    session = training_create(
        actor=request.user,
        commune=commune,
        team=team_for_manager(request.user, payload.team) if payload.team is not None else None,
        topic=payload.topic,
        date=payload.date,
        place=payload.place,
        trainer=payload.trainer,
        materials=payload.materials,
        attendees=[attendee.dict() for attendee in payload.attendees],
    )
    session = TrainingSession.objects.select_related("team__village").get(pk=session.pk)
    return Status(201, training_json(session))


# --- monthly targets -------------------------------------------------------------------------


def _month(text: str) -> dt.date:
    if not text:
        return month_start(timezone.localdate())
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError as error:
        raise InvalidInput(_("A month is YYYY-MM."), code="month") from error


def target_json(team: Team, month: dt.date, progress: dict) -> dict:
    return {"team": team_ref(team), "month": month.strftime("%Y-%m"), **progress}


class TargetQuery(Schema):
    commune: str = Field(max_length=16)
    month: str = Field("", max_length=7, description="YYYY-MM; by default this month.")


@router.get("/community/targets")
def targets_get(request, query: Query[TargetQuery]) -> dict:
    """The month's targets of the commune's teams, each with its progress (what the team's field
    log and trainings count so far: `done`, `percent`). A team member reads their own team's."""
    month = _month(query.month)
    rows = team_targets(request.user, query.commune, month)
    return {
        "month": month.strftime("%Y-%m"),
        "items": [target_json(team, month, item) for team, items in rows for item in items],
    }


class TargetIn(Schema):
    team: int
    month: str = Field(min_length=7, max_length=7, description="YYYY-MM")
    metric: str = Field(max_length=12, description=", ".join(Metric.values))
    target: int = Field(ge=0, le=100_000)


@router.post("/community/targets", response={201: dict})
def targets_post(request, payload: TargetIn):
    """Set a team's target for a month (the commune administrator); a second call for the same
    team, month and metric replaces the figure. Answers the target with its progress."""
    team = team_for_manager(request.user, payload.team)
    month = _month(payload.month)
    target_set(
        actor=request.user, team=team, month=month, metric=payload.metric, target=payload.target
    )
    progress = next(p for p in target_progress(team, month) if p["metric"] == payload.metric)
    return Status(201, target_json(team, month, progress))
