"""The load scenarios' setup, run before each measuring run (bench/load/run.sh calls it): checks
that the database is prepared, and makes what the scenarios consume, so that reruns do not depend
on what an earlier run left.

- The database must hold the demo (`xaso seed-demo`: the `reception` and `province` accounts, the
  demo commune DEMO-PL) and bench data whose sample (`var/bench/lookups.csv`) is of this database.
- The webhook burst pays fee requests: WEBHOOKS (200) fresh extract-copy dossiers are received
  at DEMO-PL's desk (`dossier_submit` as `reception`, each with its fee request, 8.000 ₫ a copy);
  their references, amounts, the receiving account and its webhook secret go to
  `var/bench/webhooks.csv`, one new transaction id each (each notification is sent once).
- The staff search asks for names and phones of DEMO-PL's applicants: `var/bench/staff-search.txt`.
- The floor's `write` view needs its table (`bench_floor_write`, unlogged).

  DATABASE_URL=… .venv/bin/python bench/load/prepare.py
"""

import csv
import os
import random
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "load"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")

import django  # noqa: E402

django.setup()

import payloads  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from xaso.accounts.models import User  # noqa: E402
from xaso.core.crypto import decrypt_text  # noqa: E402
from xaso.dossiers.models import Dossier  # noqa: E402
from xaso.dossiers.submission import dossier_submit  # noqa: E402
from xaso.payments.models import PaymentRequest  # noqa: E402
from xaso.places.models import Commune  # noqa: E402

COMMUNE = "DEMO-PL"
PREPARE = "prepare it: xaso migrate, xaso seed-demo, xaso bench-data … (bench/README.md)"


def stop(message: str) -> None:
    raise SystemExit(f"bench/load/prepare.py: {message}")


def check_database(lookups: Path) -> None:
    if connection.vendor != "postgresql":
        stop("the load scenarios run on PostgreSQL: set DATABASE_URL")
    missing = {"reception", "province"} - set(
        User.objects.filter(username__in=["reception", "province"]).values_list(
            "username", flat=True
        )
    )
    if missing or not Commune.objects.filter(code=COMMUNE).exists():
        stop(f"no demo here ({', '.join(sorted(missing)) or COMMUNE} missing); {PREPARE}")
    if not lookups.exists():
        stop(f"no {lookups}: {PREPARE}")
    with lookups.open() as handle:
        rows = [row for row in csv.DictReader(handle)]
    if not rows:
        stop(f"{lookups} is empty: {PREPARE}")
    if not Dossier.objects.filter(code=rows[0]["code"]).exists():
        stop(
            f"{lookups} is not of this database ({rows[0]['code']} is not here): run bench-data "
            "on it, or point LOOKUPS at its own sample"
        )
    queue = Dossier.objects.filter(receiving_commune__code=COMMUNE).count()
    if queue < 25:
        stop(f"{COMMUNE} has {queue} dossiers, fewer than a page of 25: {PREPARE}")


def floor_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS bench_floor_write "
            "(id bigserial PRIMARY KEY, at timestamptz NOT NULL, size integer NOT NULL)"
        )


def staff_search(path: Path, rng: random.Random) -> int:
    """Names (two or three words, no diacritics, as officers type them) and whole phone numbers
    of DEMO-PL's applicants, read from their search text."""
    texts = list(
        Dossier.objects.filter(receiving_commune__code=COMMUNE)
        .exclude(search_text="")
        .order_by("-id")
        .values_list("search_text", flat=True)[:400]
    )
    queries = []
    for text in rng.sample(texts, min(40, len(texts))):
        words = text.split()
        name = [w for w in words if not w.isdigit()]
        phone = [w for w in words if w.isdigit() and len(w) == 10]
        if len(name) >= 3:
            queries.append(" ".join(name[:3] if rng.random() < 0.5 else [name[0], name[-1]]))
        if phone:
            queries.append(phone[0])
    path.write_text("".join(quote(q) + "\n" for q in queries))
    return len(queries)


def webhooks(path: Path, count: int, rng: random.Random) -> None:
    reception = User.objects.get(username="reception")
    village = (
        Commune.objects.get(code=COMMUNE)
        .villages.order_by("id")
        .values_list("code", flat=True)
        .first()
        or ""
    )
    rows = []
    for _ in range(count):
        body = payloads.extract_copy(rng, COMMUNE, village, copies=1 + rng.randrange(3))
        submitted = dossier_submit(
            actor=reception,
            procedure_code=body["procedure"],
            commune_code=COMMUNE,
            channel=body["channel"],
            applicant=body["applicant"],
            answers=body["form"],
            receive=True,
            applicant_confirmed=True,
        )
        request = (
            PaymentRequest.objects.select_related("account")
            .filter(dossier=submitted.dossier)
            .first()
        )
        if request is None or request.account is None or request.amount <= request.paid_amount:
            stop(f"{submitted.dossier.code} was received without a fee to pay by transfer")
        rows.append(
            {
                "account": request.account.account_number,
                "secret": decrypt_text(request.account.webhook_secret),
                "reference": request.reference,
                "amount": request.amount - request.paid_amount,
                "transaction_id": f"BENCH-{uuid.uuid4().hex[:20].upper()}",
            }
        )
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["account"])
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    began = time.monotonic()
    bench = Path(os.environ.get("XASO_VAR_DIR", settings.VAR_DIR)) / "bench"
    lookups = Path(os.environ.get("LOOKUPS", bench / "lookups.csv"))
    check_database(lookups)
    floor_table()
    rng = random.Random()
    searches = staff_search(bench / "staff-search.txt", rng)
    count = int(os.environ.get("WEBHOOKS", 200))
    if count:
        webhooks(bench / "webhooks.csv", count + 1, rng)  # one more for the check before measuring
    print(
        f"# prepared in {time.monotonic() - began:.0f} s: {searches} staff searches, "
        f"{count} fee requests to pay by webhook"
    )


if __name__ == "__main__":
    main()
