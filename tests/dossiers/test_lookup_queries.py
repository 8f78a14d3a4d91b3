"""The citizen's lookup (API and /tra-cuu/) reads a fixed, small number of rows in two queries: the
dossier with its procedure's code and name, its fee request with its account and its result's
number joined to it, then its events; a third for the payments only when something was paid
(issue 22: the lookup's cost). The joined rows are the contributors'
(`hooks.contribution_joins`)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.dossiers.conftest import procedure_submission, submission
from tests.helpers.api import ApiClient, act, submit
from tests.helpers.registers import entered
from tests.helpers.second_factor import totp_code
from xaso.accounts.models import User
from xaso.dossiers.models import Dossier


def lookup(code: str, secret: str) -> tuple[dict, list[str]]:
    client = ApiClient()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/dossiers/lookup?code={code.lower()}&secret={secret}")
    assert response.status_code == 200, response.content
    return response.json(), [query["sql"] for query in captured.captured_queries]


def status_page(code: str, secret: str) -> tuple[str, list[str]]:
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/tra-cuu/", {"code": code, "secret": secret})
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured.captured_queries]


def tables(queries: list[str]) -> list[str]:
    return [sql.split(" FROM ", 1)[1].split()[0].strip('"') for sql in queries]


def test_a_submitted_dossier_is_looked_up_in_two_queries(staff, at):
    at(2026, 11, 30, 9, 0)
    created = submit(ApiClient(), submission())
    answer, queries = lookup(created["code"], created["lookup_secret"])
    assert answer["state"] == "submitted" and answer["fee"] is None  # fixed at receipt
    assert [event["action"] for event in answer["timeline"]] == ["submit"]
    assert tables(queries) == ["dossiers_dossier", "dossiers_dossierevent"]
    # Only the columns shown: not the applicant, the answers, the procedure's form, nor the
    # result's PDF; the fee request and the result joined.
    assert '"applicant"' not in queries[0] and '"form_schema"' not in queries[0]
    assert '"pdf"' not in queries[0]
    assert '"payments_paymentrequest"' in queries[0] and '"results_resultdocument"' in queries[0]


def test_a_fee_and_its_payment_cost_one_query_more_once_paid(staff, at):
    at(2026, 11, 30, 9, 0)
    created = submit(ApiClient(), procedure_submission("2.000635", "online", fixed={"copies": 3}))
    code, secret = created["code"], created["lookup_secret"]
    act(staff["reception"], code, "receive")
    answer, queries = lookup(code, secret)
    assert answer["fee"]["display"] == "24.000 ₫"
    assert answer["payment"]["status"] == "unpaid" and answer["payment"]["payments"] == []
    assert len(queries) == 2
    paid = staff["reception"].post(f"/api/v1/dossiers/{code}/payments/cash", {"amount": 24000})
    assert paid.status_code == 201, paid.content
    answer, queries = lookup(code, secret)
    assert answer["payment"]["status"] == "paid"
    assert [p["amount"] for p in answer["payment"]["payments"]] == [24000]
    assert tables(queries) == ["dossiers_dossier", "dossiers_dossierevent", "payments_payment"]


def test_the_result_is_read_once_issued(staff, at):
    at(2026, 11, 30, 9, 0)
    created = submit(ApiClient(), submission())
    code, secret = created["code"], created["lookup_secret"]
    at(2026, 11, 30, 9, 30)
    act(staff["reception"], code, "receive")
    answer, queries = lookup(code, secret)
    assert answer["result"] is None and len(queries) == 2
    act(staff["specialist"], code, "propose", {"note": "Đủ điều kiện"})
    entered(code)
    act(staff["leader"], code, "approve", {"otp": totp_code(User.objects.get(username="leader"))})
    answer, queries = lookup(code, secret)
    assert answer["result"]["document_number"]
    assert tables(queries) == ["dossiers_dossier", "dossiers_dossierevent"]


def test_the_status_page_reads_the_events_once(staff, at):
    at(2026, 11, 30, 9, 0)
    created = submit(ApiClient(), procedure_submission("2.000635", "online", fixed={"copies": 3}))
    code, secret = created["code"], created["lookup_secret"]
    html, queries = status_page(code, secret)
    assert "24.000 ₫" in html  # the fee estimated from the answers
    # The communes come with the dossier; the last query is the example code under the field.
    assert tables(queries) == [
        "dossiers_dossier", "dossiers_dossierevent", "catalog_provincialfeerate", "places_commune",
    ]  # fmt: skip


@pytest.mark.postgres_only
def test_on_postgresql_only_the_lookups_reads_are_prepared(staff, at):
    # The lookup's two reads are prepared (parsed and planned once per connection); any other
    # statement, however often it runs, is planned with its own values: a generic plan of a
    # staff list reads a big commune's whole history (issue 22, settings.DATABASES).
    at(2026, 11, 30, 9, 0)
    created = submit(ApiClient(), submission())
    dossier = Dossier.objects.get(code=created["code"])
    for _ in range(7):
        lookup(created["code"], created["lookup_secret"])
        Dossier.objects.filter(receiving_commune_id=dossier.receiving_commune_id).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        prepared = cursor.fetchall()
    runs = {sql.split(" FROM ", 1)[1].split()[0]: n for sql, n in prepared if " FROM " in sql}
    assert runs.get('"dossiers_dossier"', 0) >= 7 and runs.get('"dossiers_dossierevent"', 0) >= 7
    assert not [sql for sql, _n in prepared if "COUNT(" in sql.upper()]
