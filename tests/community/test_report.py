"""The back office's pages for the teams, and the monthly report to the province: it opens, and
its totals are the adoption table's."""

from io import BytesIO

from openpyxl import load_workbook

from tests.helpers.api import ApiClient
from tests.helpers.second_factor import verified_client
from xaso.community.models import Member, Team
from xaso.community.selectors import COUNT_COLUMNS


def test_the_monthly_report_opens_and_its_totals_are_the_adoption_tables(demo):
    admin = verified_client(demo["admin"])
    period = "from=2026-11-01&to=2026-11-30"
    page = admin.get(f"/backoffice/community/adoption/?{period}")
    assert page.status_code == 200
    assert page.content.count(b'<svg class="chart"') == 2
    answer = (
        ApiClient()
        .as_user(demo["reception"])
        .get(f"/api/v1/community/adoption?commune=DEMO-PL&{period}")
    )
    table = answer.json()
    response = admin.get(f"/backoffice/community/adoption.xlsx?{period}")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content))["Theo thôn"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    villages, total = rows[:-1], rows[-1]
    assert len(villages) == 15 == len(table["items"])
    assert total[0] == "Tổng cộng"
    for index, column in enumerate(COUNT_COLUMNS, start=2):
        assert total[index] == table["total"][column], column
        assert sum(row[index] for row in villages) == table["total"][column]
    by_name = {row[0]: row for row in villages}
    for item in table["items"]:
        assert by_name[item["village"]["name"]][2] == item["residents"]
    assert table["total"]["residents"] > 0


def test_the_administrator_manages_a_team_from_the_back_office(demo):
    admin = verified_client(demo["admin"])
    team = Team.objects.get(village__name="Thôn Lộc Tài")
    listing = admin.get("/backoffice/community/")
    assert listing.status_code == 200
    assert "Thôn Lộc Tài".encode() in listing.content
    added = admin.post(
        f"/backoffice/community/teams/{team.pk}/",
        {"operation": "member", "full_name": "Lê Văn Mới", "phone": "0911222333",
         "team_role": "member", "origin": "police", "active_from": "2026-11-20"},
    )  # fmt: skip
    assert added.status_code == 302
    assert Member.objects.filter(team=team, full_name="Lê Văn Mới", origin="police").exists()
    target = admin.post(
        f"/backoffice/community/teams/{team.pk}/",
        {"operation": "target", "month": "2026-11", "metric": "activations", "target": "40"},
    )
    assert target.status_code == 302
    assert team.targets.get(metric="activations", month="2026-11-01").target == 40
    # A team member is no officer: these pages are not theirs; the reception reads, never writes.
    member = verified_client(demo["community"])
    assert member.get("/backoffice/community/").status_code == 404
    reception = verified_client(demo["reception"])
    assert reception.get(f"/backoffice/community/teams/{team.pk}/").status_code == 200
    reception.post(f"/backoffice/community/teams/{team.pk}/",
                   {"operation": "member", "full_name": "Không được"})  # fmt: skip
    assert not Member.objects.filter(full_name="Không được").exists()


def test_the_member_signs_in_to_their_workspace_and_reads_their_team(demo):
    from django.conf import settings
    from django.test import Client

    client = Client()
    signed = client.post(
        "/to-cong-nghe-so/dang-nhap/",
        {"username": "community", "password": settings.XASO_DEMO_PASSWORD},
    )
    assert signed.status_code == 302 and signed["Location"] == "/to-cong-nghe-so/"
    page = client.get("/to-cong-nghe-so/")
    assert "Tổ công nghệ số cộng đồng Thôn Lộc Tân".encode() in page.content
    assert client.get("/backoffice/")["Location"] == "/to-cong-nghe-so/"
    # An officer is not a team member: the workspace is not theirs.
    assert verified_client(demo["reception"]).get("/to-cong-nghe-so/").status_code == 404
    assert client.get("/to-cong-nghe-so/sw.js")["Service-Worker-Allowed"] == "/to-cong-nghe-so/"
