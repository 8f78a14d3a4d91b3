"""The payments screens in the admin: scoped to the officer's commune, read-only, the unmatched
queue assigned through the service, the daily collection summary and its .xlsx export, receipts."""

# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import datetime
import json
from io import BytesIO

import pytest
from django.contrib.messages import constants as message_levels
from django.test import Client
from openpyxl import load_workbook

from tests.dossiers.conftest import at, demo, staff  # noqa: F401 (fixtures)
from tests.helpers.second_factor import verified_client
from tests.payments.test_reconciliation import copy_submission, deliver, received, transfer
from xaso.core.models import AuditEntry
from xaso.dossiers.models import Dossier
from xaso.payments import services
from xaso.payments.models import BankTransaction, Payment
from xaso.places.models import Commune, Village

REQUESTS = "/admin/payments/paymentrequest/"
TRANSACTIONS = "/admin/payments/banktransaction/"
PAYMENTS = "/admin/payments/payment/"
SUMMARY = "/admin/payments/payment/summary/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_for(user) -> Client:
    return verified_client(user)  # administrators pass the second factor


def dossier(code: str) -> Dossier:
    return Dossier.objects.get(code=code)


@pytest.fixture
def books(staff, demo, at):
    """In DEMO-PL: one dossier paid in cash, one paid by a matched transfer, one unpaid and an
    unmatched transfer. In DEMO-TN (given an account here): one dossier paid in cash and an
    unmatched transfer."""
    at(2026, 11, 30, 9, 0)
    cash = received(staff)
    services.cash_record(actor=demo["reception"], dossier=dossier(cash), amount=24000)
    wired = received(staff)
    assert deliver(transfer("FT1", 24000, f"XASO {wired}")).json() == {"status": "matched"}
    unpaid = received(staff)
    assert deliver(transfer("FT-PL", 24000, "le phi")).json() == {"status": "unmatched"}

    other = Commune.objects.get(code="DEMO-TN")
    account, _secret = services.receiving_account_create(
        actor=None, commune=other, bank_bin="970405", account_number="9999000011",
        holder_name="UBND XA DEMO TN",
    )  # fmt: skip
    village = Village.objects.filter(commune=other).values_list("code", flat=True)[0]
    text = json.dumps(copy_submission(receive=True))
    body = json.loads(text.replace("DEMO-PL", "DEMO-TN").replace("thon-loc-tan", village))
    response = staff["other-reception"].post("/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    elsewhere = response.json()["code"]
    services.cash_record(actor=demo["other-reception"], dossier=dossier(elsewhere), amount=24000)
    services.transaction_record(
        account=account, transaction_id="FT-TN", amount=15000, description="le phi",
        occurred_at=datetime.datetime(2026, 11, 30, 8, tzinfo=datetime.UTC),
        source=BankTransaction.Source.WEBHOOK,
    )  # fmt: skip
    return {"cash": cash, "wired": wired, "unpaid": unpaid, "elsewhere": elsewhere}


def test_anonymous_users_are_sent_to_the_login(db):
    for url in (REQUESTS, TRANSACTIONS, PAYMENTS, SUMMARY, f"{PAYMENTS}1/receipt/"):
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_a_role_opens_the_admin_and_no_other_model(demo):
    assert demo["reception"].is_staff and not demo["reception"].is_superuser
    client = client_for(demo["reception"])
    index = client.get("/admin/")
    assert index.status_code == 200
    models = {model["object_name"] for app in index.context["app_list"] for model in app["models"]}
    assert models == {"PaymentRequest", "BankTransaction", "Payment", "ResultDocument"}
    assert client.get("/admin/core/auditentry/").status_code == 403
    assert client.get(f"{REQUESTS}add/").status_code == 403


def test_lists_show_only_the_officers_commune(demo, books):
    for name in ("reception", "leader"):
        client = client_for(demo[name])
        requests = client.get(REQUESTS)
        assert requests.status_code == 200
        shown = {row.dossier.code for row in requests.context["cl"].result_list}
        assert shown == {books["cash"], books["wired"], books["unpaid"]}
        assert books["elsewhere"] not in requests.content.decode()
        queue = client.get(TRANSACTIONS).context["cl"].result_list
        assert [row.transaction_id for row in queue] == ["FT-PL"]  # unmatched by default
        every = client.get(TRANSACTIONS, {"match": "all"}).context["cl"].result_list
        assert {row.transaction_id for row in every} == {"FT1", "FT-PL"}
        payments = client.get(PAYMENTS).context["cl"].result_list
        assert {row.request.dossier.code for row in payments} == {books["cash"], books["wired"]}

    other = client_for(demo["other-reception"])
    shown = {row.dossier.code for row in other.get(REQUESTS).context["cl"].result_list}
    assert shown == {books["elsewhere"]}
    queue = other.get(TRANSACTIONS).context["cl"].result_list
    assert [row.transaction_id for row in queue] == ["FT-TN"]
    payments = other.get(PAYMENTS).context["cl"].result_list
    assert [row.request.dossier.code for row in payments] == [books["elsewhere"]]
    mine = Payment.objects.get(request__dossier__code=books["cash"])
    assert other.get(f"{PAYMENTS}{mine.pk}/receipt/").status_code == 404
    assert other.get(f"{PAYMENTS}{mine.pk}/change/").status_code == 302  # "not found" → index


def test_filters_by_status_and_method(demo, books):
    client = client_for(demo["reception"])
    unpaid = client.get(REQUESTS, {"status__exact": "unpaid"}).context["cl"].result_list
    assert [row.dossier.code for row in unpaid] == [books["unpaid"]]
    cash = client.get(REQUESTS, {"payments__method__exact": "cash"}).context["cl"].result_list
    assert [row.dossier.code for row in cash] == [books["cash"]]
    found = client.get(REQUESTS, {"q": books["wired"]}).context["cl"].result_list
    assert [row.dossier.code for row in found] == [books["wired"]]


def assign(client, transaction: BankTransaction, code: str, query: str = ""):
    return client.post(
        TRANSACTIONS + query,
        {"action": "assign_to_dossier", "_selected_action": [transaction.pk],
         "dossier_code": code, "index": 0},
        follow=True,
    )  # fmt: skip


def levels(response) -> list[int]:
    return [message.level for message in response.context["messages"]]


def test_an_officer_assigns_an_unmatched_transfer(demo, books):
    row = BankTransaction.objects.get(transaction_id="FT-PL")
    refused = assign(client_for(demo["leader"]), row, books["unpaid"])  # not the desk's role
    assert levels(refused) == [message_levels.ERROR]
    elsewhere = assign(client_for(demo["other-reception"]), row, books["unpaid"])
    assert levels(elsewhere) == [message_levels.ERROR]
    unknown = assign(client_for(demo["reception"]), row, "DEMO-PL-000000-9999")
    assert levels(unknown) == [message_levels.ERROR]
    row.refresh_from_db()
    assert row.match == BankTransaction.Match.UNMATCHED

    done = assign(client_for(demo["reception"]), row, books["unpaid"])
    assert done.status_code == 200
    assert levels(done) == [message_levels.SUCCESS]
    row.refresh_from_db()
    assert (row.match, row.request.dossier.code, row.request.status) == (
        "assigned", books["unpaid"], "paid",
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="payment.transaction_assign")
    assert (entry.actor, entry.object_id) == (demo["reception"], str(row.pk))
    assert done.context["cl"].result_list.count() == 0  # the queue is empty

    again = assign(client_for(demo["reception"]), row, books["unpaid"])
    assert levels(again) == [message_levels.ERROR]  # no longer in the unmatched queue
    listed = assign(client_for(demo["reception"]), row, books["unpaid"], "?match=all")
    assert levels(listed) == [message_levels.ERROR]  # the service refuses: already matched
    assert Payment.objects.filter(transaction=row).count() == 1


def test_the_daily_summary_and_its_export(demo, books, at):
    at(2026, 12, 1, 9, 0)
    services.cash_record(actor=demo["reception"], dossier=dossier(books["unpaid"]), amount=10000)
    client = client_for(demo["reception"])
    query = {"start": "2026-11-30", "end": "2026-12-01"}
    response = client.get(SUMMARY, query)
    assert response.status_code == 200
    rows = [
        (row["day"].isoformat(), row["commune"], row["procedure_code"], row["method"],
         row["count"], row["total"])
        for row in response.context["rows"]
    ]  # fmt: skip
    assert [(r[0], r[4], r[5]) for r in rows] == [
        ("2026-11-30", 1, 24000), ("2026-11-30", 1, 24000), ("2026-12-01", 1, 10000)
    ]  # fmt: skip
    assert (response.context["count"], response.context["total_display"]) == (3, "58.000 ₫")
    one_day = client.get(SUMMARY, {"start": "2026-12-01", "end": "2026-12-01"}).context
    assert (one_day["count"], one_day["total_display"]) == (1, "10.000 ₫")
    other = client_for(demo["other-reception"]).get(SUMMARY, query).context
    assert (other["count"], other["total_display"]) == (1, "24.000 ₫")

    export = client.get(SUMMARY, {**query, "export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(export.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + 3 + 1  # header, the rows, the total
    body = values[1:4]
    assert [(row[0].date().isoformat(), row[1], row[2], row[5], row[6]) for row in body] == [
        ("2026-11-30", "DEMO-PL", "2.000635", 1, 24000),
        ("2026-11-30", "DEMO-PL", "2.000635", 1, 24000),
        ("2026-12-01", "DEMO-PL", "2.000635", 1, 10000),
    ]
    assert values[-1][5:] == (3, 58000)
    assert sheet.cell(2, 7).number_format == '#,##0 "₫"'


def test_a_receipt_downloads_as_pdf(demo, books):
    payment = Payment.objects.get(request__dossier__code=books["cash"])
    client = client_for(demo["reception"])
    listing = client.get(PAYMENTS).content.decode()
    assert f"{PAYMENTS}{payment.pk}/receipt/" in listing
    response = client.get(f"{PAYMENTS}{payment.pk}/receipt/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
