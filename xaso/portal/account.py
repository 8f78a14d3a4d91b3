"""Citizen sign-in (phone number + one-time code) and "Hồ sơ của tôi" (my dossiers).

"My dossiers" lists only the dossiers the signed-in citizen submitted from this account
(Dossier.applicant_user). Privacy first: a phone number written on someone else's dossier (a
neighbour's, one a community member typed) never opens it, even once that phone is verified.
"""

import logging

from django.contrib.auth import login, logout
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST

from xaso.accounts.citizen_login import (
    CODE_MINUTES,
    phone_checked,
    sign_in_code_issue,
    sign_in_code_verify,
)
from xaso.core.errors import DomainError
from xaso.core.ratelimit import client_address
from xaso.dossiers.models import Attachment, Dossier, State
from xaso.notify.services import sign_in_code_send

from .lookup import status_url

logger = logging.getLogger("xaso.portal.sign_in")
SESSION_PHONE = "portal_sign_in_phone"
MY_DOSSIERS_LIMIT = 100
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _deliver_code(*, phone: str, code: str) -> None:
    """Through notify's outbox (SMS or Zalo; the demo's `log` channel prints it)."""
    sign_in_code_send(
        phone=phone, code=code, minutes=CODE_MINUTES, language=translation.get_language()
    )


def is_citizen(user) -> bool:
    return user.is_authenticated and hasattr(user, "citizen_profile") and not user.is_staff


def _safe_next(value: str) -> str:
    # Only our own paths: never an open redirect to another site.
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return reverse("portal:my_dossiers")


@require_http_methods(["GET", "POST"])
def sign_in(request):
    """/dang-nhap/: step 1, the phone number."""
    context = {"phone": "", "next": _safe_next(request.GET.get("next", ""))}
    if request.method == "POST":
        context["phone"] = request.POST.get("phone", "")[:20]
        context["next"] = _safe_next(request.POST.get("next", ""))
        try:
            phone = phone_checked(context["phone"])
            with transaction.atomic():
                code = sign_in_code_issue(phone=phone, client_ip=client_address(request))
                _deliver_code(phone=phone, code=code)
        except DomainError as error:
            context.update(error=error.message, error_code=error.code)
            return render(request, "portal/sign_in.html", context, status=error.status)
        request.session[SESSION_PHONE] = phone
        return redirect(f"{reverse('portal:sign_in_code')}?next={context['next']}")
    return render(request, "portal/sign_in.html", context)


@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """/dang-nhap/ma/: step 2, the code received by SMS."""
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("portal:sign_in")
    next_url = _safe_next(request.POST.get("next") or request.GET.get("next", ""))
    context = {"phone_hint": f"{phone[:3]}…{phone[-3:]}", "next": next_url}
    if request.method == "POST":
        try:
            user = sign_in_code_verify(
                phone=phone,
                code=request.POST.get("code", "")[:20],
                client_ip=client_address(request),
            )
        except DomainError as error:
            context.update(error=error.message, error_code=error.code)
            return render(request, "portal/sign_in_code.html", context, status=error.status)
        login(request, user, backend=MODEL_BACKEND)  # a new session key: no fixation
        return redirect(next_url)
    return render(request, "portal/sign_in_code.html", context)


@require_POST
def sign_out(request):
    logout(request)
    return redirect("portal:home")


def my_dossiers_of(user) -> list[Dossier]:
    """The citizen's dossiers, newest first (one query): filed from this account, and every
    dossier filed with the phone number they proved by the code sent to it (online without an
    account, at the desk, through the village team)."""
    mine = Q(applicant_user=user)
    phone = getattr(getattr(user, "citizen_profile", None), "phone", "")
    if phone:
        mine |= Q(applicant__phone=phone)
    return list(
        Dossier.objects.filter(mine)
        .select_related("procedure")
        .order_by("-submitted_at", "-id")[:MY_DOSSIERS_LIMIT]
    )


def my_documents_of(user) -> list[Attachment]:
    """Files the citizen gave in their own earlier dossiers whose papers they agreed to have
    offered again (an optional use, asked on the review step): what the application form may
    offer to reuse instead of a new upload (one query; newest first)."""
    return list(
        Attachment.objects.filter(
            dossier__applicant_user=user, dossier__consent__uses__reuse_documents=True
        )
        .exclude(source=Attachment.Source.REUSED)
        .select_related("upload", "dossier__procedure")
        .order_by("-id")[:50]
    )


def my_dossiers(request):
    """/ho-so-cua-toi/: the signed-in citizen's dossiers with their state and status link."""
    if not is_citizen(request.user):
        return redirect(f"{reverse('portal:sign_in')}?next={reverse('portal:my_dossiers')}")
    rows = [
        {
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "submitted_at": dossier.submitted_at,
            "state": State(dossier.state).label,
            "url": status_url(dossier.code, dossier.lookup_secret),
        }
        for dossier in my_dossiers_of(request.user)
    ]
    return render(request, "portal/my_dossiers.html", {"dossiers": rows})
