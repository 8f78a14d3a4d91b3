"""Reads of the reports: the index of a commune or a province over a period, the dossiers behind
an indicator, the communes of a province ranked. Every read goes through the staff scope: a
commune's staff read their communes, a province viewer their province (404 elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from xaso.accounts.models import Role
from xaso.accounts.scoping import FULL_READ_ROLES, staff_scope
from xaso.catalog.models import CommuneProcedure
from xaso.core.errors import Forbidden, InvalidInput, NotFound
from xaso.places.models import Commune, Province

from . import facts
from .counters import (
    FILTERS,
    OnePage,
    Period,
    counters_for,
    late_q,
    period_dossiers,
    with_timing,
)
from .measures import Counters, Definition, GroupDef, IndexResult, IndicatorDef, index_compute
from .models import IndexVersion


class PeriodInvalid(InvalidInput):
    code = "period_invalid"


MAX_DAYS = 3 * 366


def period_parse(first: str | date | None, last: str | date | None, *, today: date) -> Period:
    """A custom period from two ISO dates (inclusive); missing: the current month so far."""
    try:
        first = date.fromisoformat(first) if isinstance(first, str) and first else first
        last = date.fromisoformat(last) if isinstance(last, str) and last else last
    except ValueError as error:
        raise PeriodInvalid(_("Give the dates as YYYY-MM-DD.")) from error
    first = first or today.replace(day=1)
    last = last or today
    if last < first or (last - first).days > MAX_DAYS:
        raise PeriodInvalid(_("The period must end after it starts and last at most three years."))
    return Period(first, last)


def period_named(kind: str, day: date) -> Period:
    """The month, quarter or year holding `day`."""
    if kind == "year":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31))
    if kind == "quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        first = date(day.year, first_month, 1)
    else:
        first = day.replace(day=1)
    months = 3 if kind == "quarter" else 1
    year, month = divmod(first.month - 1 + months, 12)
    return Period(first, date(first.year + year, month + 1, 1) - timedelta(days=1))


def definition_for(day: date) -> Definition:
    version = (
        IndexVersion.objects.filter(is_active=True, valid_from__lte=day)
        .order_by("-valid_from")
        .prefetch_related("groups__indicators")
        .first()
    ) or IndexVersion.objects.filter(is_active=True).prefetch_related("groups__indicators").first()
    if version is None:
        raise NotFound(_("No index definition is in use."), code="index_undefined")
    return Definition(
        version=version.code,
        groups=tuple(
            GroupDef(
                code=g.code,
                name=g.name,
                max_points=g.max_points,
                indicators=tuple(
                    IndicatorDef(
                        code=i.code,
                        name=i.name,
                        measure=i.measure,
                        max_points=i.max_points,
                        threshold=i.threshold,
                        empty_rule=i.empty_rule,
                    )
                    for i in g.indicators.all()
                ),
            )
            for g in version.groups.all()
        ),
    )


@dataclass(frozen=True)
class Area:
    """The communes a report covers: one commune, or a province's."""

    kind: str  # "commune" | "province"
    code: str
    name: str
    commune_ids: tuple[int, ...]


def area_for(user, *, commune: str = "", province: str = "") -> Area:
    scope = staff_scope(user)
    if commune:
        found = scope.commune(commune, roles=FULL_READ_ROLES)
        return Area("commune", found.code, found.name, (found.pk,))
    if not province:
        raise InvalidInput(_("Name a commune or a province."), code="area_required")
    found = Province.objects.filter(code=province).first()
    if found is None:
        raise NotFound(code="province_not_found")
    if found.pk not in scope.province_ids:
        ids = Commune.objects.filter(province=found).values_list("pk", flat=True)
        if scope.commune_ids(FULL_READ_ROLES) & set(ids):
            raise Forbidden()
        raise NotFound(code="province_not_found")
    ids = tuple(Commune.objects.filter(province=found).values_list("pk", flat=True))
    return Area("province", found.code, found.name, ids)


def default_area(user) -> Area | None:
    """The area a user's dashboard opens on: their province as a viewer, else their first
    commune (by name) with a full reading role."""
    scope = staff_scope(user)
    if scope.province_ids:
        province = Province.objects.filter(pk__in=scope.province_ids).order_by("code").first()
        return area_for(user, province=province.code)
    ids = scope.commune_ids(FULL_READ_ROLES - {Role.PROVINCE_VIEWER})
    first = Commune.objects.filter(pk__in=ids).order_by("name").first()
    return area_for(user, commune=first.code) if first else None


def index_for(area: Area, period: Period) -> IndexResult:
    return index_compute(definition_for(period.first), counters_for(area.commune_ids, period))


def index_and_ranking(area: Area, period: Period, *, page: OnePage | None = None):
    """The area's index and, for a province, its communes ranked: the counters read once.
    `page`: as in `counters_for`."""
    definition = definition_for(period.first)
    counters = counters_for(area.commune_ids, period, page=page)
    ranked = _ranked(area, period, definition, counters) if area.kind == "province" else []
    return index_compute(definition, counters), ranked


def communes_ranked(area: Area, period: Period) -> list[tuple[Commune, IndexResult]]:
    """Every commune of the area with its index, the best first (one aggregate query)."""
    definition, counters = definition_for(period.first), counters_for(area.commune_ids, period)
    return _ranked(area, period, definition, counters)


def _ranked(area: Area, period: Period, definition: Definition, counters):
    """Each commune's index from its own rows, catalogue and feedback; the best first."""
    by_commune: dict[int, list] = {}
    for row in counters.rows:
        by_commune.setdefault(row.commune_id, []).append(row)
    offers = {
        r["commune_id"]: r
        for r in CommuneProcedure.objects.filter(commune_id__in=area.commune_ids, offered=True)
        .values("commune_id")
        .annotate(offered=Count("id"), published=Count("id", filter=~Q(procedure__legal_basis=[])))
        .order_by()
    }
    feedback = facts.feedback_counts_by_commune(area.commune_ids, period.start, period.end)
    ranked = []
    for commune in Commune.objects.filter(pk__in=area.commune_ids).order_by("name"):
        rows = by_commune.get(commune.pk, [])
        if not rows:
            continue
        offer = offers.get(commune.pk, {})
        said = feedback.get(commune.pk, {})
        one = Counters(
            rows=rows,
            offered=offer.get("offered", 0),
            published=offer.get("published", 0),
            feedback=said.get("due", 0),
            feedback_on_time=said.get("on_time", 0),
            feedback_rated=said.get("rated", 0),
            feedback_satisfied=said.get("satisfied", 0),
        )
        ranked.append((commune, index_compute(definition, one)))
    ranked.sort(key=lambda pair: (-pair[1].total, pair[0].name))
    return ranked


def trend(
    area: Area, last: date, months: int = 6, *, page: OnePage | None = None
) -> list[tuple[date, Decimal | None]]:
    """The index month by month, the last `months` months up to `last`; None for a month in
    which no dossier was filed (nothing measured is not full marks). `page`: as in
    `counters_for`."""
    points = []
    day = last.replace(day=1)
    for _i in range(months):
        period = period_named("month", day)
        counters = counters_for(area.commune_ids, period, page=page)
        measured = counters.total().n > 0
        total = index_compute(definition_for(period.first), counters).total if measured else None
        points.append((period.first, total))
        day = (day - timedelta(days=1)).replace(day=1)
    return list(reversed(points))


def dossiers_behind(area: Area, period: Period, measure: str):
    """The dossiers that cost the indicator its points (late, not paid online …), newest first;
    None for a measure not made of dossiers."""
    failing = FILTERS.get(measure)
    if failing is None:
        return None
    at = period.measured_at()
    queryset = with_timing(period_dossiers(area.commune_ids, period), at).filter(failing(at))
    if measure in ("on_time", "dossier_satisfaction", "apology"):
        queryset = queryset.filter(received_at__isnull=False)
    return queryset.select_related("procedure", "receiving_commune").order_by("-submitted_at")


__all__ = ["late_q"]


def public_communes():
    """The communes whose index the public page shows: those offering procedures."""
    offering = CommuneProcedure.objects.filter(offered=True).values("commune_id")
    return Commune.objects.filter(pk__in=offering).order_by("name")


def public_index(commune_code: str, period: Period) -> tuple[Commune, IndexResult]:
    """A commune's index for the public transparency page: aggregate points only (no dossier,
    no person), read like the staff dashboard's (the roll-up for ended months). 404 for a
    commune that offers nothing."""
    commune = public_communes().filter(code=commune_code).first()
    if commune is None:
        raise NotFound(code="commune_not_found")
    area = Area("commune", commune.code, commune.name, (commune.pk,))
    return commune, index_for(area, period)
