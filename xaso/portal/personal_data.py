"""/du-lieu-ca-nhan/: the signed-in citizen's personal data (Law 91/2025/QH15, Decree
356/2025/NĐ-CP): what the commune holds of them from their account, the optional uses they may
take back, and their requests to see, correct or delete their data with the commune's answers.

The phone is verified by the portal's sign-in code; a phone number written on someone else's
dossier opens nothing here (as "my dossiers")."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xaso.core.errors import DomainError
from xaso.core.text import by_name
from xaso.dossiers.consent import OPTIONAL_USES, optional_use_withdraw
from xaso.dossiers.models import State
from xaso.notify.selectors import preference_for
from xaso.notify.services import notification_preference_set
from xaso.places.models import Commune
from xaso.privacy import selectors
from xaso.privacy.models import SubjectRequest
from xaso.privacy.services import subject_request_file

from .account import is_citizen


def _stop_zalo(user) -> None:
    preference = preference_for(phone=user.phone)
    if preference is None or "zalo" not in preference.channels:
        return
    notification_preference_set(
        phone=user.phone,
        channels=[c for c in preference.channels if c != "zalo"] or ["sms"],
        opted_out=preference.opted_out,
        email=preference.email,
        user=user,
    )


def _post(request) -> None:
    user, post = request.user, request.POST
    if post.get("withdraw") in OPTIONAL_USES:
        optional_use_withdraw(user=user, dossier_code=post.get("dossier", "")[:48],
                              use=post["withdraw"])  # fmt: skip
        if post["withdraw"] == "zalo":
            _stop_zalo(user)
        messages.success(request, _("Done: this use of your data has stopped."))
        return
    target = post.get("target", "")
    if target == "auto":  # the request form's one choice: a dossier of theirs, or all their data
        target = SubjectRequest.Target.DOSSIER if post.get("ref") else SubjectRequest.Target.ALL
    filed = subject_request_file(
        user=user,
        phone=user.phone,
        kind=post.get("kind", ""),
        target=target,
        target_ref=post.get("ref", ""),
        details=post.get("details", ""),
        commune_code=post.get("commune", ""),
    )
    if filed.state == SubjectRequest.State.CARRIED_OUT:
        messages.success(request, filed.answer)
    else:
        due = timezone.localtime(filed.due_at).strftime("%H:%M %d/%m/%Y")
        messages.success(
            request,
            _("Your request %(code)s is sent. The commune answers here by %(due)s.")
            % {"code": filed.code, "due": due},
        )


@require_http_methods(["GET", "POST"])
def personal_data(request):
    here = reverse("portal:personal_data")
    if not is_citizen(request.user):
        return redirect(f"{reverse('portal:sign_in')}?next={here}")
    status = 200
    if request.method == "POST":
        try:
            _post(request)
        except DomainError as error:
            messages.error(request, error.message)
            status = error.status
        else:
            return redirect(here)
    user = request.user
    dossiers = selectors.citizen_dossiers(user)
    context = {
        "phone": user.phone,
        "dossiers": [
            {
                "code": dossier.code,
                "procedure": dossier.procedure.name,
                "commune": dossier.receiving_commune.name,
                "state": State(dossier.state).label,
                "uses": [
                    use for use in OPTIONAL_USES if (dossier.consent.get("uses") or {}).get(use)
                ],
            }
            for dossier in dossiers
        ],
        "drafts": selectors.citizen_drafts(user),
        "uploads": selectors.citizen_unattached_uploads(user),
        "requests": selectors.citizen_requests(user),
        "communes": by_name(Commune.objects.exclude(agency_code="").order_by("name")[:200]),
        "kinds": SubjectRequest.Kind.choices,
        "use_labels": {
            "zalo": _("messages on Zalo"),
            "reuse_documents": _("offering these papers again in later applications"),
        },
    }
    return render(request, "portal/personal_data.html", context, status=status)
