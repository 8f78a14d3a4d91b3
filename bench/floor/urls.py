"""The floor's views, each the bare version of one scenario: one indexed lookup by code key (the
citizen's lookup), a 25-row keyset page of one commune's dossiers (the staff queues and the
Friday board), a trigram search over one commune's applicants (the staff search), a match over
the procedures' search text (the catalogue search), one aggregate over a period (the reports),
one row written (each request of a submission or a webhook), and a view without the database."""

import datetime

from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

PAGE = 25
# The commune by its code, looked up in the same statement (an InitPlan), as xaso's staff reads
# filter on the officer's commune ids. With a JOIN on places_commune.code instead, the plan
# depended on the statistics of the moment: on the database of 2026-12-03 it became a bitmap scan
# of all DEMO-PL's ~105,000 rows (0.7 s) instead of a walk down the newest ids (bench/README.md).
COMMUNE_ID = "(SELECT id FROM places_commune WHERE code = %s)"


def lookup(request):
    key = "".join(ch for ch in request.GET.get("code", "").upper() if ch.isalnum())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, state, submitted_at, due_at FROM dossiers_dossier WHERE code_key = %s",
            [key],
        )
        row = cursor.fetchone()
    if row is None:
        return JsonResponse({"error": "not_found"}, status=404)
    return JsonResponse({"code": row[0], "state": row[1], "submitted_at": row[2], "due_at": row[3]})


def _rows(rows):
    return JsonResponse(
        {"items": [{"code": r[1], "state": r[2], "submitted_at": r[3], "due_at": r[4]}
                   for r in rows]}
    )  # fmt: skip


def page(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.id, d.code, d.state, d.submitted_at, d.due_at FROM dossiers_dossier d "
            f"WHERE d.receiving_commune_id = {COMMUNE_ID} ORDER BY d.id DESC LIMIT 25",
            [request.GET.get("commune", "DEMO-PL")],
        )
        return _rows(cursor.fetchall())


def search(request):
    """The words of `q` (already without diacritics) as prefixes in the applicant search text,
    the way the staff search's trigram index is used."""
    words = request.GET.get("q", "").lower().split()[:6] or [""]
    condition = " AND ".join(["d.search_text LIKE %s"] * len(words))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.id, d.code, d.state, d.submitted_at, d.due_at FROM dossiers_dossier d "
            f"WHERE d.receiving_commune_id = {COMMUNE_ID} AND {condition} "
            "ORDER BY d.id DESC LIMIT 26",
            [request.GET.get("commune", "DEMO-PL"), *[f"% {w}%" for w in words]],
        )
        return _rows(cursor.fetchall()[:PAGE])


def catalog(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, name FROM catalog_procedure WHERE is_active AND search_text LIKE %s "
            "ORDER BY code LIMIT 25",
            [f"%{request.GET.get('q', '').lower()}%"],
        )
        return JsonResponse({"items": [{"code": c, "name": n} for c, n in cursor.fetchall()]})


def report(request):
    """Dossiers of a commune (or a province) filed in [from, to), counted by procedure and state
    in one aggregate: what a report reads, without its 17 measures."""
    first = datetime.date.fromisoformat(request.GET["from"])
    last = datetime.date.fromisoformat(request.GET["to"])
    area = "c.code = %s" if "commune" in request.GET else "p.code = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.procedure_id, count(*), count(*) FILTER (WHERE d.state = 'returned'), "
            "count(*) FILTER (WHERE d.due_at < d.returned_at) FROM dossiers_dossier d "
            "JOIN places_commune c ON c.id = d.receiving_commune_id "
            "JOIN places_province p ON p.id = c.province_id "
            f"WHERE {area} AND d.submitted_at >= %s AND d.submitted_at < %s "
            "GROUP BY d.procedure_id",
            [request.GET.get("commune") or request.GET.get("province"), first, last],
        )
        return JsonResponse({"rows": len(cursor.fetchall())})


@csrf_exempt
def write(request):
    """One row written in one transaction (bench_floor_write: an unlogged table that
    bench/load/prepare.py makes)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_floor_write (at, size) VALUES (now(), %s) RETURNING id",
            [len(request.body)],
        )
        (number,) = cursor.fetchone()
    return JsonResponse({"id": number}, status=201)


def nothing(request):
    return HttpResponse("ok")


urlpatterns = [
    path("lookup", lookup),
    path("page", page),
    path("search", search),
    path("catalog", catalog),
    path("report", report),
    path("write", write),
    path("healthz", nothing),
]
