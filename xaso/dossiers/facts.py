"""The facts the Decision 766 index is computed from, recorded on the dossier as they happen.

Most facts already live on the dossier or its events (channel, every status with its time, the
supplement rounds, the rating, `completed_at` / `returned_at`). This module keeps the rest, each
set once by the action that makes it true (docs/index-766.md lists which fact feeds which
indicator):

- `original_due_at`: the due time before the apology and extension (`extend` moves `due_at`);
- `components*`: per document component whether a file was attached, reused from an earlier
  dossier or taken from the citizen's document store;
- `e_result_issued_at` / `e_result_delivered_at`: the signed electronic result, and its
  electronic return;
- `identity_check`: how the applicant was identified (chip-card QR at the desk, signed-in
  account, none; VNeID ready);
- `fee_amount`, `fee_online_offered`, `paid_at`, `paid_online`: recorded by the payments side
  (`fee_fixed`, `fee_paid`, called by the reports app's wiring: dossiers never import payments);
- `national_sync`: see `national_portal.py`.

`on_transition` is registered as a listener of every action (`dossiers/apps.py`): it runs inside
the action's transaction, after the change is saved, so a fact commits or rolls back with it.
"""

from __future__ import annotations

from django.utils import timezone

from . import hooks
from .models import Attachment, Dossier, IdentityCheck, ReturnChannel

ATTACHED, REUSED, STORE, NONE = "attached", "reused", "store", "none"
COMPONENT_STATES = (ATTACHED, REUSED, STORE, NONE)

_FACT_FIELDS = (
    "original_due_at",
    "identity_check",
    "components",
    "components_total",
    "components_with_file",
    "components_reused",
    "components_from_store",
    "e_result_issued_at",
    "e_result_delivered_at",
)


def component_states(required: list[str], attachments: list[tuple[str, str]]) -> dict[str, str]:
    """Each component's state, from the keys of its required documents and the (document key,
    source) of the dossier's files: a component reused or taken from the store counts as that
    even if another file was uploaded beside it. Conditional documents count once attached."""
    states = {key: NONE for key in required}
    rank = {NONE: 0, ATTACHED: 1, REUSED: 2, STORE: 3}
    for key, source in attachments:
        if not key:
            continue
        state = {Attachment.Source.REUSED: REUSED, Attachment.Source.STORE: STORE}.get(
            source, ATTACHED
        )
        if rank[state] > rank[states.get(key, NONE)]:
            states[key] = state
    return states


def components_set(dossier: Dossier) -> None:
    """Recount the dossier's components from its procedure's documents and its attachments
    (supplement files, field `supplement`, are answers to a request, not components)."""
    required = list(
        dossier.procedure.documents.filter(requirement="required").values_list("key", flat=True)
    )
    files = list(
        Attachment.objects.filter(dossier=dossier)
        .exclude(field_name="supplement")
        .values_list("document_key", "source")
    )
    states = component_states(required, files)
    dossier.components = states
    dossier.components_total = len(states)
    dossier.components_with_file = sum(1 for s in states.values() if s != NONE)
    dossier.components_reused = sum(1 for s in states.values() if s == REUSED)
    dossier.components_from_store = sum(1 for s in states.values() if s == STORE)


def identity_for(dossier: Dossier) -> str:
    """At creation: a signed-in citizen's account identifies them; otherwise nothing yet (the
    desk records a read chip card with `identity_record`)."""
    if dossier.identity_check:
        return dossier.identity_check
    return IdentityCheck.ACCOUNT if dossier.applicant_user_id else IdentityCheck.NONE


def identity_record(dossier: Dossier, method: str) -> None:
    """The desk read the chip ID card's QR code (or, later, VNeID answered) for this dossier."""
    if method not in IdentityCheck.values:
        raise ValueError(method)
    Dossier.objects.filter(pk=dossier.pk).update(identity_check=method)
    dossier.identity_check = method


def on_transition(context: hooks.ActionContext) -> None:
    """Listener of every action: keep the facts the action makes true."""
    dossier, action = context.dossier, context.action
    at = context.event.at if context.event is not None else timezone.now()
    if action in ("submit", "intake"):
        dossier.identity_check = identity_for(dossier)
        components_set(dossier)
    elif action in ("resubmit", "resume", "receive"):
        components_set(dossier)
    elif action == "extend" and dossier.original_due_at is None:
        old = context.data.get("old_due_at")
        dossier.original_due_at = _parsed(old) if old else None
    elif action == "approve" and dossier.e_result_issued_at is None:
        # The results app signs the electronic result inside this transaction: an approval that
        # commits always has one.
        dossier.e_result_issued_at = at
    elif action == "return" and context.data.get("channel") == ReturnChannel.ELECTRONIC:
        dossier.e_result_delivered_at = at
    else:
        return
    Dossier.objects.filter(pk=dossier.pk).update(
        **{field: getattr(dossier, field) for field in _FACT_FIELDS}
    )


def fee_fixed(dossier: Dossier, *, amount: int, online_offered: bool) -> None:
    """The fee settled at receipt (0 when free, exempt or waived) and whether it can be paid
    online (a VietQR code offered)."""
    Dossier.objects.filter(pk=dossier.pk).update(
        fee_amount=amount, fee_online_offered=online_offered
    )
    dossier.fee_amount, dossier.fee_online_offered = amount, online_offered


def fee_paid(dossier: Dossier, *, at, online: bool) -> None:
    """Money came in: the first payment's time; online if any of it came by bank transfer."""
    updates = {"paid_online": dossier.paid_online or online}
    if dossier.paid_at is None:
        updates["paid_at"] = at
    Dossier.objects.filter(pk=dossier.pk).update(**updates)
    for field, value in updates.items():
        setattr(dossier, field, value)


def _parsed(text: str):
    from datetime import datetime

    return datetime.fromisoformat(text)


def register() -> None:
    hooks.register_listener(hooks.ANY_ACTION, on_transition)
