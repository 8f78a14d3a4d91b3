"""Birth, death and marriage registration: what a family really sends, and what each mistake says.

Hand-written answers (not generated) through the API, so the test reads like the desk: the valid
dossier passes with its fee; a dossier with one mistake per field gets one message per field.
"""

import pytest

from tests.dossiers.conftest import at  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def on_the_day_the_answers_were_written(at):  # noqa: F811
    # "Within 15 days", "not after today": the answers below are dated for this day.
    at(2026, 11, 25, 10, 0)


PERSON_MALE = {"full_name": "Y Bhiơ Niê", "date_of_birth": "1960-03-02", "sex": "male",
               "personal_id": "066060001234"}  # fmt: skip
PERSON_FEMALE = {"full_name": "H'Lan Niê", "date_of_birth": "1998-01-01", "sex": "female",
                 "personal_id": "066198001234"}  # fmt: skip
HOME = {"province": "66", "commune": "T-A", "village": "loc-tan", "detail": "Nhà số 12"}


def validate(api, code, answers):
    # Messages compared in the source language; the API follows Accept-Language.
    response = api.post(
        f"/api/v1/procedures/{code}/validate",
        {"answers": answers, "commune": "T-A"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.content
    return response.json()


DEATH = {
    "declarant": PERSON_MALE,
    "relationship": "child",
    "phone": "0912 345 678",
    "deceased": {"full_name": "Y Kô Niê", "date_of_birth": "1930-05-05", "sex": "male"},
    "deceased_residence": HOME,
    "date_of_death": "2026-11-20",
    "place_of_death": "Tại nhà, thôn Lộc Tân",
    "cause_of_death": "old_age",
    "death_notice_type": "commune",
    "death_notice": ["upload-1"],
}
MARRIAGE = {
    "bride": PERSON_FEMALE,
    "bride_residence": HOME,
    "bride_marital_status": "never_married",
    "groom": {
        "full_name": "Nguyễn Văn Bình",
        "date_of_birth": "1996-07-07",
        "sex": "male",
        "personal_id": "040096001234",
    },
    "groom_residence": HOME,
    "groom_marital_status": "divorced",
    "groom_previous_marriage_ended": ["upload-2"],
    "phone": "0987654321",
    "both_present": True,
    "voluntary_consent": True,
}


def test_a_complete_death_registration_within_15_days_is_free(world, catalog, api):
    body = validate(api, "1.000656", DEATH)
    assert (body["valid"], body["fee"]["amount"]) == (True, 0)


def test_each_mistake_in_a_death_registration_gets_its_own_message(world, catalog, api):
    body = validate(
        api,
        "1.000656",
        {
            **DEATH,
            "declarant": {**PERSON_MALE, "personal_id": "066160001234"},  # the ID of a woman
            "relationship": "neighbour",
            "phone": "12345",
            "deceased": {"full_name": "", "date_of_birth": "1930-05-05", "sex": "male"},
            "deceased_residence": {"province": "56", "commune": "T-A"},
            "date_of_death": "2026-12-01",  # tomorrow and after
            "cause_of_death": "old_age",
            "death_notice": [],
        },
    )
    assert body["valid"] is False
    assert body["errors"] == {
        "declarant.personal_id": ["This ID number belongs to a person of the other sex."],
        "relationship": ["Choose one of the options."],
        "phone": ["Enter a phone number of 10 digits starting with 0."],
        "deceased.full_name": ["Enter the full name."],
        "date_of_death": ["The date cannot be after 2026-11-25."],
        "death_notice": ["Attach this document."],
        "deceased_residence.commune": ["This commune is not in that province."],
    }


def test_a_late_death_registration_asks_why_and_costs_the_provincial_rate(world, catalog, api):
    late = {**DEATH, "date_of_death": "2026-09-01"}
    assert validate(api, "1.000656", late)["errors"] == {"late_reason": ["This field is required."]}
    body = validate(api, "1.000656", {**late, "late_reason": "Gia đình ở xa, nay mới về."})
    assert body["fee"]["rule"] == "provincial"


def test_a_complete_marriage_registration_is_free(world, catalog, api):
    body = validate(api, "1.000894", MARRIAGE)
    assert (body["valid"], body["fee"]["amount"]) == (True, 0)


def test_each_mistake_in_a_marriage_registration_gets_its_own_message(world, catalog, api):
    body = validate(
        api,
        "1.000894",
        {
            **MARRIAGE,
            "bride": {**PERSON_FEMALE, "personal_id": "066185001234"},  # born 1985 says the ID
            "groom_previous_marriage_ended": [],
            "bride_marital_status": "engaged",
            "phone": "",
            "both_present": False,
            "voluntary_consent": False,
        },
    )
    assert body["errors"] == {
        "bride.personal_id": ["This ID number is of someone born in 1985."],
        "bride_marital_status": ["Choose one of the options."],
        "groom_previous_marriage_ended": ["Attach this document."],
        "phone": ["This field is required."],
        "both_present": ["Tick this box to continue."],
        "voluntary_consent": ["Tick this box to continue."],
    }


def test_each_mistake_in_a_birth_registration_gets_its_own_message(world, catalog, api):
    from tests.catalog.test_api import BIRTH_ANSWERS

    assert validate(api, "1.001193", BIRTH_ANSWERS)["valid"] is True
    body = validate(
        api,
        "1.001193",
        {
            **BIRTH_ANSWERS,
            "applicant": {**PERSON_MALE, "personal_id": ""},
            "child": {"full_name": "Bé 2", "date_of_birth": "2026-11-30", "sex": "female"},
            "mother_residence": {"province": "66", "commune": "T-A", "village": "thon-xa"},
            "has_birth_certificate": False,
            "extract_copies": 11,
        },
    )
    assert body["errors"] == {
        "applicant.personal_id": ["Enter the personal ID number."],
        "child.full_name": ["Enter the name as on the ID card."],
        "child.date_of_birth": ["The date of birth cannot be in the future."],
        "witness_statement": ["Attach this document."],
        "extract_copies": ["At most 10."],
        "mother_residence.village": ["This village is not in that commune."],
    }
