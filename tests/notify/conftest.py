import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.catalog.test_api import BIRTH_ANSWERS
from xaso.accounts.models import User
from xaso.dossiers.models import Upload
from xaso.dossiers.submission import dossier_submit

PHONE = "0912345678"
ANSWERS = {
    **BIRTH_ANSWERS,
    "mother_residence": {"province": "66", "commune": "DEMO-PL", "village": "thon-loc-tan"},
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    # The form's birth certificate field refers to an upload made before the submission.
    Upload.objects.create(
        token="upload-1",
        file="uploads/test/upload-1.pdf",
        kind=Upload.Kind.PDF,
        size=1000,
        sha256="0" * 64,
        created_at=timezone.now(),
    )


def staff(username: str) -> User:
    return User.objects.get(username=username)


def submit_at_desk(*, phone: str = PHONE, receive: bool = True):
    """A birth registration handed in at the Phú Lộc desk by the applicant (the grandfather)."""
    return dossier_submit(
        actor=staff("reception"),
        procedure_code="1.001193",
        commune_code="DEMO-PL",
        channel="counter",
        applicant={
            "full_name": "Y Bhiơ Niê",
            "personal_id": "066060001234",
            "date_of_birth": "1960-03-02",
            "sex": "male",
            "phone": phone,
        },
        answers=ANSWERS,
        receive=receive,
    ).dossier
