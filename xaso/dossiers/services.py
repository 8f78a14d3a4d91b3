"""Every action on a dossier after it exists: one function per row of the workflow table.

Each one goes through `take_action`: lock the dossier row (an IMMEDIATE transaction on SQLite),
check the actor's role and commune and the table, apply the change, write the event and the audit
row, run the guards and listeners of `hooks` in the same transaction. Creation is in
`submission.py`.
"""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import User
from xaso.accounts.scoping import staff_scope
from xaso.accounts.step_up import step_up_verify
from xaso.catalog.records import DELIVERY_CHANNELS
from xaso.catalog.selectors import procedure_terms_for, version_in_force
from xaso.core.audit import audit_record
from xaso.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xaso.workdays.rules import ProcedureTerms
from xaso.workdays.selectors import due_date_after_pause, due_date_for_procedure

from . import hooks, workflow
from .models import Dossier, DossierEvent, Outcome, State


class ActionNotAllowed(Conflict):
    code = "action_not_allowed"


class ReasonRequired(InvalidInput):
    code = "reason_required"


class VerificationReasonRequired(InvalidInput):
    code = "verification_reason_required"


class SecondSupplementReasonRequired(InvalidInput):
    code = "second_supplement_reason_required"


REASON_MAX = 500


def actor_kinds(user, dossier: Dossier, step: str | None = None) -> frozenset[str]:
    """The roles `user` holds for this dossier: at the receiving commune (the desk) and at the
    deciding commune (processing and signing). With `step` (`workflow.RECEIVING` or
    `workflow.DECIDING`), only the roles at the commune whose step it is: one commune's desk
    never takes the other's decision, nor the other way round. Raises NotFound when the user
    holds no role at either commune."""
    scope = staff_scope(user)
    receiving = scope.roles_in(dossier.receiving_commune)
    deciding = scope.roles_in(dossier.deciding_commune)
    if not receiving | deciding:
        raise NotFound(code="dossier_not_found")
    if step == workflow.RECEIVING:
        return frozenset(receiving)
    if step == workflow.DECIDING:
        return frozenset(deciding)
    return frozenset(receiving | deciding)


def allowed_actions_for(user, dossier: Dossier) -> list[str]:
    """The workflow actions `user` may take on the dossier now, each judged by the roles held at
    the commune whose step it is (the API's `allowed_actions`, the back office's buttons)."""
    return workflow.allowed_actions(
        dossier.state,
        actor_kinds(user, dossier, workflow.RECEIVING),
        deciding_actors=actor_kinds(user, dossier, workflow.DECIDING),
    )


def _log_event(dossier, *, action, actor, actor_kind, from_state, note="", data=None):
    return DossierEvent.objects.create(
        dossier=dossier,
        at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_kind,
        action=action,
        from_state=from_state,
        to_state=dossier.state,
        note=note,
        data=data or {},
    )


def record_transition(
    dossier: Dossier,
    *,
    action: str,
    actor,
    actor_kind: str,
    from_state: str,
    note: str = "",
    data: dict | None = None,
) -> DossierEvent:
    """Event, audit row and listeners of a transition already applied to `dossier` (saved)."""
    event = _log_event(
        dossier,
        action=action,
        actor=actor,
        actor_kind=actor_kind,
        from_state=from_state,
        note=note,
        data=data,
    )
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        object_type="dossier",
        object_id=dossier.code,
        commune_code=dossier.receiving_commune.code,
        data={"from": from_state, "to": dossier.state, **(data or {})},
    )
    hooks.run_listeners(
        hooks.ActionContext(
            dossier=dossier,
            action=action,
            actor=actor,
            actor_kind=actor_kind,
            from_state=from_state,
            to_state=dossier.state,
            data=data or {},
            event=event,
        )
    )
    return event


def take_action(
    dossier: Dossier,
    action: str,
    *,
    actor,
    as_kind: str | None = None,
    note: str = "",
    data: dict | None = None,
    apply: Callable[[Dossier], None] | None = None,
) -> Dossier:
    """Take `action` on the dossier, or refuse it: 404 outside the actor's communes, 403 for a
    role the table does not name, 409 when the state (perhaps just changed by a colleague) does
    not allow it."""
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update()
            .select_related("receiving_commune", "deciding_commune", "procedure")
            .get(pk=dossier.pk)
        )
        if not as_kind:
            actor_kinds(actor, locked)  # 404 outside both of the dossier's communes
        row = workflow.transition(locked.state, action)
        if row is None:
            raise ActionNotAllowed(
                _("This dossier is %(state)s: this action is not possible now.")
                % {"state": locked.get_state_display()}
            )
        kinds = frozenset({as_kind}) if as_kind else actor_kinds(actor, locked, row.step)
        return _transition(locked, row, kinds=kinds, actor=actor, note=note, data=data, apply=apply)


def dossier_create(
    dossier: Dossier,
    action: str,
    *,
    actor,
    actor_kind: str,
    data: dict | None = None,
    apply: Callable[[Dossier], None] | None = None,
    after_insert: Callable[[Dossier], None] | None = None,
) -> Dossier:
    """A new dossier's first action (submit, or intake at the desk): the table's row from "no
    dossier yet", its guards, the event, audit row and listeners, as for every other action.
    `after_insert` adds what needs the saved row (its attachments) before the listeners run."""
    row = workflow.transition(workflow.NEW, action)
    if row is None:
        raise ActionNotAllowed(_("A dossier cannot be created this way."))
    with transaction.atomic():
        return _transition(
            dossier,
            row,
            kinds=frozenset({actor_kind}),
            actor=actor,
            data=data,
            apply=apply,
            after_insert=after_insert,
        )


def _transition(
    dossier: Dossier,
    row: workflow.Transition,
    *,
    kinds: frozenset[str],
    actor,
    note: str = "",
    data: dict | None = None,
    apply: Callable[[Dossier], None] | None = None,
    after_insert: Callable[[Dossier], None] | None = None,
) -> Dossier:
    """One row of the table taken, inside the caller's transaction (the row locked if it exists)."""
    allowed = row.actors & kinds
    if not allowed:
        raise Forbidden()
    actor_kind = sorted(allowed)[0]
    hooks.run_guards(
        hooks.ActionContext(
            dossier=dossier,
            action=row.action,
            actor=actor,
            actor_kind=actor_kind,
            from_state=row.source,
            to_state=row.target,
            data=data or {},
        )
    )
    if apply is not None:
        apply(dossier)
    dossier.state = row.target
    dossier.save()
    if after_insert is not None:
        after_insert(dossier)
    record_transition(
        dossier,
        action=row.action,
        actor=actor,
        actor_kind=actor_kind,
        from_state=row.source,
        note=note,
        data=data,
    )
    return dossier


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Give the reason: the applicant will read it."))
    return reason


def _user_in_commune(username: str, dossier: Dossier, roles: set[str]) -> User:
    """An officer holding one of `roles` at the deciding commune (who processes the dossier)."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not actor_kinds_or_none(user, dossier, workflow.DECIDING) & roles:
        raise InvalidInput(
            _("%(user)s cannot take this dossier.") % {"user": username}, code="unknown_officer"
        )
    return user


def actor_kinds_or_none(user, dossier: Dossier, step: str | None = None) -> frozenset[str]:
    try:
        return actor_kinds(user, dossier, step)
    except NotFound:
        return frozenset()


# --- the clock -------------------------------------------------------------------------------


def dossier_terms(dossier: Dossier) -> ProcedureTerms:
    """The engine's terms for this dossier: its procedure as the deciding commune offers it,
    with the statutory limit with verification if that was chosen at receipt."""
    return procedure_terms_for(
        dossier.procedure.code,
        dossier.deciding_commune.code,
        with_verification=dossier.with_verification,
    )


def verification_reason_checked(with_verification: bool, reason: str) -> str:
    """The reason for receiving with verification (required then), or "" without it."""
    if not with_verification:
        return ""
    reason = " ".join((reason or "").split())[:REASON_MAX]
    if not reason:
        raise VerificationReasonRequired(
            _("Say what must be verified: the receipt prints the longer time limit and why.")
        )
    return reason


def delivery_check(procedure, channel: str) -> None:
    """Refuses a way of handing over the result the procedure does not allow (marriage and
    signature certification are completed in person: DOMAIN.md §3)."""
    if channel not in (procedure.delivery_channels or DELIVERY_CHANNELS):
        raise InvalidInput(
            _("This procedure's result cannot be handed over that way."),
            code="delivery_not_allowed",
            details={"allowed": list(procedure.delivery_channels or DELIVERY_CHANNELS)},
        )


def start_clock(
    dossier: Dossier, now: datetime, *, with_verification: bool = False, verification_reason=""
) -> None:
    """Receipt: the due time from the procedure's limit, or from its statutory limit with
    verification when the officer chose it (with a reason). The dossier keeps the version of
    the procedure in force on the day it is received."""
    dossier.procedure_version = version_in_force(dossier.procedure, timezone.localdate(now))
    dossier.with_verification = with_verification
    dossier.verification_reason = verification_reason_checked(
        with_verification, verification_reason
    )
    terms = dossier_terms(dossier)
    due = due_date_for_procedure(commune=dossier.deciding_commune, terms=terms, received_at=now)
    dossier.received_at = now
    dossier.clock_started_at = due.clock_starts_at
    dossier.due_at = due.due_at
    dossier.due_rule = due.rule or ""


# --- actions ---------------------------------------------------------------------------------


def fee_decision(fee: dict | None) -> dict:
    """What the officer settled about the fee at the desk, checked: `{"amount": đồng}`, or
    `{"exemption": code, "evidence": what was shown}`. The payments app applies it at receipt
    (DOMAIN.md §3: a fee the catalogue cannot compute is set before the dossier is received)."""
    if not fee:
        return {}
    if not isinstance(fee, dict):
        raise InvalidInput(_("The fee is an amount or an exemption."), code="fee_decision")
    amount, exemption = fee.get("amount"), str(fee.get("exemption") or "").strip()
    if amount is not None and (
        isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= 100_000_000
    ):
        raise InvalidInput(_("Enter the amount in whole đồng."), code="amount")
    if (amount is None) == (not exemption):
        raise InvalidInput(
            _("Set the fee: either an amount or an exemption, not both."), code="fee_decision"
        )
    if amount is not None:
        return {"amount": amount}
    evidence = str(fee.get("evidence") or "").strip()[:300]
    if not evidence:
        raise InvalidInput(
            _("Describe the evidence the applicant showed for the exemption."),
            code="evidence_required",
        )
    return {"exemption": exemption, "evidence": evidence}


def dossier_receive(
    *,
    actor,
    dossier: Dossier,
    with_verification: bool = False,
    reason: str = "",
    fee: dict | None = None,
) -> Dossier:
    """Register a complete dossier: the fee is settled (`fee`: what the officer set when the
    catalogue cannot compute it), the clock starts, and the procedure's default specialist in the
    commune (if set) gets it at once. `with_verification` (with its `reason`) gives it the
    procedure's statutory limit with verification."""
    reason = verification_reason_checked(with_verification, reason)
    decision = fee_decision(fee)
    data = {"with_verification": True, "reason": reason} if with_verification else {}
    if decision:
        data["fee"] = decision
    # One transaction: a failed default assignment leaves the dossier not received.
    with transaction.atomic():
        dossier = take_action(
            dossier,
            "receive",
            actor=actor,
            data=data or None,
            apply=lambda d: start_clock(
                d, timezone.now(), with_verification=with_verification, verification_reason=reason
            ),
        )
        return dossier_assign_default(dossier)


def dossier_assign_default(dossier: Dossier) -> Dossier:
    """The `assign` row as `system`, to the commune's default specialist for the procedure
    (`CommuneProcedure.default_specialist`), if any; called inside the receipt's transaction."""
    from xaso.catalog.selectors import commune_offer

    offer = commune_offer(dossier.deciding_commune, dossier.procedure)
    if offer is None or offer.default_specialist is None:
        return dossier
    specialist = offer.default_specialist

    def hand(d):
        d.assigned_to = specialist

    return take_action(
        dossier,
        "assign",
        actor=None,
        as_kind=workflow.SYSTEM,
        data={"to": specialist.username, "default": True},
        apply=hand,
    )


def dossier_request_supplement(
    *, actor, dossier: Dossier, items: list[str], note: str = "", reason: str = ""
):
    """Ask, once and completely, for everything missing (DESIGN §4: one consolidated request).

    A second request is possible only with its reason recorded: the national index then counts
    the dossier as late (DOMAIN.md §2), whatever its due time, and the form says so first."""
    items = [item.strip() for item in items if item and item.strip()]
    if not items:
        raise InvalidInput(
            _("List every missing document or correction, all at once."), code="items_required"
        )
    reason = " ".join((reason or "").split())[:REASON_MAX]
    now = timezone.now()
    data = {"items": items}
    if reason:
        data["reason"] = reason

    def apply(d):
        # On the locked row: a colleague's request a moment ago makes this one the second.
        if d.supplement_rounds >= 1 and not reason:
            raise SecondSupplementReasonRequired(
                _(
                    "A supplement was already requested: give the reason for another request. "
                    "The dossier will then count as late in the national index."
                )
            )
        d.supplement_rounds += 1
        data["round"] = d.supplement_rounds
        d.supplement_requested_at = now
        d.supplement_answered_at = None
        if d.state == State.PROCESSING:
            d.paused_at = now

    return take_action(
        dossier, "request_supplement", actor=actor, note=note, data=data, apply=apply
    )


def dossier_refuse(*, actor, dossier: Dossier, reason: str) -> Dossier:
    reason = _reason(reason)

    def apply(d):
        d.completed_at = timezone.now()

    return take_action(
        dossier, "refuse", actor=actor, note=reason, data={"reason": reason}, apply=apply
    )


def dossier_assign(*, actor, dossier: Dossier, to: str) -> Dossier:
    officer = _user_in_commune(to, dossier, {workflow.SPECIALIST, workflow.LEADER})

    def apply(d):
        d.assigned_to = officer

    return take_action(dossier, "assign", actor=actor, data={"to": officer.username}, apply=apply)


def dossier_handover(*, actor, dossier: Dossier, to: str, note: str = "") -> Dossier:
    officer = _user_in_commune(to, dossier, {workflow.SPECIALIST, workflow.LEADER})

    def apply(d):
        d.assigned_to = officer

    return take_action(
        dossier, "handover", actor=actor, note=note, data={"to": officer.username}, apply=apply
    )


def dossier_resume(*, actor, dossier: Dossier) -> Dossier:
    """The supplement arrived: the clock runs again, continuing or restarting per procedure."""
    now = timezone.now()

    def apply(d):
        d.due_at = due_date_after_pause(
            commune=d.deciding_commune,
            clock_started_at=d.clock_started_at,
            due_at=d.due_at,
            paused_at=d.paused_at,
            resumed_at=now,
            rule=d.procedure.resume_rule,
            terms=dossier_terms(d),
        )
        d.paused_at = None

    return take_action(dossier, "resume", actor=actor, apply=apply)


class DecidedElsewhere(Conflict):
    code = "decided_elsewhere"


def _decided_here(dossier: Dossier) -> None:
    """The commune proposes, denies and signs only what it decides itself."""
    if dossier.procedure.is_forwarded:
        raise DecidedElsewhere(
            _("Another body decides this procedure: forward the dossier and record its answer; "
              "the commune issues no result of its own.")
        )  # fmt: skip


def _was_forwarded(dossier: Dossier) -> bool:
    return dossier.events.filter(action="forward").exists()


def dossier_forward(*, actor, dossier: Dossier, to: str = "", note: str = "") -> Dossier:
    """Hand a dossier another body decides (the commune police for residence, a provincial
    body) over to it (liên thông): the event records to whom, when and by whom."""
    receiver = " ".join((to or "").split())[:150]
    data: dict = {}

    def apply(d):
        if not d.procedure.is_forwarded:
            raise ActionNotAllowed(
                _("The commune decides this procedure itself: it is not forwarded."),
                code="not_forwarded_procedure",
            )
        if _was_forwarded(d):
            raise ActionNotAllowed(
                _("This dossier was already forwarded."), code="already_forwarded"
            )
        data["body"] = d.procedure.decider
        data["to"] = receiver or str(d.procedure.get_decider_display())

    return take_action(dossier, "forward", actor=actor, note=note, data=data, apply=apply)


def dossier_record_answer(
    *, actor, dossier: Dossier, outcome: str, reference: str, note: str = ""
) -> Dossier:
    """The other body's answer to a forwarded dossier: granted or refused, with the number of
    its document (e.g. the police's notice); the result to return is that body's, not ours."""
    reference = " ".join((reference or "").split())
    data = {"outcome": outcome, "reference": reference[:150]}

    def apply(d):
        # Checked once the actor's role and commune are (a 403 comes before a 400).
        if outcome not in (Outcome.APPROVED, Outcome.DENIED):
            raise InvalidInput(
                _("Say whether the other body granted or refused the request."), code="outcome"
            )
        if not reference:
            raise InvalidInput(
                _("Enter the number of the other body's answer (its notice or document)."),
                code="reference_required",
            )
        if outcome == Outcome.DENIED and not (note or "").strip():
            raise ReasonRequired(_("Give the other body's reasons: the applicant will read them."))
        if not _was_forwarded(d):
            raise ActionNotAllowed(
                _("Forward the dossier before recording the answer."), code="not_forwarded"
            )
        data["body"] = d.procedure.decider
        d.outcome = outcome
        d.completed_at = timezone.now()

    return take_action(
        dossier, "record_answer", actor=actor, note=note.strip(), data=data, apply=apply
    )


def dossier_propose(*, actor, dossier: Dossier, note: str = "") -> Dossier:
    def apply(d):
        _decided_here(d)
        d.outcome = Outcome.APPROVED

    return take_action(dossier, "propose", actor=actor, note=note, apply=apply)


def dossier_deny(*, actor, dossier: Dossier, reason: str) -> Dossier:
    reason = _reason(reason)

    def apply(d):
        _decided_here(d)
        d.outcome = Outcome.DENIED

    return take_action(
        dossier, "deny", actor=actor, note=reason, data={"reason": reason}, apply=apply
    )


def dossier_send_back(*, actor, dossier: Dossier, reason: str) -> Dossier:
    reason = _reason(reason)

    def apply(d):
        d.outcome = Outcome.NONE

    return take_action(
        dossier, "send_back", actor=actor, note=reason, data={"reason": reason}, apply=apply
    )


def dossier_approve(*, actor, dossier: Dossier) -> Dossier:
    """The leader signs (the results app's listener renders and signs in this transaction)."""

    def apply(d):
        d.completed_at = timezone.now()

    return take_action(dossier, "approve", actor=actor, apply=apply)


def dossier_approve_stepped_up(*, actor, dossier: Dossier, otp: str = "", password: str = ""):
    """`approve` as a leader asks for it (the API, the dossier page): signing binds the commune,
    so the leader proves again who they are first (`accounts.step_up`); a wrong or missing
    proof signs nothing. Whoever may not sign it now is refused by the table as before."""
    if "approve" in allowed_actions_for(actor, dossier):
        step_up_verify(actor, otp=otp, password=password)
    return dossier_approve(actor=actor, dossier=dossier)


def dossier_return(*, actor, dossier: Dossier, channel: str) -> Dossier:
    """The desk hands the result over; `actor=None` is xaso itself (the electronic result,
    returned right after signing)."""
    from .models import ReturnChannel

    if channel not in ReturnChannel.values:
        raise InvalidInput(
            _("Say how the result was returned: counter, post or electronic."),
            code="return_channel",
        )
    delivery_check(dossier.procedure, channel)

    def apply(d):
        d.returned_at = timezone.now()
        d.return_channel = channel

    return take_action(
        dossier,
        "return",
        actor=actor,
        as_kind=workflow.SYSTEM if actor is None else None,
        data={"channel": channel},
        apply=apply,
    )


def dossier_withdraw(*, actor, dossier: Dossier, reason: str) -> Dossier:
    reason = _reason(reason)

    def apply(d):
        d.completed_at = timezone.now()
        d.paused_at = None

    return take_action(
        dossier, "withdraw", actor=actor, note=reason, data={"reason": reason}, apply=apply
    )


def dossier_extend(*, actor, dossier: Dossier, reason: str, new_due_at: datetime) -> Dossier:
    """The apology and new appointment (Form 04): once, before the due time, to a later time."""
    reason = _reason(reason)
    now = timezone.now()
    data = {"reason": reason, "new_due_at": new_due_at.isoformat()}

    def apply(d):
        if d.extended:
            raise ActionNotAllowed(
                _("The dossier was already extended once."), code="already_extended"
            )
        if d.due_at is None or now >= d.due_at:
            raise ActionNotAllowed(
                _("An extension must be asked before the due time."), code="extension_too_late"
            )
        if new_due_at <= d.due_at:
            raise InvalidInput(
                _("The new date must be after the current due time."), code="new_due_at"
            )
        data["old_due_at"] = d.due_at.isoformat()
        d.extended = True
        d.due_at = new_due_at

    return take_action(dossier, "extend", actor=actor, note=reason, data=data, apply=apply)


def dossier_rate(*, dossier: Dossier, score: int, comment: str = "") -> Dossier:
    """The citizen's satisfaction, once the result is returned (by the lookup secret)."""
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput(_("Give a score from 1 to 5."), code="score")
    comment = (comment or "").strip()[:500]

    def apply(d):
        if d.rating is not None:
            raise ActionNotAllowed(_("This dossier was already rated."), code="already_rated")
        d.rating = score
        d.rating_comment = comment

    return take_action(
        dossier,
        "rate",
        actor=None,
        as_kind=workflow.CITIZEN,
        data={"score": score},
        apply=apply,
    )
