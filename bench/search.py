"""How long the back office's search (`dossiers.search.dossier_search`, the selector the page
and `GET /api/v1/dossiers?q=` share) takes at N dossiers on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xaso_perf2_bench XASO_DEBUG=1 \
        nice -n 10 .venv/bin/python bench/search.py --fill 1000000   # once: migrate, seed, insert
    ... nice -n 10 .venv/bin/python bench/search.py --rounds 20        # time it, print the plans

`--fill` inserts dossiers with one SQL `generate_series` (PostgreSQL only), spread over five
years (2022-2026) and the demo province's communes, a tenth of them in the demo commune
(DEMO-PL, the `reception` officer's): applicants with Vietnamese names drawn from 16 family
names, 12 middle names and 40 given names (with diacritics; the search text without them, as
`applicant_search_text` writes it), a distinct mobile number and a distinct 12-digit personal ID
each; codes of the `<agency>-<yymmdd>-<NNNNNNN>` shape.

Each search is timed through `dossier_search` as the page calls it (scoping, keyset page of 25,
`select_related`, the read of personal data recorded in the audit trail), for the commune's
reception officer (a tenth of the rows) and the province viewer (all of them): best and p95 of
`--rounds`. Then the EXPLAIN (ANALYZE, BUFFERS) of the page's main query.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xaso.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

# (with diacritics, as the search text has it)
FAMILY = [
    ("Nguyễn", "nguyen"), ("Trần", "tran"), ("Lê", "le"), ("Phạm", "pham"), ("Hoàng", "hoang"),
    ("Huỳnh", "huynh"), ("Phan", "phan"), ("Vũ", "vu"), ("Võ", "vo"), ("Đặng", "dang"),
    ("Bùi", "bui"), ("Đỗ", "do"), ("Hồ", "ho"), ("Ngô", "ngo"), ("Dương", "duong"), ("Lý", "ly"),
]  # fmt: skip
MIDDLE = [
    ("Văn", "van"), ("Thị", "thi"), ("Hữu", "huu"), ("Đức", "duc"), ("Minh", "minh"),
    ("Ngọc", "ngoc"), ("Thanh", "thanh"), ("Quốc", "quoc"), ("Xuân", "xuan"), ("Thu", "thu"),
    ("Công", "cong"), ("Kim", "kim"),
]  # fmt: skip
GIVEN = [
    ("An", "an"), ("Bình", "binh"), ("Châu", "chau"), ("Dũng", "dung"), ("Hà", "ha"),
    ("Hải", "hai"), ("Hạnh", "hanh"), ("Hiếu", "hieu"), ("Hoa", "hoa"), ("Hùng", "hung"),
    ("Hương", "huong"), ("Khánh", "khanh"), ("Lan", "lan"), ("Linh", "linh"), ("Long", "long"),
    ("Mai", "mai"), ("Nam", "nam"), ("Nhung", "nhung"), ("Phong", "phong"), ("Phúc", "phuc"),
    ("Quân", "quan"), ("Quang", "quang"), ("Sơn", "son"), ("Tâm", "tam"), ("Thảo", "thao"),
    ("Trang", "trang"), ("Tuấn", "tuan"), ("Việt", "viet"), ("Yến", "yen"), ("Y Bhin", "y bhin"),
    ("H'Hen", "h hen"), ("Thắng", "thang"), ("Thủy", "thuy"), ("Toàn", "toan"),
    ("Trung", "trung"), ("Vân", "van"), ("Vy", "vy"), ("Xuyến", "xuyen"), ("Ánh", "anh"),
    ("Đạt", "dat"),
]  # fmt: skip


def _array(values):
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


# h: a scrambled g, so that neighbouring rows get unrelated names. Phones and IDs are distinct
# (g times a number prime to 10^8, modulo 10^8, is a bijection).
FILL = """
INSERT INTO dossiers_dossier (code, code_key, search_text, lookup_secret_digest,
  lookup_secret_sealed, receiving_commune_id, deciding_commune_id, procedure_id, applicant,
  channel, consent, answers, state, outcome, submitted_at, received_at, due_at, due_rule,
  with_verification, verification_reason, completed_at, returned_at, return_channel,
  result_delivery, supplement_rounds, extended, rating, rating_comment, updated_at, components,
  components_total, components_with_file, components_reused, components_from_store,
  identity_check, fee_online_offered, national_sync, paid_online)
SELECT 'B' || c.agency || '-' || to_char(t.s, 'YYMMDD') || '-' || lpad(g::text, 7, '0'),
  'B' || upper(regexp_replace(c.agency, '[^0-9A-Za-z]', '', 'g')) || to_char(t.s, 'YYMMDD')
    || lpad(g::text, 7, '0'),
  ' ' || n.fam_k || ' ' || n.mid_k || ' ' || n.giv_k || ' ' || n.phone || ' ' || n.pid || ' ',
  '', '', c.id, c.id, p.a[1 + g %% %(procedures)s],
  jsonb_build_object('full_name', n.fam || ' ' || n.mid || ' ' || n.giv, 'phone', n.phone,
                     'personal_id', n.pid, 'address', 'Thôn ' || (1 + g %% 11) || ', Đắk Lắk'),
  (ARRAY['online','counter','assisted','community','post'])[1 + g %% 5], '{}', '{}',
  (ARRAY['returned','returned','returned','processing','received','paused'])[1 + g %% 6],
  CASE WHEN g %% 6 < 3 THEN 'approved' ELSE '' END,
  t.s, t.s, t.s + interval '3 days', '', false, '',
  CASE WHEN g %% 6 < 3 THEN t.s + (g %% 5) * interval '1 day' END,
  CASE WHEN g %% 6 < 3 THEN t.s + (g %% 5) * interval '1 day' END, '', 'counter',
  0, false, NULL, '', now(), '{}', 0, 0, 0, 0, '', false, 'pending', false
FROM generate_series(1, %(n)s) AS g
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS a FROM catalog_procedure) AS p
CROSS JOIN LATERAL (SELECT (g::bigint * 2654435761) %% 4294967296 AS h,
                           timestamptz '2022-01-01 08:00+07' + (g %% 1826) * interval '1 day'
                           + (g %% 8) * interval '1 hour' AS s) AS t
CROSS JOIN LATERAL (
  SELECT id, agency_code AS agency FROM places_commune
  WHERE CASE WHEN g %% 10 = 0 THEN code = %(demo)s
             ELSE province_id = %(province)s AND code <> %(demo)s END
  ORDER BY id OFFSET CASE WHEN g %% 10 = 0 THEN 0 ELSE (g / 10) %% %(communes)s END LIMIT 1
) AS c
CROSS JOIN LATERAL (
  SELECT (%(family)s)[1 + t.h %% 16] AS fam, (%(family_k)s)[1 + t.h %% 16] AS fam_k,
         (%(middle)s)[1 + (t.h / 16) %% 12] AS mid, (%(middle_k)s)[1 + (t.h / 16) %% 12] AS mid_k,
         (%(given)s)[1 + (t.h / 192) %% 40] AS giv, (%(given_k)s)[1 + (t.h / 192) %% 40] AS giv_k,
         '09' || lpad(((g::bigint * 48271) %% 100000000)::text, 8, '0') AS phone,
         '066' || (g %% 2) || lpad(((g::bigint * 69621) %% 100000000)::text, 8, '0') AS pid
) AS n
"""


CLOSE_OLD = """
UPDATE dossiers_dossier SET state = 'returned', outcome = 'approved',
  completed_at = received_at + interval '1 day', returned_at = received_at + interval '1 day'
WHERE lookup_secret_digest = '' AND code LIKE 'B%' AND state IN ('processing', 'received', 'paused')
  AND submitted_at < timestamptz '2026-11-18 00:00+07'
"""


def fill(n: int, province_code: str) -> None:
    from xaso.catalog.models import Procedure
    from xaso.demo.seed import DEMO_COMMUNE
    from xaso.places.models import Commune, Province

    call_command("migrate", verbosity=0)
    call_command("load_places", verbosity=0)
    call_command("seed_demo", verbosity=0)
    province = Province.objects.get(code=province_code)
    # Every commune of the province gets an agency code (the demo gives one to its own only).
    for commune in Commune.objects.filter(province=province, agency_code=""):
        commune.agency_code = f"X{commune.pk}"
        commune.save(update_fields=["agency_code"])
    others = Commune.objects.filter(province=province).exclude(code=DEMO_COMMUNE).count()
    sql = FILL
    values = {
        "n": str(n),
        "procedures": str(Procedure.objects.count()),
        "province": str(province.pk),
        "communes": str(max(others, 1)),
        "demo": f"'{DEMO_COMMUNE}'",
        "family": _array(v for v, _k in FAMILY),
        "family_k": _array(k for _v, k in FAMILY),
        "middle": _array(v for v, _k in MIDDLE),
        "middle_k": _array(k for _v, k in MIDDLE),
        "given": _array(v for v, _k in GIVEN),
        "given_k": _array(k for _v, k in GIVEN),
    }
    for key, value in values.items():
        sql = sql.replace(f"%({key})s", value)
    sql = sql.replace("%%", "%")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # The rows of an earlier fill (bench-data's dossiers have a lookup secret).
        cursor.execute(
            "DELETE FROM dossiers_dossier WHERE code LIKE 'B%' AND lookup_secret_digest = ''"
        )
        cursor.execute(sql)
        # As at a real desk, only the last two weeks' dossiers are still open: the rows above
        # older than that are closed (returned). Without this, half of five years' dossiers were
        # open, and every queue count read 500,000 of them.
        cursor.execute(CLOSE_OLD)
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
    print(f"inserted {n} dossiers in {time.perf_counter() - started:.1f} s")


def searches() -> list[tuple[str, str]]:
    """(what, text typed) — taken from the rows, so that each finds something."""
    from xaso.demo.seed import DEMO_COMMUNE
    from xaso.dossiers.models import Dossier

    demo = Dossier.objects.filter(receiving_commune__code=DEMO_COMMUNE, code__startswith="B")
    sample = demo.order_by("pk").values_list("code", "applicant")[5000]
    other = (
        Dossier.objects.filter(code__startswith="B")
        .exclude(receiving_commune__code=DEMO_COMMUNE)
        .order_by("pk")
        .values_list("code", "applicant")[123457]
    )
    code, applicant = sample
    phone = applicant["phone"]
    return [
        ("code, lower case, no dashes", code.replace("-", "").lower()),
        ("code of another commune (found by the province only)", other[0].lower()),
        ("name without diacritics (common)", "nguyen van an"),
        ("name without diacritics (rare combination)", "ly kim xuyen"),
        ("given name only", "thao"),
        ("phone, with dots", f"{phone[:4]}.{phone[4:7]}.{phone[7:]}"),
        ("phone, +84", f"+84 {phone[1:]}"),
        ("personal ID", applicant["personal_id"]),
        ("end of a phone (4 digits)", phone[-4:]),
        ("nothing found", "zzqx wvk"),
    ]  # fmt: skip


def timed(user, text: str, rounds: int) -> tuple[float, float, int]:
    from xaso.dossiers.search import DossierFilters, dossier_search

    times, found = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        page = dossier_search(user=user, filters=DossierFilters(q=text))
        times.append(time.perf_counter() - started)
        found = len(page.dossiers)
        # A fresh user object each time: the scope is cached on the user (one request).
        user = type(user).objects.get(pk=user.pk)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return times[0], p95, found


def explain(user, text: str) -> str:
    from django.utils import timezone

    from xaso.dossiers.search import DossierFilters, _listed, _ordered, filtered_dossiers
    from xaso.dossiers.selectors import PAGE_SIZE

    filters = DossierFilters(q=text).checked()
    query = _listed(_ordered(filtered_dossiers(user=user, filters=filters, now=timezone.now()), ""))
    return query[: PAGE_SIZE + 1].explain(analyze=True, buffers=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fill", type=int, default=0)
    parser.add_argument("--province", default="66")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--explain", action="store_true", help="print every search's plan")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL")
    if args.fill:
        fill(args.fill, args.province)
    from xaso.accounts.models import User
    from xaso.dossiers.models import Dossier

    total = Dossier.objects.count()
    users = [User.objects.get(username=name) for name in ("reception", "province")]
    print(f"{total} dossiers; {args.rounds} rounds each; times in ms (best / p95)")
    print(f"{'search':58} {'text':26} " + " ".join(f"{u.username:>18}" for u in users))
    worst = 0.0
    for what, text in searches():
        cells = []
        for user in users:
            best, p95, found = timed(user, text, args.rounds)
            worst = max(worst, p95)
            cells.append(f"{best * 1000:6.1f} / {p95 * 1000:6.1f} ({found:2})")
        print(f"{what:58} {text:26} " + " ".join(f"{c:>18}" for c in cells))
    print(f"worst p95: {worst * 1000:.1f} ms (target 200 ms)")
    shown = searches() if args.explain else [searches()[2], searches()[5]]
    for what, text in shown:
        for user in users:
            print(f"\n--- EXPLAIN {what!r} {text!r} as {user.username}")
            print(explain(user, text))


if __name__ == "__main__":
    main()
