"""The public calendar API: due dates and working days, every bad input, and the +07:00 format."""

from urllib.parse import urlencode

import pytest

from tests.helpers.api import assert_error

DUE = "/api/v1/calendar/due-date"
DAYS = "/api/v1/calendar/days"


def url(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}"  # encodes "+" as %2B, as a client should


def due_url(**params) -> str:
    params = {
        "commune": "T-A",
        "received_at": "2026-11-26T10:00:00+07:00",
        "limit": 3,
        "unit": "working_days",
    } | params
    return url(DUE, **{key: value for key, value in params.items() if value is not None})


def test_due_date_answer_in_vietnam_time(world, api, official_2026):
    # Thu 26/11 10:00 + 3 working days: Fri 27, Mon 30, Tue 1/12 (24/11 was the holiday
    # before), ending at the close of office hours of the last one
    response = api.get(due_url())
    assert response.status_code == 200, response.content
    assert response.json() == {
        "received_at": "2026-11-26T10:00:00+07:00",
        "clock_starts_at": "2026-11-26T10:00:00+07:00",
        "due_at": "2026-12-01T17:00:00+07:00",
        "rule": None,
        "limit": {"amount": 3, "unit": "working_days"},
    }


def test_due_date_from_a_holiday_evening_in_utc(world, api, official_2026):
    # Mon 23/11 19:00 Vietnam time = 12:00 UTC; Tue 24/11 is the Culture Day: clock starts Wed
    response = api.get(due_url(received_at="2026-11-23T12:00:00Z", limit=2, unit="working_hours"))
    assert response.json() | {"limit": None} == {
        "received_at": "2026-11-23T19:00:00+07:00",
        "clock_starts_at": "2026-11-25T07:00:00+07:00",
        "due_at": "2026-11-25T09:00:00+07:00",
        "rule": None,
        "limit": None,
    }


def test_same_day_needs_no_limit_and_follows_the_cutoff(world, api, official_2026):
    def same_day(moment: str):
        received_at = f"2026-11-26T{moment}+07:00"
        return api.get(due_url(received_at=received_at, limit=None, unit="same_day"))

    before, at_cutoff, after = same_day("14:59:00"), same_day("15:00:00"), same_day("15:00:01")
    assert before.json()["due_at"] == "2026-11-26T17:00:00+07:00"
    assert before.json()["limit"] == {"amount": 0, "unit": "same_day"}
    # exactly 15:00 is before the cut-off: served that day
    assert at_cutoff.json()["due_at"] == "2026-11-26T17:00:00+07:00"
    assert after.json()["due_at"] == "2026-11-27T17:00:00+07:00"


def test_calendar_days_are_accepted(world, api, official_2026):
    response = api.get(
        due_url(received_at="2026-12-07T10:00:00+07:00", limit=15, unit="calendar_days")
    )
    assert response.status_code == 200, response.content
    # fifteen days after Mon 7/12: Tue 22/12, at the close of office hours
    assert response.json()["due_at"] == "2026-12-22T17:00:00+07:00"
    assert response.json()["limit"] == {"amount": 15, "unit": "calendar_days"}
    # a last day that is a Sunday moves to the close of Monday
    sunday = api.get(
        due_url(received_at="2027-03-01T10:00:00+07:00", limit=6, unit="calendar_days")
    )
    assert sunday.json()["due_at"] == "2027-03-08T17:00:00+07:00"


@pytest.mark.parametrize(
    "received_at",
    [
        "2026-11-26T10:00:00",  # no offset: Vietnam time
        "2026-11-26 10:00",
        "2026-11-26T10:00:00 07:00",  # a "+" sent unencoded arrives as a space
        "2026-11-26T03:00:00+00:00",
    ],
)
def test_the_ways_a_time_may_be_written(world, api, official_2026, received_at):
    response = api.get(due_url(received_at=received_at))
    assert response.status_code == 200, response.content
    assert response.json()["received_at"] == "2026-11-26T10:00:00+07:00"


def test_a_raw_plus_in_the_query_string_is_understood(world, api, official_2026):
    raw = f"{DUE}?commune=T-A&received_at=2026-11-26T10:00:00+07:00&limit=3&unit=working_days"
    assert api.get(raw).json()["due_at"] == "2026-12-01T17:00:00+07:00"


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"commune": "nope"}, 404, "commune_not_found"),
        ({"received_at": "yesterday"}, 400, "invalid_datetime"),
        ({"received_at": "2026-11-26"}, 400, "invalid_datetime"),  # a date is not an instant
        ({"received_at": "2026-13-26T10:00:00+07:00"}, 400, "invalid_datetime"),
        ({"received_at": "2026-11-26T10:00:00+25:00"}, 400, "invalid_datetime"),
        ({"received_at": "9999-11-26T10:00:00+07:00"}, 400, "out_of_range"),
        ({"received_at": "1900-11-26T10:00:00+07:00"}, 400, "out_of_range"),
        ({"limit": -1}, 400, "negative_limit"),
        ({"limit": "three"}, 400, "invalid"),
        ({"limit": None}, 400, "limit_required"),
        ({"unit": "fortnights"}, 400, "unknown_unit"),
        ({"unit": None}, 400, "procedure_or_limit"),
        ({"procedure": "1.001193"}, 400, "procedure_or_limit"),
        ({"commune": None}, 400, "invalid"),
        ({"limit": 5000}, 400, "out_of_range"),  # lands beyond the calendar's window
    ],
)
def test_bad_due_date_input(world, api, official_2026, params, status, code):
    assert_error(api.get(due_url(**params)), status, code)


def test_a_second_due_date_call_runs_no_query(world, api, official_2026, django_assert_num_queries):
    assert api.get(due_url()).status_code == 200
    with django_assert_num_queries(0):
        response = api.get(due_url(received_at="2026-12-04T16:00:00+07:00"))
    assert response.json()["due_at"] == "2026-12-09T17:00:00+07:00"


def test_days_with_reasons(world, api, official_2026):
    response = api.get(url(DAYS, commune="T-A", **{"from": "2026-01-01", "to": "2026-01-12"}))
    assert response.status_code == 200, response.content
    days = {day["date"]: day for day in response.json()["days"]}
    assert len(days) == 12
    assert {key: days["2026-01-01"][key] for key in ("working", "reason")} == {
        "working": False,
        "reason": "public_holiday",
    }
    assert days["2026-01-01"]["description"]  # the holiday's name
    assert days["2026-01-02"]["reason"] == "day_off"
    assert days["2026-01-02"]["legal_reference"] and days["2026-01-02"]["verified"] is False
    assert (days["2026-01-10"]["working"], days["2026-01-10"]["reason"]) == (
        True,
        "makeup_working_day",
    )
    assert days["2026-01-11"]["reason"] == "weekend"
    assert days["2026-01-12"] == {
        "date": "2026-01-12",
        "working": True,
        "reason": "working_day",
        "description": days["2026-01-12"]["description"],
        "legal_reference": None,
        "verified": None,
    }


def test_days_holiday_names_follow_the_language(world, api, official_2026):
    query = url(DAYS, commune="T-A", **{"from": "2026-11-24", "to": "2026-11-24"})
    vietnamese = api.get(query, HTTP_ACCEPT_LANGUAGE="vi").json()["days"][0]["description"]
    english = api.get(query, HTTP_ACCEPT_LANGUAGE="en").json()["days"][0]["description"]
    assert vietnamese == "Ngày Văn hóa Việt Nam"
    assert english == "Vietnam Cultural Day"


def test_three_years_of_days_at_most(world, api, official_2026):
    longest = api.get(url(DAYS, commune="T-A", **{"from": "2026-01-01", "to": "2028-12-31"}))
    assert len(longest.json()["days"]) == 1096
    assert_error(
        api.get(url(DAYS, commune="T-A", **{"from": "2026-01-01", "to": "2029-01-01"})),
        400,
        "range_too_long",
    )


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"commune": "nope", "from": "2026-01-01", "to": "2026-01-31"}, 404, "commune_not_found"),
        ({"commune": "T-A", "from": "2026-02-01", "to": "2026-01-31"}, 400, "invalid_range"),
        ({"commune": "T-A", "from": "2026-02-30", "to": "2026-03-31"}, 400, "invalid"),
        ({"commune": "T-A", "from": "2026-01-01"}, 400, "invalid"),
        ({"commune": "T-A", "from": "9998-01-01", "to": "9998-01-31"}, 400, "out_of_range"),
    ],
)
def test_bad_days_input(world, api, params, status, code):
    assert_error(api.get(url(DAYS, **params)), status, code)


def test_the_calendar_endpoints_are_public_and_documented(world, api):
    schema = api.get("/api/v1/openapi.json").json()
    for path in (DUE, DAYS):
        operation = schema["paths"][path]["get"]
        assert operation["tags"] == ["calendar"]
        assert "security" not in operation or operation["security"] in ([], [{}])
