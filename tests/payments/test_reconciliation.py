"""Fees fixed at receipt, the bank webhook, cash at the desk, unmatched transfers and the return
guard, on the demo commune (its fee account's secret is the demo default)."""

# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import hashlib
import hmac
import json
import time

import pytest
from django.test import Client

from tests.dossiers.conftest import at, demo, procedure_submission, staff, submission, upload  # noqa: F401 (fixtures)
from tests.helpers.api import ApiClient, assert_error
from tests.helpers.registers import entered
from tests.helpers.second_factor import totp_code
from xaso.accounts.models import User
from xaso.catalog.models import ProvincialFeeRate
from xaso.core.errors import InvalidInput
from xaso.core.models import AuditEntry
from xaso.demo.seed import DEMO_ACCOUNT_NUMBER
from xaso.dossiers.models import Dossier
from xaso.payments import services
from xaso.payments.models import BankTransaction, Payment, PaymentRequest, PaymentSettings
from xaso.payments.vietqr import parse_payload

SECRET = "xaso-demo-webhook"
WEBHOOK = "/api/v1/payments/webhooks/bank"
COPY_OF_EXTRACT = "2.000635"  # 8.000 ₫ per copy


def copy_submission(copies: int = 3, channel: str = "counter", **extra) -> dict:
    """A copy of a civil-status extract, answers generated from its form, in the demo commune."""
    return procedure_submission(COPY_OF_EXTRACT, channel, fixed={"copies": copies}, **extra)


def received(staff, body=None) -> str:
    response = staff["reception"].post("/api/v1/dossiers", body or copy_submission(receive=True))
    assert response.status_code == 201, response.content
    return response.json()["code"]


def deliver(payload: dict, *, secret=SECRET, timestamp=None, raw: bytes | None = None):
    raw = raw if raw is not None else json.dumps(payload).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = hmac.new(secret.encode(), stamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    return Client().post(
        WEBHOOK, data=raw, content_type="application/json",
        HTTP_X_XASO_TIMESTAMP=stamp, HTTP_X_XASO_SIGNATURE=f"sha256={signature}",
    )  # fmt: skip


def transfer(transaction_id: str, amount: int, description: str) -> dict:
    return {
        "transaction_id": transaction_id,
        "account": DEMO_ACCOUNT_NUMBER,
        "amount": amount,
        "description": description,
        "occurred_at": "2026-11-30T10:15:00+07:00",
    }


def request_of(code: str) -> PaymentRequest:
    return PaymentRequest.objects.get(dossier__code=code)


def detail(staff, code: str) -> dict:
    response = staff["reception"].get(f"/api/v1/dossiers/{code}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_fee_is_fixed_at_receipt_with_a_vietqr_code(staff, at):
    at(2026, 11, 30, 9, 0)
    code = received(staff)
    assert code == "DEMO-PL-261130-0001"
    request = request_of(code)
    assert (request.amount, request.status, request.fee_rule) == (24000, "unpaid", "flat")
    assert request.reference == "DEMOPL2611300001"
    assert request.transfer_note == "XASO DEMOPL2611300001"
    parsed = parse_payload(request.payload)
    assert (parsed["bank_bin"], parsed["account"]) == ("970405", DEMO_ACCOUNT_NUMBER)
    assert (parsed["amount"], parsed["purpose"], parsed["initiation"]) == (
        24000, "XASO DEMOPL2611300001", "dynamic",
    )  # fmt: skip
    payment = detail(staff, code)["payment"]
    assert payment == {
        "amount": 24000, "display": "24.000 ₫", "amount_pending": False, "status": "unpaid",
        "paid_amount": 0, "reference": "DEMOPL2611300001",
        "transfer_note": "XASO DEMOPL2611300001", "exemption": None, "vietqr": request.payload,
        "account": {"bank": "Agribank", "bank_bin": "970405",
                    "account_number": DEMO_ACCOUNT_NUMBER, "holder_name": "UBND XA PHU LOC (DEMO)"},
        "no_account": False, "payments": [],
    }  # fmt: skip


def test_an_online_dossier_gets_its_fee_when_the_desk_receives_it(staff, at):
    at(2026, 11, 30, 9, 0)
    created = ApiClient().post("/api/v1/dossiers", copy_submission(channel="online")).json()
    assert created["fee"]["amount"] == 24000  # the estimate
    assert not PaymentRequest.objects.exists()
    assert detail(staff, created["code"])["payment"] is None
    staff["reception"].post(f"/api/v1/dossiers/{created['code']}/receive", {})
    assert request_of(created["code"]).amount == 24000


def test_a_signed_transfer_naming_the_dossier_pays_it(staff, at):
    at(2026, 11, 30, 9, 0)
    code = received(staff)
    response = deliver(transfer("FT1", 24000, "nguyen van a ck xaso demopl2611300001"))
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "matched"}
    request = request_of(code)
    assert (request.status, request.paid_amount) == ("paid", 24000)
    payments = detail(staff, code)["payment"]["payments"]
    assert payments == [
        {"method": "transfer", "amount": 24000, "at": payments[0]["at"],
         "receipt_number": "DEMO-PL-2026-000001"}
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action="payment.record", object_id=code).count() == 1


def test_wrong_secret_unknown_account_and_stale_timestamps_are_refused(staff, at):
    at(2026, 11, 30, 9, 0)
    code = received(staff)
    body = transfer("FT1", 24000, f"XASO {code}")
    wrong = assert_error(deliver(body, secret="guess"), 401, "bad_signature")
    unknown = assert_error(deliver({**body, "account": "123456789"}), 401, "bad_signature")
    assert wrong["message"] == unknown["message"]
    for minutes in (-6, 6):
        stale = deliver(body, timestamp=int(time.time()) + minutes * 60)
        assert_error(stale, 401, "stale_timestamp")
    unsigned = Client().post(WEBHOOK, data=json.dumps(body), content_type="application/json")
    assert_error(unsigned, 401, "bad_signature")
    assert not BankTransaction.objects.exists()
    assert deliver(body, timestamp=int(time.time()) - 240).json() == {"status": "matched"}


@pytest.mark.parametrize(
    "raw, payload",
    [
        (b"{not json", None),
        (None, {"transaction_id": "FT1", "account": DEMO_ACCOUNT_NUMBER, "amount": "24000",
                "description": "x", "occurred_at": "2026-11-30T10:00:00+07:00"}),
        (None, {"account": DEMO_ACCOUNT_NUMBER, "amount": 1, "description": "x",
                "occurred_at": "2026-11-30T10:00:00+07:00"}),
        (None, {"transaction_id": "FT1", "account": DEMO_ACCOUNT_NUMBER, "amount": 1,
                "description": "x", "occurred_at": "yesterday"}),
        (b"[1, 2]", None),
    ],
)  # fmt: skip
def test_a_malformed_notification_is_400(demo, raw, payload):
    assert_error(deliver(payload, raw=raw), 400, "invalid")
    assert not BankTransaction.objects.exists()


def test_the_same_transaction_a_hundred_times_is_recorded_once(staff, at):
    at(2026, 11, 30, 9, 0)
    code = received(staff)
    body = transfer("FT-REPLAY", 24000, f"XASO {code}")
    answers = [deliver(body).json()["status"] for _ in range(100)]
    assert answers == ["matched"] + ["duplicate"] * 99
    assert BankTransaction.objects.count() == 1 and Payment.objects.count() == 1
    assert request_of(code).paid_amount == 24000


def test_less_is_partial_until_a_second_transfer_completes_it_and_more_is_overpaid(staff, at):
    at(2026, 11, 30, 9, 0)
    code = received(staff)
    deliver(transfer("FT1", 10000, f"le phi {code.lower()}"))
    assert (request_of(code).status, request_of(code).paid_amount) == ("partial", 10000)
    deliver(transfer("FT2", 14000, f"bo sung {code}"))
    assert (request_of(code).status, request_of(code).paid_amount) == ("paid", 24000)
    other = received(staff)
    assert deliver(transfer("FT3", 50000, f"XASO {other}")).json() == {"status": "matched"}
    assert (request_of(other).status, request_of(other).paid_amount) == ("overpaid", 50000)
    numbers = sorted(Payment.objects.values_list("receipt_number", flat=True))
    assert numbers == [f"DEMO-PL-2026-00000{n}" for n in (1, 2, 3)]


def test_a_transfer_without_a_code_waits_for_an_officer(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    code = received(staff)
    assert deliver(transfer("FT9", 24000, "chuyen tien le phi")).json() == {"status": "unmatched"}
    queue = staff["reception"].get("/api/v1/payments/unmatched?commune=DEMO-PL").json()["items"]
    assert [(row["transaction_id"], row["amount"]) for row in queue] == [("FT9", 24000)]
    url = "/api/v1/payments/transactions/FT9/assign"
    assert_error(staff["other-reception"].post(url, {"dossier": code}), 404, "dossier_not_found")
    assert_error(staff["specialist"].post(url, {"dossier": code}), 403, "forbidden")
    response = staff["reception"].post(url, {"dossier": code})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "paid"
    assert BankTransaction.objects.get(transaction_id="FT9").match == "assigned"
    assert_error(staff["reception"].post(url, {"dossier": code}), 404, "transaction_not_found")
    assert staff["reception"].get("/api/v1/payments/unmatched?commune=DEMO-PL").json() == {
        "items": []
    }


def test_cash_at_the_desk(staff, at):
    at(2026, 11, 30, 9, 0)
    code = received(staff)
    url = f"/api/v1/dossiers/{code}/payments/cash"
    assert_error(staff["specialist"].post(url, {"amount": 24000}), 403, "forbidden")
    assert_error(staff["other-reception"].post(url, {"amount": 24000}), 404, "dossier_not_found")
    response = staff["reception"].post(url, {"amount": 24000})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["method"], body["status"], body["receipt_number"]) == (
        "cash", "paid", "DEMO-PL-2026-000001",
    )  # fmt: skip
    assert Payment.objects.get().recorded_by.username == "reception"


def to_result_ready(staff, code: str) -> None:
    dossier = Dossier.objects.get(code=code)
    if dossier.assigned_to is None:
        staff["reception"].post(f"/api/v1/dossiers/{code}/assign", {"to": "specialist"})
    leader = User.objects.get(username="leader")
    for who, action, body in (("specialist", "propose", {}),
                              ("leader", "approve", {"otp": totp_code(leader)})):  # fmt: skip
        if action == "approve":
            entered(code)
        response = staff[who].post(f"/api/v1/dossiers/{code}/{action}", body)
        assert response.status_code == 200, response.content
    assert Dossier.objects.get(code=code).state == "result_ready"


def hand_over(staff, code: str):
    return staff["reception"].post(f"/api/v1/dossiers/{code}/return", {"channel": "counter"})


def test_the_result_waits_for_the_fee_where_the_commune_says_so(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    unpaid, paid, lenient = received(staff), received(staff), received(staff)
    for minute, code in enumerate((unpaid, paid, lenient), start=1):
        at(2026, 11, 30, 9, minute)  # the leader's authenticator shows a new code each 30 s
        to_result_ready(staff, code)
    error = assert_error(hand_over(staff, unpaid), 409, "fee_unpaid")
    assert "chưa được nộp" in error["message"]  # the desk reads why, in Vietnamese
    assert Dossier.objects.get(code=unpaid).state == "result_ready"
    deliver(transfer("FT1", 24000, f"XASO {paid}"))
    assert hand_over(staff, paid).json()["state"] == "returned"
    PaymentSettings.objects.create(commune=Dossier.objects.get(code=lenient).receiving_commune,
                                   return_requires_payment=False)  # fmt: skip
    assert hand_over(staff, lenient).json()["state"] == "returned"
    assert request_of(lenient).status == "unpaid"


def test_a_free_birth_registration_is_waived_without_a_qr_code(staff, at):
    at(2026, 11, 30, 9, 0)
    response = staff["reception"].post("/api/v1/dossiers", submission("counter", receive=True))
    code = response.json()["code"]
    request = request_of(code)
    assert (request.amount, request.status, request.payload) == (0, "waived", "")
    assert detail(staff, code)["payment"] is None  # nothing is due
    to_result_ready(staff, code)
    assert hand_over(staff, code).json()["state"] == "returned"


def marital_status_rate_not_entered() -> None:
    """1.004873's fee is the province's rate: without the demo's illustrative one, unknown."""
    ProvincialFeeRate.objects.filter(key="marital_status_confirmation").delete()


def test_a_fee_nobody_knows_is_set_at_the_desk_before_the_dossier_is_received(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    # 1.004873: the province's rate, not entered: the desk cannot receive it as it is.
    marital_status_rate_not_entered()
    before = Dossier.objects.count()
    response = staff["reception"].post(
        "/api/v1/dossiers", procedure_submission("1.004873", receive=True)
    )
    assert_error(response, 409, "fee_undetermined")
    assert Dossier.objects.count() == before  # nothing half-made
    body = procedure_submission("1.004873", receive=True)
    code = received(staff, {**body, "fee": {"amount": 5000}})
    payment = detail(staff, code)["payment"]
    assert (payment["amount"], payment["amount_pending"]) == (5000, False)
    assert parse_payload(payment["vietqr"])["amount"] == 5000
    assert PaymentRequest.objects.get(dossier__code=code).fee_rule == services.SET_AT_DESK


def test_an_online_dossier_with_an_unknown_fee_is_received_with_the_fee_set(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    marital_status_rate_not_entered()
    created = Client().post(
        "/api/v1/dossiers",
        procedure_submission("1.004873", "online"),
        content_type="application/json",
    )
    code = created.json()["code"]
    url = f"/api/v1/dossiers/{code}/receive"
    assert_error(staff["reception"].post(url, {}), 409, "fee_undetermined")
    assert Dossier.objects.get(code=code).state == "submitted"
    exempt = {"fee": {"exemption": "poor_household", "evidence": "Tên trong danh sách hộ nghèo"}}
    assert staff["reception"].post(url, exempt).status_code == 200
    request = PaymentRequest.objects.get(dossier__code=code)
    assert (request.amount, request.status, request.exemption) == (0, "waived", "poor_household")


def test_the_desk_cannot_replace_a_fee_the_catalogue_computes(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    response = staff["reception"].post(
        "/api/v1/dossiers", {**copy_submission(receive=True), "fee": {"amount": 1}}
    )
    assert_error(response, 409, "fee_fixed")


def test_an_exemption_the_procedure_does_not_allow_is_refused(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    dossier = Dossier.objects.get(code=received(staff))
    with pytest.raises(InvalidInput) as refused:
        services.payment_exemption_apply(
            actor=demo["reception"], dossier=dossier, exemption="poor_household", evidence="x"
        )
    assert refused.value.code == "exemption_not_allowed"


def test_an_allowed_exemption_waives_the_fee(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    dossier = Dossier.objects.get(code=received(staff))
    procedure = dossier.procedure  # an administrator's edit of the version the dossier keeps
    procedure.fees = {**procedure.fees, "exemptions": ["poor_household"]}
    procedure.save(update_fields=["fees"])
    request = services.payment_exemption_apply(
        actor=demo["reception"], dossier=dossier, exemption="poor_household",
        evidence="Giấy chứng nhận hộ nghèo số 12/2026",
    )  # fmt: skip
    assert (request.amount, request.status, request.payload) == (0, "waived", "")
    assert request.exemption_evidence.startswith("Giấy chứng nhận")


def test_the_commune_admin_registers_an_account_and_sees_its_secret_once(staff):
    url = "/api/v1/communes/DEMO-PL/payments/accounts"
    body = {"bank_bin": "970436", "account_number": "1234567890", "holder_name": "UBND XA"}
    response = staff["admin"].post(url, body)
    assert response.status_code == 201, response.content
    secret = response.json()["webhook_secret"]
    assert len(secret) > 30
    listed = staff["admin"].get(url).json()["items"]
    assert [a["account_number"] for a in listed] == [DEMO_ACCOUNT_NUMBER, "1234567890"]
    assert secret not in json.dumps(listed) and "webhook_secret" not in listed[1]
    assert_error(staff["admin"].post(url, body), 409, "account_exists")
    assert_error(staff["reception"].post(url, {**body, "account_number": "9"}), 403, "forbidden")


def test_the_citizen_sees_the_fee_and_its_qr_code_in_the_lookup(staff, demo, at):
    at(2026, 11, 30, 9, 0)
    code = received(staff)
    secret = Dossier.objects.get(code=code).lookup_secret
    lookup = ApiClient().get(f"/api/v1/dossiers/lookup?code={code}&secret={secret}").json()
    assert lookup["payment"]["status"] == "unpaid"
    assert lookup["payment"]["transfer_note"].startswith("XASO ")
    assert lookup["payment"]["vietqr"].startswith("000201")


def test_the_receipt_form_01_shows_the_fee_and_how_to_pay_it(staff, demo, at):
    import io

    from pypdf import PdfReader

    at(2026, 11, 30, 9, 0)
    code = received(staff)
    pdf = staff["reception"].get(f"/api/v1/dossiers/{code}/documents/receipt").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "24.000" in text
    assert "XASO " + code.replace("-", "") in text


def test_a_paid_dossier_that_is_withdrawn_is_marked_for_refund(staff, at):
    at(2026, 11, 30, 9, 0)
    paid, unpaid = received(staff), received(staff)
    body = {"amount": 24000}
    assert (
        staff["reception"].post(f"/api/v1/dossiers/{paid}/payments/cash", body).status_code == 201
    )
    for code in (paid, unpaid):
        staff["reception"].post(f"/api/v1/dossiers/{code}/withdraw", {"reason": "Người dân rút"})
    assert request_of(paid).status == "refund_due"
    assert request_of(unpaid).status == "unpaid"


def test_the_desk_sets_a_provincial_fee_and_the_admin_the_return_rule_through_the_api(
    staff, demo, at
):
    at(2026, 11, 30, 9, 0)
    marital_status_rate_not_entered()
    # A request made before the fee had to be settled at receipt: amount still to be entered.
    code = received(staff, procedure_submission("1.004873", receive=True, fee={"amount": 0}))
    PaymentRequest.objects.filter(dossier__code=code).update(amount=0, status="unpaid")
    url = f"/api/v1/dossiers/{code}/payments/amount"
    assert_error(staff["specialist"].post(url, {"amount": 5000}), 403, "forbidden")
    answer = staff["reception"].post(url, {"amount": 5000}).json()
    assert (answer["amount"], answer["status"]) == (5000, "unpaid")
    assert_error(staff["reception"].post(url, {"amount": 6000}), 409, "fee_fixed")
    settings_url = "/api/v1/communes/DEMO-PL/payments/settings"
    assert staff["reception"].get(settings_url).json()["return_requires_payment"] is True
    assert_error(
        staff["reception"].patch(settings_url, {"return_requires_payment": False}), 403, "forbidden"
    )
    updated = staff["admin"].patch(settings_url, {"return_requires_payment": False}).json()
    assert updated["return_requires_payment"] is False
    to_result_ready(staff, code)
    assert hand_over(staff, code).status_code == 200  # returned although unpaid, as decided
