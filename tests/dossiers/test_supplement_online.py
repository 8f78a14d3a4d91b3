"""The citizen answers a supplement request online (issue 16 item 1), and finds a dossier by its
code typed any way (item 2)."""

from urllib.parse import urlencode

import pytest

from tests.dossiers.conftest import procedure_submission, submission, upload
from tests.dossiers.test_lifecycle import act, assert_replays, submit
from tests.helpers.api import ApiClient, assert_error
from xaso.dossiers.codes import code_key
from xaso.dossiers.models import Dossier

ITEMS = ["Bản sao giấy chứng nhận kết hôn của cha mẹ", "Ảnh giấy chứng sinh chụp lại rõ nét"]


def lookup_path(code: str, secret: str) -> str:
    return "/api/v1/dossiers/lookup?" + urlencode({"code": code, "secret": secret})


def lookup(code: str, secret: str, status: int = 200) -> dict:
    response = ApiClient().get(lookup_path(code, secret))
    assert response.status_code == status, response.content
    return response.json()


@pytest.mark.parametrize(
    "typed",
    ["demo-pl-261130-0001", "demopl2611300001", " Demo PL 261130/0001 "],
)
def test_the_lookup_matches_the_code_in_any_case_and_without_punctuation(staff, at, typed):
    at(2026, 11, 30, 9, 0)
    created = submit(ApiClient(), submission())
    assert created["code"] == "DEMO-PL-261130-0001"
    body = lookup(typed, created["lookup_secret"].lower())
    assert body["code"] == "DEMO-PL-261130-0001"
    wrong = ApiClient().get(lookup_path(typed, "WRONGWRONG"))
    assert_error(wrong, 404, "dossier_not_found")
    other_day = ApiClient().get(lookup_path("DEMOPL2612300001", created["lookup_secret"]))
    assert_error(other_day, 404, "dossier_not_found")


def test_code_key_keeps_letters_and_digits_only():
    assert code_key("demo-pl 261130/0001") == "DEMOPL2611300001"
    assert code_key("  ") == ""


def test_the_lookup_shows_the_open_request_and_the_citizen_answers_it_with_files(staff, at):
    at(2026, 11, 30, 9, 0)
    created = submit(ApiClient(), submission())
    code, secret = created["code"], created["lookup_secret"]
    assert lookup(code, secret)["supplement_request"] is None
    at(2026, 11, 30, 10, 0)
    act(staff["reception"], code, "request-supplement", {"items": ITEMS, "note": "Một lần"})
    request = lookup(code.lower().replace("-", ""), secret)["supplement_request"]
    assert request == {
        "items": ITEMS,
        "note": "Một lần",
        "requested_at": "2026-11-30T10:00:00+07:00",
        "answered_at": None,
    }
    at(2026, 12, 1, 8, 0)
    path = f"/api/v1/dossiers/{code}/resubmit"
    empty = ApiClient().post(path, {"secret": secret})
    assert_error(empty, 400, "supplement_empty")
    stray = ApiClient().post(path, {"secret": secret, "files": [{"item": 3, "id": upload("u-x")}]})
    assert_error(stray, 400, "supplement_item")
    files = [{"item": 1, "id": upload("u-1")}, {"item": 2, "id": upload("u-2")}]
    body = ApiClient().post(path, {"secret": secret, "files": files, "note": "Đã chụp lại"}).json()
    assert body["state"] == "submitted"
    dossier = Dossier.objects.get(code=code)
    sent = dossier.attachments.filter(field_name="supplement")
    assert sorted(sent.values_list("document_key", "upload__token")) == [
        ("supplement-1-1", "u-1"),
        ("supplement-1-2", "u-2"),
    ]
    event = dossier.events.order_by("-id").first()
    assert (event.action, event.note, event.data["files"]) == ("resubmit", "Đã chụp lại", 2)
    assert lookup(code, secret)["supplement_request"] is None  # answered: back at the desk
    assert_replays(code)


def test_a_paused_dossier_is_answered_online_and_stays_paused_until_the_desk_resumes(staff, at):
    at(2026, 11, 30, 9, 0)
    created = submit(staff["reception"], procedure_submission("1.004873", receive=True))
    code, secret = created["code"], created["lookup_secret"]
    act(staff["specialist"], code, "request-supplement", {"items": ["Bản sao giấy ly hôn"]})
    assert lookup(code, secret)["supplement_request"]["items"] == ["Bản sao giấy ly hôn"]
    at(2026, 12, 1, 9, 0)
    files = [{"item": 1, "id": upload("divorce")}]
    body = ApiClient().post(f"/api/v1/dossiers/{code}/resubmit", {"secret": secret, "files": files})
    assert body.json()["state"] == "paused"
    request = lookup(code, secret)["supplement_request"]
    assert request["answered_at"] == "2026-12-01T09:00:00+07:00"
    assert act(staff["reception"], code, "resume")["state"] == "processing"
    assert lookup(code, secret)["supplement_request"] is None
    assert_replays(code)


def queue(client, name: str) -> list[str]:
    response = client.get(f"/api/v1/dossiers?queue={name}")
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def test_the_desk_queues_of_supplements_follow_the_answer_and_stay_in_the_commune(staff, at):
    at(2026, 11, 30, 9, 0)
    created = submit(ApiClient(), submission())
    code, secret = created["code"], created["lookup_secret"]
    act(staff["reception"], code, "request-supplement", {"items": ITEMS})
    assert queue(staff["reception"], "waiting_citizen") == [code]
    assert queue(staff["reception"], "supplement_received") == []
    assert queue(staff["other-reception"], "waiting_citizen") == []
    files = [{"item": 1, "id": upload("answer")}]
    ApiClient().post(f"/api/v1/dossiers/{code}/resubmit", {"secret": secret, "files": files})
    assert queue(staff["reception"], "waiting_citizen") == []
    assert queue(staff["reception"], "supplement_received") == [code]
    assert queue(staff["other-reception"], "supplement_received") == []
    act(staff["reception"], code, "receive")
    assert queue(staff["reception"], "supplement_received") == []


def test_the_staff_search_finds_the_code_typed_any_way(staff, at):
    at(2026, 11, 30, 9, 0)
    code = submit(ApiClient(), submission())["code"]
    response = staff["reception"].get("/api/v1/dossiers?q=demopl2611300001")
    assert [item["code"] for item in response.json()["items"]] == [code]
    other = staff["other-reception"].get("/api/v1/dossiers?q=demopl2611300001")
    assert other.json()["items"] == []
