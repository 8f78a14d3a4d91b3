"""The monthly roll-up of the index's counters (issue 18 item 6: a province-year at 1 M dossiers
in ≤ 1 s). One row per commune × procedure × month of filing holds the `measures.Row` counters of
those dossiers; `counters.counters_for` reads whole past months from it and computes the rest
live (the current month, partial months at a custom period's edges, months not rolled up yet).

Two counters depend on when the index is measured, so a month's row cannot hold them whole:
- *late*: a dossier not ended is late once the measuring moment M passes its due time. Those
  due after the month's end (and not ended before their due time) are kept in `RollupPending`
  with their due time, and counted when due < M. The rest is settled for any M ≥ the month's end,
  the only moments at which a past month is read from the roll-up.
- *disliked* because of a complaint: a complaint counts when filed before the period's end;
  complaints first filed after the month's end are kept in `RollupPending` with their time.

The roll-up is derived data: rebuilding a month (`rollup_build`) replaces its rows; the daily task
(`reports.tasks.rollup_refresh_task`) rebuilds the months whose dossiers or complaints changed
since they were built. Between two refreshes a past month may lag the live figures by a day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F, Max, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from xaso.catalog.models import Procedure
from xaso.dossiers.models import Dossier, State
from xaso.feedback.models import FeedbackEvent
from xaso.workdays.engine import TZ

from . import facts
from .counters import Period, plain_rows, procedure_kinds, row_counts, with_timing
from .measures import SUMMED, Row
from .models import MonthlyRollup, RollupBuild, RollupPending


def month_first(day: date) -> date:
    return day.replace(day=1)


def month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _instant(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TZ)


def rollup_build(*, commune_ids, month: date, now: datetime | None = None) -> int:
    """Roll up the dossiers of these communes filed in `month` (replacing what was there);
    returns the number of rows written."""
    now = now or timezone.now()
    month = month_first(month)
    start, end = _instant(month), _instant(month_after(month))
    commune_ids = list(commune_ids)
    dossiers = Dossier.objects.filter(
        receiving_commune_id__in=commune_ids, submitted_at__gte=start, submitted_at__lt=end
    )
    first_complaint = facts.first_complaints(commune_ids, start, end)
    received = Q(received_at__isnull=False)
    many_rounds = Q(supplement_rounds__gt=1)
    paused_now = Q(state=State.PAUSED, _end__isnull=True)
    due_before_end = Q(_due__isnull=False) & (Q(_end__isnull=True) | Q(_due__lt=F("_end")))
    # Late for every M ≥ the month's end (docs/index-766.md, "Late"):
    settled_late = received & (many_rounds | (due_before_end & Q(_due__lt=end) & ~paused_now))
    # Late once M passes the due time:
    pending_late = received & ~many_rounds & ~paused_now & due_before_end & Q(_due__gte=end)
    low_rating = Q(rating__isnull=False, rating__lte=2)
    early = [pk for pk, at in first_complaint.items() if at < end]
    settled_disliked = low_rating | Q(pk__in=early) if early else low_rating
    late_ones = (
        with_timing(dossiers, end)
        .filter(pending_late)
        .values("receiving_commune_id", "procedure_id", "_due", "extended")
        .order_by()
    )
    later = [pk for pk, at in first_complaint.items() if at >= end]
    disliked_later = (
        dossiers.filter(received, ~low_rating, pk__in=later).values(
            "pk", "receiving_commune_id", "procedure_id"
        )
        if later
        else []
    )
    with transaction.atomic():
        MonthlyRollup.objects.filter(commune_id__in=commune_ids, month=month).delete()
        RollupPending.objects.filter(commune_id__in=commune_ids, month=month).delete()
        rows = [
            MonthlyRollup(
                commune_id=r["receiving_commune_id"],
                procedure_id=r["procedure_id"],
                month=month,
                **{name: r[name] for name in SUMMED},
            )
            for r in row_counts(dossiers, at=end, late=settled_late, disliked=settled_disliked)
        ]
        MonthlyRollup.objects.bulk_create(rows, batch_size=1000)
        pending: dict[tuple, int] = defaultdict(int)
        for r in late_ones:
            key = (r["receiving_commune_id"], r["procedure_id"], r["_due"])
            pending[(*key, RollupPending.Kind.LATE)] += 1
            if r["extended"]:
                pending[(*key, RollupPending.Kind.LATE_APOLOGISED)] += 1
        for r in disliked_later:
            key = (r["receiving_commune_id"], r["procedure_id"], first_complaint[r["pk"]])
            pending[(*key, RollupPending.Kind.DISLIKED)] += 1
        RollupPending.objects.bulk_create(
            [
                RollupPending(
                    commune_id=commune, procedure_id=procedure, month=month, kind=kind, at=at, n=n
                )
                for (commune, procedure, at, kind), n in pending.items()
            ],
            batch_size=1000,
        )
        RollupBuild.objects.filter(commune_id__in=commune_ids, month=month).delete()
        RollupBuild.objects.bulk_create(
            [RollupBuild(commune_id=pk, month=month, built_at=now) for pk in commune_ids]
        )
    return len(rows)


def rollup_rebuild(*, first: date, last: date, commune_ids=None, now=None) -> int:
    """Rebuild every month from `first` to `last` (inclusive) that has ended, for these communes
    (default: every commune with a dossier or a build in the month). Returns the rows written."""
    now = now or timezone.now()
    this_month = month_first(timezone.localtime(now, TZ).date())
    written = 0
    month = month_first(first)
    while month <= last and month < this_month:
        ids = commune_ids
        if ids is None:
            start, end = _instant(month), _instant(month_after(month))
            ids = set(
                Dossier.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
                .values_list("receiving_commune_id", flat=True)
                .distinct()
                .order_by()
            ) | set(RollupBuild.objects.filter(month=month).values_list("commune_id", flat=True))
        if ids:
            written += rollup_build(commune_ids=ids, month=month, now=now)
        month = month_after(month)
    return written


def rollup_refresh(*, now: datetime | None = None) -> int:
    """The daily task: roll up every ended month of every commune that has no build yet, or
    whose dossiers (or the complaints about them) changed since it was built. Returns the
    number of (commune, month) pairs rebuilt."""
    now = now or timezone.now()
    this_month = _instant(month_first(timezone.localtime(now, TZ).date()))
    built = {(b.commune_id, b.month): b.built_at for b in RollupBuild.objects.all()}
    changed: dict[tuple[int, date], datetime] = {}
    by_month = (
        Dossier.objects.filter(submitted_at__lt=this_month)
        .annotate(month=TruncMonth("submitted_at", tzinfo=TZ))
        .values("receiving_commune_id", "month")
        .annotate(changed=Max("updated_at"))
        .order_by()
    )
    for r in by_month:
        changed[(r["receiving_commune_id"], _as_date(r["month"]))] = r["changed"]
    complaints = (
        FeedbackEvent.objects.filter(
            feedback__dossier__isnull=False, feedback__dossier__submitted_at__lt=this_month
        )
        .annotate(month=TruncMonth("feedback__dossier__submitted_at", tzinfo=TZ))
        .values("feedback__dossier__receiving_commune_id", "month")
        .annotate(changed=Max("at"))
        .order_by()
    )
    for r in complaints:
        key = (r["feedback__dossier__receiving_commune_id"], _as_date(r["month"]))
        changed[key] = max(filter(None, (changed.get(key), r["changed"])))
    stale: dict[date, list[int]] = defaultdict(list)
    for (commune, month), at in changed.items():
        if (commune, month) not in built or (at and at >= built[(commune, month)]):
            stale[month].append(commune)
    for month, communes in sorted(stale.items()):
        rollup_build(commune_ids=communes, month=month, now=now)
    return sum(len(c) for c in stale.values())


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def rollup_rows(commune_ids, period: Period, *, at: datetime):
    """The rows of the whole months of `period` rolled up after they ended, and the parts left
    to compute live: a list of (commune ids, start, end)."""
    now = timezone.now()
    # Whole months inside the period, ended before now (M is then at or after their end).
    months = []
    month = month_first(period.first)
    if month < period.first:
        month = month_after(month)
    while month_after(month) <= period.last + timedelta(days=1) and _instant(
        month_after(month)
    ) <= min(period.end, now):
        months.append(month)
        month = month_after(month)
    ids = set(commune_ids)
    covered: dict[date, frozenset[int]] = {m: frozenset() for m in months}
    if months:
        found: dict[date, set[int]] = defaultdict(set)
        for b in RollupBuild.objects.filter(commune_id__in=ids, month__in=months):
            if b.built_at >= _instant(month_after(b.month)):
                found[b.month].add(b.commune_id)
        covered = {m: frozenset(found.get(m, ())) for m in months}
    # The live parts, in time order, neighbours with the same communes merged.
    segments: list[tuple[frozenset[int], datetime, datetime]] = []
    cursor = period.start
    for m in months:
        if _instant(m) > cursor:
            segments.append((frozenset(ids), cursor, _instant(m)))
        segments.append((frozenset(ids - covered[m]), _instant(m), _instant(month_after(m))))
        cursor = _instant(month_after(m))
    if cursor < period.end:
        segments.append((frozenset(ids), cursor, period.end))
    parts: list[tuple[frozenset[int], datetime, datetime]] = []
    for communes, start, end in segments:
        if not communes:
            continue
        if parts and parts[-1][0] == communes and parts[-1][2] == start:
            parts[-1] = (communes, parts[-1][1], end)
        else:
            parts.append((communes, start, end))
    by_communes: dict[frozenset[int], list[date]] = defaultdict(list)
    for m, communes in covered.items():
        if communes:
            by_communes[communes].append(m)
    if not by_communes:
        return [], [(sorted(c), s, e) for c, s, e in parts]
    where = Q()
    for communes, in_months in by_communes.items():
        where |= Q(commune_id__in=sorted(communes), month__in=in_months)
    # Grouped on the roll-up's own columns only; the procedures' kinds are joined in Python. The
    # sums are read in measures.SUMMED's order: Row(commune, procedure, *kinds, *counts).
    keys = ("commune_id", "procedure_id")
    kinds = {
        pk: procedure_kinds(level, field)
        for pk, level, field in Procedure.objects.values_list("pk", "online_level", "field__code")
    }
    rows: dict[tuple[int, int], Row] = {}
    summed = (
        MonthlyRollup.objects.filter(where)
        .values(*keys)
        .annotate(**{f"s_{name}": Coalesce(Sum(name), 0) for name in SUMMED})
        .order_by()
    )
    for commune_id, procedure_id, *counts in plain_rows(summed):
        rows[(commune_id, procedure_id)] = Row(
            commune_id, procedure_id, *kinds[procedure_id], *counts
        )
    late_kinds = (RollupPending.Kind.LATE, RollupPending.Kind.LATE_APOLOGISED)
    pending = (
        RollupPending.objects.filter(where)
        .values(*keys)
        .annotate(
            p_late=Coalesce(Sum("n", filter=Q(kind=late_kinds[0], at__lt=at)), 0),
            p_late_apologised=Coalesce(Sum("n", filter=Q(kind=late_kinds[1], at__lt=at)), 0),
            p_disliked=Coalesce(
                Sum("n", filter=Q(kind=RollupPending.Kind.DISLIKED, at__lt=period.end)), 0
            ),
        )
        .order_by()
    )
    for commune_id, procedure_id, late, late_apologised, disliked in plain_rows(pending):
        extra = Row(
            commune_id,
            procedure_id,
            *kinds[procedure_id],
            late=late,
            late_apologised=late_apologised,
            disliked=disliked,
        )
        key = (commune_id, procedure_id)
        if key in rows:
            rows[key].add(extra)
        else:  # a pending row always has its month's counted row; kept for safety
            rows[key] = extra
    return list(rows.values()), [(sorted(c), s, e) for c, s, e in parts]
