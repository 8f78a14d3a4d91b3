"""The back office's search box and its list of all dossiers (issue 16 item 5): a code typed any
way, a name typed without diacritics, a phone, an ID, in every state and only in the user's
communes; filters, orders and pages; the Excel export of exactly the rows the filters keep; one
selector for page and API, each a fixed number of queries."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from tests.backoffice.conftest import EXTRACT_COPY, SIGNATURE
from tests.backoffice.test_lists import copies
from tests.dossiers.conftest import procedure_submission
from xaso.core.models import AuditEntry
from xaso.dossiers import search
from xaso.dossiers.models import Dossier, State
from xaso.dossiers.submission import dossier_submit

pytestmark = pytest.mark.django_db

NAME = "Đặng Thị Ửng"
PHONE = "0987654321"
PERSONAL_ID = "066099001122"


def dossier_of(actor, *, name=NAME, phone=PHONE, personal_id=PERSONAL_ID, code=SIGNATURE,
               channel="online", receive=False) -> Dossier:  # fmt: skip
    payload = procedure_submission(code, channel)
    applicant = {**payload["applicant"], "full_name": name, "phone": phone,
                 "personal_id": personal_id}  # fmt: skip
    return dossier_submit(
        actor=actor, procedure_code=code, commune_code=payload["commune"], channel=channel,
        applicant=applicant, answers=payload["form"], receive=receive,
    ).dossier  # fmt: skip


def found(client, text: str) -> str:
    response = client.get("/backoffice/search/", {"q": text})
    assert response.status_code == 200, (text, response.status_code)
    return response.content.decode()


def test_the_search_text_is_the_name_without_diacritics_the_phone_and_the_id():
    text = search.applicant_search_text(
        {
            "full_name": "Đặng  Thị Ửng-Hoà",
            "phone": "+84 987 654 321",
            "personal_id": "066099001122",
        }
    )
    assert text == " dang thi ung hoa 0987654321 066099001122 "
    assert search.applicant_search_text({}) == ""


def test_the_search_box_is_on_every_page(clients):
    for url in ("/backoffice/queues/new/", "/backoffice/desk/", "/backoffice/register/"):
        page = clients["reception"].get(url).content.decode()
        assert 'action="/backoffice/search/"' in page and 'name="q"' in page, url
    assert (
        'action="/backoffice/search/"'
        in clients["admin"].get("/backoffice/admin/villages/").content.decode()
    )


def test_a_code_without_dashes_in_any_case_opens_the_dossier_in_any_state(clients, demo):
    dossier = dossier_of(None)
    Dossier.objects.filter(pk=dossier.pk).update(state=State.RETURNED)
    for typed in (dossier.code.replace("-", "").lower(), dossier.code.replace("-", " ")):
        response = clients["reception"].get("/backoffice/search/", {"q": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == f"/backoffice/dossiers/{dossier.code}/"
    # The list of all dossiers finds it too (without opening it).
    listed = clients["reception"].get("/backoffice/dossiers/", {"q": dossier.code.lower()})
    assert dossier.code in listed.content.decode()


def test_a_name_typed_without_diacritics_finds_the_dossier(clients, demo):
    dossier = dossier_of(None)
    other = dossier_of(None, name="Trần Văn Bình", phone="0911111111", personal_id="066090009999")
    for typed in ("dang thi ung", "DANG UNG", "ung dang", "Đặng Thị Ửng", "dang th"):
        page = found(clients["reception"], typed)
        assert dossier.code in page and other.code not in page, typed
    # Words are the starts of the name's words: "ang" is inside "Đặng", not the start of it.
    assert dossier.code not in found(clients["reception"], "ang thi")


def test_a_phone_typed_any_way_and_an_id_number_find_the_dossier(clients, demo):
    dossier = dossier_of(None)
    other = dossier_of(None, name="Trần Văn Bình", phone="0911111111", personal_id="066090009999")
    for typed in (PHONE, "+84 987 654 321", "0987.654.321", PERSONAL_ID, "4321"):
        page = found(clients["reception"], typed)
        assert dossier.code in page and other.code not in page, typed
    # A whole number is matched whole: the phone's first nine digits are not a phone.
    assert dossier.code not in found(clients["reception"], PHONE[:9])


def test_another_communes_officer_finds_nothing(clients, demo):
    dossier = dossier_of(None)
    outsider = clients["other-reception"]
    for typed in (dossier.code.replace("-", ""), "dang thi ung", PHONE, PERSONAL_ID):
        response = outsider.get("/backoffice/search/", {"q": typed})
        assert response.status_code == 200, typed
        assert dossier.code not in response.content.decode(), typed
    assert dossier.code not in outsider.get("/backoffice/dossiers/").content.decode()
    export = outsider.get("/backoffice/dossiers.xlsx", {"q": PHONE})
    assert rows_of(export) == []
    from tests.helpers.api import ApiClient

    api = ApiClient().as_user(demo["other-reception"])
    assert api.get(f"/api/v1/dossiers?q={PHONE}").json()["items"] == []
    assert api.get("/api/v1/dossiers?q=dang+ung").json()["items"] == []


def test_too_little_to_search_is_said(clients):
    page = found(clients["reception"], "a")
    assert 'role="alert"' in page


def test_showing_what_a_search_found_is_recorded_as_a_read_of_personal_data(clients, demo):
    dossier = dossier_of(None)
    before = AuditEntry.objects.filter(action="personal_data.view").count()
    found(clients["reception"], "dang ung")
    entry = AuditEntry.objects.filter(action="personal_data.view").latest("id")
    assert AuditEntry.objects.filter(action="personal_data.view").count() == before + 1
    assert entry.actor == demo["reception"] and entry.chain == dossier.receiving_commune.code
    assert entry.data["purpose"] == "backoffice_search"
    assert f"dossier:{dossier.code}" in entry.data["fields"]
    # A list without search words shows no more than the queues do: nothing recorded.
    clients["reception"].get("/backoffice/dossiers/")
    assert AuditEntry.objects.filter(action="personal_data.view").count() == before + 1


# --- the list of all dossiers -------------------------------------------------------------


def codes_in(page: str, dossiers) -> list[str]:
    return [d.code for d in sorted(dossiers, key=lambda d: page.find(d.code)) if d.code in page]


def test_the_filters_keep_what_they_say(clients, demo):
    now = timezone.now()
    online = dossier_of(None)
    desk = dossier_of(
        demo["reception"], code=EXTRACT_COPY, channel="counter", receive=True,
        name="Lê Văn Tám", phone="0933333333", personal_id="066090007777",
    )  # fmt: skip
    desk = Dossier.objects.get(pk=desk.pk)
    late = dossier_of(None, name="Phạm Thị Mai", phone="0944444444", personal_id="066090006666")
    Dossier.objects.filter(pk=late.pk).update(
        state=State.PROCESSING, received_at=now - timedelta(days=20), due_at=now - timedelta(1),
        assigned_to=demo["specialist"],
    )  # fmt: skip
    every = (online, desk, late)
    cases = {
        "state=submitted": [online],
        "channel=counter": [desk],
        f"procedure={EXTRACT_COPY}": [desk],
        "overdue=1": [late],
        "officer=specialist": [late] + ([desk] if desk.assigned_to_id else []),
        f"from={(now - timedelta(days=21)).date()}&to={(now - timedelta(days=19)).date()}": [late],
        "q=van+tam": [desk],
    }
    for query, expected in cases.items():
        page = clients["reception"].get(f"/backoffice/dossiers/?{query}").content.decode()
        assert sorted(codes_in(page, every)) == sorted(d.code for d in expected), query


def test_the_orders_are_stable_and_the_keyset_pages_cover_every_row_once(clients):
    first = dossier_of(None)
    copies(first, 34)  # 35 rows with the same dates: the order falls back on the row
    Dossier.objects.filter(code__startswith=first.code).update(received_at=first.submitted_at)
    ours = set(Dossier.objects.filter(code__startswith=first.code).values_list("code", flat=True))
    for sort in ("", "code", "-code", "received", "-received", "due", "-due"):
        seen, query = [], f"?sort={sort}"
        for _page in range(5):
            page = clients["reception"].get(f"/backoffice/dossiers/{query}").content.decode()
            seen += [c for c in page.split('href="/backoffice/dossiers/')[1:]]
            if 'rel="next"' not in page:
                break
            query = "?" + page.split('rel="next" href="?')[1].split('"')[0].replace("&amp;", "&")
        codes = [chunk.split("/")[0] for chunk in seen]
        listed = [code for code in codes if code in ours]
        assert sorted(listed) == sorted(ours), sort
        assert len(listed) == len(set(listed)), sort
        if sort == "code":
            assert listed == sorted(listed)
        if sort == "-code":
            assert listed == sorted(listed, reverse=True)


def test_a_tampered_page_link_is_said_and_the_first_page_shown(clients):
    dossier_of(None)
    page = clients["reception"].get("/backoffice/dossiers/?sort=code&after=!!!")
    assert page.status_code == 200 and 'role="alert"' in page.content.decode()


def rows_of(response) -> list[list]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["Mã hồ sơ", "Mã thủ tục", "Thủ tục hành chính", "Người nộp hồ sơ"]
    return rows[1:]


def test_the_export_has_exactly_the_filtered_rows_every_page_of_them(clients, demo):
    kept = dossier_of(None, name="=HYPERLINK(\"x\") Đào", phone="0955555555",
                      personal_id="066090005555")  # fmt: skip
    copies(kept, 29)  # 30 rows: more than a page
    left_out = dossier_of(demo["reception"], code=EXTRACT_COPY, channel="counter", receive=True)
    response = clients["reception"].get(
        "/backoffice/dossiers.xlsx", {"channel": "online", "procedure": SIGNATURE, "sort": "code"}
    )
    rows = rows_of(response)
    expected = list(
        Dossier.objects.filter(channel="online", procedure__code=SIGNATURE)
        .order_by("code")
        .values_list("code", flat=True)
    )
    assert [row[0] for row in rows] == expected
    assert len(rows) >= 30 and left_out.code not in [row[0] for row in rows]
    row = next(row for row in rows if row[0] == kept.code)
    assert row[2] == kept.procedure.name and row[3] == '=HYPERLINK("x") Đào'
    assert row[4] == "Trực tuyến" and row[5] == "Đã nộp"
    sheet = load_workbook(BytesIO(response.content)).active
    name_cell = next(c for c in sheet["D"] if c.value == '=HYPERLINK("x") Đào')
    assert name_cell.data_type == "s" and name_cell.quotePrefix  # text, never a formula
    entry = AuditEntry.objects.filter(action="personal_data.view").latest("id")
    assert entry.data["purpose"] == "dossier_export_xlsx"


def test_an_export_past_the_bound_says_so_and_gives_no_file(clients, monkeypatch):
    first = dossier_of(None)
    copies(first, 3)
    monkeypatch.setattr(search, "EXPORT_MAX", 3)
    response = clients["reception"].get("/backoffice/dossiers.xlsx", {"state": "submitted"})
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/dossiers/?state=submitted"
    page = clients["reception"].get(response["Location"]).content.decode()
    assert "3" in page and 'class="error"' in page


# --- one selector, a fixed number of queries ------------------------------------------------


def queries(client, url: str, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(captured)


# Session, user, memberships, second factor; communes and counts of the navigation; then:
PINNED = {
    # the page and the procedures and officers of the filters
    "/backoffice/dossiers/": 9,
    "/backoffice/dossiers/?channel=online&sort=-received": 9,
    # the exact code, the page, and the record of the read (the audit chain)
    "/backoffice/search/?q=dang+ung": 13,
    "/backoffice/search/?q=0987654321": 13,
    # the rows and the record of the export
    "/backoffice/dossiers.xlsx?channel=online": 10,
}


@pytest.mark.parametrize("url", list(PINNED))
def test_page_and_export_cost_the_same_with_one_row_and_with_thirty(url, clients):
    first = dossier_of(None)
    one = queries(clients["reception"], url)
    copies(first, 29)
    thirty = queries(clients["reception"], url)
    assert (one, thirty) == (PINNED[url], PINNED[url])


def test_the_api_searches_with_the_same_selector_at_a_fixed_cost(demo):
    from tests.helpers.api import ApiClient

    first = dossier_of(None)
    api = ApiClient().as_user(demo["reception"])
    api.get("/api/v1/dossiers")  # the token's first use is recorded once
    for url in ("/api/v1/dossiers?q=dang+ung", f"/api/v1/dossiers?q={PERSONAL_ID}",
                "/api/v1/dossiers?channel=online&sort=code"):  # fmt: skip
        with CaptureQueriesContext(connection) as one:
            answer = api.get(url)
        assert [item["code"] for item in answer.json()["items"]][:1] == [first.code] or (
            "sort=code" in url
        )
        copies(first, 29)
        with CaptureQueriesContext(connection) as thirty:
            answer = api.get(url)
        assert len(one) == len(thirty), url
        Dossier.objects.filter(code__startswith=f"{first.code}-C").delete()
    listed = api.get(f"/api/v1/dossiers?q={first.code.lower().replace('-', '')}").json()
    assert [item["code"] for item in listed["items"]] == [first.code]


def test_the_api_pages_follow_the_filters_and_refuse_unknown_values(demo):
    from tests.helpers.api import ApiClient, assert_error

    first = dossier_of(None)
    copies(first, 30)
    api = ApiClient().as_user(demo["reception"])
    page = api.get("/api/v1/dossiers?q=dang+ung&sort=code").json()
    assert len(page["items"]) == 25 and page["next"]
    rest = api.get(f"/api/v1/dossiers?q=dang+ung&sort=code&after={page['next']}").json()
    codes = [item["code"] for item in page["items"] + rest["items"]]
    assert codes == sorted(codes) and len(codes) == 31 and rest["next"] is None
    assert_error(api.get("/api/v1/dossiers?sort=name"), 400, "unknown_sort")
    assert_error(api.get("/api/v1/dossiers?channel=fax"), 400, "unknown_channel")
    assert_error(api.get("/api/v1/dossiers?sort=code&after=xyz"), 400, "cursor")


def test_a_queues_own_filter_box_matches_as_the_search_does(clients, demo):
    """The "new" queue's box: the name without diacritics, a phone typed any way, an ID; the
    code without dashes opens the dossier; a name that only contains the words finds nothing."""
    dossier = dossier_of(None)
    other = dossier_of(None, name="Trần Văn Bình", phone="0911111111", personal_id="066090009999")

    def listed(text: str) -> str:
        response = clients["reception"].get("/backoffice/queues/new/", {"q": text})
        assert response.status_code == 200, text
        return response.content.decode()

    for typed in ("dang thi ung", "UNG dang", "0987.654.321", "+84 987 654 321", PERSONAL_ID):
        page = listed(typed)
        assert dossier.code in page and other.code not in page, typed
    assert dossier.code not in listed("ang thi")
    opened = clients["reception"].get(
        "/backoffice/queues/new/", {"q": dossier.code.replace("-", "").lower()}
    )
    assert opened.status_code == 302 and opened["Location"].endswith(f"/{dossier.code}/")
    outsider = clients["other-reception"].get("/backoffice/queues/new/", {"q": "dang thi ung"})
    assert dossier.code not in outsider.content.decode()
