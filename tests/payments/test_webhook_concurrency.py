"""The bank delivers the same transaction from ten connections at once: one row, one payment."""

# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import threading

import pytest
from django.db import connection

from tests.dossiers.conftest import demo, staff, submission, upload  # noqa: F401 (fixtures)
from tests.payments.test_reconciliation import copy_submission, deliver, transfer
from xaso.payments.models import BankTransaction, Payment, PaymentRequest

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent inserts racing on a unique constraint need PostgreSQL; SQLite "
        "serialises whole transactions instead",
    ),
]


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_deliveries_of_one_transaction_make_one_payment(staff):
    response = staff["reception"].post("/api/v1/dossiers", copy_submission(receive=True))
    code = response.json()["code"]
    body = transfer("FT-RACE", 24000, f"XASO {code}")
    barrier = threading.Barrier(10)
    answers, errors = [], []

    def send():
        try:
            barrier.wait()
            reply = deliver(body)
            answers.append((reply.status_code, reply.json().get("status")))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(answers) == [(200, "duplicate")] * 9 + [(200, "matched")]
    assert BankTransaction.objects.filter(transaction_id="FT-RACE").count() == 1
    assert Payment.objects.count() == 1
    request = PaymentRequest.objects.get(dossier__code=code)
    assert (request.status, request.paid_amount) == ("paid", 24000)
