"""Time limits as the law counts them, on real dossiers of the demo commune (issue 15).

Close of office hours of the last day, 15:00 itself before the same-day cut-off, the statutory
limit "with verification" chosen at receipt, the Friday rule as the seed describes it, and a
second supplement request that must say why. 2026 and 2027 dates, at frozen moments.
"""

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.dossiers.conftest import procedure_submission, submission
from tests.dossiers.test_documents import BASE_URL, pdf_text, vi
from tests.helpers.api import ApiClient, act, assert_error, submit
from tests.helpers.calendar import year_confirmed
from xaso.dossiers.documents import document_pdf
from xaso.dossiers.models import Dossier
from xaso.dossiers.register import LATE, timeliness

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = "/api/v1/calendar/due-date"
PARENTAGE = "1.000689"  # birth registration with recognition of parentage: 3 / 8 working days
MARRIAGE = "1.000894"
DEATH = "1.000656"
MARITAL_STATUS = "1.004873"
WHY = "Xác minh quan hệ cha con tại nơi cư trú trước đây của người cha"


def desk(demo) -> ApiClient:
    """The desk's API client, signed in now (a token issued before a frozen 2027 moment would
    have expired by then)."""
    return ApiClient().as_user(demo["reception"])


# --- the public due-date API ---------------------------------------------------------------


def test_parentage_is_due_at_the_close_of_the_third_working_day(demo, api):
    query = {
        "commune": "DEMO-PL",
        "procedure": PARENTAGE,
        "received_at": "2026-12-07T10:00:00+07:00",
    }
    response = api.get(f"{DUE}?{urlencode(query)}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_at"] == "2026-12-10T17:00:00+07:00"  # Thursday, close of office hours
    assert body["limit"] == {"amount": 3, "unit": "working_days"}


def test_calendar_days_are_accepted_by_the_api(demo, api):
    query = {
        "commune": "DEMO-PL",
        "received_at": "2026-12-07T10:00:00+07:00",
        "unit": "calendar_days",
        "limit": 15,
    }
    response = api.get(f"{DUE}?{urlencode(query)}")
    assert response.status_code == 200, response.content
    assert response.json()["due_at"] == "2026-12-22T17:00:00+07:00"


# --- the 15:00 cut-off ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        ((2026, 11, 26, 15, 0), "2026-11-26T17:00:00+07:00"),  # exactly 15:00: that day
        ((2026, 11, 26, 15, 1), "2026-11-27T17:00:00+07:00"),  # after it: the next working day
        ((2027, 3, 4, 15, 0), "2027-03-04T17:00:00+07:00"),
    ],
)
def test_a_same_day_dossier_at_exactly_15_00_is_due_that_day(demo, at, moment, due):
    at(*moment)
    created = submit(desk(demo), submission("counter", receive=True))
    assert created["due_at"] == due


# --- the Friday rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        ((2026, 11, 27, 9, 0), "2026-11-27T17:00:00+07:00"),  # a Friday morning
        # the rule has no cut-off of its own: the afternoon too, until the close
        ((2026, 11, 27, 16, 30), "2026-11-27T17:00:00+07:00"),
        ((2027, 3, 5, 8, 30), "2027-03-05T17:00:00+07:00"),
    ],
)
def test_a_marital_status_dossier_at_the_desk_on_friday_is_due_that_friday(demo, at, moment, due):
    at(*moment)
    reception = desk(demo)
    created = submit(reception, procedure_submission(MARITAL_STATUS, receive=True))
    assert created["due_at"] == due  # not the statutory three working days
    detail = reception.get(f"/api/v1/dossiers/{created['code']}").json()
    assert detail["due_rule"] == "friday_same_day"
    board = reception.get("/api/v1/dossiers?queue=friday_board").json()["items"]
    assert created["code"] in [item["code"] for item in board]


def test_a_residence_dossier_is_not_on_the_friday_board(staff, at):
    """Decided by the commune police, not in the commune: the default list leaves it out."""
    at(2026, 11, 27, 9, 0)
    created = submit(staff["reception"], procedure_submission("1.004194", receive=True))
    dossier = Dossier.objects.get(code=created["code"])
    assert dossier.due_rule == ""
    assert created["due_at"] == "2026-12-02T17:00:00+07:00"  # three working days after Friday


# --- the limit with verification -----------------------------------------------------------


def test_received_with_verification_the_longer_statutory_limit_applies(staff, at):
    at(2026, 12, 7, 10, 0)  # Monday
    body = procedure_submission(
        PARENTAGE, receive=True, with_verification=True, verification_reason=WHY
    )
    created = submit(staff["reception"], body)
    # 3 + 5 working days after Monday 7/12: Thursday 17/12, at the close
    assert created["due_at"] == "2026-12-17T17:00:00+07:00"
    dossier = Dossier.objects.get(code=created["code"])
    assert (dossier.with_verification, dossier.verification_reason) == (True, WHY)
    intake = dossier.events.get(action="intake")
    assert intake.data["with_verification"] is True and intake.data["reason"] == WHY
    # not an extension, and not late while within it
    at(2026, 12, 16, 16, 0)
    dossier.refresh_from_db()
    assert dossier.extended is False
    assert timeliness(dossier, datetime(2026, 12, 16, 16, tzinfo=VN)) == ""
    overdue = staff["reception"].get("/api/v1/dossiers?queue=overdue").json()["items"]
    assert created["code"] not in [item["code"] for item in overdue]
    # Form 01 prints the limit with verification and why
    text = pdf_text(document_pdf(dossier, "receipt", base_url=BASE_URL))
    assert "08 ngày làm việc" in text or "8 ngày làm việc" in text
    assert WHY in text
    assert "17 tháng 12 năm 2026" in text


def test_verification_on_a_dossier_received_from_the_queue(demo, at):
    at(2027, 3, 1, 9, 0)  # Monday
    reception = desk(demo)
    code = submit(ApiClient(), procedure_submission(MARRIAGE, "online"))["code"]
    assert_error(
        reception.post(f"/api/v1/dossiers/{code}/receive", {"with_verification": True}),
        400,
        "verification_reason_required",
    )
    assert Dossier.objects.get(code=code).received_at is None  # nothing changed
    body = act(
        reception,
        code,
        "receive",
        {"with_verification": True, "reason": "Xác minh tình trạng hôn nhân của bên nữ"},
    )
    # marriage: same day, or at most 5 working days with verification
    assert body["due_at"] == "2027-03-08T17:00:00+07:00"
    assert body["with_verification"] is True


def test_death_registration_with_verification_has_three_working_days(staff, at):
    at(2026, 11, 26, 9, 0)  # Thursday
    body = procedure_submission(
        DEATH, receive=True, with_verification=True, verification_reason="Xác minh nơi chết"
    )
    # Fri 27, Mon 30, Tue 1/12; and not the Friday board: verification is outside the commune
    created = submit(staff["reception"], body)
    assert created["due_at"] == "2026-12-01T17:00:00+07:00"
    assert Dossier.objects.get(code=created["code"]).due_rule == ""


def test_a_procedure_without_a_limit_with_verification_refuses_it(staff, at):
    at(2026, 11, 26, 9, 0)
    body = procedure_submission(
        MARITAL_STATUS, receive=True, with_verification=True, verification_reason="Xác minh"
    )
    assert_error(staff["reception"].post("/api/v1/dossiers", body), 400, "no_verification_limit")
    assert not Dossier.objects.filter(procedure__code=MARITAL_STATUS).exists()


def test_verification_is_chosen_at_receipt_not_by_the_applicant(demo, at):
    at(2026, 11, 26, 9, 0)
    body = procedure_submission(
        PARENTAGE, "online", with_verification=True, verification_reason="Xác minh"
    )
    assert_error(ApiClient().post("/api/v1/dossiers", body), 400, "verification_at_receipt")


# --- provisional years ---------------------------------------------------------------------

PROVISIONAL_2027 = (
    "The working calendar of %(year)s is provisional: the government has not yet published "
    "its days off and make-up days, so this appointment may move."
)


def provisional_note(year: int) -> str:
    return vi(PROVISIONAL_2027) % {"year": year}


def test_an_appointment_in_2027_is_printed_as_provisional(demo, at):
    at(2027, 3, 2, 9, 0)
    created = submit(desk(demo), submission("counter", receive=True))
    dossier = Dossier.objects.get(code=created["code"])
    text = pdf_text(document_pdf(dossier, "receipt", base_url=BASE_URL))
    assert provisional_note(2027) in text
    query = urlencode({"code": dossier.code, "secret": dossier.lookup_secret})
    page = Client().get(f"/tra-cuu/?{query}")
    assert provisional_note(2027) in " ".join(page.content.decode().split())
    # once the year's official days are in the table, the note goes
    year_confirmed(2027)
    text = pdf_text(document_pdf(dossier, "receipt", base_url=BASE_URL))
    assert provisional_note(2027) not in text


def test_an_appointment_in_2026_is_not_provisional(staff, at):
    at(2026, 11, 26, 9, 0)
    created = submit(staff["reception"], submission("counter", receive=True))
    dossier = Dossier.objects.get(code=created["code"])
    text = pdf_text(document_pdf(dossier, "receipt", base_url=BASE_URL))
    assert provisional_note(2026) not in text and "2027" not in text


# --- a second supplement request -----------------------------------------------------------


def test_a_second_supplement_request_needs_a_reason_and_counts_as_late(staff, at):
    at(2026, 11, 26, 9, 0)
    created = submit(ApiClient(), submission())
    code, secret = created["code"], created["lookup_secret"]
    act(staff["reception"], code, "request-supplement", {"items": ["Giấy chứng sinh rõ nét"]})
    form = submission()["form"]
    again = ApiClient().post(f"/api/v1/dossiers/{code}/resubmit", {"secret": secret, "form": form})
    assert again.json()["state"] == "submitted"
    refused = staff["reception"].post(
        f"/api/v1/dossiers/{code}/request-supplement", {"items": ["Bản chính giấy chứng sinh"]}
    )
    assert_error(refused, 400, "second_supplement_reason_required")
    assert refused.json()["error"]["message"] == vi(
        "A supplement was already requested: give the reason for another request. "
        "The dossier will then count as late in the national index."
    )
    assert Dossier.objects.get(code=code).supplement_rounds == 1  # nothing changed
    reason = "Bản sao nộp lần trước bị mờ, không đọc được số giấy chứng sinh"
    act(
        staff["reception"],
        code,
        "request-supplement",
        {"items": ["Bản chính giấy chứng sinh"], "reason": reason},
    )
    dossier = Dossier.objects.get(code=code)
    assert dossier.supplement_rounds == 2
    assert dossier.events.filter(action="request_supplement").last().data["reason"] == reason
    again = ApiClient().post(f"/api/v1/dossiers/{code}/resubmit", {"secret": secret, "form": form})
    assert again.json()["state"] == "submitted"
    act(staff["reception"], code, "receive")
    dossier = Dossier.objects.get(code=code)
    # late in the register (and the national index) although its due time is still ahead
    assert dossier.due_at > datetime(2026, 11, 26, 9, tzinfo=VN)
    assert timeliness(dossier, datetime(2026, 11, 26, 9, tzinfo=VN)) == LATE
