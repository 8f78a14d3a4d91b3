"""The dossiers of a period, read into the index's counters in one aggregate query per
(commune, procedure) pair (reports/measures.py turns them into points).

A dossier belongs to the period by the day it was filed (`submitted_at`, Việt Nam time) and to
its receiving commune (the one-stop desk that answers for it). Lateness is measured against the
due time before any extension (`original_due_at`), at the dossier's end (`completed_at`, else
`returned_at`) or, unfinished, at the period's end (or now, for a period not over).
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.db.models.sql.constants import MULTI
from django.utils import timezone

from xaso.catalog.models import CommuneProcedure, Procedure
from xaso.dossiers.models import Channel, Dossier, IdentityCheck, Outcome, State
from xaso.workdays.engine import TZ

from . import facts
from .measures import SUMMED, Counters, Row

RESULT_STATES = (State.RESULT_READY, State.RETURNED)
# The procedures' field whose results are certified copies (Decision 766's certification measure).
CERTIFICATION_FIELD = "chung-thuc"


def procedure_kinds(online_level: str, field_code: str | None) -> tuple[bool, bool]:
    """A Row's (full_online, certification) from its procedure's online level and field."""
    return online_level == Procedure.OnlineLevel.FULL, field_code == CERTIFICATION_FIELD


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=TZ)

    def measured_at(self) -> datetime:
        return min(self.end, timezone.now())


def period_dossiers(commune_ids, period: Period):
    return Dossier.objects.filter(
        receiving_commune_id__in=list(commune_ids),
        submitted_at__gte=period.start,
        submitted_at__lt=period.end,
    )


def with_timing(queryset, at: datetime):
    return queryset.annotate(
        _due=Coalesce("original_due_at", "due_at"), _end=Coalesce("completed_at", "returned_at")
    )


def late_q(at: datetime) -> Q:
    """Late: more than one supplement request, or the due time passed before the end (or before
    `at` for a dossier not ended by then), except a dossier paused now (its clock stops)."""
    past_due = Q(_due__lt=Least(Coalesce("_end", Value(at)), Value(at)))
    paused_now = Q(state=State.PAUSED, _end__isnull=True)
    return Q(received_at__isnull=False) & (Q(supplement_rounds__gt=1) | (past_due & ~paused_now))


RESOLVED = Q(state__in=RESULT_STATES, outcome__in=(Outcome.APPROVED, Outcome.DENIED))


def disliked_q(complained_ids) -> Q:
    q = Q(rating__isnull=False, rating__lte=2)
    return q | Q(pk__in=list(complained_ids)) if complained_ids else q


FILTERS = {
    # measure-level failing sets, for "the dossiers behind it" (selectors.dossiers_behind)
    "synced": lambda at: ~Q(national_sync="synced"),
    "on_time": lambda at: late_q(at),
    "apology": lambda at: late_q(at) & Q(extended=False),
    "online": lambda at: (
        Q(procedure__online_level=Procedure.OnlineLevel.FULL) & ~Q(channel=Channel.ONLINE)
    ),
    "paid_online": lambda at: Q(fee_amount__gt=0, paid_online=False),
    "pay_offered_procedures": lambda at: Q(fee_amount__gt=0, fee_online_offered=False),
    "pay_used_procedures": lambda at: Q(fee_amount__gt=0, paid_online=False),
    "e_result": lambda at: RESOLVED & Q(e_result_issued_at__isnull=True),
    "certified_copies": lambda at: (
        RESOLVED & Q(e_result_issued_at__isnull=True, procedure__field__code=CERTIFICATION_FIELD)
    ),
    "digitised": lambda at: (
        Q(components_with_file__lt=F("components_total"))
        | (RESOLVED & Q(e_result_issued_at__isnull=True))
    ),
    "reuse": lambda at: Q(components_total__gt=0, components_reused=0),
    "citizen_store": lambda at: Q(components_from_store=0, e_result_delivered_at__isnull=True),
    "population_data": lambda at: ~Q(identity_check__in=POPULATION),
    "population_procedures": lambda at: ~Q(identity_check__in=POPULATION),
    "dossier_satisfaction": lambda at: late_q(at) | disliked_q(()),
}
POPULATION = (IdentityCheck.CCCD_QR, IdentityCheck.VNEID)


def row_counts(queryset, *, at: datetime, late: Q, disliked: Q):
    """The `Row` counters of a dossier queryset, per (commune, procedure): one aggregate query.
    `late` and `disliked` are given because the roll-up counts them differently (rollup.py)."""
    c = lambda q: Count("id", filter=q)  # noqa: E731
    return (
        with_timing(queryset, at)
        .values(
            "receiving_commune_id",
            "procedure_id",
            "procedure__online_level",
            "procedure__field__code",
        )
        .annotate(
            n=Count("id"),
            synced=c(Q(national_sync="synced")),
            timed=c(Q(received_at__isnull=False)),
            late=c(late),
            late_apologised=c(late & Q(extended=True)),
            online=c(Q(channel=Channel.ONLINE) & ~(RESOLVED & Q(e_result_issued_at__isnull=True))),
            fee_bearing=c(Q(fee_amount__gt=0)),
            fee_online_offered=c(Q(fee_amount__gt=0, fee_online_offered=True)),
            paid_online=c(Q(fee_amount__gt=0, paid_online=True)),
            resolved=c(RESOLVED),
            e_result=c(RESOLVED & Q(e_result_issued_at__isnull=False)),
            digitised=c(
                Q(components_with_file=F("components_total"))
                & ~(RESOLVED & Q(e_result_issued_at__isnull=True))
            ),
            components=Coalesce(Sum("components_total"), 0),
            components_reused=Coalesce(Sum(F("components_reused") + F("components_from_store")), 0),
            store_or_pushed=c(
                Q(components_from_store__gt=0) | Q(e_result_delivered_at__isnull=False)
            ),
            population=c(Q(identity_check__in=POPULATION)),
            disliked=c(Q(received_at__isnull=False) & disliked),
        )
        .order_by()
    )


def plain_rows(queryset) -> list[tuple]:
    """The rows of a grouped count or sum as the database gives them (integers on both backends),
    without the ORM's converter per value: a province's year is ~50,000 rows of 19 values, and
    the converters cost more than the query (bench/README.md)."""
    compiler = queryset.query.get_compiler(queryset.db)
    return [row for chunk in compiler.execute_sql(MULTI) for row in chunk]


def _rows_of(counted) -> list[Row]:
    """`row_counts`' rows as Rows: read plain, each value found by its column's name."""
    columns = [*counted.query.values_select, *counted.query.annotation_select]
    commune, procedure, level, field = (
        columns.index(name)
        for name in (
            "receiving_commune_id", "procedure_id", "procedure__online_level",
            "procedure__field__code",
        )
    )  # fmt: skip
    counts = [columns.index(name) for name in SUMMED]
    return [
        Row(r[commune], r[procedure], *procedure_kinds(r[level], r[field]), *[r[i] for i in counts])
        for r in plain_rows(counted)
    ]


def live_rows(commune_ids, start: datetime, end: datetime, *, at: datetime, period_end: datetime):
    """The rows of the dossiers filed in [start, end), measured at `at`, complaints counted when
    filed before `period_end` (the period's end: `start`…`end` may be only a part of it)."""
    complained = facts.complaints_by_dossier(commune_ids, start, end, before=period_end)
    queryset = Dossier.objects.filter(
        receiving_commune_id__in=list(commune_ids), submitted_at__gte=start, submitted_at__lt=end
    )
    return _rows_of(row_counts(queryset, at=at, late=late_q(at), disliked=disliked_q(complained)))


@dataclass
class OnePage:
    """What the periods of one report page share: the moment it is measured at, and the live
    rows already counted (a province's year and its monthly trend both count the current
    month). Kept for one request."""

    now: datetime = field(default_factory=timezone.now)
    live: dict[tuple, list[Row]] = field(default_factory=dict)


def counters_for(
    commune_ids, period: Period, *, live: bool = False, page: OnePage | None = None
) -> Counters:
    """The period's counters: whole months already rolled up read from the roll-up
    (reports/rollup.py), the rest (the current month, partial months, months not yet rolled up)
    computed live; `live=True` computes everything live (the roll-up's tests compare both).
    `page`: the report page this period is one of (its moment, its live rows counted once)."""
    from .rollup import rollup_rows  # the roll-up builds on this module

    commune_ids = list(commune_ids)
    at = period.measured_at() if page is None else min(period.end, page.now)
    if live:
        parts = [(commune_ids, period.start, period.end)]
        rows = []
    else:
        rows, parts = rollup_rows(commune_ids, period, at=at)
    for ids, start, end in parts:
        if page is None:
            rows.extend(live_rows(ids, start, end, at=at, period_end=period.end))
            continue
        key = (tuple(ids), start, end, at, period.end)
        if key not in page.live:
            page.live[key] = live_rows(ids, start, end, at=at, period_end=period.end)
        rows.extend(copy(row) for row in page.live[key])  # merging below adds into its rows
    merged: dict[tuple[int, int], Row] = {}
    for row in rows:
        key = (row.commune_id, row.procedure_id)
        if key in merged:
            merged[key].add(row)
        else:
            merged[key] = row
    counters = Counters(rows=list(merged.values()))
    offers = CommuneProcedure.objects.filter(commune_id__in=commune_ids, offered=True)
    counts = offers.aggregate(
        offered=Count("id"), published=Count("id", filter=~Q(procedure__legal_basis=[]))
    )
    counters.offered, counters.published = counts["offered"], counts["published"]
    feedback = facts.feedback_counts(commune_ids, period.start, period.end)
    counters.feedback = feedback.get("due", 0)
    counters.feedback_on_time = feedback.get("on_time", 0)
    counters.feedback_rated = feedback.get("rated", 0)
    counters.feedback_satisfied = feedback.get("satisfied", 0)
    return counters
