"""Creating a dossier (online, at the desk, written by an officer, through a community member) and
answering a supplement request. The workflow actions after that are in `services.py`."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xaso.accounts.personal_id import personal_id_facts
from xaso.accounts.scoping import staff_scope
from xaso.catalog.fees import FeeQuote, fee_compute
from xaso.catalog.forms import validate_answers
from xaso.catalog.models import Procedure
from xaso.catalog.selectors import (
    DatabasePlaces,
    procedure_terms_for,
    provincial_rates,
    version_in_force,
)
from xaso.core.audit import audit_record
from xaso.core.errors import Forbidden, InvalidInput, NotFound
from xaso.core.text import phone_digits
from xaso.places.models import Commune, Village
from xaso.workdays.selectors import assisted_intake_check

from . import services, workflow
from .codes import dossier_code_next, lookup_secret_new
from .consent import consent_verified, optional_uses_record
from .models import Attachment, Channel, Dossier, ReturnChannel, Upload
from .selectors import dossier_by_secret, dossier_supplement_items, dossiers_visible_to

# A dossier that came by post is registered by the desk, like one handed in at the counter.
STAFF_CHANNELS = {Channel.COUNTER, Channel.ASSISTED, Channel.POST}


class AnswersInvalid(InvalidInput):
    code = "invalid_answers"


@dataclass(frozen=True)
class Submitted:
    dossier: Dossier
    fee: FeeQuote


def normalised_phone(text: str, *, required: bool = True) -> str:
    """'+84 912 345 678' -> '0912345678'; with `required`, anything else is an error."""
    phone = phone_digits(text)
    if required and not re.fullmatch(r"0\d{9}", phone):
        raise InvalidInput(
            _("Enter a phone number of 10 digits starting with 0."), code="invalid_phone"
        )
    return phone


def _applicant(data: dict, *, phone_required: bool, commune: Commune) -> dict:
    """The applicant block, checked field by field (errors as the form's, by field name)."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    name = " ".join(str(data.get("full_name") or "").split())
    if not name or len(name) > 100:
        errors["applicant.full_name"] = [_("Enter the full name.")]
    clean["full_name"] = name
    number = re.sub(r"\s", "", str(data.get("personal_id") or ""))
    facts = personal_id_facts(number) if number else None
    if number and facts is None:
        errors["applicant.personal_id"] = [_("The personal ID number has exactly 12 digits.")]
    clean["personal_id"] = number
    born = data.get("date_of_birth") or ""
    try:
        clean["date_of_birth"] = date.fromisoformat(born).isoformat() if born else ""
    except ValueError:
        errors["applicant.date_of_birth"] = [_("Enter a real date as YYYY-MM-DD.")]
    sex = data.get("sex") or ""
    if sex not in ("", "male", "female"):
        errors["applicant.sex"] = [_("Choose male or female.")]
    clean["sex"] = sex
    phone = normalised_phone(str(data.get("phone") or ""), required=False)
    if (phone or phone_required) and not re.fullmatch(r"0\d{9}", phone):
        errors["applicant.phone"] = [_("Enter a phone number of 10 digits starting with 0.")]
    clean["phone"] = phone
    clean["address"] = " ".join(str(data.get("address") or "").split())[:300]
    village = str(data.get("village") or "")
    if village and not Village.objects.filter(commune=commune, code=village).exists():
        errors["applicant.village"] = [_("This village is not in that commune.")]
    clean["village"] = village
    # The language the citizen used, so that messages reach them in it.
    clean["language"] = translation.get_language() or settings.LANGUAGE_CODE
    if errors:
        raise AnswersInvalid(details={"fields": errors})
    return clean


def _file_tokens(procedure: Procedure, clean: dict) -> list[tuple[str, str, str]]:
    """(field name, document key, upload token) for every file answer."""
    return [
        (spec["name"], spec["document"], token)
        for spec in procedure.form.get("fields", [])
        if spec.get("type") == "file" and spec["name"] in clean
        for token in clean[spec["name"]]
    ]


def _attach(dossier: Dossier, files: list[tuple[str, str, str]], source: str, *, actor) -> None:
    """Link the uploads to the dossier. A file already part of an earlier dossier is reused from
    the citizen's document store (Decision 766 counts it) only if that dossier is the same
    person's (same personal ID) and one `actor` may see; anything else is refused. Each reuse is
    recorded in the trail of the commune the file comes from."""
    uploads = Upload.objects.in_bulk([token for _f, _d, token in files], field_name="token")
    # A file this dossier already has (kept when the applicant answers a supplement request).
    own = set(
        Attachment.objects.filter(dossier=dossier, upload__in=uploads.values()).values_list(
            "upload_id", flat=True
        )
    )
    earlier = {
        attachment.upload_id: attachment
        for attachment in Attachment.objects.filter(upload__in=uploads.values())
        .exclude(dossier=dossier)
        .exclude(upload_id__in=own)
        .select_related("dossier__receiving_commune")
        .order_by("-id")  # the first use is written last, so it is the one kept
    }
    visible = set(
        dossiers_visible_to(actor)
        .filter(pk__in={attachment.dossier_id for attachment in earlier.values()})
        .values_list("pk", flat=True)
    )
    person = dossier.applicant.get("personal_id")

    def may_not_reuse(upload: Upload) -> bool:
        first_use = earlier.get(upload.pk)
        if first_use is None:
            return False
        owner = first_use.dossier.applicant.get("personal_id")
        return not person or owner != person or first_use.dossier_id not in visible

    refused = {
        field for field, _d, token in files if token not in uploads or may_not_reuse(uploads[token])
    }
    if refused:
        raise AnswersInvalid(
            details={"fields": {field: [_("Attach the files again.")] for field in refused}}
        )
    Attachment.objects.bulk_create(
        [
            Attachment(
                dossier=dossier,
                upload=uploads[token],
                field_name=field,
                document_key=document,
                source=Attachment.Source.REUSED if uploads[token].pk in earlier else source,
                reused_from=earlier.get(uploads[token].pk),
            )
            for field, document, token in files
        ],
        ignore_conflicts=True,
    )
    for _field, document, token in files:
        first_use = earlier.get(uploads[token].pk)
        if first_use is not None:
            audit_record(
                actor=actor,
                action="attachment.reuse",
                object_type="dossier",
                object_id=first_use.dossier.code,
                commune_code=first_use.dossier.receiving_commune.code,
                data={
                    "document": first_use.document_key,
                    "into_dossier": dossier.code,
                    "into_commune": dossier.receiving_commune.code,
                    "as": document,
                },
            )


def _clean_answers(procedure: Procedure, answers) -> dict:
    result = validate_answers(
        procedure.form, answers, places=DatabasePlaces(), today=timezone.localdate()
    )
    if not result.valid:
        raise AnswersInvalid(details={"fields": result.errors})
    return result.clean


def _channel_actor(*, actor, channel: str, commune: Commune, terms, receive: bool) -> str:
    """Who is submitting, as the workflow names them; refuses what the channel does not allow."""
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."), code="channel")
    if channel == Channel.ONLINE:
        if receive:
            raise Forbidden(_("An online dossier is received by the desk, not by the applicant."))
        return workflow.CITIZEN
    roles = staff_scope(actor).roles_in(commune)
    if not roles:
        raise NotFound(code="commune_not_found")
    if channel == Channel.COMMUNITY:
        if workflow.COMMUNITY not in roles:
            raise Forbidden()
        if receive:
            raise Forbidden(_("A community member submits; the desk receives."))
        return workflow.COMMUNITY
    if workflow.RECEPTION not in roles:
        raise Forbidden()
    if channel == Channel.ASSISTED:
        check = assisted_intake_check(commune=commune, terms=terms, at=timezone.now())
        if not check.allowed:
            raise Forbidden(check.reason, code=check.reason_code or "assisted_not_allowed")
    return workflow.RECEPTION


def dossier_submit(
    *,
    actor,
    procedure_code: str,
    commune_code: str,
    channel: str,
    applicant: dict,
    answers: dict,
    receive: bool = False,
    applicant_confirmed: bool = False,
    consent: dict | None = None,
    deciding_commune_code: str | None = None,
    result_delivery: str = ReturnChannel.COUNTER,
    documents_seen: list[str] | None = None,
    with_verification: bool = False,
    verification_reason: str = "",
    fee: dict | None = None,
    uses: dict | None = None,
) -> Submitted:
    """Create a dossier with its code and secret; with `receive` (the desk, complete dossier),
    register it in the same transaction. Returns it with the estimated fee.

    `documents_seen`: the keys of the required documents the officer saw at the desk (originals
    shown, copies taken); kept on the intake event, the record of what was received.
    `with_verification` (the desk, with `verification_reason`): received on the procedure's
    statutory limit with verification.
    `fee`: with `receive`, what the officer set about a fee the catalogue cannot compute
    (`services.fee_decision`).
    `uses`: the applicant's yes or no to the optional uses of their data (`consent.OPTIONAL_USES`),
    kept under `consent["uses"]`."""
    commune = Commune.objects.select_related("province").filter(code=commune_code).first()
    if commune is None:
        raise NotFound(code="commune_not_found")
    deciding = commune
    if deciding_commune_code and deciding_commune_code != commune_code:
        deciding = Commune.objects.filter(
            code=deciding_commune_code, province_id=commune.province_id
        ).first()
        if deciding is None:
            raise NotFound(code="commune_not_found")
    terms = procedure_terms_for(procedure_code, deciding.code)
    procedure = Procedure.objects.get(code=procedure_code)
    kind = _channel_actor(
        actor=actor, channel=channel, commune=commune, terms=terms, receive=receive
    )
    if with_verification and not receive:
        raise InvalidInput(
            _("Verification is chosen when the desk receives the dossier."),
            code="verification_at_receipt",
        )
    if receive and channel == Channel.ASSISTED and not applicant_confirmed:
        raise InvalidInput(
            _("The applicant must read and confirm what the officer wrote before it is received."),
            code="confirmation_required",
        )
    person = _applicant(
        applicant, phone_required=channel not in (Channel.COUNTER, Channel.POST), commune=commune
    )
    if channel == Channel.COMMUNITY and not person["personal_id"]:
        raise AnswersInvalid(
            details={"fields": {"applicant.personal_id": [_("Enter the personal ID number.")]}}
        )
    if result_delivery not in ReturnChannel.values:
        raise InvalidInput(
            _("Choose how to receive the result: counter, post or electronic."),
            code="result_delivery",
        )
    services.delivery_check(procedure, result_delivery)
    decision = services.fee_decision(fee) if receive else {}
    clean = _clean_answers(procedure, answers)
    if channel == Channel.COMMUNITY:
        consent = consent_verified(
            actor=actor, consent=consent, phone=person["phone"], procedure_code=procedure.code
        )
    now = timezone.now()
    if uses is not None:
        consent = {**(consent or {}), "uses": optional_uses_record(uses, at=now)}
    action = "intake" if receive else "submit"
    event_data = {"channel": channel, **({"fee": decision} if decision else {})}
    if receive and documents_seen:
        required = [document.key for document in procedure.documents.all()]
        event_data["documents_seen"] = [key for key in required if key in documents_seen]
    if with_verification:
        reason = services.verification_reason_checked(True, verification_reason)
        event_data |= {"with_verification": True, "reason": reason}

    def received(dossier):
        services.start_clock(
            dossier,
            now,
            with_verification=with_verification,
            verification_reason=verification_reason,
        )

    def attached(dossier):
        _attach(dossier, _file_tokens(procedure, clean), Attachment.Source.UPLOADED, actor=actor)

    with transaction.atomic():
        dossier = Dossier(
            code=dossier_code_next(commune, timezone.localdate(now)),
            lookup_secret=lookup_secret_new(),
            receiving_commune=commune,
            deciding_commune=deciding,
            procedure=procedure,
            applicant=person,
            applicant_user=actor
            if kind == workflow.CITIZEN and actor and actor.is_authenticated
            else None,
            channel=channel,
            written_by=actor if channel in (Channel.ASSISTED, Channel.COMMUNITY) else None,
            consent=consent or {},
            answers=clean,
            state=workflow.NEW,  # the action below takes it to its first state
            submitted_at=now,
            result_delivery=result_delivery,
            procedure_version=version_in_force(procedure, timezone.localdate(now)),
        )
        dossier = services.dossier_create(
            dossier,
            action,
            actor=actor,
            actor_kind=kind,
            data=event_data,
            apply=received if receive else None,
            after_insert=attached,
        )
        if receive:  # in the intake's transaction: no dossier received without its assignment
            dossier = services.dossier_assign_default(dossier)
    estimate = fee_compute(
        procedure.fees,
        clean,
        today=timezone.localdate(),
        channel=channel,
        provincial_rates=provincial_rates(commune),
    )
    return Submitted(dossier, estimate)


SUPPLEMENT_FIELD = "supplement"  # the attachments' field name for files sent on request
SUPPLEMENT_NOTE_MAX = 2000


def dossier_resubmit(
    *,
    code: str,
    secret: str,
    answers: dict | None = None,
    files: list[tuple[int, str]] | None = None,
    note: str = "",
) -> Dossier:
    """The citizen's answer to a supplement request: the missing files, each for an item of the
    request ((item number from 1, upload token)), corrected answers, a note for the desk. From
    `supplement_requested` the dossier goes back to the desk's new ones; while the clock is paused
    it stays paused until the desk resumes it."""
    dossier = dossier_by_secret(code, secret)
    note = " ".join((note or "").split())[:SUPPLEMENT_NOTE_MAX]
    files = list(files or [])
    if answers is None and not files and not note:
        raise InvalidInput(
            _("Attach the documents the commune asked for, or write what you corrected."),
            code="supplement_empty",
        )
    clean = _clean_answers(dossier.procedure, answers) if answers is not None else None
    items = len(dossier_supplement_items(dossier))
    if any(not 1 <= item <= max(items, 1) for item, _token in files):
        raise InvalidInput(_("This document was not asked for."), code="supplement_item")
    now = timezone.now()

    def apply(d):
        if clean is not None:
            d.answers = clean
            _attach(d, _file_tokens(d.procedure, clean), Attachment.Source.UPLOADED, actor=None)
        round_ = d.supplement_rounds
        _attach(
            d,
            [(SUPPLEMENT_FIELD, f"supplement-{round_}-{item}", token) for item, token in files],
            Attachment.Source.UPLOADED,
            actor=None,
        )
        d.supplement_answered_at = now

    return services.take_action(
        dossier,
        "resubmit",
        actor=None,
        as_kind=workflow.CITIZEN,
        note=note,
        data={"files": len(files), "answers": clean is not None},
        apply=apply,
    )
