"""The dossier events a citizen must hear of (DESIGN.md §3, hooks): each writes an outbox row to
the applicant's phone inside the action's transaction, so a rollback loses nothing and sends
nothing; the row is sent by a task queued when that transaction commits."""

import logging

from django.conf import settings

from xaso.dossiers import hooks

from . import templates
from .services import outbox_enqueue

logger = logging.getLogger("xaso.notify")

# Dossier action → template. "approve" signs the result, a grant or a reasoned denial alike.
DOSSIER_EVENTS = {
    "intake": templates.DOSSIER_RECEIVED,
    "receive": templates.DOSSIER_RECEIVED,
    "request_supplement": templates.SUPPLEMENT_REQUESTED,
    "refuse": templates.DOSSIER_REFUSED,
    "extend": templates.DOSSIER_EXTENDED,
    "approve": templates.RESULT_READY,
    "return": templates.RESULT_RETURNED,
}


def dossier_message_data(context: hooks.ActionContext) -> dict:
    """What the templates need, as plain JSON kept on the row."""
    dossier = context.dossier
    applicant = dossier.applicant or {}
    data = {
        "commune": dossier.receiving_commune.name,
        "code": dossier.code,
        "secret": dossier.lookup_secret,
        "procedure": dossier.procedure.name,
        "name": applicant.get("full_name", ""),
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
    }
    action_data = context.data or {}
    if context.action == "request_supplement":
        data["items"] = list(action_data.get("items") or [])
    if context.action in ("refuse", "extend"):
        data["reason"] = action_data.get("reason", "")
    if context.action == "return":
        data["return_channel"] = action_data.get("channel", "")
    return data


def notify_applicant(context: hooks.ActionContext) -> None:
    dossier = context.dossier
    applicant = dossier.applicant or {}
    phone = applicant.get("phone") or ""
    if not phone:
        logger.debug("dossier %s, %s: no phone, no message", dossier.code, context.action)
        return
    outbox_enqueue(
        recipient=phone,
        template=DOSSIER_EVENTS[context.action],
        data=dossier_message_data(context),
        language=applicant.get("language") or settings.LANGUAGE_CODE,
        dossier=dossier,
    )


def send_one_time_code(*, phone: str, code: str, purpose: str, commune: str, minutes: int):
    """A consent code for a resident (dossiers' community channel), through the outbox."""
    outbox_enqueue(
        recipient=phone,
        template=templates.ONE_TIME_CODE,
        data={"otp": code, "purpose": purpose, "commune": commune, "minutes": minutes},
    )


def register() -> None:
    for action in DOSSIER_EVENTS:
        hooks.register_listener(action, notify_applicant)
    hooks.register_code_sender(send_one_time_code)
