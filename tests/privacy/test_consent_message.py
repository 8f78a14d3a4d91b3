"""The community consent code tells the resident what they agree to: the procedure, the data
sent and the team member; a code serves only that procedure's dossier."""

import pytest

from tests.dossiers.conftest import submission
from xaso.catalog.models import Procedure
from xaso.dossiers.models import ConsentChallenge, Dossier
from xaso.notify.models import OutboxMessage
from xaso.notify.templates import ONE_TIME_CODE, SMS, SMS_MAX, gsm7_length, render

pytestmark = pytest.mark.django_db


def ask_code(staff, procedure="1.001193"):
    return staff["community"].post(
        "/api/v1/consents/otp",
        {"commune": "DEMO-PL", "phone": "0912345678", "procedure": procedure},
    )


def test_the_sms_names_the_procedure_the_data_and_the_member_in_one_sms(staff, demo):
    demo["community"].full_name = "Nguyễn Thị Hoa"
    demo["community"].save(update_fields=["full_name"])
    assert ask_code(staff).status_code == 200
    message = OutboxMessage.objects.get(template="one_time_code")
    assert message.language == "vi"
    # The demo writes to the log, in the long form (as Zalo and e-mail): it says all of it.
    assert "Đăng ký khai sinh" in message.text and "Nguyễn Thị Hoa" in message.text
    assert "họ và tên, số định danh, số điện thoại, địa chỉ, ảnh giấy tờ" in message.text
    assert "dữ liệu cá nhân nhạy cảm" in message.text and "356/2025/NĐ-CP" in message.text
    text = render(ONE_TIME_CODE, message.data, language="vi", form=SMS).text
    assert gsm7_length(text) <= SMS_MAX, text
    assert "Dang ky khai sinh" in text  # the procedure, in the SMS's plain letters
    assert "Nguyen Thi Hoa (To CNS)" in text  # the member
    assert "ho ten, so CCCD, anh giay to" in text  # the data sent
    assert message.data["otp"] in text and "Doc ma neu dong y" in text


def test_a_long_member_name_is_shortened_before_the_procedure(staff, demo):
    ask_code(staff)  # the demo member is "Tổ công nghệ số thôn Lộc Tân (demo)"
    data = OutboxMessage.objects.get(template="one_time_code").data
    text = render(ONE_TIME_CODE, data, language="vi", form=SMS).text
    assert gsm7_length(text) <= SMS_MAX
    assert "To cong nghe so" in text and "Dang ky khai sinh" in text


def test_a_procedure_is_required_and_must_exist(staff, demo):
    missing = staff["community"].post(
        "/api/v1/consents/otp", {"commune": "DEMO-PL", "phone": "0912345678"}
    )
    assert missing.status_code in (400, 422)
    unknown = ask_code(staff, procedure="9.999999")
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "procedure_not_found"
    assert not ConsentChallenge.objects.exists()


def test_the_code_serves_only_the_procedure_named_and_the_dossier_records_it(staff, demo):
    challenge = ask_code(staff, procedure="1.001193").json()["challenge"]
    code = OutboxMessage.objects.get(template="one_time_code").data["otp"]
    # As if the resident had agreed to another procedure than the one now filed.
    other = Procedure.objects.exclude(code="1.001193").first()
    ConsentChallenge.objects.filter(token=challenge).update(procedure=other)
    consent = {"method": "otp", "challenge": challenge, "code": code}
    refused = staff["community"].post("/api/v1/dossiers", submission("community", consent=consent))
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "consent_other_procedure"

    challenge = ask_code(staff).json()["challenge"]
    code = OutboxMessage.objects.filter(template="one_time_code").latest("id").data["otp"]
    consent = {"method": "otp", "challenge": challenge, "code": code}
    created = staff["community"].post("/api/v1/dossiers", submission("community", consent=consent))
    assert created.status_code == 201
    record = Dossier.objects.get(code=created.json()["code"]).consent
    assert record["procedure"] == "1.001193" and record["phone"] == "0912345678"
    assert record["member"] == demo["community"].get_full_name()
    assert "document_photos" in record["data"]
