"""The Friday rush: 50 results signed in one action, each signature verifying on its own."""

import time

import pytest
from django.db import connection

from tests.helpers.api import ApiClient
from tests.helpers.second_factor import totp_code
from xaso.dossiers.models import Dossier
from xaso.results.models import ResultDocument
from xaso.results.verification import verify_pdf, verify_seal


# Rendering and signing take about half a second per result: the test runs on one pass only.
@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="slow: runs on the PostgreSQL pass")
def test_fifty_results_in_one_action_each_verifying(ready, demo):
    codes = [ready().code for _ in range(50)]
    body = {"codes": codes, "otp": totp_code(demo["leader"])}
    started = time.monotonic()
    response = ApiClient().as_user(demo["leader"]).post("/api/v1/results/sign-batch", body)
    took = time.monotonic() - started
    items = response.json()["items"]
    assert [item["status"] for item in items] == ["signed"] * 50, items
    assert len({item["document_number"] for item in items}) == 50
    assert set(Dossier.objects.filter(code__in=codes).values_list("state", flat=True)) == {
        "result_ready"
    }
    for document in ResultDocument.objects.all():
        assert verify_pdf(bytes(document.pdf)).status == "valid", document.number
        assert verify_seal(document.seal).status == "valid", document.number
    print(f"50 results signed in {took:.1f} s")
