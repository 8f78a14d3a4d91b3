"""The dossier page shows everything about a dossier, logs the look at personal data, offers the
actions this user may take now (and only those), and turns refusals into messages."""

import pytest

from tests.backoffice.conftest import EXTRACT_COPY, make_dossier
from xaso.core.models import AuditEntry
from xaso.dossiers.models import Dossier, State

pytestmark = pytest.mark.django_db


def actions_on(page: str) -> set[str]:
    return {chunk.split('"')[0] for chunk in page.split('data-action="')[1:]}


def test_the_page_shows_the_dossier_and_logs_the_look(clients, demo):
    dossier = make_dossier(None)
    before = AuditEntry.objects.filter(action="personal_data.view").count()
    page = clients["reception"].get(f"/backoffice/dossiers/{dossier.code}/").content.decode()
    assert dossier.applicant["full_name"] in page
    assert dossier.applicant["personal_id"] in page
    assert "submit" in page  # the timeline's first event
    entry = AuditEntry.objects.filter(action="personal_data.view").latest("id")
    assert AuditEntry.objects.filter(action="personal_data.view").count() == before + 1
    assert (entry.actor, entry.object_id) == (demo["reception"], dossier.code)


def test_each_role_sees_only_the_actions_it_may_take_now(clients):
    dossier = make_dossier(None)  # submitted online
    desk = clients["reception"].get(f"/backoffice/dossiers/{dossier.code}/").content.decode()
    assert actions_on(desk) == {"receive", "request_supplement", "refuse", "withdraw"}
    leader = clients["leader"].get(f"/backoffice/dossiers/{dossier.code}/").content.decode()
    assert actions_on(leader) == set()


def test_an_action_posts_and_comes_back_with_a_message(clients):
    dossier = make_dossier(None)
    url = f"/backoffice/dossiers/{dossier.code}/actions/receive/"
    response = clients["reception"].post(url, follow=True)
    assert response.redirect_chain[-1][0] == f"/backoffice/dossiers/{dossier.code}/"
    assert Dossier.objects.get(pk=dossier.pk).state in (State.RECEIVED, State.PROCESSING)
    assert 'class="success"' in response.content.decode()


def test_a_refusal_without_reason_is_a_message_and_changes_nothing(clients):
    dossier = make_dossier(None)
    url = f"/backoffice/dossiers/{dossier.code}/actions/refuse/"
    response = clients["reception"].post(url, {"reason": "  "}, follow=True)
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUBMITTED
    assert 'class="error"' in response.content.decode()


def test_an_action_not_allowed_now_is_refused_without_change(clients):
    dossier = make_dossier(None)
    url = f"/backoffice/dossiers/{dossier.code}/actions/approve/"
    response = clients["leader"].post(url, follow=True)
    assert response.status_code == 200
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUBMITTED
    assert 'class="error"' in response.content.decode()
    assert (
        clients["leader"].post(f"/backoffice/dossiers/{dossier.code}/actions/x/").status_code == 404
    )


def test_the_supplement_request_gives_form_02(clients):
    dossier = make_dossier(None)
    clients["reception"].post(
        f"/backoffice/dossiers/{dossier.code}/actions/request-supplement/",
        {"items": "Bản sao giấy khai sinh\nGiấy ủy quyền"},
    )
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT_REQUESTED
    page = clients["reception"].get(f"/backoffice/dossiers/{dossier.code}/").content.decode()
    assert "forms/supplement-request.pdf" in page


def test_a_file_is_shown_to_staff_and_the_look_is_logged(clients):
    dossier = make_dossier(None, code=EXTRACT_COPY)
    attachment = dossier.attachments.select_related("upload").first()
    attachment.upload.file.save("x.pdf", __import__("io").BytesIO(b"%PDF-1.4 test"), save=True)
    before = AuditEntry.objects.filter(action="personal_data.view").count()
    url = f"/backoffice/dossiers/{dossier.code}/files/{attachment.upload.token}/"
    response = clients["reception"].get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]  # a PDF is downloaded, not shown
    assert AuditEntry.objects.filter(action="personal_data.view").count() == before + 1
    assert (
        clients["reception"].get(f"/backoffice/dossiers/{dossier.code}/files/nope/").status_code
        == 404
    )


def test_the_register_lists_the_period_and_downloads(clients):
    dossier = make_dossier(None)
    page = clients["reception"].get("/backoffice/register/").content.decode()
    assert dossier.code in page
    xlsx = clients["reception"].get("/backoffice/register/DEMO-PL.xlsx")
    assert xlsx.status_code == 200
    bad = clients["reception"].get(
        "/backoffice/register/", {"from": "2026-12-01", "to": "2026-01-01"}
    )
    assert bad.status_code == 400


def test_one_primary_action_and_the_destructive_ones_apart_and_confirmed(clients):
    dossier = make_dossier(None)
    page = clients["reception"].get(f"/backoffice/dossiers/{dossier.code}/").content.decode()
    actions = page.split('<section class="actions"')[1].split("</section>")[0]
    assert actions.count('class="primary"') == 1
    primary = actions.split('class="primary"')[1].split("<")[0]
    assert "Tiếp nhận" in primary  # receiving is the step that moves a new dossier on
    zone = page.split('<details class="danger-zone">')[1].split("</details>")[0]
    assert 'data-action="refuse"' in zone and 'data-action="receive"' not in zone
    assert 'name="confirm" value="yes" required' in zone
    assert 'data-action="refuse"' not in page.split('<details class="danger-zone">')[0]


def test_a_destructive_action_without_its_confirmation_changes_nothing(clients):
    dossier = make_dossier(None)
    url = f"/backoffice/dossiers/{dossier.code}/actions/refuse/"
    reason = {"reason": "Thủ tục không thuộc thẩm quyền của xã."}
    response = clients["reception"].post(url, reason, follow=True)
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUBMITTED
    assert "đánh dấu xác nhận" in response.content.decode()
    clients["reception"].post(url, {**reason, "confirm": "yes"})
    assert Dossier.objects.get(pk=dossier.pk).state == State.REFUSED
