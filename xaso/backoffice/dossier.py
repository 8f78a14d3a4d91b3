"""The dossier page (applicant, answers, files, timeline, control slip, payment, documents and the
actions this user may take now), its action forms, and the register (Form 07) for a period."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xaso.accounts.models import Membership, Role
from xaso.accounts.scoping import FULL_READ_ROLES, staff_scope
from xaso.accounts.second_factor import has_second_factor
from xaso.catalog.models import ExemptionCategory
from xaso.catalog.reading import answer_rows, localized
from xaso.catalog.selectors import exemption_categories
from xaso.catalog.texts import verification_limit_text
from xaso.core.audit import personal_data_view_log
from xaso.core.downloads import PDF, XLSX, file_response
from xaso.core.errors import DomainError, InvalidInput, NotFound
from xaso.core.text import by_name, person_sort_key
from xaso.dossiers import actions, documents, register, services, workflow
from xaso.dossiers.control import control_slip
from xaso.dossiers.models import Dossier, ReturnChannel, State
from xaso.dossiers.selectors import attachment_for_staff, dossier_for_staff
from xaso.dossiers.uploads import upload_page_response
from xaso.payments import services as payments
from xaso.payments.models import Payment, PaymentRequest
from xaso.payments.selectors import payment_contribution
from xaso.places.models import Commune
from xaso.results.models import RegisterEntry
from xaso.results.services import register_entry_record, result_register
from xaso.workdays.selectors import working_time_remaining
from xaso.workdays.texts import format_work_duration

from .access import error_message, page, staff_required

TEXT_MAX = 2000


class ConfirmationMissing(InvalidInput):
    code = "confirmation_required"


def _action_fields(descriptor: actions.ActionDescriptor, dossier: Dossier) -> tuple[str, ...]:
    """The widgets of the action's form (`dossier/_action.html`), from its descriptor."""
    fields = descriptor.widgets()
    if "verification" in fields and not dossier.procedure.verification_limit_unit:
        fields = tuple(f for f in fields if f != "verification")
    if descriptor.slug == "request_supplement" and dossier.supplement_rounds:
        # A second request: its reason, after the warning that the dossier will count as late.
        fields += ("second_request",)
    return fields


def _action_forms(allowed: list[str], dossier: Dossier) -> tuple[list[dict], list[dict]]:
    """(the usual actions, the primary one first; the destructive ones), each with its label
    and the inputs its form asks for. The step that moves the dossier on is the page's one
    primary button; those that end the dossier or turn it towards a denial are set apart and
    must be confirmed (a ticked box, checked again here: it works without JavaScript)."""
    primary = actions.primary_of(allowed)
    forms = [
        {
            "name": action,
            "label": actions.descriptor(action).label,
            "fields": _action_fields(actions.descriptor(action), dossier),
            "primary": action == primary,
        }
        for action in allowed
    ]
    usual = sorted(
        (form for form in forms if form["name"] not in actions.DESTRUCTIVE),
        key=lambda form: not form["primary"],
    )
    return usual, [form for form in forms if form["name"] in actions.DESTRUCTIVE]


def _actor_kind_label(kind: str) -> str:
    """Who acted when no officer did: the applicant, the system, or a role."""
    if kind == workflow.CITIZEN:
        return _("the applicant")
    if kind == workflow.SYSTEM:
        return _("the system")
    return Role(kind).label if kind in Role.values else kind


def _timeline(dossier: Dossier) -> list[dict]:
    return [
        {
            "at": event.at,
            "what": actions.descriptor(event.action).event_label
            if event.action in actions.BY_SLUG
            else event.action,
            "state": State(event.to_state).label,
            "who": event.actor.get_full_name()
            if event.actor
            else _actor_kind_label(event.actor_label),
            "note": event.note,
        }
        for event in dossier.events.all()
    ]


def _attachments_named(dossier: Dossier) -> list:
    """The attached papers, each with its name: the catalogue's document, else the form
    field's label (never the key)."""
    names = {
        spec["name"]: localized(spec.get("label"))
        for spec in dossier.procedure.form.get("fields", [])
    }
    names.update(dossier.procedure.documents.values_list("key", "name"))
    attachments = list(dossier.attachments.all())
    for attachment in attachments:
        attachment.document_name = names.get(attachment.document_key, attachment.document_key)
    return attachments


def _payment_labelled(payment: dict | None) -> dict | None:
    if payment is None:
        return None
    return {
        **payment,
        "status_label": PaymentRequest.Status(payment["status"]).label,
        "exemption_label": ExemptionCategory.objects.filter(code=payment["exemption"])
        .values_list("name", flat=True)
        .first()
        if payment["exemption"]
        else "",
        "payments": [
            {**paid, "method_label": Payment.Method(paid["method"]).label}
            for paid in payment["payments"]
        ],
    }


def _document_labels() -> dict[str, str]:
    return {form: spec.label for form, spec in documents.FORMS.items()}


def _officers(dossier: Dossier) -> list:
    """Who may take the dossier over: specialists and leaders of the deciding commune."""
    rows = Membership.objects.filter(
        commune=dossier.deciding_commune, role__in=[Role.SPECIALIST, Role.LEADER]
    ).select_related("user")
    officers = {row.user for row in rows if row.user.is_active}
    return sorted(officers, key=lambda user: person_sort_key(user.get_full_name() or user.username))


def _time_left(dossier: Dossier, now: datetime) -> str:
    if dossier.due_at is None or dossier.state not in workflow.CLOCK_STATES:
        return ""
    try:
        remaining = working_time_remaining(
            commune=dossier.deciding_commune, now=now, due_at=dossier.due_at
        )
    except DomainError:
        return ""
    return format_work_duration(remaining)


@staff_required
def dossier_page(request, code: str):
    dossier = dossier_for_staff(request.user, code)
    # Law 91/2025: each staff look at the applicant's data is recorded.
    personal_data_view_log(
        actor=request.user,
        object_type="dossier",
        object_id=dossier.code,
        fields=["applicant", "answers"],
        commune_code=dossier.receiving_commune.code,
        purpose="backoffice_dossier_page",
    )
    usual_actions, destructive_actions = _action_forms(
        [
            action
            for action in services.allowed_actions_for(request.user, dossier)
            if actions.descriptor(action).staff
            and actions.descriptor(action).offered(dossier.procedure)
        ],
        dossier,
    )
    needs_officers = any("to" in action["fields"] for action in usual_actions)
    payment = _payment_labelled(payment_contribution(dossier))
    exemptions = exemption_categories(dossier.procedure.fees.get("exemptions", []))
    document_labels = _document_labels()
    now = timezone.now()
    return page(
        request,
        "backoffice/dossier/page.html",
        {
            "dossier": dossier,
            "answers": answer_rows(dossier.procedure.form, dossier.answers),
            "attachments": _attachments_named(dossier),
            "events": _timeline(dossier),
            "slip": control_slip(dossier),
            "time_left": _time_left(dossier, now),
            "actions": usual_actions,
            "destructive_actions": destructive_actions,
            # the approve form asks for the authenticator's code, or the password without one
            "has_second_factor": any("step_up" in a["fields"] for a in usual_actions)
            and has_second_factor(request.user),
            "officers": _officers(dossier) if needs_officers else [],
            "return_channels": [
                (value, label)
                for value, label in ReturnChannel.choices
                if value in (dossier.procedure.delivery_channels or ReturnChannel.values)
            ],
            "payment": payment,
            "exemptions": exemptions,
            "is_desk": Role.RECEPTION
            in staff_scope(request.user).roles_in(dossier.receiving_commune),
            "documents": [
                (form, document_labels[form]) for form in documents.available_documents(dossier)
            ],
            "now": now,
            "just_received": request.GET.get("received") == "1",
            "verification_limit": verification_limit_text(dossier.procedure),
            "register_form": register_form_for(request.user, dossier),
        },
    )


def register_form_for(user, dossier: Dossier) -> dict | None:
    """The register-entry form, for an officer of the deciding commune while a civil-status
    result is being prepared; None when there is nothing to record."""
    if dossier.state not in (State.PROCESSING, State.AWAITING_SIGNATURE):
        return None
    if not staff_scope(user).roles_in(dossier.deciding_commune) & {Role.SPECIALIST, Role.LEADER}:
        return None
    book = result_register(dossier)
    if book is None or not book.recorded:
        return None
    entry = RegisterEntry.objects.filter(dossier=dossier).first()
    return {"register": book, "entry": entry}


def _text(request, name: str) -> str:
    return request.POST.get(name, "").strip()[:TEXT_MAX]


# The desk's intake reads the same fee fields as the receipt on this page.
fee_from_post = actions.fee_from_post


@require_POST
@staff_required
def register_entry(request, code: str):
    """The civil-status officer records the entry the Ministry's system gave (number, book; a
    birth's personal ID number) before the leader signs."""
    dossier = dossier_for_staff(request.user, code)
    try:
        register_entry_record(
            actor=request.user,
            dossier=dossier,
            number=_text(request, "number")[:20],
            book=_text(request, "book")[:40],
            personal_id=_text(request, "personal_id")[:12],
        )
    except DomainError as error:
        if error.status == 404:
            raise
        error_message(request, error)
    else:
        messages.success(request, _("The register entry is recorded."))
    return redirect("backoffice:dossier", code=dossier.code)


@require_POST
@staff_required
def dossier_action(request, code: str, action: str):
    """One action of the workflow; a refusal (wrong state, missing reason) comes back as a
    message and the page keeps what was typed in the messages' place: nothing changes."""
    descriptor = actions.staff_action(action)
    if descriptor is None:
        raise Http404
    dossier = dossier_for_staff(request.user, code)
    try:
        if descriptor.destructive and request.POST.get("confirm") != "yes":
            raise ConfirmationMissing(
                _("Tick the box to confirm: %(action)s.") % {"action": descriptor.label}
            )
        descriptor.function()(
            actor=request.user, dossier=dossier, **descriptor.from_post(request.POST)
        )
    except DomainError as error:
        if error.status == 404:
            raise
        error_message(request, error)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": descriptor.label})
    return redirect("backoffice:dossier", code=dossier.code)


def _amount(request) -> int:
    text = request.POST.get("amount", "").replace(".", "").replace(" ", "").strip()
    if not text.isdigit() or len(text) > 12:
        raise InvalidInput(_("Enter the amount in whole đồng."), code="amount")
    return int(text)


@require_POST
@staff_required
def payment_action(request, code: str, operation: str):
    """Cash at the desk, an exemption the applicant proved, or a fee the catalogue lacks."""
    dossier = dossier_for_staff(request.user, code)
    try:
        if operation == "cash":
            payments.cash_record(actor=request.user, dossier=dossier, amount=_amount(request))
        elif operation == "exemption":
            payments.payment_exemption_apply(
                actor=request.user,
                dossier=dossier,
                exemption=_text(request, "exemption")[:40],
                evidence=_text(request, "evidence"),
            )
        elif operation == "amount":
            payments.payment_amount_set(
                actor=request.user, dossier=dossier, amount=_amount(request)
            )
        else:
            raise Http404
    except DomainError as error:
        if error.status == 404:
            raise
        error_message(request, error)
    else:
        messages.success(request, _("The payment is recorded."))
    return redirect("backoffice:dossier", code=dossier.code)


@staff_required
def attachment_file(request, code: str, token: str):
    """A file of the dossier: images shown in the page, PDFs downloaded (a stored PDF may hold
    scripts). Every look is logged: ID card photos are sensitive personal data."""
    try:
        dossier, attachment = attachment_for_staff(
            request.user, code, token, purpose="backoffice_attachment_view"
        )
    except NotFound as error:
        raise Http404 from error
    upload = attachment.upload
    return upload_page_response(upload, f"{dossier.code}-{attachment.document_key}")


@staff_required
def document_file(request, code: str, form: str):
    if form not in documents.FORMS:
        raise Http404
    dossier = dossier_for_staff(
        request.user, code, purpose=f"backoffice_document:{form}", fields=("applicant",)
    )
    content = documents.document_pdf(dossier, form, base_url=request.build_absolute_uri("/"))
    return file_response(content, documents.document_filename(dossier, form), PDF, inline=True)


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        first = date.fromisoformat(request.GET.get("from", ""))
        last = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        return today.replace(day=1), today
    if last < first or (last - first) > timedelta(days=register.MAX_REGISTER_DAYS):
        raise InvalidInput(_("Choose a period of at most one year."), code="period")
    return first, last


@staff_required
def register_page(request):
    """Form 07 for the user's commune and a period: the rows on the page, PDF and Excel links."""
    scope = staff_scope(request.user)
    commune_code = request.GET.get("commune", "")
    communes = by_name(scope.filter(Commune.objects.all(), roles=FULL_READ_ROLES))
    commune = next(
        (c for c in communes if c.code == commune_code), communes[0] if communes else None
    )
    if commune is None:
        raise Http404
    error = ""
    try:
        first, last = _period(request)
    except InvalidInput as invalid:
        error = str(invalid.message)
        first = last = timezone.localdate()
    register.register_commune_for_staff(
        request.user, commune.code, first, last, purpose="backoffice_register"
    )
    rows = register.register_rows(commune, first, last)
    return page(
        request,
        "backoffice/dossier/register.html",
        {
            "commune": commune,
            "communes": communes,
            "first": first,
            "last": last,
            "rows": rows,
            "error": error,
        },
        status=400 if error else 200,
    )


@staff_required
def register_file(request, commune_code: str, file_format: str):
    if file_format not in ("xlsx", "pdf"):
        raise Http404
    first, last = _period(request)
    commune = register.register_commune_for_staff(
        request.user, commune_code, first, last, purpose=f"backoffice_register_{file_format}"
    )
    name = f"so-theo-doi-{commune.code}-{first}-{last}"
    if file_format == "xlsx":
        return file_response(register.register_xlsx(commune, first, last), f"{name}.xlsx", XLSX)
    if file_format == "pdf":
        return file_response(register.register_pdf(commune, first, last), f"{name}.pdf", PDF)
    raise Http404
