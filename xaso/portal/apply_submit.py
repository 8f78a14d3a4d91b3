"""Submitting the reviewed application, once, and the confirmation page that follows.

The review form carries a one-time token; it is used as an Idempotency-Key of `core.idempotency`,
whose unique index decides between two POSTs of a double click: the first creates the dossier, the
second gets the first one's answer (or waits for it), never a second dossier.
"""

import json
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from xaso.core.errors import DomainError, NotFound
from xaso.core.idempotency import HEADER, IdempotencyInFlight, idempotent
from xaso.core.pdf import qr_data_uri
from xaso.core.ratelimit import rate_limit
from xaso.core.text import format_dong
from xaso.dossiers import drafts
from xaso.dossiers.submission import dossier_submit
from xaso.notify.selectors import preference_for
from xaso.notify.services import notification_preference_set

SUBMITTED_KEY = "portal_apply_submitted"  # session: dossier code -> {secret, fee, ...}
KEEP_SUBMITTED = 5  # the confirmations this browser can open again
SUBMISSION_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # secrets.token_urlsafe(24), in the page
IN_FLIGHT_WAITS, IN_FLIGHT_PAUSE = 20, 0.25  # a submission takes well under 5 seconds


@dataclass(frozen=True)
class Outcome:
    redirect_to: str = ""
    error: str = ""
    status: int = 200


def _applicant(application) -> dict:
    return applicant_from_answers(application.form, application.result.clean, application.commune())


def applicant_from_answers(form: dict, clean: dict, commune) -> dict:
    """The dossier's applicant block, from the form's first person, phone and address (the
    village only when the address is in the receiving `commune`)."""
    first = {}
    for spec in form["fields"]:
        first.setdefault(spec["type"], clean.get(spec["name"]))
    person = first.get("person") or {}
    address = first.get("address") or {}
    same_commune = commune is not None and address.get("commune") == commune.code
    return {
        "full_name": person.get("full_name", ""),
        "personal_id": person.get("personal_id", ""),
        "date_of_birth": person.get("date_of_birth", ""),
        "sex": person.get("sex", ""),
        "phone": first.get("phone") or "",
        "address": address.get("detail", ""),
        "village": address.get("village", "") if same_commune else "",
    }


def _uses(request) -> dict:
    """The applicant's answers to the optional uses of their data (unticked: no)."""
    return {
        "zalo": request.POST.get("use_zalo") == "1",
        "reuse_documents": request.POST.get("use_reuse") == "1",
    }


def _zalo_first(phone: str, user) -> None:
    """The applicant asked for Zalo: their messages go there first, SMS after it."""
    preference = preference_for(phone=phone)
    chosen = preference.channels if preference else []
    others = [channel for channel in chosen if channel != "zalo"]
    notification_preference_set(
        phone=phone,
        channels=["zalo", *(others or ["sms"])],
        opted_out=preference.opted_out if preference else False,
        email=preference.email if preference else "",
        user=user,
    )


def _submit_kwargs(application) -> dict:
    commune = application.commune()
    return {
        "actor": application.request.user,
        "procedure_code": application.procedure.code,
        "commune_code": commune.code if commune else "",
        "channel": "online",
        "applicant": _applicant(application),
        "answers": application.result.clean,
        "result_delivery": application.meta.get("delivery", ""),
        "uses": _uses(application.request),
    }


def submit_review(request, application) -> Outcome:
    # The declaration of truth is the one box required: processing the data is what the law on
    # the procedure requires (the notice says so), not something the applicant consents to.
    if request.POST.get("declaration") != "1":
        return Outcome(error=_("Tick the box to declare that what you wrote is true."), status=400)
    token = request.POST.get("submission", "")
    if not SUBMISSION_TOKEN.fullmatch(token):  # an old or edited page: a new one has a token
        return Outcome(error=_("This page has expired. Check your answers and send again."),
                       status=400)  # fmt: skip
    # The one-time token of the form is this submission's idempotency key.
    request.META["HTTP_" + HEADER.upper().replace("-", "_")] = token
    request.__dict__.pop("headers", None)  # HttpRequest.headers is cached on first use

    def handler():
        if application.draft is None:
            raise NotFound(_("This application was already sent, or it has expired."))
        submitted = dossier_submit(**_submit_kwargs(application))
        drafts.draft_delete(token=application.draft.token)  # same transaction as the dossier
        phone = submitted.dossier.applicant.get("phone")
        if submitted.dossier.consent["uses"]["zalo"] and phone:
            _zalo_first(phone, request.user)
        fee = submitted.fee.amount
        return 201, {
            "code": submitted.dossier.code,
            "secret": submitted.dossier.lookup_secret,
            "fee": fee,
            "exempt": submitted.fee.rule == "exempt",
            "provincial_pending": fee is None,
        }

    def guard():
        if not request.user.is_authenticated:
            rate_limit(request, "dossier_submit", settings.XASO_RATE_ANON_SUBMIT)

    for attempt in range(IN_FLIGHT_WAITS + 1):
        try:
            response = idempotent(request, scope="portal_submit", guard=guard, handler=handler)
            break
        except IdempotencyInFlight as error:  # the other click is still submitting: wait for it
            if attempt == IN_FLIGHT_WAITS:
                return Outcome(error=str(error.message), status=error.status)
            time.sleep(IN_FLIGHT_PAUSE)
        except DomainError as error:  # throttled, a forged token
            return Outcome(error=str(error.message), status=error.status)
    answer = json.loads(response.content)
    if response.status_code >= 400:
        problem = answer.get("error", {})
        if problem.get("details", {}).get("fields"):
            return Outcome(redirect_to=application.first_unfinished())
        return Outcome(error=problem.get("message", ""), status=response.status_code)
    _remember(request, answer, application.procedure.code)
    application.forget()
    return Outcome(redirect_to=application.url("apply_done", answer["code"]))


def _remember(request, answer: dict, procedure_code: str) -> None:
    submitted = dict(request.session.get(SUBMITTED_KEY, {}))
    submitted[answer["code"]] = {**answer, "procedure": procedure_code}
    request.session[SUBMITTED_KEY] = dict(list(submitted.items())[-KEEP_SUBMITTED:])


def confirmation_context(request, procedure, dossier_code: str, submitted: dict) -> dict:
    query = urlencode({"code": dossier_code, "secret": submitted["secret"]})
    status_url = request.build_absolute_uri(reverse("portal:lookup") + "?" + query)
    fee = submitted.get("fee")
    if submitted.get("exempt") or fee == 0:
        fee_text = _("Free")
    elif fee is None:
        fee_text = _("The commune will tell you the fee when it receives your dossier.")
    else:
        fee_text = format_dong(fee)
    return {
        "procedure": procedure,
        "code": dossier_code,
        "secret": submitted["secret"],
        "status_url": status_url,
        "qr": qr_data_uri(status_url),
        "fee": fee_text,
        "fee_due": bool(fee),
    }
