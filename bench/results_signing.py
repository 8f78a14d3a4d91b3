"""Signed results: how long the leader waits per result when signing a batch (the Friday rush),
and how fast a signed PDF is verified. Renders with WeasyPrint, signs twice with pyHanko (the
leader's PAdES signature, then the QR seal), on a throw-away SQLite database in memory with the
demo's development PKI (PKCS#12).

    PYTHONPATH=. .venv/bin/python bench/results_signing.py [COUNT]     # default 20
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_databases  # noqa: E402


def main(count: int) -> None:
    setup_databases(verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)
    from tests.results.conftest import awaiting_signature
    from xaso.accounts.models import User
    from xaso.results.models import ResultDocument
    from xaso.results.services import results_sign_batch
    from xaso.results.verification import verify_pdf

    names = ["reception", "specialist", "leader"]
    users = {name: User.objects.get(username=name) for name in names}
    warm_up = awaiting_signature(users).code  # fonts, templates and keys loaded once
    results_sign_batch(actor=users["leader"], codes=[warm_up])
    codes = [awaiting_signature(users).code for _ in range(count)]
    started = time.perf_counter()
    outcomes = results_sign_batch(actor=users["leader"], codes=codes)
    signing = time.perf_counter() - started
    assert all(row.get("status") == "signed" for row in outcomes), outcomes
    pdfs = [bytes(d.pdf) for d in ResultDocument.objects.filter(dossier__code__in=codes)]
    started = time.perf_counter()
    statuses = [verify_pdf(pdf).status for pdf in pdfs]
    verifying = time.perf_counter() - started
    assert set(statuses) == {"valid"}, statuses
    print(f"signed {count} results in {signing:.1f} s: {signing / count:.2f} s per result")
    print(f"verified {len(pdfs)} PDFs in {verifying:.1f} s: {verifying / len(pdfs):.2f} s each")
    print(f"PDF size: {min(map(len, pdfs)) // 1024}–{max(map(len, pdfs)) // 1024} KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
