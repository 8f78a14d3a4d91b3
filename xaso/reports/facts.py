"""What the reports read from the feedback app (complaints and petitions, PAKN): the index's
MDHL.1–MDHL.3 (docs/index-766.md). Reports depend on feedback, never the other way."""

from django.db.models import Count, F, Min, Q

from xaso.feedback.models import Feedback, State

# Rated 4 or 5 of 5: satisfied, as a dossier rated 1–2 counts as disliked (counters.disliked_q).
SATISFIED_FROM = 4


def _accepted(commune_ids):
    # A rejected feedback was not accepted as a complaint or petition: it counts nowhere.
    return Feedback.objects.filter(commune_id__in=list(commune_ids)).exclude(state=State.REJECTED)


def complaints_by_dossier(commune_ids, start, end, *, before) -> set[int]:
    """Ids of the dossiers of these communes filed in [start, end) with a complaint linked and
    filed before `before` (the period's end: a complaint about a dossier comes after it)."""
    rows = _accepted(commune_ids).filter(
        dossier__submitted_at__gte=start,
        dossier__submitted_at__lt=end,
        dossier__receiving_commune_id__in=list(commune_ids),
        filed_at__lt=before,
    )
    return set(rows.values_list("dossier_id", flat=True).distinct())


def first_complaints(commune_ids, start, end) -> dict[int, object]:
    """The first accepted complaint's time of each dossier of these communes filed in
    [start, end) that has one (the roll-up keeps it to count the dossier in later periods)."""
    rows = (
        _accepted(commune_ids)
        .filter(
            dossier__submitted_at__gte=start,
            dossier__submitted_at__lt=end,
            dossier__receiving_commune_id__in=list(commune_ids),
        )
        .values("dossier_id")
        .annotate(first=Min("filed_at"))
        .order_by()
    )
    return {r["dossier_id"]: r["first"] for r in rows}


def feedback_counts(commune_ids, start, end) -> dict[str, int]:
    """Complaints and petitions of these communes due in [start, end): `due`, `on_time` (handled
    by their due time), `rated` (answers the citizen rated), `satisfied` (rated satisfied)."""
    found = _feedback_due(commune_ids, start, end).aggregate(**_FEEDBACK_COUNTS)
    return {name: found[name] or 0 for name in _FEEDBACK_COUNTS}


def feedback_counts_by_commune(commune_ids, start, end) -> dict[int, dict[str, int]]:
    """The same counts, commune by commune (a province's ranking)."""
    rows = (
        _feedback_due(commune_ids, start, end)
        .values("commune_id")
        .annotate(**_FEEDBACK_COUNTS)
        .order_by()
    )
    return {r["commune_id"]: {name: r[name] or 0 for name in _FEEDBACK_COUNTS} for r in rows}


_FEEDBACK_COUNTS = {
    "due": Count("pk"),
    "on_time": Count(
        "pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("answer_due_at"))
    ),
    "rated": Count("pk", filter=Q(rating__isnull=False)),
    "satisfied": Count("pk", filter=Q(rating__gte=SATISFIED_FROM)),
}


def _feedback_due(commune_ids, start, end):
    return _accepted(commune_ids).filter(answer_due_at__gte=start, answer_due_at__lt=end)
