"""Citizens' requests about their personal data (Law 91/2025/QH15, Decree 356/2025/NĐ-CP), for
the officers who answer them: the desk, the leader and the commune admin of the commune the
request was sent to. Each opening of a request is a personal-data read, logged."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.core.audit import personal_data_view_log
from xaso.core.errors import DomainError
from xaso.privacy.models import SubjectRequest
from xaso.privacy.selectors import staff_subject_requests, subject_request_for_staff
from xaso.privacy.services import subject_request_answer

from .access import error_message, page, staff_required

LIST_LIMIT = 200


@staff_required
def request_list(request):
    rows = list(staff_subject_requests(request.user)[:LIST_LIMIT])
    return page(
        request,
        "backoffice/privacy/list.html",
        {"requests": rows, "now": timezone.now(), "open_state": SubjectRequest.State.OPEN},
    )


@staff_required
def request_page(request, code: str):
    found = subject_request_for_staff(request.user, code)
    if request.method == "POST":
        try:
            subject_request_answer(
                actor=request.user, code=code, answer=request.POST.get("answer", "")
            )
        except DomainError as error:
            error_message(request, error)
        else:
            messages.success(
                request, _("The answer is recorded; the citizen reads it on the portal.")
            )
        return redirect("backoffice:privacy_request", code=code)
    personal_data_view_log(
        actor=request.user, object_type="subject_request", object_id=found.code,
        fields=["phone", "details", "target_ref"], commune_code=found.commune.code,
        purpose="privacy.request",
    )  # fmt: skip
    return page(
        request,
        "backoffice/privacy/request.html",
        {"item": found, "now": timezone.now(), "open_state": SubjectRequest.State.OPEN},
    )
