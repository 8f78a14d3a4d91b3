"""The reports' API: its answer's shape and who may read what."""

import pytest

from tests.helpers.api import ApiClient
from tests.reports import fixture

pytestmark = pytest.mark.django_db

OCTOBER = "from=2026-10-01&to=2026-10-31"


def get(user, query):
    return ApiClient().as_user(user).get(f"/api/v1/reports/index?{query}")


def test_the_index_of_a_commune(world):
    fixture.build(world)
    response = get(world.user("leader"), f"commune=T-A&{OCTOBER}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total"] == 62.94 and body["max"] == 100
    assert [(g["code"], g["max"]) for g in body["groups"]] == [
        ("CKMB", 18), ("TDGQ", 20), ("CLGQ", 12), ("TTTT", 10), ("MDSH", 22), ("MDHL", 18)
    ]  # fmt: skip
    on_time = body["groups"][1]["indicators"][0]
    assert on_time == {"code": "TDGQ.1", "name": on_time["name"], "numerator": 5,
                       "denominator": 10, "points": 10.0, "max": 20.0}  # fmt: skip
    assert body["weakest"][0] == "TDGQ.1"


def test_the_kpis_of_a_commune(world):
    fixture.build(world)
    response = (
        ApiClient()
        .as_user(world.user("reception"))
        .get(f"/api/v1/reports/kpis?commune=T-A&{OCTOBER}")
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dossiers"] == 12
    assert body["on_time"] == {"numerator": 5, "denominator": 10, "rate": 0.5}
    assert body["online"]["numerator"] == 4  # D1 D2 D5 D7
    assert body["e_payment"] == {"numerator": 4, "denominator": 9, "rate": 0.4444}
    assert body["satisfaction"]["ratings"] == 6
    assert body["processing_hours"]["count"] == 6  # the returned ones


@pytest.mark.parametrize(
    ("user", "query", "status"),
    [
        ("other_leader", "commune=T-A", 404),  # another commune's staff
        ("far_viewer", "commune=T-A", 404),  # another province's viewer
        ("far_viewer", "province=66", 404),
        ("leader", "province=66", 403),  # a commune's staff asking for the whole province
        ("community_member", "commune=T-A", 403),  # team members read no reports
        ("citizen", "commune=T-A", 404),
        ("province_viewer", "commune=T-A", 200),
        ("province_viewer", "province=66", 200),
        ("specialist", "commune=T-A", 200),
    ],
)
def test_who_reads_what(world, user, query, status):
    response = get(world.user(user), f"{query}&{OCTOBER}")
    assert response.status_code == status, response.content
    kpis = ApiClient().as_user(world.user(user)).get(f"/api/v1/reports/kpis?{query}&{OCTOBER}")
    assert kpis.status_code == status


def test_a_bad_period_is_a_400(world):
    response = get(world.user("leader"), "commune=T-A&from=2026-10-31&to=2026-10-01")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "period_invalid"
    assert get(world.user("leader"), "commune=T-A&from=31/10/2026").status_code == 400
