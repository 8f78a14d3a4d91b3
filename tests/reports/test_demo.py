"""The index on the demo: six groups, and an online dossier paid by VietQR raises the online
service and online payment indicators."""

import datetime

import pytest
from django.utils import timezone

from tests.dossiers.conftest import demo, procedure_submission, staff  # noqa: F401
from tests.helpers.api import ApiClient, submit
from tests.helpers.registers import entered
from xaso.dossiers import services
from xaso.dossiers.models import Dossier
from xaso.payments import services as payments
from xaso.payments.models import BankTransaction, PaymentRequest

pytestmark = pytest.mark.django_db


def index(client):
    today = timezone.localdate().isoformat()
    response = client.get(f"/api/v1/reports/index?commune=DEMO-PL&from=2026-01-01&to={today}")
    assert response.status_code == 200, response.content
    body = response.json()
    return body, {i["code"]: i for g in body["groups"] for i in g["indicators"]}


def test_the_demo_index_and_one_online_dossier_paid_by_vietqr(demo, staff):  # noqa: F811
    body, before = index(staff["leader"])
    assert [(g["code"], g["max"]) for g in body["groups"]] == [
        ("CKMB", 18), ("TDGQ", 20), ("CLGQ", 12), ("TTTT", 10), ("MDSH", 22), ("MDHL", 18)
    ]  # fmt: skip
    assert 0 <= body["total"] <= 100

    code = submit(ApiClient(), procedure_submission("2.000635", "online", fixed={"copies": 1}))[
        "code"
    ]
    dossier = Dossier.objects.get(code=code)
    dossier = services.dossier_receive(actor=demo["reception"], dossier=dossier)
    request = PaymentRequest.objects.get(dossier=dossier)
    assert request.amount > 0 and request.payload  # a VietQR code offered
    payments.transaction_record(
        account=request.account, transaction_id="FT-REPORTS-1", amount=request.amount,
        description=f"{request.transfer_note}", source=BankTransaction.Source.WEBHOOK,
        occurred_at=timezone.now() - datetime.timedelta(minutes=1),
    )  # fmt: skip
    dossier.refresh_from_db()
    if dossier.state == "received":
        dossier = services.dossier_assign(actor=demo["reception"], dossier=dossier, to="specialist")
    dossier = services.dossier_propose(actor=demo["specialist"], dossier=dossier)
    dossier = entered(dossier)
    dossier = services.dossier_approve(actor=demo["leader"], dossier=dossier)
    dossier.refresh_from_db()
    if dossier.state == "result_ready":
        dossier = services.dossier_return(
            actor=demo["reception"], dossier=dossier, channel="counter"
        )
    dossier.refresh_from_db()
    assert dossier.state == "returned" and dossier.e_result_issued_at is not None
    assert dossier.paid_online and dossier.fee_online_offered and dossier.channel == "online"

    _body, after = index(staff["leader"])
    for code_ in ("CLGQ.1", "TTTT.3"):
        b, a = before[code_], after[code_]
        assert a["numerator"] == b["numerator"] + 1 and a["denominator"] == b["denominator"] + 1
        assert a["points"] >= b["points"]
        assert a["numerator"] / a["denominator"] > b["numerator"] / max(b["denominator"], 1)
