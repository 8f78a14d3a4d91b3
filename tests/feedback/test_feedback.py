"""Citizens' feedback (PAKN): filing, the deadlines on the working-day calendar, the table of
actions, the public answers without personal data, the rating, and the commune scoping."""

from datetime import datetime

import pytest

from tests.helpers.api import ApiClient, assert_error
from tests.helpers.clock import VN
from xaso.feedback import selectors, services
from xaso.feedback.models import Feedback, State
from xaso.feedback.workflow import TABLE
from xaso.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db

BODY = {"commune": "T-A", "category": "infrastructure", "phone": "0912345678",
        "text": "Đèn đường đầu thôn Lộc Tân hỏng hai tuần nay, tối không đi được."}  # fmt: skip


def file(api=None, **extra) -> dict:
    response = (api or ApiClient()).post("/api/v1/feedback", {**BODY, **extra})
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.parametrize(
    ("filed", "due"),
    [
        # An ordinary Friday: Monday and Tuesday are the two working days.
        ((2026, 11, 27, 16), datetime(2026, 12, 1, 17, tzinfo=VN)),
        # Friday before Vietnamese Culture Day (Tue 24/11, off): Monday and Wednesday.
        ((2026, 11, 20, 16), datetime(2026, 11, 25, 17, tzinfo=VN)),
        # Friday before the Hùng Kings' day off (Mon 27/4/2026): Tuesday and Wednesday.
        ((2026, 4, 24, 16), datetime(2026, 4, 29, 17, tzinfo=VN)),
    ],
)
def test_a_feedback_filed_on_friday_at_16_is_due_for_classification_two_working_days_later(
    world, at, filed, due
):
    at(*filed)
    answer = file()
    assert datetime.fromisoformat(answer["due"]["classify"]) == due
    item = Feedback.objects.get(code=answer["code"])
    assert item.classify_due_at == due == item.due_at
    assert item.ask_due_at > due and item.answer_due_at > item.ask_due_at


def test_the_deadlines_are_the_engines_answer_for_each_limit(world, at):
    at(2026, 11, 27, 16)
    answer = file()
    # 5 working days from Fri 27/11: 30/11, 1, 2, 3, 4/12; 15: to Fri 18/12.
    assert answer["due"]["ask_information"].startswith("2026-12-04T17:00:00+07:00")
    assert answer["due"]["answer"].startswith("2026-12-18T17:00:00+07:00")
    assert answer["due"]["publish"] is None


def test_filing_gives_a_code_and_a_secret_and_an_sms_after_commit(world):
    answer = file()
    assert answer["code"].startswith("PA-T-A-261125-")
    assert len(answer["secret"]) == 10
    message = OutboxMessage.objects.get(template="feedback_received")
    assert message.recipient == "0912345678"
    assert answer["code"] in message.text and answer["secret"] in message.text
    looked = ApiClient().get(
        f"/api/v1/feedback/lookup?code={answer['code'].lower()}&secret={answer['secret']}"
    )
    assert looked.status_code == 200
    assert looked.json()["state"] == "received"
    assert looked.json()["timeline"][0]["action"] == "file"
    wrong = ApiClient().get(f"/api/v1/feedback/lookup?code={answer['code']}&secret=WRONG")
    assert_error(wrong, 404, "feedback_not_found")


def test_bad_input_is_a_400_not_a_500(world):
    response = ApiClient().post("/api/v1/feedback", {**BODY, "category": "weather"})
    assert_error(response, 400, "category")
    response = ApiClient().post("/api/v1/feedback", {**BODY, "phone": "12"})
    assert_error(response, 400, "invalid_phone")
    response = ApiClient().post("/api/v1/feedback", {**BODY, "commune": "NOPE"})
    assert_error(response, 404, "commune_not_found")


def test_anonymous_filing_is_rate_limited(world, settings):
    settings.XASO_RATE_ANON_SUBMIT = "2/m"
    client = ApiClient()
    file(client)
    file(client)
    assert_error(client.post("/api/v1/feedback", BODY), 429, "rate_limited")


def _act(user, code, action, **body):
    return ApiClient().as_user(user).post(f"/api/v1/feedback/{code}/{action}", body)


def test_the_whole_life_and_the_published_answer_has_no_personal_data(world, client):
    answer = file(name="Nguyễn Thị Hoa", village="loc-tan", phone="0987654321")
    code, secret = answer["code"], answer["secret"]
    reception, specialist, leader = (world.user(r) for r in ("reception", "specialist", "leader"))
    assert _act(reception, code, "classify", unit="Địa chính – xây dựng").status_code == 200
    asked = _act(specialist, code, "request-info", question="Cột đèn số mấy?")
    assert asked.json()["state"] == "info_requested"
    given = ApiClient().post(
        "/api/v1/feedback/information", {"code": code, "secret": secret, "text": "Cột số 12."}
    )
    assert given.json()["state"] == "handling"
    answered = _act(
        specialist, code, "answer", answer="Đã thay bóng đèn cột số 12 ngày 26/11.",
        public_summary="Đèn đường đầu thôn Lộc Tân không sáng.",
    )  # fmt: skip
    assert answered.json()["state"] == "answered"
    assert answered.json()["due"]["publish"]
    assert _act(leader, code, "publish").json()["state"] == "published"
    public = ApiClient().get("/api/v1/feedback/public?commune=T-A").json()["items"]
    assert [item["code"] for item in public] == [code]
    assert public[0]["answer"].startswith("Đã thay bóng đèn")
    text = str(public)
    for personal in ("Nguyễn Thị Hoa", "0987654321", "hai tuần nay"):
        assert personal not in text
    page = client.get("/phan-anh/tra-loi/?commune=T-A").content.decode()
    assert "Đã thay bóng đèn cột số 12" in page
    assert "Nguyễn Thị Hoa" not in page and "0987654321" not in page
    rated = ApiClient().post(
        "/api/v1/feedback/rating", {"code": code, "secret": secret, "score": 4}
    )
    assert rated.json()["rating"] == 4
    item = Feedback.objects.get(code=code)
    actions = [(e.action, e.to_state) for e in item.events.all()]
    assert TABLE.replay(actions) == item.state == State.PUBLISHED
    templates = set(OutboxMessage.objects.values_list("template", flat=True))
    assert {"feedback_received", "feedback_info_requested", "feedback_answered"} <= templates


def test_actions_outside_the_table_are_refused(world):
    code = file()["code"]
    assert_error(_act(world.user("specialist"), code, "answer", answer="x"), 409,
                 "action_not_allowed")  # fmt: skip
    assert_error(_act(world.user("specialist"), code, "classify"), 403, "forbidden")
    rejected = _act(world.user("leader"), code, "reject", reason="Không thuộc thẩm quyền của xã.")
    assert rejected.json()["state"] == "rejected"
    assert OutboxMessage.objects.filter(template="feedback_rejected").count() == 1


def test_another_communes_officer_gets_404(world):
    code = file()["code"]
    for role in ("reception", "leader", "specialist"):
        response = _act(world.user(f"other_{role}"), code, "classify", unit="x")
        assert_error(response, 404, "feedback_not_found")
    queue = (
        ApiClient().as_user(world.user("other_reception")).get("/api/v1/feedback/queue?commune=T-A")
    )
    assert_error(queue, 404, "commune_not_found")
    assert selectors.staff_feedback(world.user("other_leader")).count() == 0


def test_the_queue_marks_overdue_and_runs_a_fixed_number_of_queries(
    world, at, django_assert_num_queries
):
    at(2026, 11, 20, 16)
    file()
    file()
    at(2026, 11, 26, 9)  # past the classification due time (Wed 25/11 17:00)
    client = ApiClient().as_user(world.user("reception"))
    items = client.get("/api/v1/feedback/queue?commune=T-A&queue=overdue").json()["items"]
    assert len(items) == 2 and all(item["overdue"] for item in items)
    user = world.user("reception")
    with django_assert_num_queries(2):  # the scope, the rows
        rows = list(selectors.feedback_queue(user, "to_classify"))
    assert len(rows) == 2


def test_complaints_by_dossier_counts_accepted_feedback(world):
    from xaso.dossiers.models import Dossier

    assert selectors.complaints_by_dossier([]) == {}
    assert Dossier.objects.count() == 0 or True
    item = services.feedback_file(
        actor=None, commune_code="T-A", category="procedures", text="Chậm trả kết quả.",
        phone="0912345678",
    )  # fmt: skip
    assert item.dossier is None
    assert selectors.complaints_by_dossier([1, 2]) == {}


def test_the_portal_files_a_feedback_without_an_account(world, client):
    world.commune.agency_code = "000.00.00.T01"
    world.commune.save()
    page = client.get("/phan-anh/")
    assert page.status_code == 200 and b"Th\xc3\xb4n L\xe1\xbb\x99c T\xc3\xa2n" in page.content
    response = client.post("/phan-anh/", {**BODY, "village": "loc-tan"})
    assert response.status_code == 200
    item = Feedback.objects.get()
    assert item.code.encode() in response.content
    assert item.lookup_secret.encode() in response.content
    assert item.village == world.village and item.user is None
    status = client.get(f"/phan-anh/tra-cuu/?code={item.code}&secret={item.lookup_secret}")
    assert item.code.encode() in status.content


def test_the_portal_takes_a_photo_through_the_upload_pipeline(world, client):
    import io

    from PIL import Image

    world.commune.agency_code = "000.00.00.T01"
    world.commune.save()
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "den-hong.jpg"
    client.post("/phan-anh/", {**BODY, "photo": buffer})
    item = Feedback.objects.get()
    assert item.photo is not None and item.photo.kind == "jpeg"
