"""POST /api/v1/cccd/parse: the desk's scanner and the portal's camera send the card's QR text."""

import json
import unicodedata

import pytest

from tests.helpers.api import ApiClient, assert_error
from xaso.dossiers.cccd import MAX_TEXT_LENGTH

URL = "/api/v1/cccd/parse"
ADDRESS = "Thôn Lộc Tân, xã Phú Lộc (demo)"
CARD = f"066090001234|241234567|Nguyễn Văn A|01051990|Nam|{ADDRESS}|15042021"
FIELDS = {
    "personal_id",
    "old_id",
    "full_name",
    "date_of_birth",
    "sex",
    "address",
    "issued_on",
    "warnings",
}
# Pieces of the card that an error must never echo back.
PERSONAL = ("066090001234", "241234567", "Nguyễn Văn A", "Lộc Tân", "01051990", "15042021")


def test_reads_a_card_without_login(api):
    response = api.post(URL, {"text": CARD + "\r\n"})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "personal_id": "066090001234",
        "old_id": "241234567",
        "full_name": "Nguyễn Văn A",
        "date_of_birth": "1990-05-01",
        "sex": "male",
        "address": ADDRESS,
        "issued_on": "2021-04-15",
        "warnings": [],
    }


def test_reads_a_6_field_card_sent_decomposed(api):
    text = unicodedata.normalize("NFD", f"066301009876|Trần Thị B|12032001|Nữ|{ADDRESS}|20082022")
    body = api.post(URL, {"text": text}).json()
    assert set(body) == FIELDS
    assert body["old_id"] == ""
    assert body["full_name"] == "Trần Thị B"  # NFC again
    assert body["sex"] == "female"
    assert body["date_of_birth"] == "2001-03-12"


def test_a_signed_in_user_gets_the_same_answer(world):
    response = ApiClient().as_user(world.user("citizen")).post(URL, {"text": CARD})
    assert response.status_code == 200
    assert set(response.json()) == FIELDS


def test_a_number_that_disagrees_with_the_card_is_read_with_a_warning(api):
    body = api.post(URL, {"text": CARD.replace("|Nam|", "|Nữ|")}).json()
    assert set(body) == FIELDS
    assert body["sex"] == "female"
    assert [warning["code"] for warning in body["warnings"]] == ["cccd_id_mismatch"]
    assert set(body["warnings"][0]) == {"code", "message"}
    assert body["warnings"][0]["message"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (CARD.replace("|", ";"), "cccd_field_count"),
        (CARD + "|extra", "cccd_field_count"),
        (CARD.replace("066090001234", "06609000123"), "cccd_personal_id"),
        (CARD.replace("241234567", "24123456"), "cccd_old_id"),
        (CARD.replace("Nguyễn Văn A", "Nguyễn Văn 1"), "cccd_name"),
        (CARD.replace("01051990", "31021990"), "cccd_date"),
        (CARD.replace("|Nam|", "|Ông|"), "cccd_sex"),
        (CARD.replace("01051990", "16042021"), "cccd_dates_order"),
        (CARD.replace("15042021", "15042099"), "cccd_issued_future"),
    ],
)
def test_a_malformed_text_is_a_400_with_its_code(api, text, code):
    response = api.post(URL, {"text": text})
    assert_error(response, 400, code)
    content = response.content.decode()
    for part in PERSONAL:
        assert part not in content and json.dumps(part)[1:-1] not in content


@pytest.mark.parametrize(
    "body",
    [
        {"text": CARD + " " * MAX_TEXT_LENGTH},
        {"text": 66090001234},
        {"text": None},
        {},
        {"qr": CARD},
    ],
    ids=["too long", "not a string", "null", "empty", "wrong key"],
)
def test_a_bad_body_is_a_400_that_does_not_echo_the_text(api, body):
    response = api.post(URL, body)
    assert_error(response, 400, "invalid")
    content = response.content.decode()
    for part in PERSONAL:
        assert part not in content and json.dumps(part)[1:-1] not in content


def test_a_body_that_is_not_json_is_a_400(api):
    assert_error(api.post(URL, CARD), 400, "invalid")


def test_only_post_is_allowed(api):
    assert api.get(URL).status_code == 405
