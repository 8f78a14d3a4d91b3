"""Sessions, API tokens and the second factor: one's own page, and the commune administrator's
page for the commune's staff (with the commune's second-factor policy)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xaso.accounts.models import SecondFactorPolicy
from xaso.accounts.second_factor import (
    has_second_factor,
    recovery_codes_left,
    second_factor_required,
)
from xaso.accounts.selectors import active_sessions, active_tokens
from xaso.accounts.services import (
    second_factor_policy_set,
    staff_session_end,
    token_revoke,
)

from .access import admin_commune, back, page, staff_required


@staff_required
def security_page(request):
    user = request.user
    return page(
        request,
        "backoffice/security/mine.html",
        {
            "sessions": active_sessions(user, user=user),
            "tokens": active_tokens(user, user=user),
            "current_session": request.session.session_key,
            "has_second_factor": has_second_factor(user),
            "second_factor_required": second_factor_required(user),
            "recovery_codes_left": recovery_codes_left(user),
            "idle_minutes": settings.XASO_STAFF_IDLE_MINUTES,
            "session_hours": settings.XASO_STAFF_SESSION_HOURS,
        },
    )


@require_POST
@staff_required
def session_end(request, pk: int):
    session = get_object_or_404(active_sessions(request.user), pk=pk)
    staff_session_end(actor=request.user, session=session)
    if session.session_key == request.session.session_key:
        return redirect("backoffice:login")
    messages.success(request, _("The session is signed out."))
    return back(request, "backoffice:security")


@require_POST
@staff_required
def token_end(request, pk: int):
    token = get_object_or_404(active_tokens(request.user), pk=pk)
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("The API token is revoked."))
    return back(request, "backoffice:security")


@staff_required
def commune_security(request):
    """The commune administrator: every staff member's sessions and tokens, and whether every
    officer (not only leaders and administrators) needs a second factor."""
    commune = admin_commune(request.user)
    if request.method == "POST":
        second_factor_policy_set(
            actor=request.user,
            commune=commune,
            required_for_all=request.POST.get("required_for_all") == "1",
        )
        messages.success(request, _("The second-factor rule is saved."))
        return redirect("backoffice:commune_security")
    staff = active_sessions(request.user).filter(user__memberships__commune=commune).distinct()
    tokens = active_tokens(request.user).filter(user__memberships__commune=commune).distinct()
    policy = SecondFactorPolicy.objects.filter(commune=commune).first()
    return page(
        request,
        "backoffice/security/commune.html",
        {
            "commune": commune,
            "sessions": staff,
            "tokens": tokens,
            "required_for_all": bool(policy and policy.required_for_all),
        },
    )
