"""A citizen, signed in with their phone, asks to see, correct or delete their data; officers of
the commune answer within 2 working days (Decree 356/2025/NĐ-CP). A draft or an unused file is
deleted at once; a returned dossier is kept, and the answer says why."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone, translation

from tests.dossiers.conftest import submission, upload
from tests.helpers.api import ApiClient
from xaso.accounts.citizen_login import citizen_for_phone
from xaso.catalog.models import Procedure
from xaso.core.models import AuditEntry
from xaso.dossiers.models import Dossier, Draft, State, Upload
from xaso.places.models import Commune
from xaso.privacy.models import RetentionRule, SubjectRequest
from xaso.privacy.services import subject_request_answer, subject_request_file

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PAGE = "/du-lieu-ca-nhan/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(demo):
    return citizen_for_phone("0912345678")


@pytest.fixture
def portal(citizen):
    client = Client()
    client.force_login(citizen)
    client.cookies["django_language"] = "en"
    return client


def citizen_dossier(citizen, state=State.RETURNED) -> Dossier:
    """A dossier the citizen filed online from their account, moved to `state` (the workflow's
    own tests walk the way there)."""
    created = ApiClient().as_user(citizen).post("/api/v1/dossiers", submission()).json()
    Dossier.objects.filter(code=created["code"]).update(state=state)
    return Dossier.objects.select_related("procedure", "receiving_commune").get(
        code=created["code"]
    )


returned_dossier_of = citizen_dossier


def test_the_page_needs_the_phone_verified_by_the_sign_in_code(demo):
    response = Client().get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next=")


def test_deleting_an_application_not_sent_is_carried_out_at_once(portal, citizen, demo, at):
    at(2026, 11, 25, 9, 30)
    draft = Draft.objects.create(
        token="draft-1", commune=Commune.objects.get(code="DEMO-PL"),
        procedure=Procedure.objects.get(code="1.001193"), owner=citizen,
        applicant={"full_name": "Y Bhiơ Niê"}, updated_at=timezone.now(),
    )  # fmt: skip
    page = portal.get(PAGE).content.decode()
    assert 'value="draft-1"' in page
    response = portal.post(PAGE, {"kind": "deletion", "target": "draft", "ref": draft.token})
    assert response.status_code == 302
    assert not Draft.objects.filter(token="draft-1").exists()
    request = SubjectRequest.objects.get()
    assert request.state == SubjectRequest.State.CARRIED_OUT
    assert "The application not sent is deleted." in portal.get(PAGE).content.decode()
    assert AuditEntry.objects.filter(action="privacy.request", object_id=request.code).exists()


def test_deleting_an_unused_upload_removes_the_file(
    portal, citizen, demo, at, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    at(2026, 11, 25, 9, 30)
    token = upload("id-photo-1")
    Upload.objects.filter(token=token).update(uploaded_by=citizen)
    stored = Upload.objects.get(token=token).file
    stored.storage.save(stored.name, ContentFile(b"%PDF-1.4"))
    assert stored.storage.exists(stored.name)
    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(
            PAGE, {"kind": "deletion", "target": "upload", "ref": token, "commune": "DEMO-PL"}
        )
    assert response.status_code == 302
    assert not Upload.objects.filter(token=token).exists()
    assert not stored.storage.exists(stored.name)
    assert SubjectRequest.objects.get().state == SubjectRequest.State.CARRIED_OUT


def test_a_file_of_a_dossier_or_of_someone_else_is_not_deleted_this_way(citizen, demo):
    other = upload("someone-elses")
    with pytest.raises(Exception) as refused:
        subject_request_file(user=citizen, phone=citizen.phone, kind="deletion",
                             target="upload", target_ref=other, commune_code="DEMO-PL")  # fmt: skip
    assert refused.value.code == "upload_not_found"
    assert Upload.objects.filter(token=other).exists()


def test_a_returned_dossier_is_kept_and_the_answer_gives_the_legal_reason(
    portal, citizen, demo, at
):
    at(2026, 11, 25, 9, 30)  # a Wednesday: 2 working days → Friday at the close of the day
    dossier = returned_dossier_of(citizen)
    RetentionRule.objects.create(
        procedure=dossier.procedure, dossier_years=20, legal_basis="Luật Hộ tịch 2014"
    )
    response = portal.post(PAGE, {"kind": "deletion", "target": "auto", "ref": dossier.code})
    assert response.status_code == 302
    request = SubjectRequest.objects.get()
    told = portal.get(PAGE).content.decode()
    assert f"Your request {request.code} is sent." in told
    # 2 working days, counted to the close of the second day (Friday 27/11) on the calendar.
    assert "The commune answers here by 17:00 27/11/2026." in told
    assert request.state == SubjectRequest.State.OPEN
    assert request.commune.code == dossier.receiving_commune.code
    assert timezone.localtime(request.due_at).date() == datetime(2026, 11, 27, tzinfo=VN).date()
    assert Dossier.objects.filter(code=dossier.code).exists()

    officer = Client()
    officer.force_login(demo["reception"])
    officer.cookies["django_language"] = "en"
    listed = officer.get("/backoffice/privacy/").content.decode()
    assert request.code in listed
    shown = officer.get(f"/backoffice/privacy/{request.code}/").content.decode()
    assert "0912345678" in shown and "the legal reason it is kept" in shown
    assert AuditEntry.objects.filter(action="personal_data.view", object_id=request.code).exists()
    officer.post(f"/backoffice/privacy/{request.code}/", {"answer": "The dossier is kept."})
    request.refresh_from_db()
    assert request.state == SubjectRequest.State.KEPT
    assert "kept for 20 years after it ended under Luật Hộ tịch 2014" in request.answer
    assert "its result is kept permanently" in request.answer
    assert "Law 91/2025/QH15 does not allow deleting" in request.answer
    assert Dossier.objects.filter(code=dossier.code, state=State.RETURNED).exists()
    page = portal.get(PAGE).content.decode()
    assert "Not deleted: the law requires it kept" in page and "Luật Hộ tịch 2014" in page


def test_an_open_dossier_is_kept_while_it_is_handled(citizen, demo, staff, at):
    at(2026, 11, 25, 9, 30)
    dossier = citizen_dossier(citizen, State.PROCESSING)
    request = subject_request_file(user=citizen, phone=citizen.phone, kind="deletion",
                                   target="dossier", target_ref=dossier.code)  # fmt: skip
    with translation.override("en"):
        answered = subject_request_answer(actor=demo["leader"], code=request.code, answer="Ok.")
    assert answered.state == SubjectRequest.State.KEPT
    assert f"Dossier {dossier.code} is being handled" in answered.answer
    assert "You may withdraw it at the one-stop desk" in answered.answer


def test_another_citizens_dossier_cannot_be_asked_about(citizen, demo):
    someone_else = citizen_dossier(citizen_for_phone("0987654321"))
    with pytest.raises(Exception) as refused:
        subject_request_file(user=citizen, phone=citizen.phone, kind="access",
                             target="dossier", target_ref=someone_else.code)  # fmt: skip
    assert refused.value.code == "dossier_not_found"


def test_another_commune_and_roles_that_may_not_answer_get_nothing(citizen, demo, at):
    at(2026, 11, 25, 9, 30)
    dossier = returned_dossier_of(citizen)
    request = subject_request_file(user=citizen, phone=citizen.phone, kind="access",
                                   target="dossier", target_ref=dossier.code)  # fmt: skip
    # Another commune: nothing, not even that the request exists. A role of the commune that
    # does not answer these requests (the specialist, the community team): refused.
    for name, status in (("other-reception", 404), ("specialist", 403), ("community", 403)):
        client = Client()
        client.force_login(demo[name])
        assert client.get(f"/backoffice/privacy/{request.code}/").status_code == status, name
        assert request.code not in client.get("/backoffice/privacy/").content.decode(), name
        posted = client.post(f"/backoffice/privacy/{request.code}/", {"answer": "x"})
        assert posted.status_code == status, name
        api = ApiClient().as_user(demo[name])
        listed = api.get("/api/v1/privacy/requests?commune=DEMO-PL")
        assert listed.status_code == status, name
        answered = api.post(f"/api/v1/privacy/requests/{request.code}/answer", {"answer": "x"})
        assert answered.status_code == (404 if status == 404 else 403), name
    request.refresh_from_db()
    assert request.state == SubjectRequest.State.OPEN and request.answer == ""


def test_a_correction_needs_details_and_an_answer_is_given_once(citizen, demo, at):
    dossier = returned_dossier_of(citizen)
    with pytest.raises(Exception) as refused:
        subject_request_file(user=citizen, phone=citizen.phone, kind="correction",
                             target="dossier", target_ref=dossier.code)  # fmt: skip
    assert refused.value.code == "details_required"
    request = subject_request_file(user=citizen, phone=citizen.phone, kind="correction",
                                   target="dossier", target_ref=dossier.code,
                                   details="Ngày sinh đúng là 02/03/1960")  # fmt: skip
    subject_request_answer(actor=demo["reception"], code=request.code, answer="Đã sửa.")
    with pytest.raises(Exception) as again:
        subject_request_answer(actor=demo["reception"], code=request.code, answer="Lần hai")
    assert again.value.code == "request_answered"


def test_bad_input_on_the_page_is_a_4xx_with_the_reason(portal, demo):
    response = portal.post(PAGE, {"kind": "nonsense", "target": "auto"})
    assert response.status_code == 400
    assert "Choose to see, correct or delete your data." in response.content.decode()


def test_the_desk_answers_through_the_api_too(citizen, demo, at):
    at(2026, 11, 25, 9, 30)
    dossier = citizen_dossier(citizen)
    request = subject_request_file(user=citizen, phone=citizen.phone, kind="deletion",
                                   target="dossier", target_ref=dossier.code)  # fmt: skip
    desk = ApiClient().as_user(demo["reception"])
    listed = desk.get("/api/v1/privacy/requests?commune=DEMO-PL").json()["items"]
    assert [item["code"] for item in listed] == [request.code]
    assert listed[0]["due_at"] == "2026-11-27T17:00:00+07:00"
    answer = desk.post(f"/api/v1/privacy/requests/{request.code}/answer", {"answer": "Giữ lại."})
    assert answer.status_code == 200 and answer.json()["state"] == "kept"
    assert "Luật Lưu trữ năm 2024" in answer.json()["answer"]
    again = desk.post(f"/api/v1/privacy/requests/{request.code}/answer", {"answer": "Lần hai."})
    assert again.status_code == 409 and again.json()["error"]["code"] == "request_answered"
