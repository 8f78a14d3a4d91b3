"""Catalogue search: queries per second, for the seed catalogue and for a province-sized one.

Search ranks in Python over one narrow query (see xaso/catalog/selectors.py); this measures what
that costs as the catalogue grows. Runs on a throw-away SQLite database in memory.

    PYTHONPATH=. .venv/bin/python bench/catalog_search.py
"""

import json
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django

django.setup()

from django.test.utils import setup_databases  # noqa: E402

QUERIES = [
    "khai sinh", "lam giay ket hon", "xin xác nhận độc thân", "chứng thực bản sao", "1.001193",
    "đăng ký tạm trú", "hộ nghèo", "mai táng phí", "giấy phép xây dựng", "không có gì",
]  # fmt: skip


def main() -> None:
    setup_databases(verbosity=0, interactive=False)
    from xaso.catalog.exchange import SEED_CATALOG
    from xaso.catalog.models import Procedure
    from xaso.catalog.selectors import procedure_search
    from xaso.catalog.services import catalog_import

    catalog_import(actor=None, data=json.loads(SEED_CATALOG.read_text(encoding="utf-8")))
    for target in (Procedure.objects.count(), 2000):
        seed = list(Procedure.objects.filter(code__lt="9"))
        number = 0
        while Procedure.objects.count() < target:
            template = seed[number % len(seed)]
            template.pk, template.code = None, f"9.{number:06d}"
            template.save()
            number += 1
        best = float("inf")
        for _round in range(3):
            started = time.perf_counter()
            for _repeat in range(20):
                for query in QUERIES:
                    procedure_search(query)
            best = min(best, time.perf_counter() - started)
        searches = 20 * len(QUERIES)
        print(
            f"{target:>5} procedures: {searches / best:,.0f} searches/s "
            f"({best / searches * 1000:.2f} ms each)"
        )


if __name__ == "__main__":
    main()
