"""The dashboards: a commune's Decision 766 index and service figures (leader, admin, every
commune role but the community team), a province's communes ranked (the province viewer's home).
Charts are server-drawn SVG; every table is also an .xlsx (`?format=xlsx`)."""

from io import BytesIO

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xaso.core.cells import row_as_text
from xaso.core.errors import DomainError
from xaso.reports.counters import OnePage
from xaso.reports.kpis import kpis_for
from xaso.reports.selectors import (
    area_for,
    default_area,
    dossiers_behind,
    index_and_ranking,
    period_named,
    period_parse,
    trend,
)
from xaso.reports.svg import bars, line

from .access import page, staff_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(name: str, header: list[str], rows: list[list]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append(row)
        row_as_text(sheet[sheet.max_row])  # text stays text, never a formula
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _period(request):
    today = timezone.localdate()
    kind = request.GET.get("period", "")
    if kind in ("month", "quarter", "year"):
        return period_named(kind, today)
    return period_parse(request.GET.get("from") or None, request.GET.get("to") or None, today=today)


@staff_required
def dashboard(request):
    try:
        if request.GET.get("commune") or request.GET.get("province"):
            area = area_for(
                request.user,
                commune=request.GET.get("commune", "")[:40],
                province=request.GET.get("province", "")[:10],
            )
        else:
            area = default_area(request.user)
        period = _period(request)
    except DomainError as error:
        if error.status in (403, 404):
            raise Http404 from error
        return page(request, "backoffice/reports/error.html", {"error": error.message}, status=400)
    if area is None:
        raise Http404
    report_page = OnePage()  # the index and the trend measured at one moment, counted once
    result, ranked = index_and_ranking(area, period, page=report_page)
    query = f"{area.kind}={area.code}&from={period.first}&to={period.last}"
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return _xlsx(
            f"chi-so-766-{area.code}-{period.first}-{period.last}",
            [
                _("Group"),
                _("Indicator"),
                _("Name"),
                _("Numerator"),
                _("Denominator"),
                _("Points"),
                _("Maximum"),
            ],
            [
                [
                    i.group,
                    i.code,
                    i.name,
                    i.numerator,
                    i.denominator,
                    float(i.points),
                    float(i.max_points),
                ]
                for i in result.indicators()
            ],
        )
    if fmt == "ranking-xlsx" and ranked:
        return _xlsx(
            f"xep-hang-{area.code}-{period.first}-{period.last}",
            [_("Commune"), _("Total"), *[g.code for g in result.groups]],
            [[c.name, float(r.total), *[float(g.points) for g in r.groups]] for c, r in ranked],
        )
    kpis = kpis_for(area, period) if area.kind == "commune" else None
    months = trend(area, period.last, months=6, page=report_page)
    context = {
        "area": area,
        "period": period,
        "result": result,
        "query": query,
        "weakest": [i for i in result.weakest() if i.lost > 0][:8],
        "groups_chart": bars(
            [(g.code, float(g.points), float(g.max_points)) for g in result.groups],
            title=_("Points by group"),
        ),
        "trend_chart": line(
            [(d.strftime("%m/%Y"), None if v is None else float(v)) for d, v in months],
            title=_("Index by month"),
        ),
        "ranked": ranked,
        "kpis": kpis,
        "hours_chart": bars(
            [
                (
                    f"{m[5:7]}/{m[:4]}",
                    v["median"] or 0,
                    max(
                        (x["p90"] or 0 for x in kpis["processing_hours"]["by_month"].values()),
                        default=1,
                    )
                    or 1,
                )
                for m, v in kpis["processing_hours"]["by_month"].items()
            ],
            title=_("Median processing time by month (working hours)"),
        )
        if kpis and kpis["processing_hours"]["by_month"]
        else "",
        "behind_url": reverse("backoffice:reports_dossiers"),
        "printed_at": timezone.now(),
    }
    return page(request, "backoffice/reports/dashboard.html", context)


@staff_required
def dossiers(request):
    """The dossiers behind one indicator (the late ones, those not paid online …)."""
    try:
        area = area_for(
            request.user,
            commune=request.GET.get("commune", "")[:40],
            province=request.GET.get("province", "")[:10],
        )
        period = _period(request)
    except DomainError as error:
        raise Http404 from error
    measure = request.GET.get("measure", "")[:40]
    queryset = dossiers_behind(area, period, measure)
    if queryset is None:
        raise Http404
    rows = list(queryset[:500])
    for row in rows:
        row.due_shown = row._due  # templates read no underscored name
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            f"ho-so-{measure}-{area.code}",
            [_("Code"), _("Procedure"), _("State"), _("Submitted"), _("Due")],
            [
                [
                    d.code,
                    d.procedure.name,
                    d.get_state_display(),
                    timezone.localtime(d.submitted_at).strftime("%d/%m/%Y %H:%M"),
                    timezone.localtime(d._due).strftime("%d/%m/%Y %H:%M") if d._due else "",
                ]
                for d in rows
            ],
        )
    return page(
        request,
        "backoffice/reports/dossiers.html",
        {
            "area": area,
            "period": period,
            "measure": measure,
            "rows": rows,
            "query": request.GET.urlencode(),
        },
    )
