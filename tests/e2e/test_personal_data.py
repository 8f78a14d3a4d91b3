"""A citizen signs in with their phone and asks about their data (Law 91/2025/QH15): an
application never sent is deleted at once; a returned dossier is not, and the commune's answer,
given in the back office, says why. Screenshots: var/screenshots/personal-data-*.png."""

import re

from django.utils import timezone

from tests.dossiers.conftest import submission
from tests.helpers.screenshots import shot
from xaso.accounts.models import User
from xaso.catalog.models import Procedure
from xaso.dossiers.models import Dossier, Draft
from xaso.dossiers.submission import dossier_submit
from xaso.places.models import Commune
from xaso.privacy.models import SubjectRequest
from xaso.privacy.services import subject_request_answer


def sign_in(page, phone: str) -> User:
    from xaso.notify.models import OutboxMessage

    page.goto("/du-lieu-ca-nhan/")
    page.wait_for_url("**/dang-nhap/**")
    page.locator("#phone").fill(phone)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dang-nhap/ma/**")
    code = OutboxMessage.objects.filter(recipient=phone).latest("id").data["otp"]
    page.locator("#code").fill(code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/du-lieu-ca-nhan/")
    return User.objects.get(username=f"citizen-{phone}")


def test_a_draft_is_deleted_at_once_and_a_returned_dossier_is_kept_with_the_reason(
    page, audit, demo_committed
):
    citizen = sign_in(page, "0912345678")
    body = submission("online")
    dossier = dossier_submit(
        actor=citizen, procedure_code=body["procedure"], commune_code=body["commune"],
        channel="online", applicant=body["applicant"], answers=body["form"],
    ).dossier  # fmt: skip
    # Returned (the way there is the workflow's own tests').
    Dossier.objects.filter(pk=dossier.pk).update(state="returned")
    Draft.objects.create(
        token="nhap-1", commune=Commune.objects.get(code="DEMO-PL"),
        procedure=Procedure.objects.get(code="1.001193"), owner=citizen,
        applicant={"full_name": "Y Bhiơ Niê"}, updated_at=timezone.now(),
    )  # fmt: skip
    page.reload()
    audit("/du-lieu-ca-nhan/")
    shot(page, "personal-data-1-page")
    assert dossier.code in page.locator("#my-data-dossiers").inner_text()

    page.locator("#my-data-unsent button").click()  # the draft's "Xóa"
    page.wait_for_load_state()
    assert "Đã xóa hồ sơ chưa gửi." in page.locator("#message").inner_text()
    assert not Draft.objects.filter(token="nhap-1").exists()

    page.select_option("#f-kind", "deletion")
    page.select_option("#f-target", dossier.code)
    page.locator("#request-form button[type=submit]").click()
    page.wait_for_load_state()
    request = SubjectRequest.objects.get(state="open")
    message = page.locator("#message").inner_text()
    assert request.code in message and re.search(r"\d\d:\d\d \d\d/\d\d/2026", message)

    leader = User.objects.get(username="leader")
    subject_request_answer(actor=leader, code=request.code, answer="Xã giữ hồ sơ này.")
    page.reload()
    answer = page.locator("#my-data-requests").inner_text()
    assert "Không xóa: pháp luật buộc phải lưu giữ" in answer
    assert "Luật Lưu trữ năm 2024" in answer and "lưu vĩnh viễn" in answer
    shot(page, "personal-data-2-answered")
    assert Dossier.objects.filter(code=dossier.code).exists()
