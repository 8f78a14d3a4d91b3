"""The reception desk: a new dossier at the counter, received in one page.

Pick the procedure, scan the chip ID card's QR code (the USB scanner types it into one field; with
JavaScript the applicant is filled at once, without it on submit), fill the form, attach the scans,
and receive: Form 01 is then one click away on the dossier page. "Officer writes for the
applicant" follows the commune's Tuesday rule, checked by the workdays app.
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.catalog import web_forms
from xaso.catalog.models import Procedure
from xaso.catalog.records import DELIVERY_CHANNELS
from xaso.catalog.selectors import (
    exemption_categories,
    form_places,
    procedure_search,
    procedure_terms_for,
)
from xaso.catalog.texts import verification_limit_text
from xaso.core.errors import DomainError
from xaso.core.text import by_name
from xaso.dossiers.applicant import (
    APPLICANT_PARTS,
    applicant_completed,
    applicant_fields,
    applicant_person_field,
)
from xaso.dossiers.cccd import MAX_TEXT_LENGTH, WARNING_MESSAGES, CccdData, parse_cccd_qr
from xaso.dossiers.facts import identity_record
from xaso.dossiers.models import Channel, IdentityCheck, ReturnChannel
from xaso.dossiers.submission import AnswersInvalid, dossier_submit
from xaso.dossiers.uploads import upload_create, upload_summaries
from xaso.places.models import Commune, Village
from xaso.workdays.selectors import assisted_intake_check

from .access import page, staff_required
from .dossier import fee_from_post

SEARCH_MAX = 100


def reception_commune(user) -> Commune:
    """The commune whose desk this officer staffs; 404 for anyone who is not at a desk."""
    ids = sorted(staff_scope(user).commune_ids([Role.RECEPTION]))
    if not ids:
        raise Http404
    return Commune.objects.select_related("province").get(pk=ids[0])


@staff_required
def desk_start(request):
    commune = reception_commune(request.user)
    query = request.GET.get("q", "").strip()[:SEARCH_MAX]
    found = procedure_search(query, commune=commune)
    return page(
        request,
        "backoffice/desk/start.html",
        {"commune": commune, "query": query, "procedures": found.procedures, "count": found.count},
    )


def card_applicant(card: CccdData) -> dict:
    return {
        "full_name": card.full_name,
        "personal_id": card.personal_id,
        "date_of_birth": card.date_of_birth.isoformat(),
        "sex": card.sex,
        "address": card.address,
    }


@require_POST
@staff_required
def cccd_read(request):
    """The scanner's text, read for the page's script: the applicant's details, or why not."""
    reception_commune(request.user)
    try:
        card = parse_cccd_qr(request.POST.get("text", "")[: MAX_TEXT_LENGTH + 1])
    except DomainError as error:
        return JsonResponse(error.as_dict(), status=error.status)
    return JsonResponse(
        {
            **card_applicant(card),
            "warnings": [str(WARNING_MESSAGES[code]) for code in card.warnings],
        }
    )


def _read_card(text: str, applicant: dict, answers: dict, person_field: str | None):
    """Fill what is still blank from the card; returns (card warnings, error message)."""
    if not text:
        return [], ""
    try:
        card = parse_cccd_qr(text)
    except DomainError as error:
        return [], str(error.message)
    details = card_applicant(card)
    for part, value in details.items():
        if not applicant.get(part):
            applicant[part] = value
    if person_field:
        person = answers.get(person_field) or {}
        for part in ("full_name", "personal_id", "date_of_birth", "sex"):
            person[part] = person.get(part) or details[part]
        answers[person_field] = person
    return [str(WARNING_MESSAGES[code]) for code in card.warnings], ""


def _store_scans(request, procedure: Procedure, answers: dict, errors: dict) -> None:
    """Upload the scanned documents now, so that a refused submission does not lose them (their
    tokens come back in the re-drawn form)."""
    for spec in procedure.form.get("fields", []):
        if spec["type"] != "file":
            continue
        tokens = web_forms.kept_uploads(spec, request.POST)
        for scan in web_forms.new_files(spec, request.FILES):
            try:
                upload = upload_create(actor=request.user, data=scan, filename=scan.name)
            except DomainError as error:
                errors.setdefault(spec["name"], []).append(str(error.message))
                continue
            tokens.append(upload.token)
        answers[spec["name"]] = tokens


def _field_views(procedure: Procedure, answers: dict, errors: dict, commune: Commune) -> list:
    """Every field of the form on one page, as the portal's pages draw theirs."""
    places = form_places(
        default_province=commune.province.code,
        default_commune=commune.code,
        uploads_of=upload_summaries,
    )
    own = applicant_fields(procedure.form)
    (step,) = web_forms.form_steps(procedure.form, paged=False)
    return [
        web_forms.field_view(
            spec, answers.get(spec["name"]), errors, places=places, applicant=spec["name"] in own
        )
        for spec in step.specs
    ]


@staff_required
def desk_intake(request, procedure_code: str):
    commune = reception_commune(request.user)
    procedure = Procedure.objects.filter(code=procedure_code, is_active=True).first()
    if procedure is None:
        raise Http404
    terms = procedure_terms_for(procedure.code, commune.code)  # 404 when not offered here
    assisted = assisted_intake_check(commune=commune, terms=terms, at=timezone.now())
    applicant: dict = {}
    answers: dict = {}
    errors: dict = {}
    warnings: list[str] = []
    general_error = ""
    status = 200
    if request.method == "POST":
        applicant = {part: request.POST.get(f"a-{part}", "").strip() for part in APPLICANT_PARTS}
        answers = web_forms.read_answers(procedure.form.get("fields", []), request.POST)
        warnings, card_error = _read_card(
            request.POST.get("cccd", "").strip(),
            applicant,
            answers,
            applicant_person_field(procedure.form),
        )
        if card_error:
            errors["cccd"] = [card_error]
        _store_scans(request, procedure, answers, errors)
        if "read_card" not in request.POST and not errors:
            try:
                submitted = dossier_submit(
                    actor=request.user,
                    procedure_code=procedure.code,
                    commune_code=commune.code,
                    channel=_intake_channel(request),
                    # What the officer left blank is the form's applicant's (one rule).
                    applicant=applicant_completed(applicant, procedure.form, answers, commune.code),
                    answers=answers,
                    receive=True,
                    applicant_confirmed=bool(request.POST.get("confirmed")),
                    documents_seen=request.POST.getlist("seen"),
                    with_verification=bool(request.POST.get("with_verification")),
                    verification_reason=request.POST.get("verification_reason", "")[:500],
                    result_delivery=request.POST.get("result_delivery") or ReturnChannel.COUNTER,
                    fee=fee_from_post(request.POST),
                )
            except AnswersInvalid as invalid:
                for field, texts in invalid.details.get("fields", {}).items():
                    errors.setdefault(field.replace("applicant.", "a-"), []).extend(texts)
                general_error = _("Some answers need a correction: see the marked fields.")
                status = 400
            except DomainError as error:
                if error.status == 404:
                    raise
                general_error = str(error.message)
                status = error.status
            else:
                dossier = submitted.dossier
                if request.POST.get("cccd", "").strip() and not card_error:
                    identity_record(dossier, IdentityCheck.CCCD_QR)  # Decision 766 (MDSH.6)
                messages.success(
                    request, _("Received: %(code)s. Print Form 01.") % {"code": dossier.code}
                )
                return redirect(reverse("backoffice:dossier", args=[dossier.code]) + "?received=1")
        elif errors:
            status = 400
    villages = by_name(Village.objects.filter(commune=commune))
    return page(
        request,
        "backoffice/desk/intake.html",
        {
            "commune": commune,
            "procedure": procedure,
            "documents": list(procedure.documents.all()),
            "assisted": assisted,
            "assisted_chosen": bool(request.POST.get("assisted")),
            "applicant": applicant,
            "applicant_errors": {k[2:]: v for k, v in errors.items() if k.startswith("a-")},
            "cccd_errors": errors.get("cccd", []),
            "warnings": warnings,
            "fields": _field_views(procedure, answers, errors, commune),
            "villages": villages,
            "general_error": general_error,
            "verification_limit": verification_limit_text(procedure),
            "verification_chosen": bool(request.POST.get("with_verification")),
            "verification_reason": request.POST.get("verification_reason", "")[:500],
            "by_post": bool(request.POST.get("by_post")),
            "delivery_choices": [
                (value, label)
                for value, label in ReturnChannel.choices
                if value in (procedure.delivery_channels or DELIVERY_CHANNELS)
            ],
            "exemptions": exemption_categories(procedure.fees.get("exemptions", [])),
        },
        status=status,
    )


def _intake_channel(request) -> str:
    if request.POST.get("by_post"):
        return Channel.POST
    return Channel.ASSISTED if request.POST.get("assisted") else Channel.COUNTER
