"""Commune administration: the local terms of one offered procedure (a shorter time limit, the
contact line shown to citizens, a flat local fee), beside the national terms."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from xaso.catalog.models import CommuneProcedure, Procedure
from xaso.catalog.selectors import fee_summary
from xaso.catalog.services import commune_offer_terms_set, local_flat_fee
from xaso.core.errors import DomainError

from .access import admin_commune, page, staff_required

FIELDS = ("limit_amount", "limit_unit", "contact", "flat_fee")


def _typed(offer: CommuneProcedure | None) -> dict:
    """The form's values as stored (empty: the national term)."""
    if offer is None:
        return dict.fromkeys(FIELDS, "")
    fee = local_flat_fee(offer)
    same_day = offer.limit_unit == Procedure.Unit.SAME_DAY
    return {
        "limit_amount": "" if same_day or offer.limit_amount is None else offer.limit_amount,
        "limit_unit": offer.limit_unit,
        "contact": offer.contact,
        "flat_fee": "" if fee is None else fee,
    }


@staff_required
def offer_terms(request, procedure_code: str):
    commune = admin_commune(request.user)
    procedure = (
        Procedure.objects.select_related("field")
        .filter(code=procedure_code, is_active=True)
        .first()
    )
    if procedure is None:
        raise Http404
    offer = CommuneProcedure.objects.filter(commune=commune, procedure=procedure).first()
    context: dict = {"commune": commune, "procedure": procedure, "offer": offer,
                     "units": Procedure.Unit.choices, "typed": _typed(offer)}  # fmt: skip
    status = 200
    if request.method == "POST":
        typed = {name: request.POST.get(name, "").strip()[:300] for name in FIELDS}
        try:
            commune_offer_terms_set(actor=request.user, commune=commune, code=procedure.code,
                                    **typed)  # fmt: skip
        except DomainError as error:
            context.update(error=error, typed=typed)
            status = error.status
        else:
            messages.success(request, _("The local terms are saved."))
            return redirect("backoffice:offer_terms", procedure_code=procedure.code)
    context.update(
        national_fee=fee_summary(procedure.fees),
        local_fee=fee_summary(offer.fee_override) if offer and offer.fee_override else "",
    )
    return page(request, "backoffice/admin/offer_terms.html", context, status=status)
