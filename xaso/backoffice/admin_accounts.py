"""Commune administration: the bank accounts that receive the commune's fees (VietQR)."""

from django.utils.translation import gettext as _

from xaso.core.errors import DomainError
from xaso.payments.banks import BANK_CHOICES
from xaso.payments.selectors import commune_accounts
from xaso.payments.services import receiving_account_create

from .access import admin_commune, page, staff_required


@staff_required
def account_list(request):
    commune = admin_commune(request.user)
    context: dict = {"commune": commune, "banks": BANK_CHOICES, "typed": {}}
    status = 200
    if request.method == "POST":
        typed = {
            name: request.POST.get(name, "").strip()[:100]
            for name in ("bank_bin", "account_number", "holder_name")
        }
        try:
            account, secret = receiving_account_create(actor=request.user, commune=commune,
                                                       **typed)  # fmt: skip
        except DomainError as error:
            fields = error.details.get("fields", {})
            context["errors"] = [text for texts in fields.values() for text in texts] or [
                str(error.message)
            ]
            context["typed"] = typed
            status = error.status
        else:
            # Shown once, on this answer only (never in a message: those may travel in a cookie).
            context["created"] = account
            context["secret"] = secret
            context["done"] = _("The account is added.")
    context["accounts"] = list(commune_accounts(commune))
    return page(request, "backoffice/admin/accounts.html", context, status=status)
