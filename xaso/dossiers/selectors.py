"""Reads of dossiers: the staff queues (scoped, keyset-paginated, fixed query count), one dossier,
and the public lookup by code and secret."""

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role
from xaso.accounts.scoping import FULL_READ_ROLES, staff_scope
from xaso.catalog.fees import FeeQuote, fee_compute
from xaso.catalog.models import Procedure
from xaso.catalog.selectors import provincial_rates
from xaso.core.audit import personal_data_view_log
from xaso.core.errors import InvalidInput, NotFound
from xaso.core.prepared import PreparedRead

from . import actions, hooks, workflow
from .codes import code_key
from .models import Attachment, Dossier, DossierEvent, State

PAGE_SIZE = 25
QUEUES = (
    "new",
    "mine",
    "due_today",
    "overdue",
    "friday_board",
    "awaiting_signature",
    "waiting_citizen",
    "supplement_received",
)
# A supplement request is open in these states (asked at reception, or paused in processing).
SUPPLEMENT_STATES = frozenset({State.SUPPLEMENT_REQUESTED, State.PAUSED})
# What a citizen reads in the public timeline: the reasons and lists addressed to them.
PUBLIC_NOTES = actions.PUBLIC_NOTES  # the actions whose note the citizen reads


def staff_dossiers(user) -> QuerySet[Dossier]:
    """Dossiers of the communes where the user holds a role, at the desk or for the decision; of
    a commune where they are only a community team member, just the dossiers they filed."""
    scope = staff_scope(user)
    base = Dossier.objects.all()
    return (
        scope.filter(base, commune_field="receiving_commune", roles=FULL_READ_ROLES)
        | scope.filter(base, commune_field="deciding_commune", roles=FULL_READ_ROLES)
        | scope.filter(
            base.filter(written_by_id=scope.user_id),
            commune_field="receiving_commune",
            roles=[Role.COMMUNITY_MEMBER],
        )
    )


def _end_of_today(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


def queue_filter(queue: str, *, user, now: datetime) -> Q:
    """The queues are derived from the state and the due time, never stored by hand."""
    clock_running = Q(state__in=workflow.CLOCK_STATES)
    if queue == "new":
        return Q(state=State.SUBMITTED)
    if queue == "mine":
        return Q(assigned_to=user, state__in=workflow.OPEN_STATES)
    if queue == "due_today":
        return clock_running & Q(due_at__gte=now, due_at__lt=_end_of_today(now))
    if queue == "overdue":
        return clock_running & Q(due_at__lt=now)
    if queue == "friday_board":
        return Q(due_rule="friday_same_day", state__in=workflow.UNFINISHED_STATES)
    if queue == "awaiting_signature":
        return Q(state=State.AWAITING_SIGNATURE)
    if queue == "waiting_citizen":
        return Q(state__in=SUPPLEMENT_STATES, supplement_answered_at__isnull=True)
    if queue == "supplement_received":
        # Answered online: back among the new ones, or still paused until the desk resumes it.
        return Q(state__in={State.SUBMITTED, State.PAUSED}, supplement_answered_at__isnull=False)
    raise InvalidInput(
        _("Unknown queue; use one of: %(queues)s.") % {"queues": ", ".join(QUEUES)},
        code="unknown_queue",
    )


def _cursor_encode(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def _cursor_decode(cursor: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(_("This page link is not valid."), code="cursor") from error


@dataclass(frozen=True)
class DossierPage:
    dossiers: list[Dossier]
    next_cursor: str | None


def dossier_list(*, user, state: str = "", queue: str = "", after: str = "") -> DossierPage:
    """Newest first, PAGE_SIZE at a time (keyset on id: stable while new dossiers arrive)."""
    now = timezone.now()
    dossiers = staff_dossiers(user)
    if state:
        if state not in State.values:
            raise InvalidInput(_("Unknown state."), code="unknown_state")
        dossiers = dossiers.filter(state=state)
    if queue:
        dossiers = dossiers.filter(queue_filter(queue, user=user, now=now))
    if after:
        dossiers = dossiers.filter(pk__lt=_cursor_decode(after))
    page = list(
        dossiers.select_related("procedure", "receiving_commune", "assigned_to").order_by("-pk")[
            : PAGE_SIZE + 1
        ]
    )
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return DossierPage(page, _cursor_encode(page[-1].pk) if more else None)


def dossier_for_staff(
    user, code: str, *, purpose: str = "", fields: tuple[str, ...] = ()
) -> Dossier:
    """The dossier with this code in the user's scope (NotFound otherwise). With `purpose`, the
    caller is about to show the applicant's personal data (`fields`: which): the read is
    recorded in the receiving commune's trail (Law 91/2025)."""
    dossier = (
        staff_dossiers(user)
        .select_related(
            "procedure", "receiving_commune", "deciding_commune", "assigned_to", "written_by"
        )
        .prefetch_related(
            Prefetch(
                "events", queryset=DossierEvent.objects.select_related("actor").order_by("id")
            ),
            Prefetch("attachments", queryset=Attachment.objects.select_related("upload")),
        )
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound(code="dossier_not_found")
    if purpose:
        personal_data_view_log(
            actor=user,
            object_type="dossier",
            object_id=dossier.code,
            fields=list(fields),
            commune_code=dossier.receiving_commune.code,
            purpose=purpose,
        )
    return dossier


def dossier_by_code_for_staff(user, text: str) -> Dossier | None:
    """The dossier in the user's communes whose code is `text` typed any way (case, spaces,
    punctuation), whatever its state; None when there is none."""
    key = code_key(text)
    if not key:
        return None
    return staff_dossiers(user).filter(code_key=key).order_by("pk").first()


class StatusEvent(NamedTuple):
    """An event as the status answers read it (six values, not a model instance: building ~6
    instances was a fifth of a lookup's reads, bench/README.md)."""

    pk: int
    at: datetime
    action: str
    to_state: str
    note: str
    data: dict


def public_timeline(dossier: Dossier) -> list[dict]:
    """What the applicant may see: when, which state, and the notes addressed to them."""
    return [
        {
            "at": timezone.localtime(event.at),
            "state": event.to_state,
            "state_label": State(event.to_state).label,
            "action": event.action,
            "note": event.note if event.action in PUBLIC_NOTES else "",
        }
        for event in dossier_events(dossier)
    ]


def dossier_events(dossier: Dossier) -> list[DossierEvent] | list[StatusEvent]:
    """The dossier's events in their order: those read with it (`dossier_status_by_secret`
    reads them once, as StatusEvents, for the timeline, the supplement request and the forms
    issued), else those prefetched, else one query."""
    read = getattr(dossier, "events_read", None)
    return read if read is not None else sorted(dossier.events.all(), key=lambda e: e.pk)


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """The dossiers `user` may see: staff, those of their scope; a signed-in citizen, their own;
    anybody else, none (a dossier opened by its secret is not "seen" beyond itself)."""
    visible = staff_dossiers(user)
    if user is not None and user.is_authenticated:
        visible = visible | Dossier.objects.filter(applicant_user=user)
    return visible


def reusable_attachments(user, dossier: Dossier) -> list[Attachment]:
    """Files of the same person's earlier dossiers that `user` may see: the citizen's document
    store, offered at the desk instead of scanning the paper again. Offering them is a read of
    personal data, recorded in the trail of each commune whose dossier they come from."""
    person = dossier.applicant.get("personal_id")
    if not person:
        return []
    attachments = list(
        Attachment.objects.filter(
            dossier__in=dossiers_visible_to(user), dossier__applicant__personal_id=person
        )
        .exclude(dossier=dossier)
        .exclude(source=Attachment.Source.REUSED)
        .select_related("upload", "dossier__receiving_commune")
        .order_by("-id")[:50]
    )
    by_dossier: dict[int, list[Attachment]] = {}
    for attachment in attachments:
        by_dossier.setdefault(attachment.dossier_id, []).append(attachment)
    for offered in by_dossier.values():
        owner = offered[0].dossier
        personal_data_view_log(
            actor=user,
            object_type="dossier",
            object_id=owner.code,
            fields=[f"attachment:{attachment.document_key}" for attachment in offered],
            commune_code=owner.receiving_commune.code,
            purpose=f"reuse_offer:{dossier.code}",
        )
    return attachments


def dossier_by_secret(code: str, secret: str) -> Dossier:
    """The dossier for its code (in any case, with or without its dashes: `codes.code_key`) and
    lookup secret; a wrong secret looks like an unknown code."""
    key = code_key(code)
    candidates = Dossier.objects.select_related("procedure").filter(code_key=key) if key else []
    dossier = next((d for d in candidates if d.lookup_secret_matches(secret)), None)
    if dossier is None:
        raise NotFound(code="dossier_not_found")
    return dossier


# What the citizen's status (the lookup API and /tra-cuu/) reads of a dossier and its procedure:
# not the applicant, the answers or the procedure's form definition (JSON of a few KB).
STATUS_DOSSIER_FIELDS = (
    "code", "code_key", "lookup_secret_digest", "lookup_secret_sealed", "receiving_commune_id",
    "deciding_commune_id", "procedure_id", "procedure_version_id", "state", "outcome",
    "submitted_at", "received_at", "due_at", "supplement_answered_at", "rating",
    "e_result_issued_at", "result_delivery",
)  # fmt: skip
STATUS_PROCEDURE_FIELDS = ("procedure__code", "procedure__name")


def _status_read(fields: tuple, related: tuple) -> PreparedRead:
    def build(key: str) -> QuerySet[Dossier]:
        joined, columns = hooks.contribution_joins()  # the rows of the answer's other parts
        return (
            Dossier.objects.select_related("procedure", *related, *joined)
            .only(*STATUS_DOSSIER_FIELDS, *STATUS_PROCEDURE_FIELDS, *fields, *related, *columns)
            .filter(code_key=key)
        )

    return PreparedRead(build, "")


# One read for each shape of status answer (the API's, the page's), compiled once per connection.
_status_reads: dict[tuple[tuple, tuple], PreparedRead] = {}
_events_read = PreparedRead(
    lambda dossier_id: (
        DossierEvent.objects.filter(dossier_id=dossier_id)
        .order_by("id")
        .values_list(*StatusEvent._fields)
    ),
    0,
)


def dossier_status_by_secret(code: str, secret: str, *, fields=(), related=()) -> Dossier:
    """`dossier_by_secret` for the status answers, in two queries: the dossier with only the
    columns they show (`fields` adds the page's own, `related` the rows it joins) and the rows
    of the answer's other parts (`hooks.contribution_joins`), then its events (for the timeline,
    the supplement request and the forms issued). The citizen's lookup is the busiest read of
    all: both are prepared reads (compiled once, `core.prepared`)."""
    key = code_key(code)
    shape = (tuple(fields), tuple(related))
    read = _status_reads.get(shape) or _status_reads.setdefault(shape, _status_read(*shape))
    candidates = read(key) if key else []
    dossier = next((d for d in candidates if d.lookup_secret_matches(secret)), None)
    if dossier is None:
        raise NotFound(code="dossier_not_found")
    dossier.events_read = [StatusEvent(*row) for row in _events_read(dossier.pk)]
    return dossier


def _open_supplement_event(dossier: Dossier) -> DossierEvent | StatusEvent | None:
    if dossier.state not in SUPPLEMENT_STATES:
        return None
    requests = [e for e in dossier_events(dossier) if e.action == "request_supplement"]
    return requests[-1] if requests else None


def dossier_supplement_items(dossier: Dossier) -> list[str]:
    """The documents and corrections of the open supplement request ([] when none is open)."""
    event = _open_supplement_event(dossier)
    return list(event.data.get("items", [])) if event else []


def supplement_request(dossier: Dossier) -> dict | None:
    """The open supplement request as the applicant reads it: what is missing, the officer's
    note, when it was asked and, once answered online, when (None when none is open)."""
    event = _open_supplement_event(dossier)
    if event is None:
        return None
    answered = dossier.supplement_answered_at
    return {
        "items": list(event.data.get("items", [])),
        "note": event.note,
        "requested_at": timezone.localtime(event.at),
        "answered_at": timezone.localtime(answered) if answered else None,
    }


def attachment_for_staff(
    user, code: str, token: str, *, purpose: str
) -> tuple[Dossier, Attachment]:
    """One file of a dossier in the user's communes, and the record that they looked at it: ID
    card photos are sensitive personal data (Decree 356/2025). NotFound otherwise."""
    dossier = dossier_for_staff(user, code)
    attachment = next((a for a in dossier.attachments.all() if a.upload.token == token), None)
    if attachment is None:
        raise NotFound(code="attachment_not_found")
    personal_data_view_log(
        actor=user,
        object_type="dossier",
        object_id=dossier.code,
        fields=[f"attachment:{attachment.document_key}"],
        commune_code=dossier.receiving_commune.code,
        purpose=purpose,
    )
    return dossier, attachment


# Before a deployment has dossiers of its own: the procedures a commune's desk handles most (the
# civil-status extracts, certifications; DOMAIN.md §3), in that order.
COMMON_PROCEDURES = ("1.001193", "2.000635", "1.004873", "2.000884", "1.000656", "1.000894")


def most_requested_procedures(*, limit: int = 6, days: int = 365) -> list[Procedure]:
    """The procedures citizens filed most in the last `days`, then the usual ones of a commune
    desk to fill the list: what the home page offers first. Two queries."""
    since = timezone.now() - timedelta(days=days)
    ranked = list(
        Dossier.objects.filter(submitted_at__gte=since, procedure__is_active=True)
        .values("procedure__code")
        .annotate(filed=Count("id"))
        .order_by("-filed", "procedure__code")
        .values_list("procedure__code", flat=True)[:limit]
    )
    codes = list(dict.fromkeys([*ranked, *COMMON_PROCEDURES]))[:limit]
    found = Procedure.objects.filter(code__in=codes, is_active=True).in_bulk(field_name="code")
    return [found[code] for code in codes if code in found]


def fee_estimate(dossier: Dossier) -> FeeQuote:
    """The fee the dossier's answers call for, as quoted at submission: what the applicant sees
    until the desk fixes the fee at receipt."""
    return fee_compute(
        dossier.procedure.fees,
        dossier.answers,
        today=timezone.localdate(dossier.submitted_at),
        channel=dossier.channel,
        provincial_rates=provincial_rates(dossier.receiving_commune),
    )
