"""Past months of figures for the province viewer's demo: a few communes of the demo province
with some two hundred dossiers filed over the last six months, each commune serving a little
better or worse than the next, so that the ranking and its trend have something to rank.

They are history, not a desk: every one is finished (returned, refused or withdrawn), written
in bulk like bench data (`bench_data.py`) with only the facts the index and the service
figures read (channel, times, fee, payment, e-result, components, identity, rating), no events,
no payment rows. The people are invented ("Người dân (demo)"). Idempotent: a commune that has
dossiers already is left alone.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from xaso.catalog.models import CommuneProcedure, Procedure
from xaso.catalog.services import commune_procedures_offer
from xaso.dossiers import secret_store
from xaso.dossiers.codes import code_key
from xaso.dossiers.models import Dossier
from xaso.places.models import Commune
from xaso.workdays.engine import TZ

from .seed import DAK_LAK, OTHER_DEMO_COMMUNE

PER_COMMUNE = 36
MONTHS = 6
OTHER_COMMUNES = 4  # of the province, besides the second demo commune


def figure_communes() -> list[Commune]:
    others = Commune.objects.filter(province__code=DAK_LAK, is_demo=False).order_by("code")
    return [
        *Commune.objects.filter(code=OTHER_DEMO_COMMUNE),
        *others[:OTHER_COMMUNES],
    ]


def _dossier(rng, commune, procedure, number, submitted, quality: float) -> Dossier:
    online = rng.random() < 0.25 + 0.5 * quality
    channel = "online" if online else rng.choice(["counter", "counter", "assisted", "post"])
    refused = rng.random() < 0.04
    withdrawn = not refused and rng.random() < 0.03
    days = rng.choice([0, 0, 1, 2, 3]) if rng.random() < quality else rng.choice([2, 4, 6, 9])
    due = submitted + timedelta(days=3, hours=8)
    returned = submitted + timedelta(days=days, hours=rng.randint(1, 6))
    end = returned if not (refused or withdrawn) else submitted + timedelta(hours=2)
    fee = rng.choice([0, 8000, 8000, 10000])
    paid_online = fee > 0 and online and rng.random() < 0.4 + 0.5 * quality
    e_result = not (refused or withdrawn) and rng.random() < 0.3 + 0.6 * quality
    total = rng.randint(1, 3)
    d = Dossier(
        code=f"{commune.code}-LS-{number:04d}", receiving_commune=commune,
        deciding_commune=commune, procedure=procedure,
        applicant={"full_name": "Người dân (demo)", "address": "(demo)"}, channel=channel,
        state="refused" if refused else "withdrawn" if withdrawn else "returned",
        outcome="" if (refused or withdrawn) else "approved", submitted_at=submitted,
        received_at=None if refused else submitted, due_at=due, completed_at=end,
        returned_at=None if (refused or withdrawn) else returned, return_channel="counter",
        supplement_rounds=1 if rng.random() < 0.1 else 0, fee_amount=fee,
        fee_online_offered=fee > 0 and rng.random() < 0.5 + 0.5 * quality,
        paid_online=paid_online, paid_at=end if fee else None,
        e_result_issued_at=end if e_result else None,
        e_result_delivered_at=end if e_result and online else None,
        components_total=total, components_with_file=total if rng.random() < quality else 0,
        components_reused=1 if rng.random() < 0.2 * quality else 0, components_from_store=0,
        identity_check="cccd_qr" if not online and rng.random() < quality else
        ("account" if online else ""),
        rating=rng.choice([None, None, 5, 4, 3, 2]) if not refused else None,
        national_sync="synced" if rng.random() < quality else "pending",
    )  # fmt: skip
    d.code_key = code_key(d.code)
    secret = f"LS{number:08d}"
    d.lookup_secret_digest = secret_store.digest(secret)
    d.lookup_secret_sealed = secret_store.sealed(secret)
    return d


def seed_demo_figures(*, communes: list[Commune] | None = None, now: datetime | None = None):
    """Write the past months' dossiers of these communes (default: `figure_communes()`);
    returns how many were written."""
    now = now or timezone.now()
    procedures = list(Procedure.objects.filter(is_active=True).order_by("code")[:8])
    if not procedures:
        return 0
    written = 0
    for position, commune in enumerate(communes or figure_communes()):
        if Dossier.objects.filter(receiving_commune=commune).exists():
            continue
        if not CommuneProcedure.objects.filter(commune=commune).exists():
            commune_procedures_offer(actor=None, commune=commune)
        rng = random.Random(f"figures-{commune.code}")
        quality = 0.35 + 0.12 * (position % 5)
        rows = []
        for number in range(1, PER_COMMUNE + 1):
            days_ago = rng.randint(35, 30 * MONTHS + 20)
            moment = timezone.localtime(now, TZ) - timedelta(days=days_ago)
            while moment.weekday() >= 5:
                moment -= timedelta(days=1)
            submitted = moment.replace(hour=rng.randint(7, 15), minute=rng.randint(0, 59))
            rows.append(_dossier(rng, commune, rng.choice(procedures), number, submitted, quality))
        with transaction.atomic():
            Dossier.objects.bulk_create(rows)
        written += len(rows)
    return written
