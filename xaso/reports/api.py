"""The reports' API: the Decision 766 index and the service figures of a commune or a province
over a period. Staff only: a commune's staff read their communes, a province viewer their
province; anything else is 404 (403 for a commune's staff asking for their whole province)."""

from django.utils import timezone
from ninja import Query, Router

from .kpis import kpis_for
from .measures import IndexResult
from .selectors import area_for, index_for, period_parse

staff_router = Router(tags=["staff"])


def index_answer(area, period, result: IndexResult) -> dict:
    return {
        "area": {"kind": area.kind, "code": area.code, "name": area.name},
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "version": result.version,
        "total": float(result.total),
        "max": float(result.max_points),
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "points": float(g.points),
                "max": float(g.max_points),
                "indicators": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "numerator": i.numerator,
                        "denominator": i.denominator,
                        "points": float(i.points),
                        "max": float(i.max_points),
                    }
                    for i in g.indicators
                ],
            }
            for g in result.groups
        ],
        "weakest": [i.code for i in result.weakest() if i.lost > 0],
    }


@staff_router.get("/reports/index")
def report_index(
    request,
    commune: str = "",
    province: str = "",
    from_: str = Query("", alias="from"),
    to: str = "",
) -> dict:
    """The Decision 766 index (100 points, six groups) of a commune (`commune=CODE`) or a
    province (`province=CODE`) for the dossiers filed from `from` to `to` (YYYY-MM-DD,
    inclusive; default: this month so far). Each indicator with its numerator, denominator,
    points and maximum; `weakest` lists the indicators losing points, the most first."""
    area = area_for(request.user, commune=commune, province=province)
    period = period_parse(from_, to, today=timezone.localdate())
    return index_answer(area, period, index_for(area, period))


@staff_router.get("/reports/kpis")
def report_kpis(
    request,
    commune: str = "",
    province: str = "",
    from_: str = Query("", alias="from"),
    to: str = "",
) -> dict:
    """Processing time received → returned in working hours (average, median, 90th percentile,
    by procedure, officer and month), on-time, same-day and Friday same-day rates, online and
    e-payment shares by village, satisfaction, fees by procedure and method."""
    area = area_for(request.user, commune=commune, province=province)
    period = period_parse(from_, to, today=timezone.localdate())
    return {
        "area": {"kind": area.kind, "code": area.code, "name": area.name},
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        **kpis_for(area, period),
    }
