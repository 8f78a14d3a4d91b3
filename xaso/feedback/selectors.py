"""Reads of the feedback app: the citizen's lookup, the public answers (no personal data), the
officers' scoped queues, and the complaints per dossier that the reports read."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xaso.accounts.scoping import FULL_READ_ROLES, staff_scope
from xaso.core.errors import NotFound
from xaso.dossiers.codes import code_key

from .models import Feedback, State
from .workflow import CLOCK_STATES, OPEN_STATES

# The back office's queues, in the order officers work through them.
QUEUES = ("to_classify", "handling", "info_requested", "to_publish", "overdue", "closed")


def feedback_by_secret(code: str, secret: str) -> Feedback:
    """The citizen's own feedback by its code and secret (both as typed), or 404."""
    found = (
        Feedback.objects.select_related("commune", "village")
        .filter(code_key=code_key(code))
        .first()
    )
    if found is None or not found.lookup_secret_matches(secret or ""):
        raise NotFound(code="feedback_not_found")
    return found


def public_timeline(feedback: Feedback) -> list[dict]:
    """States and times only: the officers' notes may name people."""
    return [
        {"at": event.at, "action": event.action, "state": event.to_state}
        for event in feedback.events.all()
    ]


def published_answers(commune_code: str) -> QuerySet:
    """The commune's published answers, newest first: read only the public fields."""
    return (
        Feedback.objects.filter(commune__code=commune_code, state=State.PUBLISHED)
        .select_related("village")
        .only(
            "code", "category", "public_summary", "answer", "answered_at", "published_at",
            "filed_at", "unit", "village__name", "commune_id", "state", "rating",
        )
        .order_by("-published_at", "-pk")
    )  # fmt: skip


def staff_feedback(user) -> QuerySet:
    return staff_scope(user).filter(
        Feedback.objects.select_related("commune", "village", "handler"), roles=FULL_READ_ROLES
    )


def feedback_for_staff(user, code: str) -> Feedback:
    found = staff_feedback(user).filter(code_key=code_key(code)).first()
    if found is None:
        raise NotFound(code="feedback_not_found")
    return found


def queue_condition(queue: str, *, now) -> Q:
    clock = Q(state__in=CLOCK_STATES)
    return {
        "to_classify": Q(state=State.RECEIVED),
        "handling": Q(state=State.HANDLING),
        "info_requested": Q(state=State.INFO_REQUESTED),
        "to_publish": Q(state=State.ANSWERED),
        "overdue": clock & Q(due_at__lt=now),
        "closed": ~Q(state__in=OPEN_STATES),
    }[queue]


def feedback_queue(user, queue: str, *, commune_code: str = "", now=None) -> QuerySet:
    if queue not in QUEUES:
        raise NotFound(code="queue_not_found")
    rows = staff_feedback(user).filter(queue_condition(queue, now=now or timezone.now()))
    if commune_code:
        rows = rows.filter(commune=staff_scope(user).commune(commune_code, roles=FULL_READ_ROLES))
    return rows.order_by("due_at", "filed_at") if queue != "closed" else rows.order_by("-filed_at")


def queue_counts(user, *, now=None) -> dict[str, int]:
    """One query: how many feedback in each queue (the navigation's counts)."""
    now = now or timezone.now()
    found = staff_feedback(user).aggregate(
        **{queue: Count("pk", filter=queue_condition(queue, now=now)) for queue in QUEUES}
    )
    return {queue: found[queue] or 0 for queue in QUEUES}


def is_overdue(feedback: Feedback, now=None) -> bool:
    now = now or timezone.now()
    return feedback.state in CLOCK_STATES and feedback.due_at is not None and feedback.due_at < now


def complaints_by_dossier(dossier_ids) -> dict[int, int]:
    """{dossier id: number of feedback about it} for the given dossiers, in one query: a dossier
    with a complaint lowers dossier satisfaction in the 766 index (DOMAIN.md §2). Rejected
    feedback does not count (it was not accepted as a complaint)."""
    rows = (
        Feedback.objects.filter(dossier_id__in=list(dossier_ids))
        .exclude(state=State.REJECTED)
        .values("dossier_id")
        .annotate(count=Count("pk"))
    )
    return {row["dossier_id"]: row["count"] for row in rows}


def on_time_figures(commune_code: str, first, last) -> dict[str, int]:
    """Feedback filed in [first, last): how many, how many answered by their answer due time,
    how many rated and the sum of ratings (the index's feedback parts)."""
    rows = Feedback.objects.filter(
        commune__code=commune_code, filed_at__gte=first, filed_at__lt=last
    ).exclude(state=State.REJECTED)
    from django.db.models import F, Sum

    found = rows.aggregate(
        filed=Count("pk"),
        on_time=Count(
            "pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("answer_due_at"))
        ),
        rated=Count("pk", filter=Q(rating__isnull=False)),
        rating_sum=Sum("rating"),
    )
    return {name: found[name] or 0 for name in found}
