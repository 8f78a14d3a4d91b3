"""The commune's service figures over a period (issue 18 item 3): processing time from receipt
to return in working hours (average, median, 90th percentile; by procedure, officer and month),
on-time, same-day and Friday same-day rates, online and e-payment shares by village,
satisfaction, fees by procedure and method. Read for one area in a fixed number of queries."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Sum
from django.db.models.fields.json import KT

from xaso.dossiers.models import Channel
from xaso.payments.models import Payment
from xaso.places.models import Village
from xaso.workdays.calendars import commune_calendar
from xaso.workdays.engine import TZ

from .counters import Period, late_q, period_dossiers, with_timing

FRIDAY = 4
KPI_FIELDS = (
    "channel", "fee_amount", "paid_online", "rating", "received_at", "returned_at",
    "procedure__code", "receiving_commune__code", "assigned_to__username",
)  # fmt: skip


def _hours_stats(values: list[float]) -> dict:
    if not values:
        return {"count": 0, "average": None, "median": None, "p90": None}
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, max(0, round(0.9 * len(ordered) + 0.5) - 1))]
    return {
        "count": len(values),
        "average": round(statistics.fmean(values), 2),
        "median": round(statistics.median(values), 2),
        "p90": round(p90, 2),
    }


def _rate(numerator: int, denominator: int) -> dict:
    share = round(numerator / denominator, 4) if denominator else None
    return {"numerator": numerator, "denominator": denominator, "rate": share}


def _working_hours(calendars: dict, commune_code: str, start: datetime, end: datetime) -> float:
    key = (commune_code, start.astimezone(TZ).year)
    if key not in calendars:
        calendars[key] = commune_calendar(commune_code, key[1]).calendar
    try:
        return calendars[key].working_seconds_between(start, end) / 3600
    except Exception:  # a date outside the calendar's window: count nothing rather than fail
        return 0.0


def kpis_for(area, period: Period) -> dict:
    at = period.measured_at()
    in_period = period_dossiers(area.commune_ids, period)
    # Only the columns counted below: a commune's year is thousands of dossiers, and their
    # answers, applicant and the procedures' forms (JSON) cost more to read than to count.
    dossiers = list(
        with_timing(in_period, at)
        .select_related("procedure", "receiving_commune", "assigned_to")
        .only(*KPI_FIELDS)
        .annotate(village=KT("applicant__village"), _late=Count("id", filter=late_q(at)))
        .order_by("submitted_at")
    )
    calendars: dict = {}
    hours: list[float] = []
    by_procedure, by_officer, by_month = defaultdict(list), defaultdict(list), defaultdict(list)
    timed = late = same_day = friday = friday_same = 0
    on_time_proc = defaultdict(lambda: [0, 0])
    villages = defaultdict(lambda: [0, 0, 0, 0])  # dossiers, online, fee-bearing, paid online
    ratings = []
    for d in dossiers:
        village = d.village or ""
        v = villages[village]
        v[0] += 1
        v[1] += d.channel == Channel.ONLINE
        v[2] += bool(d.fee_amount)
        v[3] += bool(d.fee_amount) and d.paid_online
        if d.rating is not None:
            ratings.append(d.rating)
        if d.received_at is None:
            continue
        timed += 1
        late += bool(d._late)
        proc = on_time_proc[d.procedure.code]
        proc[1] += 1
        proc[0] += not d._late
        received_day = d.received_at.astimezone(TZ).date()
        if received_day.weekday() == FRIDAY:
            friday += 1
        if d.returned_at is None:
            continue
        value = _working_hours(calendars, d.receiving_commune.code, d.received_at, d.returned_at)
        hours.append(value)
        by_procedure[d.procedure.code].append(value)
        officer = d.assigned_to.get_username() if d.assigned_to else ""
        by_officer[officer].append(value)
        by_month[received_day.strftime("%Y-%m")].append(value)
        if d.returned_at.astimezone(TZ).date() == received_day:
            same_day += 1
            friday_same += received_day.weekday() == FRIDAY
    names = dict(
        Village.objects.filter(commune_id__in=area.commune_ids).values_list("code", "name")
    )
    fees = (
        Payment.objects.filter(request__dossier__in=in_period.values("pk"))
        .values("request__dossier__procedure__code", "method")
        .annotate(amount=Sum("amount"), count=Count("id"))
        .order_by("request__dossier__procedure__code", "method")
    )
    return {
        "dossiers": len(dossiers),
        "processing_hours": {
            **_hours_stats(hours),
            "by_procedure": {k: _hours_stats(v) for k, v in sorted(by_procedure.items())},
            "by_officer": {k: _hours_stats(v) for k, v in sorted(by_officer.items())},
            "by_month": {k: _hours_stats(v) for k, v in sorted(by_month.items())},
        },
        "on_time": _rate(timed - late, timed),
        "on_time_by_procedure": {k: _rate(*v) for k, v in sorted(on_time_proc.items())},
        "same_day": _rate(same_day, timed),
        "friday_same_day": _rate(friday_same, friday),
        "online": _rate(sum(v[1] for v in villages.values()), len(dossiers)),
        "e_payment": _rate(
            sum(v[3] for v in villages.values()), sum(v[2] for v in villages.values())
        ),
        "by_village": [
            {
                "village": code,
                "name": names.get(code, code),
                "online": _rate(v[1], v[0]),
                "e_payment": _rate(v[3], v[2]),
            }
            for code, v in sorted(villages.items())
        ],
        "satisfaction": {
            "ratings": len(ratings),
            "average": round(statistics.fmean(ratings), 2) if ratings else None,
            "satisfied": _rate(sum(1 for r in ratings if r >= 4), len(ratings)),
        },
        "fees": [
            {
                "procedure": row["request__dossier__procedure__code"],
                "method": row["method"],
                "amount": row["amount"],
                "count": row["count"],
            }
            for row in fees
        ],
    }
