"""Commune administration: the villages (thôn, buôn, tổ dân phố) of the administrator's commune."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from xaso.core.errors import DomainError
from xaso.core.text import by_name
from xaso.places.models import Village
from xaso.places.services import village_create

from .access import admin_commune, error_message, page, staff_required


@staff_required
def village_list(request):
    commune = admin_commune(request.user)
    if request.method == "POST":
        try:
            village_create(
                actor=request.user,
                commune=commune,
                name=request.POST.get("name", "")[:120],
                kind=request.POST.get("kind", Village.Kind.THON),
            )
        except DomainError as error:
            error_message(request, error)
        else:
            messages.success(request, _("The village is added."))
        return redirect("backoffice:villages")
    return page(
        request,
        "backoffice/admin/villages.html",
        {
            "commune": commune,
            "villages": by_name(Village.objects.filter(commune=commune)),
            "kinds": Village.Kind.choices,
        },
    )
