from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers.api import assert_error
from xaso.places.models import Village


def test_public_commune_answer_with_province_and_villages(world, api):
    response = api.get("/api/v1/places/communes/T-A")
    assert response.status_code == 200
    assert response.json() == {
        "code": "T-A",
        "name": "Xã Thử A",
        "province": {"code": "66", "name": "Đắk Lắk"},
        "villages": [{"code": "loc-tan", "name": "Thôn Lộc Tân"}],
    }


def test_unknown_commune_and_province_are_404_in_the_error_shape(world, api):
    assert_error(api.get("/api/v1/places/communes/nope"), 404, "commune_not_found")
    assert_error(api.get("/api/v1/places/provinces/99/communes"), 404, "province_not_found")


def test_communes_of_a_province_for_pickers(world, api):
    response = api.get("/api/v1/places/provinces/66/communes")
    assert response.json() == [
        {"code": "T-A", "name": "Xã Thử A"},
        {"code": "T-B", "name": "Xã Thử B"},
    ]


def test_staff_of_the_commune_and_its_province_viewer_list_villages(world, api):
    for role in ["reception", "specialist", "leader", "community_member", "province_viewer"]:
        response = api.as_user(world.user(role)).get("/api/v1/communes/T-A/villages")
        assert response.status_code == 200, role
        assert [v["name"] for v in response.json()] == ["Thôn Lộc Tân"]


def test_village_list_runs_a_fixed_number_of_queries(world, api):
    client = api.as_user(world.user("reception"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/communes/T-A/villages").status_code == 200
        return len(captured)

    queries()  # the first call also stamps the token's last use
    few = queries()
    for number in range(30):
        Village.objects.create(commune=world.commune, code=f"v{number}", name=f"Thôn {number}")
    assert queries() == few


def test_admin_creates_a_village_with_a_code_from_its_name(world, api):
    admin = api.as_user(world.user("commune_admin"))
    response = admin.post(
        "/api/v1/communes/T-A/villages",
        {"name": "  Buôn   Ea Kmar ", "kind": "buon", "households": 210, "population": 980},
    )
    assert response.status_code == 201, response.content
    assert response.json() == {
        "code": "buon-ea-kmar",
        "name": "Buôn Ea Kmar",
        "kind": "buon",
        "households": 210,
        "population": 980,
    }


def test_duplicate_village_is_a_409_and_bad_input_a_400(world, api):
    admin = api.as_user(world.user("commune_admin"))
    assert_error(
        admin.post("/api/v1/communes/T-A/villages", {"name": "Thôn Lộc Tân"}), 409, "village_exists"
    )
    assert_error(
        admin.post("/api/v1/communes/T-A/villages", {"name": "X", "households": -1}), 400, "invalid"
    )
    assert_error(admin.post("/api/v1/communes/T-A/villages", {"kind": "castle"}), 400, "invalid")
    assert_error(admin.post("/api/v1/communes/T-A/villages", "{not json"), 400, "invalid")
    assert Village.objects.filter(commune=world.commune).count() == 1


def test_admin_patches_only_the_fields_sent(world, api):
    admin = api.as_user(world.user("commune_admin"))
    response = admin.patch("/api/v1/communes/T-A/villages/loc-tan", {"population": 1500})
    assert response.status_code == 200
    world.village.refresh_from_db()
    assert (world.village.name, world.village.population) == ("Thôn Lộc Tân", 1500)
    assert_error(
        admin.patch("/api/v1/communes/T-A/villages/nope", {"population": 1}),
        404,
        "village_not_found",
    )


def test_admin_sets_the_agency_code_and_bad_codes_are_refused(world, api):
    admin = api.as_user(world.user("commune_admin"))
    response = admin.patch("/api/v1/communes/T-A", {"agency_code": "000.00.12.h56"})
    assert response.status_code == 200
    assert response.json()["agency_code"] == "000.00.12.H56"
    error = assert_error(
        admin.patch("/api/v1/communes/T-A", {"agency_code": "a b!"}), 400, "invalid"
    )
    assert "agency_code" in error["details"]["fields"]
    world.commune.refresh_from_db()
    assert world.commune.agency_code == "000.00.12.H56"
