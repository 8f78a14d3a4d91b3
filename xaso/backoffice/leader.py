"""The leader's desk: the proposed results with a preview, approved and signed one at a time or
many at once (after a confirmation page that lists them and asks for the authenticator's code);
sending one back (with the reason) is on the dossier page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xaso.accounts.second_factor import has_second_factor
from xaso.catalog.reading import answer_rows, place_names_of
from xaso.core.audit import PERSONAL_DATA_VIEW, audit_record, personal_data_view_log
from xaso.core.downloads import PDF, file_response
from xaso.core.errors import DomainError
from xaso.dossiers.models import State
from xaso.dossiers.selectors import dossier_for_staff, dossier_list, staff_dossiers
from xaso.results.services import result_preview_pdf, results_sign_batch

from .access import page, staff_required

MAX_BATCH = 50


@staff_required
def leader_desk(request):
    result = dossier_list(
        user=request.user, queue="awaiting_signature", after=request.GET.get("after", "")[:40]
    )
    if result.dossiers:
        # The previews show the applicants' answers (Law 91/2025): one record for the page.
        audit_record(
            actor=request.user,
            action=PERSONAL_DATA_VIEW,
            object_type="dossier_list",
            commune_code=result.dossiers[0].receiving_commune.code,
            data={
                "fields": ["answers"],
                "purpose": "backoffice_leader_previews",
                "dossiers": [d.code for d in result.dossiers],
            },
        )
    names = place_names_of((d.procedure.form, d.answers) for d in result.dossiers)
    return page(
        request,
        "backoffice/leader/desk.html",
        {
            "queue": "awaiting_signature",
            "proposals": [
                {"dossier": d, "answers": answer_rows(d.procedure.form, d.answers, names)}
                for d in result.dossiers
            ],
            "next_cursor": result.next_cursor,
        },
    )


@staff_required
def draft_preview(request, code: str):
    """The result as it will read once signed (no number, no signature yet): what the leader
    checks before signing, and what the assigned specialist checks before proposing it (the
    same renderer as the signed PDF)."""
    dossier = dossier_for_staff(request.user, code)
    specialist_draft = (
        dossier.state == State.PROCESSING and dossier.assigned_to_id == request.user.pk
    )
    if dossier.state != State.AWAITING_SIGNATURE and not specialist_draft:
        raise Http404
    content = result_preview_pdf(actor=request.user, dossier=dossier)
    personal_data_view_log(
        actor=request.user,
        object_type="dossier",
        object_id=dossier.code,
        fields=["applicant", "answers"],
        commune_code=dossier.deciding_commune.code,
        purpose="backoffice_draft_preview",
    )
    return file_response(content, f"du-thao-{dossier.code}.pdf", PDF, inline=True)


def _confirm_page(request, codes: list[str], *, error: DomainError | None = None):
    """ "You are about to sign N documents": the list, and the step-up's field."""
    dossiers = (
        staff_dossiers(request.user)
        .filter(code__in=codes, state=State.AWAITING_SIGNATURE)
        .select_related("procedure")
        .order_by("code")
    )
    return page(
        request,
        "backoffice/leader/confirm.html",
        {
            "queue": "awaiting_signature",
            "dossiers": dossiers,
            "count": len(dossiers),
            "with_otp": has_second_factor(request.user),
            "error": error,
        },
        status=error.status if error else 200,
    )


@require_POST
@staff_required
def leader_sign(request):
    # "Sign every result shown" selects all the page's cards; the confirmation lists them all.
    ticked = request.POST.getlist("shown" if request.POST.get("all") else "codes")
    codes = list(dict.fromkeys(ticked))[:MAX_BATCH]
    if not codes:
        messages.error(request, _("Tick the results to sign."))
        return redirect("backoffice:leader")
    if "confirm" not in request.POST:
        return _confirm_page(request, codes)
    try:
        outcomes = results_sign_batch(
            actor=request.user,
            codes=codes,
            otp=request.POST.get("otp", ""),
            password=request.POST.get("password", ""),
        )
    except DomainError as error:
        if error.status == 401:  # the step-up failed: nothing is signed, try again
            return _confirm_page(request, codes, error=error)
        messages.error(request, str(error.message))
        return redirect("backoffice:leader")
    # One row per code; a row with an error names why that one was not signed.
    signed = [row["code"] for row in outcomes if not row.get("error")]
    for row in outcomes:
        if row.get("error"):
            messages.error(request, f"{row['code']}: {row['error']['message']}")
    if signed:
        messages.success(
            request, _("Signed: %(codes)s.") % {"codes": ", ".join(str(c) for c in signed)}
        )
    return redirect("backoffice:leader")
