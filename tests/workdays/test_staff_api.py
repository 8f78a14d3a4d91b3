"""A commune's calendar settings through the staff API (isolation: tests/test_staff_isolation)."""

from urllib.parse import urlencode

from tests.helpers.api import assert_error
from xaso.core.models import AuditEntry

BASE = "/api/v1/communes/T-A/calendar"
DUE = "/api/v1/calendar/due-date?" + urlencode(
    {
        "commune": "T-A",
        "received_at": "2026-03-02T11:00:00+07:00",
        "limit": 1,
        "unit": "working_hours",
    }
)


def test_office_hours_default_then_replaced_then_default_again(world, api):
    admin = api.as_user(world.user("commune_admin"))
    reader = api.as_user(world.user("province_viewer"))
    assert reader.get(f"{BASE}/office-hours").json() == {
        "uses_default": True,
        "regimes": [
            {
                "periods": [
                    {"start": "07:00:00", "end": "11:30:00"},
                    {"start": "13:30:00", "end": "17:00:00"},
                ],
                "valid_from": None,
                "valid_to": None,
                "note": "",
            }
        ],
    }
    assert api.get(DUE).json()["due_at"] == "2026-03-02T14:00:00+07:00"
    body = {
        "regimes": [
            {
                "periods": [{"start": "07:30", "end": "11:30"}, {"start": "13:00", "end": "17:00"}],
                "note": "Giờ mới",
            }
        ]
    }
    response = admin.request("PUT", f"{BASE}/office-hours", body)
    assert response.status_code == 200, response.content
    assert response.json()["uses_default"] is False
    assert response.json()["regimes"][0]["periods"][1] == {"start": "13:00:00", "end": "17:00:00"}
    # the public due date follows at once
    assert api.get(DUE).json()["due_at"] == "2026-03-02T13:30:00+07:00"
    assert AuditEntry.objects.filter(action="office_hours.replace", chain="T-A").count() == 1
    admin.request("PUT", f"{BASE}/office-hours", {"regimes": []})
    assert reader.get(f"{BASE}/office-hours").json()["uses_default"] is True
    assert api.get(DUE).json()["due_at"] == "2026-03-02T14:00:00+07:00"


def test_bad_office_hours_are_400(world, api):
    admin = api.as_user(world.user("commune_admin"))
    overlapping = {
        "regimes": [
            {"periods": [{"start": "07:00", "end": "12:00"}, {"start": "11:00", "end": "17:00"}]}
        ]
    }
    assert_error(
        admin.request("PUT", f"{BASE}/office-hours", overlapping), 400, "invalid_office_hours"
    )
    assert_error(
        admin.request("PUT", f"{BASE}/office-hours", {"regimes": [{"periods": []}]}), 400, "invalid"
    )
    assert_error(
        admin.request(
            "PUT",
            f"{BASE}/office-hours",
            {"regimes": [{"periods": [{"start": "25:00", "end": "26:00"}]}]},
        ),
        400,
        "invalid",
    )


def test_settings_read_and_patch(world, api):
    admin = api.as_user(world.user("commune_admin"))
    assert admin.get(f"{BASE}/settings").json() == {
        "same_day_cutoff": "15:00:00",
        "hour_for_hour": False,
    }
    one_day = DUE.replace("working_hours", "working_days")
    assert api.get(one_day).json()["due_at"] == "2026-03-03T17:00:00+07:00"
    response = admin.patch(f"{BASE}/settings", {"hour_for_hour": True})
    assert response.json() == {"same_day_cutoff": "15:00:00", "hour_for_hour": True}
    assert api.get(one_day).json()["due_at"] == "2026-03-03T11:00:00+07:00"
    assert_error(admin.patch(f"{BASE}/settings", {"same_day_cutoff": "noon"}), 400, "invalid")


def test_service_rules_read_and_patch(world, api):
    admin = api.as_user(world.user("commune_admin"))
    rules = api.as_user(world.user("reception")).get(f"{BASE}/service-rules").json()
    assert [(rule["kind"], rule["enabled"], rule["weekday"]) for rule in rules] == [
        ("friday_same_day", False, 4),
        ("tuesday_assisted", False, 1),
    ]
    response = admin.patch(
        f"{BASE}/service-rules/friday_same_day",
        {"enabled": True, "cutoff": "14:00", "procedure_codes": ["1.004873", " 2.000815 "]},
    )
    assert response.status_code == 200, response.content
    assert response.json() | {"note": ""} == {
        "kind": "friday_same_day",
        "enabled": True,
        "weekday": 4,
        "cutoff": "14:00:00",
        "valid_from": None,
        "valid_to": None,
        "procedure_codes": ["1.004873", "2.000815"],
        "note": "",
    }
    assert_error(
        admin.patch(f"{BASE}/service-rules/friday_same_day", {"weekday": 7}), 400, "invalid"
    )
    assert_error(
        admin.patch(f"{BASE}/service-rules/monday_magic", {"enabled": True}), 400, "invalid"
    )
    assert_error(
        admin.patch(
            f"{BASE}/service-rules/tuesday_assisted",
            {"valid_from": "2026-06-01", "valid_to": "2026-01-01"},
        ),
        400,
        "invalid",
    )
    assert AuditEntry.objects.filter(action="service_rule.update").count() == 1
