"""`xaso bench-data`: a small run keeps the services' invariants; `xaso audit verify` passes."""

import csv
from collections import Counter
from urllib.parse import urlencode

from django.db import transaction

from tests.helpers.api import ApiClient
from tests.helpers.clock import TEST_MOMENT
from xaso.accounts.models import User
from xaso.core.audit import audit_verify
from xaso.core.text import strip_diacritics
from xaso.demo.bench_data import BENCH_MARK, bench_data
from xaso.dossiers import workflow
from xaso.dossiers.codes import code_key
from xaso.dossiers.models import Dossier, DossierCounter, DossierEvent
from xaso.payments.models import Payment, PaymentRequest
from xaso.results.models import ResultDocument


def _run(tmp_path, seed=5):
    return bench_data(
        communes=3, years=1, dossiers=300, seed=seed, now=TEST_MOMENT,
        samples_path=tmp_path / "lookups.csv",
    )  # fmt: skip


def test_a_small_run_keeps_the_invariants_and_the_audit_chain(demo_seeded, tmp_path, client):
    before = Dossier.objects.count()
    totals = _run(tmp_path)
    bench = Dossier.objects.filter(applicant__address__endswith=BENCH_MARK)
    assert 290 <= totals.dossiers <= 300
    assert bench.count() == totals.dossiers == Dossier.objects.count() - before
    assert audit_verify() == []
    # Codes: unique, their lookup key, numbered per commune and day below the day's counter.
    per_day = Counter()
    for dossier in bench.select_related("receiving_commune"):
        assert dossier.code_key == code_key(dossier.code)
        assert dossier.code.startswith(dossier.receiving_commune.agency_code + "-")
        per_day[(dossier.receiving_commune_id, dossier.code.split("-")[-2])] += 1
    counters = {(c.commune_id, f"{c.day:%y%m%d}"): c.last for c in DossierCounter.objects.all()}
    assert all(counters[key] >= count for key, count in per_day.items())
    # Every history is a path through the workflow table that ends in the dossier's state.
    actions = {}
    for event in DossierEvent.objects.filter(dossier__in=bench).order_by("dossier", "id"):
        actions.setdefault(event.dossier_id, []).append((event.action, event.to_state))
    for dossier in bench:
        assert workflow.replay(actions[dossier.pk]) == dossier.state
    # Fees, payments and results.
    paid = PaymentRequest.objects.filter(dossier__in=bench, status="paid")
    assert paid.exists()
    assert Payment.objects.filter(request__in=paid).count() == paid.count()
    assert ResultDocument.objects.filter(dossier__in=bench).count() == totals.results > 0
    # The sample of secrets opens the public lookup, the secret itself is nowhere in plain text.
    with (tmp_path / "lookups.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows[:5]:
        dossier = Dossier.objects.get(code=row["code"])
        assert row["secret"] not in dossier.lookup_secret_digest + dossier.lookup_secret_sealed
        assert dossier.lookup_secret_matches(row["secret"])
        answer = client.get(
            "/api/v1/dossiers/lookup", {"code": row["code"], "secret": row["secret"]}
        )
        assert answer.status_code == 200
        assert answer.json()["state"] == dossier.state
    # The back office's search finds them as it finds any dossier: by the applicant's name
    # typed without diacritics, and by their phone.
    reception = ApiClient().as_user(User.objects.get(username="reception"))
    mine = bench.filter(receiving_commune__code="DEMO-PL").order_by("id").first()
    name = strip_diacritics(mine.applicant["full_name"]).lower()
    for typed in (name, mine.applicant["phone"]):
        query = urlencode({"q": typed, "state": mine.state})
        found = reception.get(f"/api/v1/dossiers?{query}").json()
        assert mine.code in [item["code"] for item in found["items"]], typed


def test_the_same_seed_gives_the_same_dossiers(demo_seeded, tmp_path):
    def codes_and_names():
        return sorted(
            Dossier.objects.filter(applicant__address__endswith=BENCH_MARK).values_list(
                "code", "applicant__full_name", "state"
            )
        )

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            _run(tmp_path)
            first = codes_and_names()
            raise Undo
    except Undo:
        pass
    _run(tmp_path)
    assert codes_and_names() == first
