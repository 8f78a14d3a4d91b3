"""The dossier API: submission (any channel), the staff's queues and actions, the citizen's lookup,
resubmission and rating. Thin: parse, call one service or selector, shape the answer."""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from xaso.accounts.auth import API_AUTH, OPTIONAL_AUTH
from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.core.audit import personal_data_view_log
from xaso.core.downloads import PDF, XLSX, file_response
from xaso.core.errors import InvalidInput
from xaso.core.idempotency import idempotent
from xaso.core.ratelimit import rate_limit, secret_check_limit
from xaso.core.text import format_dong

from . import actions, documents, drafts, hooks, register, search, selectors, services
from .consent import consent_code_send
from .models import Dossier
from .selectors import dossier_by_secret, dossier_status_by_secret
from .submission import dossier_resubmit, dossier_submit, normalised_phone
from .uploads import CONTENT_TYPES

public_router = Router(tags=["dossiers"])
staff_router = Router(tags=["staff"])


class ApplicantIn(Schema):
    full_name: str = Field(max_length=100)
    personal_id: str = Field("", max_length=20)
    date_of_birth: str = Field("", max_length=10)
    sex: str = Field("", max_length=6)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=300)
    village: str = Field("", max_length=40)


class FeeDecisionIn(Schema):
    """The amount in đồng, or an exemption (its category code) with the evidence shown."""

    amount: int | None = None
    exemption: str = Field("", max_length=40)
    evidence: str = Field("", max_length=300)


def _fee_decision(fee: FeeDecisionIn | None) -> dict | None:
    return fee.dict(exclude_defaults=True) if fee is not None else None


class SubmitIn(Schema):
    procedure: str = Field(max_length=10)
    commune: str = Field(max_length=16)
    deciding_commune: str | None = Field(None, max_length=16)
    channel: str = Field("online", max_length=12)
    applicant: ApplicantIn
    form: dict[str, Any]
    receive: bool = False
    applicant_confirmed: bool = False
    consent: dict[str, Any] | None = None
    result_delivery: str = Field("counter", max_length=12)  # counter | post | electronic
    # With `receive`: the procedure's statutory limit with verification, and why.
    with_verification: bool = False
    verification_reason: str = Field("", max_length=500)
    # With "receive": the fee the officer settled when the catalogue cannot compute it.
    fee: FeeDecisionIn | None = None


def _local(moment: datetime | None) -> datetime | None:
    """Times in answers are Vietnam time (+07:00), as people read them."""
    return timezone.localtime(moment) if moment is not None else None


def _fee(quote) -> dict:
    return {
        "amount": quote.amount,
        "display": format_dong(quote.amount) if quote.amount is not None else "",
        "rule": quote.rule,
        "provincial_key": quote.provincial_key,
    }


@public_router.post("/dossiers", auth=OPTIONAL_AUTH, response={201: dict})
def dossier_create(request, payload: SubmitIn):
    """Online without an account (the applicant's phone is required); the desk and community
    channels with a staff token. Send an `Idempotency-Key` header: a retry after a dropped
    connection then returns the first answer instead of making a second dossier."""

    def handler():
        submitted = dossier_submit(
            actor=request.user,
            procedure_code=payload.procedure,
            commune_code=payload.commune,
            deciding_commune_code=payload.deciding_commune,
            channel=payload.channel,
            applicant=payload.applicant.dict(),
            answers=payload.form,
            receive=payload.receive,
            applicant_confirmed=payload.applicant_confirmed,
            consent=payload.consent,
            result_delivery=payload.result_delivery,
            with_verification=payload.with_verification,
            verification_reason=payload.verification_reason,
            fee=_fee_decision(payload.fee),
        )
        dossier = submitted.dossier
        return Status(
            201,
            {
                "code": dossier.code,
                "lookup_secret": dossier.lookup_secret,
                "state": dossier.state,
                "due_at": _local(dossier.due_at),
                "fee": _fee(submitted.fee),
            },
        )

    def guard():
        # Anonymous submissions are limited per address; staff at the desk are not.
        if not request.user.is_authenticated:
            rate_limit(request, "dossier_submit", settings.XASO_RATE_ANON_SUBMIT)

    return idempotent(request, scope="dossier_submit", guard=guard, handler=handler)


class ConsentCodeIn(Schema):
    commune: str = Field(max_length=16)
    phone: str = Field(max_length=20)
    procedure: str = Field(max_length=10, description="The procedure the resident agrees to.")


@staff_router.post("/consents/otp")
def consent_code(request, payload: ConsentCodeIn) -> dict:
    """A community team member asks for a code sent to the resident's phone, naming the
    procedure, the data sent and the member; the resident reads it out only if they agree, and
    the member sends it with the dossier as
    `"consent": {"method": "otp", "challenge": "<id>", "code": "123456"}`."""
    commune = staff_scope(request.user).commune(payload.commune, roles=[Role.COMMUNITY_MEMBER])
    rate_limit(request, f"consent_code:{request.user.pk}", settings.XASO_RATE_ANON_SUBMIT)
    phone = normalised_phone(payload.phone)
    challenge = consent_code_send(
        actor=request.user, commune=commune, phone=phone, procedure_code=payload.procedure
    )
    return {"challenge": challenge.token, "expires_at": _local(challenge.expires_at)}


# --- drafts ----------------------------------------------------------------------------------


class DraftIn(Schema):
    procedure: str = Field(max_length=10)
    commune: str = Field(max_length=16)
    applicant: dict[str, Any] = Field(default_factory=dict)
    form: dict[str, Any] = Field(default_factory=dict)


class DraftUpdateIn(Schema):
    applicant: dict[str, Any] = Field(default_factory=dict)
    form: dict[str, Any] = Field(default_factory=dict)


def _draft(draft) -> dict:
    return {
        "id": draft.token,
        "procedure": draft.procedure.code,
        "commune": draft.commune.code,
        "applicant": draft.applicant,
        "form": draft.answers,
        "updated_at": _local(draft.updated_at),
    }


@public_router.post("/drafts", auth=OPTIONAL_AUTH, response={201: dict})
def draft_create_view(request, payload: DraftIn):
    # Anonymous drafts are limited per address, as anonymous submissions are; staff are not.
    if not request.user.is_authenticated:
        rate_limit(request, "draft_create", settings.XASO_RATE_ANON_SUBMIT)
    return _draft(
        drafts.draft_create(
            actor=request.user,
            commune_code=payload.commune,
            procedure_code=payload.procedure,
            applicant=payload.applicant,
            answers=payload.form,
        )
    )


@public_router.get("/drafts/{token}", auth=None)
def draft_get(request, token: str) -> dict:
    secret_check_limit(request)  # the token is the draft's only key
    return _draft(drafts.draft_by_token(token))


@public_router.put("/drafts/{token}", auth=None)
def draft_update_view(request, token: str, payload: DraftUpdateIn) -> dict:
    secret_check_limit(request)  # the token is the draft's only key
    return _draft(
        drafts.draft_update(token=token, applicant=payload.applicant, answers=payload.form)
    )


@public_router.delete("/drafts/{token}", auth=None, response={204: None})
def draft_delete_view(request, token: str):
    secret_check_limit(request)  # the token is the draft's only key
    drafts.draft_delete(token=token)


# --- the citizen, by code and secret --------------------------------------------------------


class LookupQuery(Schema):
    code: str = Field(max_length=48)
    secret: str = Field(max_length=32)


@public_router.get("/dossiers/lookup", auth=None)
def dossier_lookup(request, query: Query[LookupQuery]) -> dict:
    secret_check_limit(request)
    dossier = dossier_status_by_secret(query.code, query.secret)
    return {
        "code": dossier.code,
        "state": dossier.state,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "submitted_at": _local(dossier.submitted_at),
        "received_at": _local(dossier.received_at),
        "due_at": _local(dossier.due_at),
        "timeline": selectors.public_timeline(dossier),
        # While a supplement is asked for: what to bring, the officer's note, since when.
        "supplement_request": selectors.supplement_request(dossier),
        # What other apps add (the fee and its VietQR code): no personal data in them.
        **hooks.contributions(dossier),
    }


class SupplementFileIn(Schema):
    item: int = Field(ge=1, le=50)  # the number of the requested item, from 1
    id: str = Field(max_length=40)  # an upload's id (POST /api/v1/uploads)


class ResubmitIn(Schema):
    secret: str = Field(max_length=32)
    form: dict[str, Any] | None = None
    files: list[SupplementFileIn] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=2000)


@public_router.post("/dossiers/{dossier_code}/resubmit", auth=None)
def dossier_resubmit_view(request, dossier_code: str, payload: ResubmitIn) -> dict:
    """The answer to a supplement request: `files` (each for an item of
    `supplement_request.items`, numbered from 1), corrected `form` answers, or a `note`."""
    secret_check_limit(request)
    dossier = dossier_resubmit(
        code=dossier_code,
        secret=payload.secret,
        answers=payload.form,
        files=[(file.item, file.id) for file in payload.files],
        note=payload.note,
    )
    return {"code": dossier.code, "state": dossier.state}


class RateIn(Schema):
    secret: str = Field(max_length=32)
    score: int
    comment: str = Field("", max_length=500)


@public_router.post("/dossiers/{dossier_code}/rate", auth=None)
def dossier_rate_view(request, dossier_code: str, payload: RateIn) -> dict:
    secret_check_limit(request)
    dossier = dossier_by_secret(dossier_code, payload.secret)
    dossier = services.dossier_rate(dossier=dossier, score=payload.score, comment=payload.comment)
    return {"code": dossier.code, "state": dossier.state, "rating": dossier.rating}


# --- staff -----------------------------------------------------------------------------------


class ListQuery(Schema):
    q: str = Field(
        "",
        max_length=100,
        description="A code (any case or punctuation), the "
        "applicant's name with or without diacritics, a phone or personal ID number.",
    )
    state: str = Field("", max_length=24)
    queue: str = Field("", max_length=24)
    procedure: str = Field("", max_length=10, description="A procedure code.")
    channel: str = Field("", max_length=12)
    received_from: date | None = Field(None, description="Received on or after this day.")
    received_to: date | None = Field(None, description="Received on or before this day.")
    officer: str = Field("", max_length=150, description="The assigned officer's username.")
    overdue: bool = False
    sort: str = Field(
        "",
        max_length=10,
        description="received, due or code; '-' before it "
        "for the latest first; empty: the newest dossiers first.",
    )
    after: str = Field("", max_length=200, description="The previous page's `next`.")


def _summary(dossier: Dossier) -> dict:
    return {
        "code": dossier.code,
        "state": dossier.state,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "commune": dossier.receiving_commune.code,
        "applicant_name": dossier.applicant.get("full_name", ""),
        "channel": dossier.channel,
        "national_channel_code": dossier.national_channel_code,
        "submitted_at": _local(dossier.submitted_at),
        "due_at": _local(dossier.due_at),
        "due_rule": dossier.due_rule or None,
        "assigned_to": dossier.assigned_to.username if dossier.assigned_to else None,
    }


# On the public router because POST /dossiers is there: one path, one router (Django resolves the
# path once), but staff only.
@public_router.get("/dossiers", auth=API_AUTH, tags=["staff"])
def dossiers_list(request, query: Query[ListQuery]) -> dict:
    """The dossiers of your communes, in every state, 25 at a time; `q` searches them (the
    back office's search box: xaso.dossiers.search), the other fields narrow them."""
    filters = search.DossierFilters(**query.dict(exclude={"after"}))
    page = search.dossier_search(user=request.user, filters=filters, after=query.after)
    return {"items": [_summary(d) for d in page.dossiers], "next": page.next_cursor}


def dossier_detail(request, dossier: Dossier) -> dict:
    """The dossier as staff see it; reading the applicant's data is logged (Law 91/2025)."""
    personal_data_view_log(
        actor=request.user,
        object_type="dossier",
        object_id=dossier.code,
        fields=["applicant", "answers"],
        commune_code=dossier.receiving_commune.code,
        purpose="dossier_detail",
    )
    return {
        **_summary(dossier),
        "deciding_commune": dossier.deciding_commune.code,
        "outcome": dossier.outcome or None,
        "applicant": dossier.applicant,
        "answers": dossier.answers,
        "written_by": dossier.written_by.username if dossier.written_by else None,
        "received_at": _local(dossier.received_at),
        "clock_started_at": _local(dossier.clock_started_at),
        "paused_at": _local(dossier.paused_at),
        "completed_at": _local(dossier.completed_at),
        "returned_at": _local(dossier.returned_at),
        "return_channel": dossier.return_channel or None,
        "result_delivery": dossier.result_delivery,
        "procedure_version": dossier.procedure_version.number
        if dossier.procedure_version
        else None,
        "supplement_rounds": dossier.supplement_rounds,
        "extended": dossier.extended,
        "with_verification": dossier.with_verification,
        "verification_reason": dossier.verification_reason,
        "rating": dossier.rating,
        "attachments": [
            {
                "id": attachment.upload.token,
                "field": attachment.field_name,
                "document": attachment.document_key,
                "kind": attachment.upload.kind,
                "size": attachment.upload.size,
                "source": attachment.source,
            }
            for attachment in dossier.attachments.all()
        ],
        "events": [
            {
                "at": _local(event.at),
                "action": event.action,
                "from": event.from_state or None,
                "to": event.to_state,
                "actor": event.actor.username if event.actor else event.actor_label,
                "note": event.note,
                "data": event.data,
            }
            for event in dossier.events.all()
        ],
        "allowed_actions": [
            actions.BY_SLUG[action].api_name
            for action in services.allowed_actions_for(request.user, dossier)
            if actions.BY_SLUG[action].staff
        ],
        **hooks.contributions(dossier),
    }


@staff_router.get("/dossiers/{dossier_code}")
def dossier_get(request, dossier_code: str) -> dict:
    return dossier_detail(request, selectors.dossier_for_staff(request.user, dossier_code))


@staff_router.get("/dossiers/{dossier_code}/reusable")
def dossier_reusable(request, dossier_code: str) -> dict:
    """Earlier files of the same applicant: put their `id` in a file field to reuse them."""
    dossier = selectors.dossier_for_staff(request.user, dossier_code)
    return {
        "items": [
            {
                "id": attachment.upload.token,
                "document": attachment.document_key,
                "kind": attachment.upload.kind,
                "from_dossier": attachment.dossier.code,
                "uploaded_at": _local(attachment.upload.created_at),
            }
            for attachment in selectors.reusable_attachments(request.user, dossier)
        ]
    }


@staff_router.get("/dossiers/{dossier_code}/documents/{form}")
def dossier_document(request, dossier_code: str, form: str):
    """Forms 01–06 of Circular 03/2025 as PDF: receipt, supplement-request, refusal, apology,
    stop-notice, control-slip (404 document_not_available until the dossier has it)."""
    dossier = selectors.dossier_for_staff(
        request.user, dossier_code, purpose=f"document:{form}", fields=("applicant",)
    )
    content = documents.document_pdf(dossier, form, base_url=request.build_absolute_uri("/"))
    return file_response(content, documents.document_filename(dossier, form), PDF)


class RegisterQuery(Schema):
    commune: str = Field(max_length=16)
    first: date = Field(alias="from")
    last: date = Field(alias="to")
    format: str = Field("pdf", pattern="^(pdf|xlsx)$")


# On the public router, before /dossiers/{code}: "register" is not a dossier code.
@public_router.get("/dossiers/register", auth=API_AUTH, tags=["staff"])
def dossier_register(request, query: Query[RegisterQuery]):
    """Form 07, the register of the commune's dossiers for a period, as PDF or Excel."""
    commune = register.register_commune_for_staff(
        request.user, query.commune, query.first, query.last, purpose=f"register_{query.format}"
    )
    name = f"so-theo-doi-{commune.code}-{query.first}-{query.last}"
    if query.format == "xlsx":
        return file_response(register.register_xlsx(commune, query.first, query.last),
                         f"{name}.xlsx", XLSX)  # fmt: skip
    return file_response(
        register.register_pdf(commune, query.first, query.last), f"{name}.pdf", "application/pdf"
    )


@staff_router.get("/dossiers/{dossier_code}/attachments/{upload_id}")
def dossier_attachment(request, dossier_code: str, upload_id: str):
    """One file of the dossier, for staff. Always a download (a stored PDF may hold scripts), and
    each look at it is logged: ID card photos are sensitive personal data (Decree 356/2025)."""
    dossier, attachment = selectors.attachment_for_staff(
        request.user, dossier_code, upload_id, purpose="attachment_view"
    )
    upload = attachment.upload
    response = FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=f"{dossier.code}-{attachment.document_key}.{upload.extension}",
        content_type=CONTENT_TYPES[upload.kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ActionIn(Schema):
    """One body for every action; each uses the fields it needs (see the action's description)."""

    items: list[str] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=2000)
    reason: str = Field("", max_length=2000)
    to: str = Field("", max_length=150)
    channel: str = Field("", max_length=12)
    new_due_at: datetime | None = None
    with_verification: bool = False
    fee: FeeDecisionIn | None = None
    outcome: str = Field("", max_length=12)
    reference: str = Field("", max_length=150)
    # approve: the leader's step-up, the authenticator's current code (the password without one)
    otp: str = Field("", max_length=16)
    password: str = Field("", max_length=256)


@staff_router.post("/dossiers/{dossier_code}/{action}")
def dossier_action(request, dossier_code: str, action: str, payload: ActionIn) -> dict:
    """receive {} or {"with_verification": true, "reason"} and/or {"fee": {"amount"} |
    {"exemption", "evidence"}} (a fee the catalogue cannot compute is set at receipt, else 409
    fee_undetermined) · request-supplement {"items", "note"; a second one also "reason"} ·
    refuse {"reason"} · assign {"to"} · handover {"to"} · resume {} ·
    forward {"to", "note"} (a procedure another body decides) ·
    record-answer {"outcome": approved | denied, "reference", "note"} · propose {"note"} ·
    send-back {"reason"} · approve {"otp"} (the leader's authenticator code, or {"password"}
    without one: 401 otp_required / otp_invalid) ·
    deny {"reason"} · return {"channel": counter | post | electronic} · withdraw {"reason"} ·
    extend {"reason", "new_due_at"}. Not allowed in this state → 409; not your role → 403."""
    descriptor = actions.BY_API_NAME.get(action)
    if descriptor is None:
        raise InvalidInput(code="unknown_action")
    dossier = selectors.dossier_for_staff(request.user, dossier_code)
    arguments = descriptor.from_json(payload.dict())
    descriptor.function()(actor=request.user, dossier=dossier, **arguments)
    return dossier_detail(request, selectors.dossier_for_staff(request.user, dossier_code))
