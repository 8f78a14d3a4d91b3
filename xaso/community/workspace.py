"""The team member's workspace on a phone (`/to-cong-nghe-so/`): their own sign-in, not the
officers' back office. Their team and village, this month's targets, the field log (which also
works offline: static/community/field-log.js and the service worker), the dossiers they filed
for residents (filing one: `filing.py`)."""

import uuid
from datetime import date
from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from xaso.core.errors import DomainError
from xaso.dossiers.selectors import staff_dossiers
from xaso.dossiers.uploads import upload_create

from .models import Outcome, Skill
from .selectors import activity_list, target_progress
from .services import active_member, activity_record

STATIC = Path(__file__).resolve().parent / "static" / "community"


def member_required(view):
    """Signed in and an active team member; anyone else signed in gets 404 (nothing here is
    theirs), an anonymous visitor the workspace's sign-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "community:sign_in")
        member = active_member(request.user)
        if member is None:
            raise Http404
        request.member = member
        return view(request, *args, **kwargs)

    return wrapper


class SignInView(auth_views.LoginView):
    template_name = "community/sign_in.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("community:workspace")


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("community:sign_in")


def _filed(user):
    return (
        staff_dossiers(user)
        .filter(written_by=user)
        .select_related("procedure")
        .order_by("-submitted_at")
    )


@member_required
def workspace(request):
    member = request.member
    today = timezone.localdate()
    mine = activity_list(request.user, mine=True, limit=5)
    return render(
        request,
        "community/workspace.html",
        {
            "member": member,
            "team": member.team,
            "targets": target_progress(member.team, today),
            "month": today,
            "recent": mine,
            "filed": list(_filed(request.user)[:3]),
            "nav": "home",
        },
    )


def _choices():
    return {"skills": Skill.choices, "outcomes": Outcome.choices}


@member_required
def field_log(request):
    """The form and the member's entries. Without JavaScript the form posts here; with it the
    entry is kept on the phone first and sent to the API (see field-log.js)."""
    if request.method == "POST":
        data = request.POST
        try:
            minutes = int(data.get("minutes") or 0)
            at = date.fromisoformat(data.get("at") or timezone.localdate().isoformat())
            photo = request.FILES.get("photo")
            token = upload_create(actor=request.user, data=photo).token if photo else ""
            _entry, created = activity_record(
                actor=request.user,
                uid=data.get("id", ""),
                resident={
                    "name": data.get("resident_name", "")[:150],
                    "phone": data.get("resident_phone", "").strip()[:10],
                    "household": data.get("resident_household", "")[:150],
                    "consent": data.get("consent") == "yes",
                },
                skill=data.get("skill", ""),
                outcome=data.get("outcome", ""),
                minutes=minutes,
                at=at,
                dossier_code=data.get("dossier", "")[:48],
                note=data.get("note", "")[:500],
                photo_token=token,
            )
        except (ValueError, DomainError) as error:
            fields = getattr(error, "details", {}).get("fields", {})
            text = "; ".join(str(m) for items in fields.values() for m in items)
            messages.error(request, text or str(getattr(error, "message", _("Check the form."))))
        else:
            messages.success(
                request, _("Entry recorded.") if created else _("This entry was already recorded.")
            )
        return redirect("community:field_log")
    return render(
        request,
        "community/field_log.html",
        {
            "member": request.member,
            "team": request.member.team,
            "entries": activity_list(request.user, mine=True, limit=100),
            "new_id": uuid.uuid4(),
            "today": timezone.localdate(),
            # From a dossier just filed: its code, and the outcome it is.
            "dossier_code": request.GET.get("dossier", "")[:48],
            "nav": "log",
            **_choices(),
        },
    )


@member_required
def filed_dossiers(request):
    return render(
        request,
        "community/dossiers.html",
        {"member": request.member, "team": request.member.team, "nav": "dossiers",
         "dossiers": list(_filed(request.user)[:100])},
    )  # fmt: skip


@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    """Served from the workspace's path so that its scope covers the workspace."""
    response = HttpResponse(
        (STATIC / "sw.js").read_text(encoding="utf-8"), content_type="text/javascript"
    )
    response["Service-Worker-Allowed"] = "/to-cong-nghe-so/"
    return response


@cache_control(max_age=3600)
def manifest(request):
    return HttpResponse(
        (STATIC / "manifest.webmanifest").read_text(encoding="utf-8"),
        content_type="application/manifest+json",
    )
