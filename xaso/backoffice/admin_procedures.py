"""Commune administration: which procedures the commune offers, and who gets each one's dossiers
on receipt (the default specialist). Each one's local terms have a page of their own
(admin_offer_terms)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from xaso.accounts.models import Membership, Role
from xaso.catalog.models import CommuneProcedure, Procedure
from xaso.catalog.services import (
    commune_offer_default_specialist_set,
    commune_procedures_offer,
    commune_procedures_withdraw,
)
from xaso.core.errors import DomainError, InvalidInput

from .access import admin_commune, error_message, page, staff_required


def _specialists(commune) -> dict:
    rows = Membership.objects.filter(commune=commune, role=Role.SPECIALIST).select_related("user")
    return {row.user.username: row.user for row in rows if row.user.is_active}


@staff_required
def procedure_list(request):
    commune = admin_commune(request.user)
    specialists = _specialists(commune)
    if request.method == "POST":
        codes = request.POST.getlist("codes")[:500]
        operation = request.POST.get("operation", "")
        try:
            if not codes:
                raise InvalidInput(_("Tick the procedures to change."), code="codes_required")
            if operation == "offer":
                commune_procedures_offer(actor=request.user, commune=commune, codes=codes)
            elif operation == "withdraw":
                commune_procedures_withdraw(actor=request.user, commune=commune, codes=codes)
            elif operation == "specialist":
                username = request.POST.get("specialist", "")
                if username and username not in specialists:
                    raise InvalidInput(_("Choose a specialist of the commune."), code="specialist")
                commune_offer_default_specialist_set(
                    actor=request.user, commune=commune, codes=codes,
                    specialist=specialists.get(username),
                )  # fmt: skip
            else:
                raise InvalidInput(_("Choose what to do."), code="operation")
        except DomainError as error:
            error_message(request, error)
        else:
            messages.success(request, _("The procedures are updated."))
        return redirect("backoffice:procedures")
    offers = {
        offer.procedure_id: offer
        for offer in CommuneProcedure.objects.filter(commune=commune).select_related(
            "default_specialist"
        )
    }
    procedures = Procedure.objects.filter(is_active=True).select_related("field").order_by("code")
    return page(
        request,
        "backoffice/admin/procedures.html",
        {
            "commune": commune,
            "rows": [(procedure, offers.get(procedure.pk)) for procedure in procedures],
            "specialists": list(specialists.values()),
        },
    )
