"""The demo commune's 15 village digital teams (DOMAIN.md §9: "15 village teams of 5–10 mostly young
members"), the `community` account a member of the Lộc Tân team, a few field-log entries, a
training and this month's targets. Every row is marked demo; names are made up. Idempotent."""

import uuid
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from xaso.accounts.models import User
from xaso.community.models import Attendance, Member, Metric, Outcome, Skill, Team
from xaso.community.services import (
    activity_record,
    attendance_record,
    member_add,
    target_set,
    team_create,
    training_create,
)
from xaso.core.text import by_name
from xaso.places.models import Commune

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Y", "H'"]
GIVEN = [
    "Văn An",
    "Thị Bình",
    "Minh Châu",
    "Quốc Dũng",
    "Thị Hà",
    "Hữu Khang",
    "Thị Lan",
    "Đức Minh",
    "Thanh Nga",
    "Văn Phúc",
    "Thị Quyên",
    "Công Sơn",
]
ORIGINS = [
    Member.Origin.YOUTH_UNION,
    Member.Origin.POLICE,
    Member.Origin.TEACHER,
    Member.Origin.TELECOM,
    Member.Origin.VOLUNTEER,
    Member.Origin.WOMEN_UNION,
]
ROLES = [Member.TeamRole.LEADER, Member.TeamRole.DEPUTY, Member.TeamRole.MEMBER]
MATERIALS = (
    "Bộ tài liệu Bình dân học vụ số; khung kiến thức, kỹ năng số cơ bản (Quyết định 757/QĐ-BKHCN)"
)
LOC_TAN = "Thôn Lộc Tân"
NAMESPACE = uuid.UUID("6f1b7c52-2b0e-4f59-9a52-7f6d0c1e9d01")
ENTRIES = [
    (Skill.VNEID, Outcome.ACCOUNT_ACTIVATED, 20),
    (Skill.PAYMENT, Outcome.PAYMENT_SET_UP, 15),
    (Skill.PUBLIC_SERVICES, Outcome.ADVICE, 10),
    (Skill.ECOMMERCE, Outcome.SHOP_OPENED, 45),
    (Skill.VSSID, Outcome.ACCOUNT_ACTIVATED, 15),
    (Skill.SAFETY, Outcome.ADVICE, 10),
]


def _name(number: int) -> str:
    return f"{SURNAMES[number % len(SURNAMES)]} {GIVEN[(number * 7) % len(GIVEN)]} (demo)"


def seed_demo_community(commune_code: str, community_username: str = "community") -> int:
    """Teams for every village of the commune that has none; returns how many were made."""
    commune = Commune.objects.get(code=commune_code)
    villages = by_name(commune.villages.all())
    account = User.objects.filter(username=community_username).first()
    today = timezone.localdate()
    founded = date(today.year - 1, 3, 15)
    made = 0
    with transaction.atomic():
        for index, village in enumerate(villages):
            if Team.objects.filter(village=village).exists():
                continue
            team = team_create(
                actor=None,
                village=village,
                decision_number=f"{45 + index}/QĐ-UBND",
                decision_date=founded,
                decision_signer="Chủ tịch UBND xã (demo)",
                is_demo=True,
            )
            made += 1
            own = account if village.name == LOC_TAN and account is not None else None
            if own is not None and Member.objects.filter(user=own).exists():
                own = None
            size = 5 + (index * 7) % 6  # 5 to 10 members
            members = []
            for number in range(size - (own is not None)):
                role = ROLES[min(number, 2)]
                members.append(
                    member_add(
                        actor=None,
                        team=team,
                        full_name=_name(index * 11 + number),
                        phone=f"0905{index:02d}{number:04d}",
                        team_role=role,
                        origin=ORIGINS[(index + number) % len(ORIGINS)],
                        active_from=founded,
                        is_demo=True,
                    )
                )
            if own is not None:
                members.insert(
                    0,
                    member_add(
                        actor=None,
                        team=team,
                        full_name=own.get_full_name(),
                        phone="0905999001",
                        origin=Member.Origin.YOUTH_UNION,
                        active_from=founded,
                        user=own,
                        is_demo=True,
                    ),
                )
            for number, (skill, outcome, minutes) in enumerate(ENTRIES[: 2 + index % 5]):
                activity_record(
                    actor=None,
                    member=members[number % len(members)],
                    uid=uuid.uuid5(NAMESPACE, f"{village.code}-{number}"),
                    resident={
                        "name": f"Hộ dân {number + 1} (demo)",
                        "consent": True,
                        "household": f"Hộ số {10 + number}",
                    },
                    skill=skill,
                    outcome=outcome,
                    minutes=minutes,
                    at=today - timedelta(days=number * 3 % 20),
                    note="Dữ liệu mẫu",
                    is_demo=True,
                )
            month = today.replace(day=1)
            for metric, target in (
                (Metric.ACTIVATIONS, 50),
                (Metric.PAYMENTS, 30),
                (Metric.SHOPS, 5),
                (Metric.RESIDENTS, 100),
            ):
                target_set(actor=None, team=team, month=month, metric=metric, target=target)
            if village.name == LOC_TAN:
                session = training_create(
                    actor=None,
                    commune=commune,
                    team=team,
                    topic="Kích hoạt tài khoản định danh điện tử mức 2 và thanh toán QR (demo)",
                    date=today - timedelta(days=5),
                    place="Nhà văn hóa thôn Lộc Tân",
                    trainer="Công an xã và Viettel (demo)",
                    materials=MATERIALS,
                    is_demo=True,
                )
                for member in members:
                    attendance_record(
                        actor=None,
                        session=session,
                        kind=Attendance.Kind.MEMBER,
                        member=member,
                        course_completed=True,
                    )
                attendance_record(
                    actor=None,
                    session=session,
                    kind=Attendance.Kind.RESIDENT,
                    name="Người dân thôn Lộc Tân (demo)",
                )
    return made
