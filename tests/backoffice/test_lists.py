"""Every list page runs a fixed number of queries, whatever its length (pinned here: one row and
thirty rows cost the same), and shows what it should."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.backoffice.conftest import make_dossier
from xaso.accounts.models import User
from xaso.dossiers.models import Dossier, State

pytestmark = pytest.mark.django_db


def copies(dossier: Dossier, count: int, **changes) -> None:
    """`count` more rows like `dossier` (the lists read only the row and its relations)."""
    rows = []
    for number in range(count):
        row = Dossier.objects.get(pk=dossier.pk)
        row.pk = None
        row.code = f"{dossier.code}-C{number:03d}"
        for name, value in changes.items():
            setattr(row, name, value)
        rows.append(row)
    Dossier.objects.bulk_create(rows)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


# Session, user, the user's memberships; communes and counts of the navigation; then the list.
# Each count includes one query of the second factor: the authenticator that verified the
# session (leader, administrator), or whether the officer needs one (the others).
PINNED = {
    "/backoffice/queues/new/": 7,
    "/backoffice/queues/mine/": 7,
    "/backoffice/queues/due_today/": 7,
    "/backoffice/queues/overdue/": 7,
    "/backoffice/queues/awaiting_signature/": 7,
    "/backoffice/queues/result_ready/": 7,
    "/backoffice/queues/friday_board/": 7,
    "/backoffice/queues/waiting_citizen/": 7,
    "/backoffice/queues/supplement_received/": 7,
    # whether the words are a dossier's exact code (which opens it), and the record of the
    # personal data the search read (as /backoffice/search/ pins it: the audit chain)
    "/backoffice/queues/new/?q=Y+Bhi%C6%A1": 13,
    "/backoffice/leader/": 10,  # and the record of the previews (the audit chain: 3)
    "/backoffice/register/": 12,  # and the record of the read (the audit chain: 4)
}


def rows_for(queue_url: str, dossier: Dossier, user) -> dict:
    now = timezone.now()
    return {
        "/backoffice/queues/mine/": {"state": State.PROCESSING, "assigned_to": user},
        "/backoffice/queues/due_today/": {
            "state": State.PROCESSING,
            "due_at": min(now + timedelta(minutes=5), timezone.localtime(now).replace(
                hour=23, minute=59)),
        },
        "/backoffice/queues/overdue/": {"state": State.PROCESSING, "due_at": now - timedelta(1)},
        "/backoffice/queues/awaiting_signature/": {"state": State.AWAITING_SIGNATURE},
        "/backoffice/leader/": {"state": State.AWAITING_SIGNATURE},
        "/backoffice/queues/result_ready/": {"state": State.RESULT_READY},
        "/backoffice/queues/friday_board/": {
            "state": State.PROCESSING, "due_rule": "friday_same_day",
            "due_at": now + timedelta(hours=2),
        },
        "/backoffice/queues/waiting_citizen/": {
            "state": State.SUPPLEMENT_REQUESTED, "supplement_requested_at": now,
        },
        "/backoffice/queues/supplement_received/": {
            "state": State.PAUSED, "supplement_answered_at": now,
        },
    }.get(queue_url.split("?")[0], {"state": State.SUBMITTED})  # fmt: skip


@pytest.mark.parametrize("url", list(PINNED))
def test_a_list_page_costs_the_same_with_one_row_and_with_thirty(url, clients, demo):
    user = demo["leader"] if "leader" in url or "mine" in url else demo["reception"]
    client = clients["leader"] if user == demo["leader"] else clients["reception"]
    first = make_dossier(None)
    Dossier.objects.filter(pk=first.pk).update(**rows_for(url, first, user))
    one = queries(client, url)
    copies(first, 29)
    thirty = queries(client, url)
    assert (one, thirty) == (PINNED[url], PINNED[url])
    page = client.get(url).content.decode()
    assert first.code in page


def test_the_procedure_search_and_the_administration_lists_cost_a_fixed_number(clients):
    assert queries(clients["reception"], "/backoffice/desk/?q=khai+sinh") == 9
    assert queries(clients["reception"], "/backoffice/desk/") == 9
    # an administrator's pages also look for calendar years still provisional (one query)
    assert queries(clients["admin"], "/backoffice/admin/villages/") == 9
    assert queries(clients["admin"], "/backoffice/admin/rules/") == 10  # + what Friday covers
    assert queries(clients["admin"], "/backoffice/admin/staff/") == 9
    assert queries(clients["admin"], "/backoffice/admin/procedures/") == 11
    assert queries(clients["admin"], "/backoffice/admin/accounts/") == 9


def test_search_finds_by_code_name_and_id_number(clients):
    dossier = make_dossier(None)
    other = make_dossier(None)
    other.applicant = {
        **other.applicant,
        "full_name": "Trần Văn Bình",
        "personal_id": "066090009999",
    }
    other.save()  # keeps the search text (`dossiers.search.applicant_search_text`)
    desk = clients["reception"]
    for term in ("066090009999", "văn bình", "van binh"):
        page = desk.get("/backoffice/queues/new/", {"q": term}).content.decode()
        assert other.code in page and dossier.code not in page, term


def test_an_exact_code_typed_any_way_opens_the_dossier_in_whatever_state(clients, demo):
    dossier = make_dossier(None)
    Dossier.objects.filter(pk=dossier.pk).update(state=State.SUPPLEMENT_REQUESTED)
    typed = dossier.code.lower().replace("-", " ")
    for queue in ("new", "mine", "overdue"):
        response = clients["reception"].get(f"/backoffice/queues/{queue}/", {"q": typed})
        assert response.status_code == 302
        assert response["Location"] == f"/backoffice/dossiers/{dossier.code}/"
    outsider = clients["other-reception"].get("/backoffice/queues/new/", {"q": typed})
    assert outsider.status_code == 200 and dossier.code not in outsider.content.decode()


def test_pages_follow_with_a_keyset_link_and_a_bad_link_is_said(clients):
    first = make_dossier(None)
    copies(first, 30)
    desk = clients["reception"]
    page = desk.get("/backoffice/queues/new/").content.decode()
    assert 'rel="next"' in page
    after = page.split("after=")[1].split('"')[0]
    second = desk.get(f"/backoffice/queues/new/?after={after}").content.decode()
    assert first.code in second  # the oldest is on the second page
    broken = desk.get("/backoffice/queues/new/?after=!!!")
    assert broken.status_code == 200
    assert 'role="alert"' in broken.content.decode()


def test_the_navigation_counts_each_queue(clients):
    make_dossier(None)
    make_dossier(None)
    page = clients["reception"].get("/backoffice/queues/new/").content.decode()
    assert 'data-queue="new">2<' in page
    assert 'data-queue="overdue">0<' in page


def test_the_friday_board_is_soonest_first_and_polls_every_30_seconds(clients):
    now = timezone.now()
    later, sooner = make_dossier(None), make_dossier(None)
    for dossier, hours in ((later, 3), (sooner, 1)):
        Dossier.objects.filter(pk=dossier.pk).update(
            state=State.PROCESSING, due_rule="friday_same_day", due_at=now + timedelta(hours=hours)
        )
    page = clients["reception"].get("/backoffice/queues/friday_board/").content.decode()
    assert page.index(sooner.code) < page.index(later.code)
    assert 'hx-trigger="every 30s"' in page


def signed_in(user):
    """A page client signed in now (after the clock moved: sessions expire)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def waiting_text(page: str) -> str:
    return page.split('class="waiting">')[1].split("</td>")[0]


def test_the_supplement_queues_show_the_waiting_time_in_the_commune_only(demo, at):
    from tests.dossiers.conftest import upload
    from tests.helpers.api import ApiClient
    from xaso.dossiers.services import dossier_request_supplement

    at(2026, 11, 30, 9, 0)
    dossier = make_dossier(None)
    dossier_request_supplement(actor=demo["reception"], dossier=dossier, items=["Bản sao"])
    at(2026, 12, 2, 9, 0)
    desk = signed_in(demo["reception"])
    page = desk.get("/backoffice/queues/waiting_citizen/")
    assert dossier.code in page.content.decode()
    assert waiting_text(page.content.decode()) == "the citizen for 2 days"
    desk.cookies.pop("django_language")  # and in Vietnamese, every word of it
    page = desk.get("/backoffice/queues/waiting_citizen/").content.decode()
    assert waiting_text(page) == "chờ người dân 2 ngày"
    desk.cookies["django_language"] = "en"
    answer = ApiClient().post(
        f"/api/v1/dossiers/{dossier.code}/resubmit",
        {"secret": dossier.lookup_secret, "files": [{"item": 1, "id": upload("ans")}]},
    )
    assert answer.status_code == 200, answer.content
    at(2026, 12, 2, 11, 0)
    desk = signed_in(demo["reception"])
    page = desk.get("/backoffice/queues/supplement_received/")
    assert dossier.code in page.content.decode()
    assert waiting_text(page.content.decode()) == "the desk for 2 hours"
    assert dossier.code not in desk.get("/backoffice/queues/waiting_citizen/").content.decode()
    outsider = signed_in(demo["other-reception"]).get("/backoffice/queues/supplement_received/")
    assert outsider.status_code == 200 and dossier.code not in outsider.content.decode()
    community = signed_in(demo["community"])
    for queue in ("waiting_citizen", "supplement_received"):
        assert community.get(f"/backoffice/queues/{queue}/").status_code == 404


def test_no_queue_holds_a_finished_dossier_so_the_counts_read_only_unfinished_ones(demo):
    """The menu counts only unfinished dossiers (through the state index, issue 22): that is
    right only while no queue can hold a returned, refused or withdrawn dossier."""
    from xaso.backoffice.access import QUEUE_ORDER, queue_condition
    from xaso.dossiers.workflow import FINAL_STATES

    reception = User.objects.get(username="reception")
    now = timezone.now()
    dossier = make_dossier(reception)
    for state in FINAL_STATES:  # the row otherwise in every queue's reach: due, Friday, mine
        Dossier.objects.filter(pk=dossier.pk).update(
            state=state, assigned_to=reception, due_rule="friday_same_day",
            due_at=now - timedelta(hours=1), supplement_answered_at=now,
        )  # fmt: skip
        for queue in QUEUE_ORDER:
            condition = queue_condition(queue, user=reception, now=now)
            assert not Dossier.objects.filter(condition, pk=dossier.pk).exists(), (queue, state)
