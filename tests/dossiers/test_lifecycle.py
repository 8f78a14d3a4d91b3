"""Birth registrations through the one-stop workflow, on every channel and every path out."""

import pytest

from tests.dossiers.conftest import procedure_submission, submission, upload
from tests.helpers.api import ApiClient, act, assert_error, submit
from tests.helpers.registers import entered
from tests.helpers.second_factor import totp_code
from xaso.accounts.models import User
from xaso.dossiers import workflow
from xaso.dossiers.models import ConsentChallenge, Dossier
from xaso.notify.models import OutboxMessage


def history(code) -> list[tuple[str, str]]:
    return list(Dossier.objects.get(code=code).events.values_list("action", "to_state"))


def assert_replays(code) -> None:
    dossier = Dossier.objects.get(code=code)
    assert workflow.replay(history(code)) == dossier.state


def test_online_birth_registration_from_phone_to_rating(staff, at):
    at(2026, 11, 30, 9, 0)  # a Monday
    created = submit(ApiClient(), submission())
    code, secret = created["code"], created["lookup_secret"]
    assert code == "DEMO-PL-261130-0001"
    assert created["state"] == "submitted" and created["due_at"] is None
    assert created["fee"]["amount"] == 0
    # The desk receives: the clock starts and the civil-status officer has it at once.
    at(2026, 11, 30, 9, 30)
    body = act(staff["reception"], code, "receive")
    assert body["state"] == "processing"
    assert body["assigned_to"] == "specialist"
    assert body["due_at"] == "2026-11-30T17:00:00+07:00"  # same day
    body = act(staff["specialist"], code, "propose", {"note": "Đủ điều kiện"})
    assert (body["state"], body["outcome"]) == ("awaiting_signature", "approved")
    entered(code)
    step_up = {"otp": totp_code(User.objects.get(username="leader"))}
    assert act(staff["leader"], code, "approve", step_up)["state"] == "result_ready"
    body = act(staff["reception"], code, "return", {"channel": "counter"})
    assert body["state"] == "returned" and body["return_channel"] == "counter"
    rated = ApiClient().post(f"/api/v1/dossiers/{code}/rate", {"secret": secret, "score": 5})
    assert rated.json()["rating"] == 5
    assert [action for action, _to in history(code)] == [
        "submit", "receive", "assign", "propose", "approve", "return", "rate",
    ]  # fmt: skip
    assert_replays(code)
    lookup = ApiClient().get(f"/api/v1/dossiers/lookup?code={code}&secret={secret}").json()
    assert lookup["state"] == "returned"
    assert "applicant" not in lookup and "0912345678" not in str(lookup)


def test_desk_intake_is_received_in_the_same_request_and_friday_is_same_day(staff, at):
    at(2026, 11, 27, 10, 0)  # Friday, before the 15:00 cut-off
    created = submit(staff["reception"], submission("counter", receive=True))
    assert created["state"] == "processing"
    assert created["due_at"] == "2026-11-27T17:00:00+07:00"
    dossier = Dossier.objects.get(code=created["code"])
    assert dossier.due_rule == "friday_same_day"
    assert [a for a, _ in history(created["code"])] == ["intake", "assign"]
    board = staff["reception"].get("/api/v1/dossiers?queue=friday_board").json()["items"]
    assert [item["code"] for item in board] == [created["code"]]


def test_assisted_intake_only_on_tuesday(staff, at):
    at(2026, 12, 2, 9, 0)  # Wednesday
    refused = staff["reception"].post("/api/v1/dossiers", submission("assisted", receive=True))
    assert_error(refused, 403, "not_rule_day")
    at(2026, 12, 1, 9, 0)  # Tuesday
    unconfirmed = staff["reception"].post("/api/v1/dossiers", submission("assisted", receive=True))
    assert_error(unconfirmed, 400, "confirmation_required")
    created = submit(
        staff["reception"], submission("assisted", receive=True, applicant_confirmed=True)
    )
    dossier = Dossier.objects.get(code=created["code"])
    assert dossier.written_by.username == "reception"
    assert dossier.channel == "assisted"


def test_community_member_submits_with_the_residents_consent(staff, at):
    at(2026, 11, 30, 9, 0)
    without = staff["community"].post("/api/v1/dossiers", submission("community"))
    assert_error(without, 400, "consent_required")
    for not_theirs in ("no-such-upload", upload("someone-elses-photo", by="reception")):
        fake_photo = {"method": "photo", "upload": not_theirs}
        refused = staff["community"].post(
            "/api/v1/dossiers", submission("community", consent=fake_photo)
        )
        assert_error(refused, 400, "consent_invalid")
    photo = {"method": "photo", "upload": upload("consent-photo-1", by="community")}
    created = submit(staff["community"], submission("community", consent=photo))
    dossier = Dossier.objects.get(code=created["code"])
    assert (dossier.channel, dossier.written_by.username) == ("community", "community")
    assert dossier.consent == photo
    assert created["state"] == "submitted"
    # Another commune's officer cannot submit at the desk here.
    other = staff["other-reception"].post("/api/v1/dossiers", submission("counter"))
    assert_error(other, 404, "commune_not_found")


def test_community_consent_by_a_code_sent_to_the_residents_phone(staff, at):
    at(2026, 11, 30, 9, 0)
    sent = (
        staff["community"]
        .post(
            "/api/v1/consents/otp",
            {"commune": "DEMO-PL", "phone": "0912 345 678", "procedure": "1.001193"},
        )
        .json()
    )
    code = OutboxMessage.objects.get(template="one_time_code").data["otp"]
    assert len(code) == 6
    wrong = {"method": "otp", "challenge": sent["challenge"], "code": "000000" if code != "000000"
             else "111111"}  # fmt: skip
    refused = staff["community"].post("/api/v1/dossiers", submission("community", consent=wrong))
    assert_error(refused, 400, "consent_code_wrong")
    assert ConsentChallenge.objects.get().attempts == 1  # counted although the request failed
    for attempt in (
        2,
        3,
    ):  # with an Idempotency-Key the failed request is rolled back: still counted
        keyed = staff["community"].post(
            "/api/v1/dossiers", submission("community", consent=wrong),
            HTTP_IDEMPOTENCY_KEY=f"consent-guess-{attempt:012d}",
        )  # fmt: skip
        assert_error(keyed, 400, "consent_code_wrong")
        assert ConsentChallenge.objects.get().attempts == attempt
    right = {"method": "otp", "challenge": sent["challenge"], "code": code}
    created = submit(staff["community"], submission("community", consent=right))
    assert Dossier.objects.get(code=created["code"]).consent["method"] == "otp"
    reused = staff["community"].post("/api/v1/dossiers", submission("community", consent=right))
    assert_error(reused, 400, "consent_invalid")  # one code, one dossier
    reception = staff["reception"].post(
        "/api/v1/consents/otp",
        {"commune": "DEMO-PL", "phone": "0912345678", "procedure": "1.001193"},
    )
    assert_error(reception, 403, "forbidden")


def test_refusal_needs_a_reason_and_is_final(staff, at):
    at(2026, 11, 30, 9, 0)
    code = submit(ApiClient(), submission())["code"]
    assert_error(
        staff["reception"].post(f"/api/v1/dossiers/{code}/refuse", {}), 400, "reason_required"
    )
    body = act(staff["reception"], code, "refuse", {"reason": "Không thuộc thẩm quyền của xã"})
    assert body["state"] == "refused"
    assert_error(
        staff["reception"].post(f"/api/v1/dossiers/{code}/receive", {}), 409, "action_not_allowed"
    )
    assert_replays(code)


def test_withdrawal_at_the_applicants_request(staff, at):
    at(2026, 11, 30, 9, 0)
    code = submit(staff["reception"], submission("counter", receive=True))["code"]
    body = act(staff["reception"], code, "withdraw", {"reason": "Người dân xin rút hồ sơ"})
    assert body["state"] == "withdrawn"
    assert_replays(code)


def test_supplement_at_the_desk_then_resubmitted_by_the_citizen(staff, at):
    at(2026, 11, 30, 9, 0)
    created = submit(ApiClient(), submission())
    code, secret = created["code"], created["lookup_secret"]
    assert_error(
        staff["reception"].post(f"/api/v1/dossiers/{code}/request-supplement", {"items": []}),
        400,
        "items_required",
    )
    body = act(
        staff["reception"], code, "request-supplement",
        {"items": ["Ảnh giấy chứng sinh bị mờ, chụp lại rõ nét"], "note": "Bổ sung một lần"},
    )  # fmt: skip
    assert body["state"] == "supplement_requested" and body["supplement_rounds"] == 1
    form = submission()["form"]
    wrong = ApiClient().post(f"/api/v1/dossiers/{code}/resubmit", {"secret": "WRONG", "form": form})
    assert_error(wrong, 404, "dossier_not_found")
    again = ApiClient().post(f"/api/v1/dossiers/{code}/resubmit", {"secret": secret, "form": form})
    assert again.json()["state"] == "submitted"
    assert act(staff["reception"], code, "receive")["state"] == "processing"
    assert_replays(code)


def marital_status_submission(channel="counter", **extra) -> dict:
    """1.004873 (3 working days), answers generated from its form, addresses in the demo commune."""
    return procedure_submission("1.004873", channel, **extra)


def test_pause_for_a_supplement_stops_the_clock_and_resume_continues_it(staff, at):
    at(2026, 11, 30, 9, 0)  # Monday
    created = submit(staff["reception"], marital_status_submission(receive=True))
    code = created["code"]
    # 3 working days after Monday, at the close of office hours (Civil Code art. 147-148)
    assert created["due_at"] == "2026-12-03T17:00:00+07:00"
    assert created["state"] == "processing"  # the demo hands civil status to its specialist
    at(2026, 12, 1, 9, 0)  # one working day used, two left
    body = act(staff["specialist"], code, "request-supplement", {"items": ["Bản sao giấy ly hôn"]})
    assert body["state"] == "paused"
    at(2026, 12, 4, 9, 0)  # Friday: paused days do not count
    body = act(staff["reception"], code, "resume")
    assert body["state"] == "processing"
    # the 22 office hours left on Tuesday 09:00 run from Friday 09:00 (continue) and end on
    # Tuesday 8/12, at its close
    assert body["due_at"] == "2026-12-08T17:00:00+07:00"
    assert_replays(code)


def test_apology_and_extension_once_and_only_before_the_due_time(staff, at):
    at(2026, 11, 30, 9, 0)
    code = submit(staff["reception"], marital_status_submission(receive=True))["code"]
    new_due = "2026-12-07T17:00:00+07:00"
    body = act(
        staff["specialist"], code, "extend", {"reason": "Cần xác minh", "new_due_at": new_due}
    )
    assert (body["due_at"], body["extended"], body["state"]) == (new_due, True, "processing")
    again = staff["leader"].post(
        f"/api/v1/dossiers/{code}/extend", {"reason": "Lần nữa", "new_due_at": new_due}
    )
    assert_error(again, 409, "already_extended")
    late = submit(staff["reception"], marital_status_submission(receive=True))["code"]
    at(2026, 12, 4, 9, 0)  # past its due time
    too_late = staff["specialist"].post(
        f"/api/v1/dossiers/{late}/extend", {"reason": "Muộn", "new_due_at": new_due}
    )
    assert_error(too_late, 409, "extension_too_late")


def test_a_dossier_past_its_due_time_is_in_the_overdue_queue(staff, at):
    at(2026, 11, 30, 9, 0)
    code = submit(staff["reception"], submission("counter", receive=True))["code"]
    assert (
        staff["reception"].get("/api/v1/dossiers?queue=due_today").json()["items"][0]["code"]
        == code
    )
    assert staff["reception"].get("/api/v1/dossiers?queue=overdue").json()["items"] == []
    at(2026, 11, 30, 17, 1)  # one minute after the same-day due time
    overdue = staff["reception"].get("/api/v1/dossiers?queue=overdue").json()["items"]
    assert [item["code"] for item in overdue] == [code]
    assert_error(staff["reception"].get("/api/v1/dossiers?queue=later"), 400, "unknown_queue")


@pytest.mark.parametrize("second", ["receive", "refuse"])
def test_a_second_officer_acting_on_a_received_dossier_gets_409(staff, at, second):
    at(2026, 11, 30, 9, 0)
    code = submit(ApiClient(), submission())["code"]
    act(staff["reception"], code, "receive")
    response = staff["reception"].post(f"/api/v1/dossiers/{code}/{second}", {"reason": "x"})
    assert_error(response, 409, "action_not_allowed")


def test_roles_and_communes_are_enforced_on_actions(staff, at):
    at(2026, 11, 30, 9, 0)
    code = submit(ApiClient(), submission())["code"]
    assert_error(staff["leader"].post(f"/api/v1/dossiers/{code}/receive", {}), 403, "forbidden")
    assert_error(
        staff["other-reception"].post(f"/api/v1/dossiers/{code}/receive", {}),
        404,
        "dossier_not_found",
    )
    assert_error(staff["other-reception"].get(f"/api/v1/dossiers/{code}"), 404, "dossier_not_found")
    assert staff["other-reception"].get("/api/v1/dossiers").json()["items"] == []
