"""How long the Decision 766 index of a province over a year takes, at N dossiers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xaso_reports_bench XASO_DEBUG=1 \
        .venv/bin/python bench/reports.py --fill 1000000   # once: migrate, seed, insert
    ... .venv/bin/python bench/reports.py --rollup          # rebuild the roll-up, time it
    ... .venv/bin/python bench/reports.py                   # time it (best of 5)

It times the index of the province over 2026 twice: from the monthly roll-up (reports/rollup.py:
the ended months read from it, the current month live) and computed live from every dossier.

`--fill` inserts dossiers with one SQL `generate_series` (PostgreSQL only) spread over 2026 up
to yesterday (none filed in the future) and
the demo province's communes, with varied channels, states, fees and facts; it needs
`xaso seed-demo` and `xaso load-places` to have run (it does both).
"""

import argparse
import os
import sys
import time
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

FILL = """
INSERT INTO dossiers_dossier (code, code_key, lookup_secret_digest, lookup_secret_sealed,
  receiving_commune_id, deciding_commune_id, procedure_id, applicant, channel, consent, answers,
  state, outcome, submitted_at, received_at, due_at, due_rule, with_verification,
  verification_reason, completed_at, returned_at, return_channel, result_delivery,
  supplement_rounds, extended, rating, rating_comment, updated_at, components, components_total,
  components_with_file, components_reused, components_from_store, identity_check,
  fee_amount, fee_online_offered, paid_online, national_sync, e_result_issued_at, search_text)
SELECT 'BENCH-' || g, 'BENCH' || g, '', '',
  c.a[1 + g %% %(communes)s], c.a[1 + g %% %(communes)s], p.a[1 + g %% %(procedures)s], '{}',
  (ARRAY['online','counter','assisted','community','post'])[1 + g % 5], '{}', '{}',
  (ARRAY['returned','returned','returned','processing','received','paused'])[1 + g % 6],
  CASE WHEN g % 6 < 3 THEN 'approved' ELSE '' END,
  s, s, s + interval '3 days', '', false, '',
  CASE WHEN g % 6 < 3 THEN s + (g % 5) * interval '1 day' END,
  CASE WHEN g % 6 < 3 THEN s + (g % 5) * interval '1 day' END, '', 'counter',
  g % 3 / 2, g % 17 = 0, CASE WHEN g % 4 = 0 THEN 1 + g % 5 END, '', now(), '{}',
  2, 1 + g % 2, g % 7 / 6, 0, (ARRAY['','account','cccd_qr'])[1 + g % 3],
  (g % 3) * 8000, g % 5 <> 0, g % 2 = 0, CASE WHEN g % 3 = 0 THEN 'synced' ELSE 'pending' END,
  CASE WHEN g % 6 < 2 THEN s + interval '1 day' END, 'bench ' || g
FROM generate_series(1, %(n)s) AS g
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS a FROM places_commune
            WHERE province_id = %(province)s) AS c
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS a FROM catalog_procedure) AS p
CROSS JOIN LATERAL (SELECT timestamptz '2026-01-01 08:00+07' + (g %% %(days)s) * interval '1 day'
                    + (g %% 8) * interval '1 hour' AS s) AS t
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fill", type=int, default=0)
    parser.add_argument("--province", default="66")
    parser.add_argument("--rollup", action="store_true", help="rebuild the roll-up first")
    args = parser.parse_args()
    from xaso.accounts.models import User
    from xaso.places.models import Commune, Province
    from xaso.reports.counters import Period, counters_for
    from xaso.reports.measures import index_compute
    from xaso.reports.rollup import rollup_rebuild
    from xaso.reports.selectors import definition_for

    if args.fill:
        call_command("migrate", verbosity=0)
        call_command("load_places", verbosity=0)
        call_command("seed_demo", verbosity=0)
        province = Province.objects.get(code=args.province)
        from xaso.catalog.models import Procedure

        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM dossiers_dossier WHERE code LIKE 'BENCH-%'")
            sql = FILL.replace("%(n)s", str(args.fill)).replace("%%", "%")
            sql = sql.replace("%(province)s", str(province.pk))
            # Filed from 1 January up to yesterday: no dossier is filed in the future.
            days = max(1, min(365, (timezone.localdate() - date(2026, 1, 1)).days))
            sql = sql.replace("%(days)s", str(days))
            sql = sql.replace(
                "%(communes)s", str(Commune.objects.filter(province=province).count())
            )
            sql = sql.replace("%(procedures)s", str(Procedure.objects.count()))
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.execute("ANALYZE dossiers_dossier")
        print(f"inserted {args.fill} dossiers in {time.perf_counter() - started:.1f} s")
    province = Province.objects.get(code=args.province)
    ids = tuple(Commune.objects.filter(province=province).values_list("pk", flat=True))
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    total = User.objects.count()  # warm the connection
    if args.rollup:
        call_command("migrate", verbosity=0)
    if args.fill or args.rollup:
        started = time.perf_counter()
        rows = rollup_rebuild(first=period.first, last=period.last)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE reports_monthlyrollup")
            cursor.execute("VACUUM ANALYZE reports_rolluppending")
        print(f"roll-up rebuilt (ended months of 2026): {rows} rows in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip

    def timed(live: bool):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            result = index_compute(
                definition_for(period.first), counters_for(ids, period, live=live)
            )
            times.append(time.perf_counter() - started)
        return result, sorted(times)

    n = sum(r.n for r in counters_for(ids, period).rows)
    for label, live in (("roll-up", False), ("live", True)):
        result, times = timed(live)
        print(
            f"{label}: province {province.code}, {len(ids)} communes, {n} dossiers in 2026, "
            f"index {result.total}; best {times[0]:.3f} s, median {times[2]:.3f} s "
            f"({total} users)"
        )


if __name__ == "__main__":
    main()
