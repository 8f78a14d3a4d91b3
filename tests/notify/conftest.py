import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.catalog.test_api import BIRTH_ANSWERS
from xaso.accounts.models import User
from xaso.dossiers.models import Upload
from xaso.dossiers.submission import dossier_submit

PROPOSED_PO = Path(__file__).with_name("vi_proposed.po")
PHONE = "0912345678"
ANSWERS = {
    **BIRTH_ANSWERS,
    "mother_residence": {"province": "66", "commune": "DEMO-PL", "village": "thon-loc-tan"},
}


@pytest.fixture
def vietnamese(tmp_path, settings):
    """The Vietnamese texts proposed for the catalogue (vi_proposed.po), compiled and put before
    the project's own: the Vietnamese SMS are checked before the integrator merges them."""
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt (Debian package gettext) is needed: make installs it")
    target = tmp_path / "locale" / "vi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(target / "django.mo"), str(PROPOSED_PO)],
        check=True,
    )
    settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]


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
