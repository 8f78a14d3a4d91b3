"""`xaso purge-expired`: what outlived its use is deleted at the moment the rules say, and never
a dossier or its result."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tests.dossiers.conftest import submission, upload
from xaso.accounts.citizen_login import sign_in_code_issue
from xaso.accounts.models import SignInCode
from xaso.catalog.models import Procedure
from xaso.core.models import AuditEntry
from xaso.dossiers.consent import consent_code_send
from xaso.dossiers.models import Attachment, ConsentChallenge, Dossier, Draft, Upload
from xaso.notify.models import OutboxMessage
from xaso.places.models import Commune
from xaso.privacy.purge import expired_purge

pytestmark = pytest.mark.django_db


def stored_upload(token: str) -> Upload:
    row = Upload.objects.get(token=upload(token))
    row.file.storage.save(row.file.name, ContentFile(b"%PDF-1.4 ID card"))
    return row


def test_an_unused_upload_lives_24_hours_then_its_row_and_file_go(
    demo, at, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    at(2026, 11, 25, 9, 30)
    photo = stored_upload("never-sent")
    at(2026, 11, 26, 9, 0)  # 23 h 30 later
    assert expired_purge()["uploads"] == 0
    assert Upload.objects.filter(token="never-sent").exists()
    at(2026, 11, 26, 9, 31)
    with django_capture_on_commit_callbacks(execute=True):
        assert expired_purge()["uploads"] == 1
    assert not Upload.objects.filter(token="never-sent").exists()
    assert not photo.file.storage.exists(photo.file.name)
    assert AuditEntry.objects.filter(action="privacy.purge").last().data["uploads"] == 1


def test_files_of_dossiers_of_drafts_and_consent_photos_are_kept(demo, staff, at):
    at(2026, 11, 25, 9, 30)
    created = staff["reception"].post("/api/v1/dossiers", submission("counter")).json()
    dossier = Dossier.objects.get(code=created["code"])
    attached = Attachment.objects.get(dossier=dossier).upload.token
    in_draft = upload("in-a-draft")
    Draft.objects.create(
        token="d1", commune=Commune.objects.get(code="DEMO-PL"),
        procedure=Procedure.objects.get(code="1.001193"),
        answers={"birth_certificate": [in_draft]}, updated_at=timezone.now(),
    )  # fmt: skip
    photo = upload("consent-photo", by="community")
    consented = staff["community"].post(
        "/api/v1/dossiers",
        submission("community", consent={"method": "photo", "upload": photo}),
    )
    assert consented.status_code == 201
    at(2026, 12, 20, 9, 30)
    expired_purge()
    kept = set(Upload.objects.values_list("token", flat=True))
    assert {attached, in_draft, photo} <= kept


def test_codes_and_their_message_texts_go_after_30_days_the_dossier_keeps_its_consent(
    demo, staff, at
):
    at(2026, 11, 25, 9, 30)
    commune = Commune.objects.get(code="DEMO-PL")
    consent_code_send(actor=demo["community"], commune=commune, phone="0912345678",
                      procedure_code="1.001193")  # fmt: skip
    sign_in_code_issue(phone="0987654321", client_ip="203.0.113.5")
    message = OutboxMessage.objects.get(template="one_time_code")
    assert message.data["otp"] in message.text
    received = OutboxMessage.objects.exclude(template="one_time_code").count()
    at(2026, 12, 24, 9, 0)  # 29 days later
    assert expired_purge() == {"uploads": 0, "consent_challenges": 0, "sign_in_codes": 0,
                               "one_time_code_texts": 0}  # fmt: skip
    at(2026, 12, 25, 9, 31)  # 30 days and a minute
    out = StringIO()
    call_command("purge-expired", stdout=out)
    assert "consent_challenges: 1" in out.getvalue() and "sign_in_codes: 1" in out.getvalue()
    assert "one_time_code_texts: 1" in out.getvalue()
    assert not ConsentChallenge.objects.exists() and not SignInCode.objects.exists()
    message.refresh_from_db()
    assert message.text == "" and "otp" not in message.data and message.data["purged"]
    assert message.recipient == "0912345678"  # the record that a code was sent stays
    assert OutboxMessage.objects.exclude(template="one_time_code").count() == received


def test_a_dossier_and_its_result_are_never_purged(demo, staff, at):
    at(2026, 11, 25, 9, 30)
    created = staff["reception"].post("/api/v1/dossiers", submission("counter")).json()
    Dossier.objects.filter(code=created["code"]).update(state="returned")
    at(2036, 11, 25, 9, 30)  # ten years later
    expired_purge(now=timezone.now() + timedelta(days=365 * 30))
    dossier = Dossier.objects.get(code=created["code"])
    assert dossier.attachments.count() == 1


def test_a_result_cannot_be_hard_deleted_not_even_by_a_queryset(world):
    from tests.helpers.staff_endpoints import world_result
    from xaso.results.models import ResultDocument

    result = world_result(world)
    with pytest.raises(TypeError, match="kept permanently"), transaction.atomic():
        result.delete()
    with pytest.raises(TypeError, match="kept permanently"), transaction.atomic():
        ResultDocument.objects.all().delete()
    assert ResultDocument.objects.filter(pk=result.pk).exists()
