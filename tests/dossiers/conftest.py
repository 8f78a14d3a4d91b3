"""A demo commune with its catalogue, calendar rules and staff, and birth registrations to move."""

from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.helpers.api import ApiClient
from tests.helpers.clock import Freezer
from xaso.accounts.models import User
from xaso.dossiers.models import Upload

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def demo(demo_seeded):
    names = ["reception", "specialist", "leader", "admin", "community", "other-reception"]
    return {name: User.objects.get(username=name) for name in names}


@pytest.fixture
def staff(demo):
    """An API client signed in as each demo account."""
    return {name: ApiClient().as_user(user) for name, user in demo.items()}


def upload(token: str, by: str | None = None) -> str:
    """An upload row (anonymous, or sent by the user named `by`)."""
    Upload.objects.create(
        token=token, file=f"uploads/{token}.pdf", kind="pdf", size=10, sha256="0" * 64,
        created_at=timezone.now(),
        uploaded_by=User.objects.get(username=by) if by else None,
    )  # fmt: skip
    return token


def birth_answers(certificate: str) -> dict:
    return {
        "applicant": {"full_name": "Y Bhiơ Niê", "date_of_birth": "1960-03-02", "sex": "male",
                      "personal_id": "066060001234"},
        "relationship": "grandparent",
        "phone": "0912345678",
        "child": {"full_name": "H'Hen Niê", "date_of_birth": "2026-11-20", "sex": "female",
                  "ethnicity": "Ê Đê", "nationality": "Việt Nam"},
        "place_of_birth": "Trạm Y tế xã Phú Lộc",
        "mother": {"full_name": "H'Lan Niê", "date_of_birth": "1998-01-01", "sex": "female"},
        "mother_residence": {"province": "66", "commune": "DEMO-PL", "village": "thon-loc-tan"},
        "has_birth_certificate": True,
        "birth_certificate": [certificate],
    }  # fmt: skip


def submission(channel: str = "online", **extra) -> dict:
    token = upload(f"cert-{Upload.objects.count() + 1}")
    return {
        "procedure": "1.001193",
        "commune": "DEMO-PL",
        "channel": channel,
        "applicant": {"full_name": "Y Bhiơ Niê", "personal_id": "066060001234",
                      "date_of_birth": "1960-03-02", "sex": "male", "phone": "0912345678",
                      "address": "Thôn Lộc Tân, xã Phú Lộc (demo)", "village": "thon-loc-tan"},
        "form": birth_answers(token),
        **extra,
    }  # fmt: skip


@pytest.fixture
def at():
    """Run the code under test as if it were this moment in Vietnam: at(2026, 11, 27, 10)."""
    freezer = Freezer()
    yield freezer
    freezer.close()


def procedure_submission(code: str, channel: str = "counter", *, fixed=None, **extra) -> dict:
    """A submission of any seeded procedure: answers generated from its form (`fixed` answers
    kept), every address in the demo commune, every file field a fresh upload."""
    from tests.helpers.forms import valid_answers
    from xaso.catalog.models import Procedure

    form = Procedure.objects.get(code=code).form
    answers = valid_answers(form, today=timezone.localdate(), fixed=fixed)
    for name, value in answers.items():
        if isinstance(value, dict) and "commune" in value:
            answers[name] = {"province": "66", "commune": "DEMO-PL", "village": "thon-loc-tan"}
        if isinstance(value, list) and value and isinstance(value[0], str):
            answers[name] = [upload(f"{name}-{Upload.objects.count()}")]
    return {**submission(channel, **extra), "procedure": code, "form": answers}
