"""Two views: one indexed lookup by code key (as the citizen's lookup), a 25-row keyset page of
one commune's dossiers (as the staff queue), and one without the database."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import path


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


def page(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.id, d.code, d.state, d.submitted_at, d.due_at FROM dossiers_dossier d "
            "JOIN places_commune c ON c.id = d.receiving_commune_id WHERE c.code = %s "
            "ORDER BY d.id DESC LIMIT 25",
            [request.GET.get("commune", "DEMO-PL")],
        )
        rows = cursor.fetchall()
    return JsonResponse(
        {"items": [{"code": r[1], "state": r[2], "submitted_at": r[3], "due_at": r[4]}
                   for r in rows]}
    )  # fmt: skip


def nothing(request):
    return HttpResponse("ok")


urlpatterns = [path("lookup", lookup), path("page", page), path("healthz", nothing)]
