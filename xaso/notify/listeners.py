"""The dossier events a citizen must hear of (DESIGN.md §3, hooks), and a payment recorded
(payments' signal): each writes an outbox row for the applicant inside the action's
transaction, so a rollback loses nothing and sends nothing; the row is sent by a task queued
when that transaction commits. The channel is the applicant's choice (services.citizen_notify)."""

import logging

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from xaso.dossiers import actions, hooks
from xaso.payments.signals import payment_recorded

from . import templates
from .services import citizen_notify

logger = logging.getLogger("xaso.notify")

# Dossier action → template: the actions whose descriptor names a message
# (`dossiers.actions.ActionDescriptor.message`). "approve" signs the result, a grant or a
# reasoned denial alike.
DOSSIER_EVENTS = dict(actions.MESSAGES)


def lookup_url() -> str:
    """The public lookup page's full address, when the deployment says where it is served."""
    site = (getattr(settings, "XASO_PUBLIC_URL", "") or "").rstrip("/")
    if not site:
        return ""
    try:
        return site + reverse("portal:lookup")
    except NoReverseMatch:
        return site


def dossier_data(dossier) -> dict:
    """What every template about a dossier needs, as plain JSON kept on the row."""
    applicant = dossier.applicant or {}
    return {
        "commune": dossier.receiving_commune.name,
        "code": dossier.code,
        "secret": dossier.lookup_secret,
        "procedure": dossier.procedure.name,
        "name": applicant.get("full_name", ""),
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
    }


def dossier_message_data(context: hooks.ActionContext) -> dict:
    """What the templates need for this action."""
    dossier = context.dossier
    data = dossier_data(dossier)
    action_data = context.data or {}
    # The values of the event the message quotes, as the action's descriptor names them.
    for key, source in actions.descriptor(context.action).message_values.items():
        value = action_data.get(source)
        data[key] = list(value) if isinstance(value, list | tuple) else value or ""
    if context.action == "approve":
        # The results app adds `result_delivery`; until it does, every result is at the desk.
        data["electronic"] = getattr(dossier, "result_delivery", "") == "electronic"
        if data["electronic"]:
            data["lookup_url"] = lookup_url()
    return data


def _notify(dossier, template: str, data: dict, what: str) -> None:
    applicant = dossier.applicant or {}
    phone = applicant.get("phone") or ""
    email = applicant.get("email") or ""
    if not (phone or email):
        logger.debug("dossier %s, %s: no phone, no message", dossier.code, what)
        return
    citizen_notify(
        template=template,
        data=data,
        phone=phone,
        email=email,
        language=applicant.get("language") or settings.LANGUAGE_CODE,
        dossier=dossier,
        user=dossier.applicant_user,
    )


def notify_applicant(context: hooks.ActionContext) -> None:
    _notify(
        context.dossier,
        DOSSIER_EVENTS[context.action],
        dossier_message_data(context),
        context.action,
    )


def notify_payment(sender, *, payment, **kwargs) -> None:
    """Money recorded for a dossier's fee (cash, a matched or an assigned transfer)."""
    dossier = payment.request.dossier
    data = {**dossier_data(dossier), "amount": payment.amount, "receipt": payment.receipt_number}
    _notify(dossier, templates.PAYMENT_RECEIVED, data, "payment")


def send_one_time_code(*, phone: str, code: str, purpose: str, commune: str, minutes: int, **about):
    """A consent code for a resident (dossiers' community channel), through the outbox; `about`
    names the procedure, the member and the data the resident agrees to."""
    about = {name: about[name] for name in ("procedure", "member", "data") if name in about}
    citizen_notify(
        template=templates.ONE_TIME_CODE,
        data={"otp": code, "purpose": purpose, "commune": commune, "minutes": minutes, **about},
        phone=phone,
        phone_only=True,
    )


def register() -> None:
    unknown = sorted(set(DOSSIER_EVENTS.values()) - set(templates.TEMPLATES))
    if unknown:
        raise ValueError(f"no notify template for the actions' messages {unknown}")
    for action in DOSSIER_EVENTS:
        hooks.register_listener(action, notify_applicant)
    hooks.register_code_sender(send_one_time_code)
    payment_recorded.connect(notify_payment, dispatch_uid="notify.payment_received")
