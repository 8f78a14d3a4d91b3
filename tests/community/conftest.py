"""The demo commune with its 15 village teams; API clients of the demo accounts, and a second
team member (of Lộc Tài's team) with their own account."""

import uuid

import pytest

from tests.dossiers.conftest import at, demo, procedure_submission, submission, upload  # noqa: F401 (fixtures)
from tests.helpers.api import ApiClient
from xaso.accounts.models import User
from xaso.community.models import Team
from xaso.community.services import member_add


@pytest.fixture
def loc_tai_member(demo) -> User:  # noqa: F811
    user = User.objects.create_user(username="loc-tai-member", password="x" * 20)
    team = Team.objects.get(village__name="Thôn Lộc Tài")
    member_add(actor=None, team=team, full_name="Thành viên Lộc Tài", user=user)
    return user


@pytest.fixture
def clients(demo, loc_tai_member):  # noqa: F811
    users = {**demo, "loc-tai": loc_tai_member}
    return {name: ApiClient().as_user(user) for name, user in users.items()}


def entry(**extra) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "resident": {"name": "Y Moan Êban", "phone": "0912000111", "consent": True},
        "skill": "vneid",
        "outcome": "account_activated",
        "minutes": 20,
        "at": "2026-11-25",
        **extra,
    }
