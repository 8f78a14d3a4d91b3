"""Commune administration: the commune's staff accounts and their roles."""

from django.contrib import messages
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from xaso.accounts.models import COMMUNE_ROLES, Membership, Role, User
from xaso.accounts.services import membership_grant, staff_user_create
from xaso.core.errors import DomainError, InvalidInput
from xaso.core.text import person_sort_key

from .access import admin_commune, error_message, page, staff_required


def _account(request) -> User:
    """An existing account by its username, or a new one (full name and first password)."""
    username = request.POST.get("username", "").strip()[:150]
    if not username:
        raise InvalidInput(_("Enter the username."), code="username")
    password = request.POST.get("password", "")
    existing = User.objects.filter(username=username, is_active=True).first()
    if existing is not None and not password:
        return existing
    try:
        validate_password(password)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), code="weak_password") from error
    return staff_user_create(
        actor=request.user,
        username=username,
        password=password,
        full_name=request.POST.get("full_name", "").strip()[:150],
    )


@staff_required
def staff_list(request):
    commune = admin_commune(request.user)
    if request.method == "POST":
        role = request.POST.get("role", "")
        try:
            if role not in COMMUNE_ROLES:
                raise InvalidInput(_("Choose a role."), code="unknown_role")
            user = _account(request)
            membership_grant(actor=request.user, user=user, role=role, commune=commune)
        except DomainError as error:
            error_message(request, error)
        else:
            messages.success(request, _("The role is granted."))
        return redirect("backoffice:staff")
    memberships = (
        Membership.objects.filter(commune=commune).select_related("user").order_by("user__username")
    )
    people: dict[int, dict] = {}
    for membership in memberships:
        person = people.setdefault(membership.user_id, {"user": membership.user, "roles": []})
        person["roles"].append(membership.get_role_display())
    return page(
        request,
        "backoffice/admin/staff.html",
        {
            "commune": commune,
            "people": sorted(
                people.values(),
                key=lambda person: person_sort_key(
                    person["user"].get_full_name() or person["user"].username
                ),
            ),
            "roles": [(r.value, r.label) for r in Role if r in COMMUNE_ROLES],
        },
    )
