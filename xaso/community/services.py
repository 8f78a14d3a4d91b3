"""Writes of the community app: teams and members (the commune administrator), the field log (a
team member, from the phone, possibly long after going offline), trainings and monthly targets.
Every write is audited in its transaction, on the commune's chain."""

import uuid
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Membership, Role
from xaso.accounts.scoping import staff_scope
from xaso.core.audit import audit_record
from xaso.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xaso.dossiers.models import Dossier, Upload
from xaso.places.models import Commune, Village

from .models import (
    Activity,
    Attendance,
    Member,
    Metric,
    MonthlyTarget,
    Outcome,
    Skill,
    Team,
    TrainingSession,
)

MANAGERS = (Role.COMMUNE_ADMIN,)
MAX_MINUTES = 600


def phone_message() -> str:
    return _("Enter a Vietnamese phone number of 10 digits starting with 0.")


def _require_manager(actor, commune: Commune) -> None:
    staff_scope(actor).require(commune, MANAGERS)


def _audit(actor, action: str, obj, commune: Commune, data: dict | None = None) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        commune_code=commune.code,
        data=data or {},
    )


def team_create(
    *,
    actor,
    village: Village,
    decision_number: str = "",
    decision_date: date | None = None,
    decision_signer: str = "",
    name: str = "",
    is_demo: bool = False,
) -> Team:
    commune = village.commune
    if actor is not None:
        _require_manager(actor, commune)
    if Team.objects.filter(village=village).exists():
        raise Conflict(_("This village has a team already."), code="team_exists")
    with transaction.atomic():
        team = Team.objects.create(
            commune=commune,
            village=village,
            # The unit's name as the establishing decision writes it (Vietnamese, not gettext).
            name=name or f"Tổ công nghệ số cộng đồng {village.name}",
            decision_number=decision_number.strip()[:40],
            decision_date=decision_date,
            decision_signer=decision_signer.strip()[:150],
            is_demo=is_demo,
        )
        _audit(actor, "community.team_create", team, commune, {"village": village.code})
    return team


def team_decision_set(
    *, actor, team: Team, decision_number: str, decision_date: date | None, decision_signer: str
) -> Team:
    _require_manager(actor, team.commune)
    with transaction.atomic():
        team.decision_number = decision_number.strip()[:40]
        team.decision_date = decision_date
        team.decision_signer = decision_signer.strip()[:150]
        team.save(update_fields=["decision_number", "decision_date", "decision_signer"])
        _audit(
            actor, "community.team_decision", team, team.commune, {"number": team.decision_number}
        )
    return team


def member_add(
    *,
    actor,
    team: Team,
    full_name: str,
    phone: str = "",
    team_role: str = Member.TeamRole.MEMBER,
    origin: str = Member.Origin.OTHER,
    active_from: date | None = None,
    active_to: date | None = None,
    user=None,
    is_demo: bool = False,
) -> Member:
    """Add a member; with `user`, their account becomes a `community_member` of the commune (their
    own sign-in to the workspace and the field log)."""
    if actor is not None:
        _require_manager(actor, team.commune)
    full_name = " ".join(full_name.split())[:150]
    errors = {}
    if not full_name:
        errors["full_name"] = [_("Enter the member's name.")]
    if phone and not (len(phone) == 10 and phone.isdigit() and phone.startswith("0")):
        errors["phone"] = [phone_message()]
    if team_role not in Member.TeamRole.values:
        errors["team_role"] = [_("Unknown role in the team.")]
    if origin not in Member.Origin.values:
        errors["origin"] = [_("Unknown origin.")]
    active_from = active_from or timezone.localdate()
    if active_to and active_to < active_from:
        errors["active_to"] = [_("The end comes before the start.")]
    if errors:
        raise InvalidInput(details={"fields": errors})
    from xaso.accounts.services import membership_grant

    try:
        with transaction.atomic():
            member = Member.objects.create(
                team=team,
                full_name=full_name,
                phone=phone,
                team_role=team_role,
                origin=origin,
                active_from=active_from,
                active_to=active_to,
                user=user,
                is_demo=is_demo,
            )
            if user is not None:
                membership_grant(
                    actor=actor, user=user, role=Role.COMMUNITY_MEMBER, commune=team.commune
                )
            _audit(
                actor,
                "community.member_add",
                member,
                team.commune,
                {"team": team.pk, "role": team_role, "origin": origin},
            )
    except IntegrityError as error:
        raise Conflict(
            _("This account is already an active member of a team."), code="member_account_taken"
        ) from error
    return member


def member_end(*, actor, member: Member, active_to: date | None = None) -> Member:
    team = member.team
    _require_manager(actor, team.commune)
    with transaction.atomic():
        member.active_to = active_to or timezone.localdate()
        member.save(update_fields=["active_to"])
        _audit(
            actor,
            "community.member_end",
            member,
            team.commune,
            {"active_to": member.active_to.isoformat()},
        )
    return member


def active_member(user) -> Member | None:
    """The user's current team membership (the field log's author), or None."""
    if user is None or not user.is_authenticated:
        return None
    today = timezone.localdate()
    return (
        Member.objects.select_related("team__village", "team__commune")
        .filter(user=user, active_from__lte=today)
        .exclude(active_to__lt=today)
        .order_by("-active_from")
        .first()
    )


def _as_uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError) as error:
        raise InvalidInput(_("The entry id is not a UUID."), code="entry_id") from error


def activity_record(
    *,
    actor,
    uid,
    resident: dict,
    skill: str,
    outcome: str,
    minutes: int,
    at: date,
    village_code: str = "",
    dossier_code: str = "",
    photo_token: str = "",
    note: str = "",
    member: Member | None = None,
    is_demo: bool = False,
) -> tuple[Activity, bool]:
    """Record one field-log entry made by a team member; `(entry, created)`.

    The id is made on the phone: the same id sent again (the phone did not hear the first answer,
    or replays its queue when the signal returns) answers the entry already recorded, never a
    second one — two sends at once included (the unique id decides, the loser reads the winner).
    """
    uid = _as_uuid(uid)
    # `member` without an actor: the system (the demo) records for a member without an account.
    member = active_member(actor) if actor is not None else member
    if member is None:
        raise Forbidden(
            _("Only an active team member records field-log entries."), code="not_a_member"
        )
    existing = _stored(uid)
    if existing is not None:
        return _repeat(existing, actor, member), False
    team = member.team
    resident = resident if isinstance(resident, dict) else {}
    name = " ".join(str(resident.get("name") or "").split())[:150]
    phone = str(resident.get("phone") or "").strip()
    household = " ".join(str(resident.get("household") or "").split())[:150]
    errors = {}
    if not name:
        errors["resident.name"] = [_("Enter the resident's name.")]
    if phone and not (len(phone) == 10 and phone.isdigit() and phone.startswith("0")):
        errors["resident.phone"] = [
            _("Enter a Vietnamese phone number of 10 digits starting with 0.")
        ]
    if resident.get("consent") is not True:
        errors["resident.consent"] = [_("Record only a resident who agreed to be recorded.")]
    if skill not in Skill.values:
        errors["skill"] = [_("Unknown skill or platform.")]
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Unknown outcome.")]
    if not isinstance(minutes, int) or not 0 <= minutes <= MAX_MINUTES:
        errors["minutes"] = [_("Minutes between 0 and 600.")]
    today = timezone.localdate()
    if at > today:
        errors["at"] = [_("The date is in the future.")]
    village = team.village
    if village_code and village_code != village.code:
        village = Village.objects.filter(commune=team.commune, code=village_code).first()
        if village is None:
            errors["village"] = [_("This village is not in the team's commune.")]
    dossier_code = dossier_code.strip()[:48]
    # Only a dossier this member filed may be linked: another's code is "not found".
    if dossier_code and not _filed_by(member, dossier_code):
        errors["dossier"] = [_("No dossier you filed has this code.")]
    photo = None
    if photo_token:
        photo = Upload.objects.filter(token=photo_token, uploaded_by_id=member.user_id).first()
        photo = photo if member.user_id else None
        if photo is None or photo.kind == Upload.Kind.PDF:
            errors["photo"] = [_("The photo was not found; send it again.")]
    if errors:
        raise InvalidInput(details={"fields": errors})
    try:
        with transaction.atomic():
            activity = Activity.objects.create(
                uid=uid,
                team=team,
                member=member,
                recorded_by=actor if actor is not None else member.user,
                village=village,
                resident_name=name,
                resident_phone=phone,
                resident_household=household,
                consent=True,
                skill=skill,
                outcome=outcome,
                dossier_code=dossier_code,
                minutes=minutes,
                at=at,
                note=" ".join(note.split())[:500],
                photo=photo,
                created_at=timezone.now(),
                is_demo=is_demo,
            )
            _audit(
                actor,
                "community.activity_record",
                activity,
                team.commune,
                {"uid": str(uid), "skill": skill, "outcome": outcome},
            )
    except IntegrityError:
        existing = Activity.objects.filter(uid=uid).first()
        if existing is None:
            raise
        return _repeat(existing, actor, member), False
    return activity, True


def _stored(uid) -> Activity | None:
    return Activity.objects.filter(uid=uid).first()


def _filed_by(member: Member, dossier_code: str) -> bool:
    if member.user_id is None:
        return False
    return Dossier.objects.filter(code=dossier_code, written_by_id=member.user_id).exists()


def _repeat(existing: Activity, actor, member: Member) -> Activity:
    """A repeat is the author's own: another's id is refused without telling what it holds."""
    if existing.member_id != member.pk or (
        actor is not None and existing.recorded_by_id != actor.pk
    ):
        raise Conflict(
            _("This entry id is taken; the phone makes a new one."), code="entry_id_taken"
        )
    return existing


def training_create(
    *,
    actor,
    commune: Commune,
    topic: str,
    date: date,
    place: str,
    trainer: str,
    team: Team | None = None,
    materials: str = "",
    attendees: list[dict] = (),
    is_demo: bool = False,
) -> TrainingSession:
    """A training held; with `attendees` (the API: dicts of `kind`, `name`, `member` — a member's
    id, of this commune —, `present`, `course_completed`) its attendance too, all recorded or
    nothing. A team or member of another commune is "not found"."""
    if actor is not None:
        _require_manager(actor, commune)
    if team is not None and team.commune_id != commune.pk:
        raise NotFound(code="team_not_found")
    wanted = {item["member"] for item in attendees if item.get("member") is not None}
    members = Member.objects.select_related("team").filter(team__commune=commune).in_bulk(wanted)
    if wanted - set(members):
        raise NotFound(_("No member of this commune's teams has this id."), code="member_not_found")
    topic, place, trainer = (" ".join(v.split()) for v in (topic, place, trainer))
    if not topic or not place or not trainer:
        raise InvalidInput(_("A training has a topic, a place and a trainer."), code="training")
    with transaction.atomic():
        session = TrainingSession.objects.create(
            commune=commune,
            team=team,
            topic=topic[:200],
            date=date,
            place=place[:200],
            trainer=trainer[:150],
            materials=materials[:4000],
            is_demo=is_demo,
        )
        _audit(actor, "community.training_create", session, commune, {"topic": session.topic})
        for item in attendees:
            attendance_record(
                actor=actor,
                session=session,
                kind=item.get("kind", ""),
                name=item.get("name", ""),
                member=members.get(item.get("member")),
                present=bool(item.get("present", True)),
                course_completed=bool(item.get("course_completed", False)),
            )
    return session


def attendance_record(
    *,
    actor,
    session: TrainingSession,
    kind: str,
    name: str = "",
    member: Member | None = None,
    present: bool = True,
    course_completed: bool = False,
) -> Attendance:
    if actor is not None:
        _require_manager(actor, session.commune)
    if kind not in Attendance.Kind.values:
        raise InvalidInput(_("Unknown kind of attendee."), code="attendee_kind")
    if member is not None:
        if member.team.commune_id != session.commune_id:
            raise NotFound(code="member_not_found")
        name = name or member.full_name
    name = " ".join(name.split())[:150]
    if not name:
        raise InvalidInput(_("Enter the attendee's name."), code="attendee_name")
    with transaction.atomic():
        attendance = Attendance.objects.create(
            session=session,
            kind=kind,
            member=member,
            name=name,
            present=present,
            course_completed=course_completed,
        )
        _audit(
            actor,
            "community.attendance_record",
            attendance,
            session.commune,
            {"session": session.pk, "kind": kind, "completed": course_completed},
        )
    return attendance


def target_set(*, actor, team: Team, month: date, metric: str, target: int) -> MonthlyTarget:
    if actor is not None:
        _require_manager(actor, team.commune)
    if metric not in Metric.values:
        raise InvalidInput(_("Unknown target."), code="metric")
    if not isinstance(target, int) or not 0 <= target <= 100_000:
        raise InvalidInput(_("A target is a whole number from 0."), code="target")
    month = month.replace(day=1)
    with transaction.atomic():
        row, _created = MonthlyTarget.objects.update_or_create(
            team=team, month=month, metric=metric, defaults={"target": target}
        )
        data = {"team": team.pk, "month": month.isoformat(), "metric": metric, "target": target}
        _audit(actor, "community.target_set", row, team.commune, data)
    return row


def member_account_commune_ok(user, commune: Commune) -> bool:
    """Whether an account may be linked as a member of this commune (holds no other commune)."""
    other = Membership.objects.filter(user=user, commune__isnull=False).exclude(commune=commune)
    return not other.exists()
