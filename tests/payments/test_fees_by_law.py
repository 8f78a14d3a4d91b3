"""Fees as the law sets them, seen from the desk and the applicant: on-time birth registration free
for everyone with no proof asked, residence fees lower online (Circular 75/2022/TT-BTC), and Form 01
printing the fee settled at receipt."""

# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import pytest
from django.test import Client

from tests.dossiers.conftest import at, demo, procedure_submission, staff, submission, upload  # noqa: F401 (fixtures)
from tests.dossiers.test_documents import pdf_text
from tests.helpers.api import assert_error
from xaso.core.errors import Conflict
from xaso.dossiers.documents import document_pdf
from xaso.dossiers.models import Dossier
from xaso.payments import services
from xaso.payments.models import PaymentRequest

BIRTH = "1.001193"
PERMANENT_RESIDENCE = "1.004222"
TEMPORARY_RESIDENCE = "1.004194"
BASE = "https://xaso.example.vn/"


def fee_of(code: str) -> PaymentRequest:
    return PaymentRequest.objects.get(dossier__code=code)


def test_on_time_birth_registration_is_free_and_asks_for_no_proof(staff, demo, at):
    at(2026, 11, 30, 9, 0)  # the child was born on 2026-11-20: on time
    response = staff["reception"].post("/api/v1/dossiers", submission("counter", receive=True))
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    request = fee_of(code)
    assert (request.amount, request.status, request.exemption) == (0, "waived", "")
    assert request.exemption_evidence == ""
    # Even the desk cannot file a poverty paper for it: nothing is due.
    with pytest.raises(Conflict) as refused:
        services.payment_exemption_apply(
            actor=demo["reception"], dossier=Dossier.objects.get(code=code),
            exemption="poor_household", evidence="Giấy chứng nhận hộ nghèo",
        )  # fmt: skip
    assert refused.value.code == "nothing_due"
    # Form 01 says it is free.
    receipt = pdf_text(document_pdf(Dossier.objects.get(code=code), "receipt", base_url=BASE))
    assert "6. Phí, lệ phí: Miễn phí" in receipt


def test_the_birth_page_asks_no_poverty_paper_for_an_on_time_registration(staff, demo):
    page = Client().get(f"/thu-tuc/{BIRTH}/").text
    assert "Thông thường được miễn phí cho mọi người" in page
    everyone, _sep, late_only = page.partition("Chỉ khi phải nộp lệ phí")
    assert "hộ nghèo" not in everyone.split('id="fee"', 1)[1]  # no exemption before that line
    assert "Người thuộc hộ nghèo" in late_only


def test_a_permanent_residence_registration_costs_less_online_than_at_the_counter(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    counter = staff["reception"].post(
        "/api/v1/dossiers", procedure_submission(PERMANENT_RESIDENCE, receive=True)
    )
    assert counter.status_code == 201, counter.content
    online = Client().post(
        "/api/v1/dossiers",
        procedure_submission(PERMANENT_RESIDENCE, "online"),
        content_type="application/json",
    )
    assert online.status_code == 201, online.content
    code = online.json()["code"]
    assert staff["reception"].post(f"/api/v1/dossiers/{code}/receive", {}).status_code == 200
    assert fee_of(counter.json()["code"]).amount == 20_000
    assert fee_of(code).amount == 10_000
    # The estimate given at submission already follows the channel.
    assert online.json()["fee"]["amount"] == 10_000


def test_temporary_residence_is_15000_at_the_counter_and_7000_online(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    body = procedure_submission(TEMPORARY_RESIDENCE, receive=True)
    counter = staff["reception"].post("/api/v1/dossiers", body)
    assert counter.json()["fee"]["amount"] == 15_000
    online = Client().post(
        "/api/v1/dossiers",
        procedure_submission(TEMPORARY_RESIDENCE, "online"),
        content_type="application/json",
    )
    assert online.json()["fee"]["amount"] == 7_000


def test_an_exemption_set_at_receipt_is_printed_on_form_01_in_the_laws_words(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    body = procedure_submission(
        PERMANENT_RESIDENCE,
        receive=True,
        fee={"exemption": "meritorious_service", "evidence": "Thẻ thương binh của cha"},
    )
    response = staff["reception"].post("/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert (fee_of(dossier.code).amount, fee_of(dossier.code).exemption) == (
        0,
        "meritorious_service",
    )
    receipt = pdf_text(document_pdf(dossier, "receipt", base_url=BASE))
    assert "Miễn lệ phí (Người thuộc gia đình có công với cách mạng)" in receipt


def test_a_fee_decision_needs_an_amount_or_an_exemption_with_its_evidence(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    for fee, error in (
        ({"exemption": "poor_household"}, "evidence_required"),
        ({"amount": -5}, "amount"),
        ({"amount": 5000, "exemption": "poor_household", "evidence": "x"}, "fee_decision"),
    ):
        body = procedure_submission(PERMANENT_RESIDENCE, receive=True, fee=fee)
        assert_error(staff["reception"].post("/api/v1/dossiers", body), 400, error)
