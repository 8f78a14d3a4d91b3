"""Channels and delivery: a dossier that came by post, the national channel code of every dossier
(1 in person, 2 online, 3 post), and the ways a result may be handed over per procedure (marriage
and signature certification in person only)."""

from django.test import Client

from tests.dossiers.conftest import procedure_submission, submission
from tests.helpers.api import assert_error
from xaso.catalog.fees import CHANNELS
from xaso.dossiers import services
from xaso.dossiers.models import NATIONAL_CHANNEL_CODES, Channel, Dossier

MARRIAGE = "1.000894"
SIGNATURE = "2.000884"


def test_every_intake_channel_has_a_national_code_and_fee_rules_know_them():
    assert set(NATIONAL_CHANNEL_CODES) == set(Channel.values) == set(CHANNELS)
    assert NATIONAL_CHANNEL_CODES[Channel.POST] == 3


def test_a_dossier_that_came_by_post_is_registered_by_the_desk_with_code_3(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    body = submission("post", receive=True)
    body["applicant"] = {**body["applicant"], "phone": ""}  # a letter may carry no phone number
    response = staff["reception"].post("/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    detail = staff["reception"].get(f"/api/v1/dossiers/{response.json()['code']}").json()
    assert (detail["channel"], detail["national_channel_code"]) == ("post", 3)
    # Not from a citizen's own phone: the post channel is the desk's.
    citizen = Client().post("/api/v1/dossiers", submission("post"), content_type="application/json")
    assert citizen.status_code in (401, 403, 404)


def test_online_and_desk_dossiers_carry_codes_2_and_1(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    online = Client().post("/api/v1/dossiers", submission(), content_type="application/json")
    desk = staff["reception"].post("/api/v1/dossiers", submission("counter", receive=True))
    codes = {
        Dossier.objects.get(code=online.json()["code"]).national_channel_code,
        Dossier.objects.get(code=desk.json()["code"]).national_channel_code,
    }
    assert codes == {2, 1}
    listed = staff["reception"].get("/api/v1/dossiers").json()["items"]
    assert {item["national_channel_code"] for item in listed} == {1, 2}


def test_marriage_cannot_be_chosen_for_electronic_delivery(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    for channel, delivery in (("online", "electronic"), ("online", "post")):
        body = procedure_submission(MARRIAGE, channel, result_delivery=delivery)
        response = Client().post("/api/v1/dossiers", body, content_type="application/json")
        assert_error(response, 400, "delivery_not_allowed")
    assert not Dossier.objects.filter(procedure__code=MARRIAGE).exists()
    at_the_desk = procedure_submission(MARRIAGE, "online", result_delivery="counter")
    response = Client().post("/api/v1/dossiers", at_the_desk, content_type="application/json")
    assert response.status_code == 201, response.content


def test_signature_certification_is_returned_in_person_only(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    body = procedure_submission(SIGNATURE, receive=True, result_delivery="electronic")
    assert_error(staff["reception"].post("/api/v1/dossiers", body), 400, "delivery_not_allowed")
    dossier = Dossier.objects.get(
        code=staff["reception"]
        .post("/api/v1/dossiers", procedure_submission(SIGNATURE, receive=True))
        .json()["code"]
    )
    # Even when handing it over, the desk cannot record an electronic return.
    try:
        services.dossier_return(actor=demo["reception"], dossier=dossier, channel="electronic")
    except services.InvalidInput as refused:
        assert refused.code == "delivery_not_allowed"
    else:
        raise AssertionError("an electronic return of a signature certification was recorded")
