"""Back-office inputs of issue 15's time limits: receipt with verification (desk and dossier page),
the warning before a second supplement request, and the administrators' reminder to enter next
year's official calendar from 1 October."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.backoffice.conftest import as_post, make_dossier, procedure_submission
from tests.helpers.calendar import year_confirmed
from tests.helpers.second_factor import verified_client
from xaso.dossiers.models import Dossier, State
from xaso.workdays.models import ServiceRule

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PARENTAGE = "1.000689"
WHY = "Xác minh quan hệ cha con tại nơi cư trú cũ"
REMINDER = "lịch làm việc chính thức năm"
WARNING = "sẽ khiến hồ sơ bị tính là trễ hạn"


def page_of(client, dossier) -> str:
    return client.get(f"/backoffice/dossiers/{dossier.code}/").content.decode()


def test_the_desk_receives_with_verification_and_its_reason(clients, demo, at):
    at(2026, 12, 7, 10, 0)  # Monday
    clients["reception"].force_login(demo["reception"])
    url = f"/backoffice/desk/{PARENTAGE}/"
    assert 'name="with_verification"' in clients["reception"].get(url).content.decode()
    payload = procedure_submission(PARENTAGE, "counter")
    post = {f"a-{part}": value for part, value in payload["applicant"].items()}
    post |= as_post(PARENTAGE, payload["form"])
    refused = clients["reception"].post(url, {**post, "with_verification": "1"})
    assert refused.status_code == 400
    assert not Dossier.objects.exists()
    response = clients["reception"].post(
        url, {**post, "with_verification": "1", "verification_reason": WHY}
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    dossier = Dossier.objects.get()
    assert (dossier.with_verification, dossier.verification_reason) == (True, WHY)
    assert dossier.due_at == datetime(2026, 12, 17, 17, tzinfo=VN)  # 3 + 5 working days
    assert "Tiếp nhận có xác minh" in page_of(clients["reception"], dossier)


def test_the_receive_action_offers_verification_only_where_the_law_gives_it(clients):
    parentage = make_dossier(None, code=PARENTAGE)
    assert 'name="with_verification"' in page_of(clients["reception"], parentage)
    signature = make_dossier(None)
    assert 'name="with_verification"' not in page_of(clients["reception"], signature)
    clients["reception"].post(
        f"/backoffice/dossiers/{parentage.code}/actions/receive/",
        {"with_verification": "1", "verification_reason": WHY},
    )
    parentage.refresh_from_db()
    assert parentage.with_verification and parentage.verification_reason == WHY


def test_a_second_supplement_request_warns_and_asks_why(clients):
    dossier = make_dossier(None)
    url = f"/backoffice/dossiers/{dossier.code}/actions/request-supplement/"
    first = page_of(clients["reception"], dossier)
    assert WARNING not in first
    clients["reception"].post(url, {"items": "Bản sao giấy tờ tùy thân"})
    # the applicant answers: the dossier is submitted again
    Dossier.objects.filter(pk=dossier.pk).update(state=State.SUBMITTED)
    second = page_of(clients["reception"], dossier)
    assert WARNING in second
    assert 'name="reason" rows="2" required' in second
    refused = clients["reception"].post(url, {"items": "Bản chính"}, follow=True)
    assert "hãy ghi lý do phải yêu cầu lần nữa" in refused.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).supplement_rounds == 1
    clients["reception"].post(url, {"items": "Bản chính", "reason": "Bản sao bị mờ"})
    assert Dossier.objects.get(pk=dossier.pk).supplement_rounds == 2


def test_administrators_are_reminded_from_1_october_to_enter_next_year(clients, demo, at):
    at(2026, 9, 30, 9, 0)
    verified_client(demo["admin"], clients["admin"])  # with the code
    assert REMINDER not in clients["admin"].get("/backoffice/admin/rules/").content.decode()
    at(2026, 10, 1, 8, 0)
    verified_client(demo["admin"], clients["admin"])  # with the code
    page = clients["admin"].get("/backoffice/admin/rules/").content.decode()
    assert f"{REMINDER} 2027" in page
    # other roles are not asked to do it
    clients["reception"].force_login(demo["reception"])
    assert REMINDER not in clients["reception"].get("/backoffice/queues/new/").content.decode()
    # once the year's rows are in the table, the reminder goes
    year_confirmed(2027)
    assert REMINDER not in clients["admin"].get("/backoffice/admin/rules/").content.decode()


def test_in_a_provisional_year_itself_the_reminder_stays(clients, demo, at):
    at(2027, 2, 8, 14, 55)  # the moment CI's second run is frozen at
    verified_client(demo["admin"], clients["admin"])  # with the code
    page = clients["admin"].get("/backoffice/admin/rules/").content.decode()
    assert f"{REMINDER} 2027" in page


def test_the_friday_rule_page_shows_and_sets_the_commune_list(clients):
    page = clients["admin"].get("/backoffice/admin/rules/").content.decode()
    covered = page.split('class="friday-procedures"')[1].split("</details>")[0]
    assert "1.004873" in covered  # marital status: 3 working days, decided in the commune
    assert "1.004194" not in covered  # temporary residence: the commune police decide
    assert "1.004884" not in covered  # re-registration of a birth: 5 working days
    response = clients["admin"].post(
        "/backoffice/admin/rules/",
        {"kind": "friday_same_day", "enabled": "1", "weekday": "4",
         "procedure_codes": "1.004873\n2.000815, 1.004884"},
    )  # fmt: skip
    assert response.status_code == 302
    rule = ServiceRule.objects.get(commune__code="DEMO-PL", kind="friday_same_day")
    assert rule.procedure_codes == ["1.004873", "1.004884", "2.000815"]
    assert rule.cutoff is None
    page = clients["admin"].get("/backoffice/admin/rules/").content.decode()
    covered = page.split('class="friday-procedures"')[1].split("</details>")[0]
    assert "1.004884" in covered and "1.001193" not in covered


def test_the_rules_page_is_the_administrators_own(clients, other_admin):
    for name in ("reception", "specialist", "leader"):
        assert clients[name].get("/backoffice/admin/rules/").status_code == 404
    page = other_admin.get("/backoffice/admin/rules/").content.decode()
    assert "Phú Lộc" not in page.split("<main")[1]
