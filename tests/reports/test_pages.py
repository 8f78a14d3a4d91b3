"""The dashboards: a commune's for its staff, the province's for its viewer (their home), the
dossiers behind an indicator, the .xlsx exports; nothing for another commune."""

import io

import pytest
from openpyxl import load_workbook

from tests.helpers.second_factor import verified_client
from tests.reports import fixture

pytestmark = pytest.mark.django_db

OCTOBER = "from=2026-10-01&to=2026-10-31"


def client(user):
    return verified_client(user)


def test_the_commune_dashboard(world):
    fixture.build(world)
    response = client(world.user("specialist")).get(f"/backoffice/reports/?commune=T-A&{OCTOBER}")
    assert response.status_code == 200, response.content[:500]
    text = response.content.decode()
    assert "62,94" in text and "<svg" in text and "TDGQ.1" in text
    assert "62.94" not in text  # the Vietnamese decimal comma, in the charts too
    export = client(world.user("specialist")).get(
        f"/backoffice/reports/?commune=T-A&{OCTOBER}&format=xlsx"
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 20  # header + 19 indicators
    behind = client(world.user("specialist")).get(
        f"/backoffice/reports/dossiers/?commune=T-A&{OCTOBER}&measure=on_time"
    )
    assert behind.status_code == 200
    late = {f"T-A-{n:04d}" for n in (2, 4, 6, 8, 12)}
    assert all(code in behind.content.decode() for code in late)


def test_the_province_viewer_lands_on_the_ranking(world):
    fixture.build(world)
    viewer = client(world.user("province_viewer"))
    home = viewer.get("/backoffice/")
    assert home.status_code == 302 and home["Location"] == "/backoffice/reports/"
    response = viewer.get(f"/backoffice/reports/?{OCTOBER}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Xã Thử A" in text and "Xã Thử B" in text and 'id="ranking"' in text


def test_nothing_for_another_commune(world):
    fixture.build(world)
    for user in ("other_leader", "far_viewer"):
        response = client(world.user(user)).get(f"/backoffice/reports/?commune=T-A&{OCTOBER}")
        assert response.status_code == 404, user
        behind = client(world.user(user)).get(
            f"/backoffice/reports/dossiers/?commune=T-A&{OCTOBER}&measure=on_time"
        )
        assert behind.status_code == 404, user


def test_the_months_of_the_index_and_its_trend_are_each_counted_once(world):
    # October is the index's period and the trend's last month (May–October): its dossiers are
    # counted once for the page, with the five months before it (none is rolled up here).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fixture.build(world)
    viewer = client(world.user("province_viewer"))
    with CaptureQueriesContext(connection) as captured:
        response = viewer.get(f"/backoffice/reports/?{OCTOBER}")
    assert response.status_code == 200
    live = ('FROM "dossiers_dossier"', "GROUP BY", '"procedure__online_level"')
    counted = [q["sql"] for q in captured.captured_queries if all(p in q["sql"] for p in live)]
    assert len(counted) == 6, [sql[-200:] for sql in counted]
