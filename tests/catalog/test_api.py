from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers.api import assert_error
from xaso.catalog.models import Procedure

BIRTH_ANSWERS = {
    "applicant": {
        "full_name": "Y Bhiơ Niê",
        "date_of_birth": "1960-03-02",
        "sex": "male",
        "personal_id": "066060001234",
    },
    "relationship": "grandparent",
    "phone": "0912345678",
    "child": {
        "full_name": "H'Hen Niê",
        "date_of_birth": "2026-11-20",
        "sex": "female",
        "ethnicity": "Ê Đê",
        "nationality": "Việt Nam",
    },
    "place_of_birth": "Trạm Y tế xã",
    "mother": {"full_name": "H'Lan Niê", "date_of_birth": "1998-01-01", "sex": "female"},
    "mother_residence": {"province": "66", "commune": "T-A", "village": "loc-tan"},
    "has_birth_certificate": True,
    "birth_certificate": ["upload-1"],
}


def test_list_answers_the_documented_shape(catalog, api):
    response = api.get("/api/v1/procedures?q=khai+sinh")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 1
    assert body["items"][0] == {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "time_limit": {
            "amount": 0,
            "unit": "same_day",
            "note": body["items"][0]["time_limit"]["note"],
            "with_verification": None,
        },
        "fee_summary": body["items"][0]["fee_summary"],
        "online_level": "full",
    }


def test_a_procedure_shows_its_limit_with_verification(catalog, api):
    body = api.get("/api/v1/procedures?q=1.000689").json()
    limit = next(item for item in body["items"] if item["code"] == "1.000689")["time_limit"]
    assert (limit["amount"], limit["unit"]) == (3, "working_days")
    verification = limit["with_verification"]
    assert (verification["amount"], verification["unit"]) == (8, "working_days")
    assert "xác minh" in verification["reason"]


def test_the_catalogue_a_commune_uses_has_at_least_70_procedures(catalog, api):
    body = api.get("/api/v1/procedures").json()
    assert body["count"] >= 70
    # Procedures whose national code is not known carry the commune's own code, said unverified.
    local = api.get("/api/v1/procedures/XS.0008").json()
    assert (local["name"], local["verified"]) == ("Chứng thực di chúc", False)
    assert {"code", "name"} <= set(local["unverified"])
    assert local["delivery_channels"] == ["counter"]


def test_list_runs_a_fixed_number_of_queries_whatever_the_catalogue_size(catalog, api):
    def queries(path) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(path).status_code == 200
        return len(captured)

    few = [queries("/api/v1/procedures"), queries("/api/v1/procedures?q=dang+ky")]
    birth = Procedure.objects.get(code="1.001193")
    for number in range(40):
        birth.pk, birth.code = None, f"9.{number:06d}"
        birth.save()
    assert [queries("/api/v1/procedures"), queries("/api/v1/procedures?q=dang+ky")] == few
    assert api.get("/api/v1/procedures").json()["count"] >= 41


def test_detail_has_everything_and_unknown_code_is_404(catalog, api):
    body = api.get("/api/v1/procedures/1.001193").json()
    assert body["flags"]["same_day_eligible"] is True
    assert body["verified"] is False
    assert [d["key"] for d in body["documents"]][:2] == ["to-khai", "giay-chung-sinh"]
    assert (body["field"], body["field_code"]) == ("Hộ tịch", "ho-tich")
    assert body["form"]["fields"][0]["name"] == "applicant"
    first_basis = body["legal_basis"][0]
    assert (first_basis["kind"], first_basis["title"], first_basis["date"]) == (
        "Luật",
        "Hộ tịch",
        "2014-11-20",
    )
    assert_error(api.get("/api/v1/procedures/1.999999"), 404, "procedure_not_found")


def test_validate_gives_field_errors_or_the_fee(world, catalog, api):
    url = "/api/v1/procedures/1.001193/validate"
    ok = api.post(url, {"answers": BIRTH_ANSWERS, "commune": "T-A"})
    assert ok.status_code == 200, ok.content
    assert ok.json() == {
        "valid": True,
        "errors": {},
        "fee": {
            "amount": 0,
            "display": "0 ₫",
            "rule": "free",
            "exemption": None,
            "evidence": "",
            "provincial_key": None,
        },
    }
    bad = api.post(
        url, {"answers": {**BIRTH_ANSWERS, "phone": "123", "has_birth_certificate": False}}
    )
    body = bad.json()
    assert body["valid"] is False
    assert set(body["errors"]) == {"phone", "witness_statement"}
    assert_error(
        api.post(url, {"answers": BIRTH_ANSWERS, "exemptions": ["child_under_6"]}),
        400,
        "exemption_not_allowed",
    )
    assert_error(api.post(url, {"answers": "nope"}), 400, "invalid")
    assert_error(
        api.post(url, {"answers": BIRTH_ANSWERS, "commune": "XX"}), 404, "commune_not_found"
    )


def test_due_date_by_procedure_applies_the_demo_friday_rule(db, api):
    from django.core.management import call_command

    call_command("seed_demo")
    friday = api.get(
        "/api/v1/calendar/due-date?commune=DEMO-PL&procedure=1.004873"
        "&received_at=2026-11-27T10:00:00%2B07:00"
    ).json()
    assert friday["due_at"] == "2026-11-27T17:00:00+07:00"
    assert friday["rule"] == "friday_same_day"
    monday = api.get(
        "/api/v1/calendar/due-date?commune=DEMO-PL&procedure=1.004873"
        "&received_at=2026-11-30T10:00:00%2B07:00"
    ).json()
    assert monday["rule"] is None
    assert monday["limit"]["unit"] == "working_days"
    assert_error(
        api.get(
            "/api/v1/calendar/due-date?commune=DEMO-PL&procedure=1.999999"
            "&received_at=2026-11-30T10:00:00%2B07:00"
        ),
        404,
        "procedure_not_found",
    )
