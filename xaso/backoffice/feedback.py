"""Citizens' feedback (PAKN) for the commune's officers: the queues with their overdue marks and
one page per feedback with the actions the table allows the officer now. Opening a feedback
is a personal-data read (the citizen's phone and words), logged."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xaso.accounts.scoping import staff_scope
from xaso.core.audit import personal_data_view_log
from xaso.core.errors import DomainError
from xaso.feedback import selectors, services
from xaso.feedback.workflow import TABLE

from .access import error_message, page, staff_required

QUEUE_LABELS = {
    "to_classify": gettext_lazy("To classify"),
    "handling": gettext_lazy("Being handled"),
    "info_requested": gettext_lazy("Waiting for the citizen"),
    "to_publish": gettext_lazy("Answer to publish"),
    "overdue": gettext_lazy("Overdue"),
    "closed": gettext_lazy("Closed"),
}
ACTION_LABELS = {
    "classify": gettext_lazy("Take it in and route it"),
    "reject": gettext_lazy("Do not accept"),
    "request_info": gettext_lazy("Ask the citizen for more information"),
    "answer": gettext_lazy("Answer"),
    "publish": gettext_lazy("Publish the answer"),
}
LIST_LIMIT = 200


@staff_required
def feedback_list(request):
    queue = request.GET.get("queue", "to_classify")
    if queue not in selectors.QUEUES:
        queue = "to_classify"
    now = timezone.now()
    rows = list(selectors.feedback_queue(request.user, queue, now=now)[:LIST_LIMIT])
    counts = selectors.queue_counts(request.user, now=now)
    return page(
        request,
        "backoffice/feedback/list.html",
        {
            "rows": [(item, selectors.is_overdue(item, now)) for item in rows],
            "queues": [(key, QUEUE_LABELS[key], counts[key]) for key in selectors.QUEUES],
            "current": queue,
        },
    )


@staff_required
def feedback_page(request, code: str):
    item = selectors.feedback_for_staff(request.user, code)
    if request.method == "POST":
        action = request.POST.get("action", "").replace("_", "-")
        service = services.ACTIONS.get(action)
        fields = {
            "classify": ("unit", "dossier_code"),
            "reject": ("reason",),
            "request-info": ("question",),
            "answer": ("answer", "public_summary"),
            "publish": ("public_summary",),
        }.get(action, ())
        try:
            if service is None:
                raise DomainError(_("Choose an action."), code="action")
            service(actor=request.user, code=item.code,
                    **{name: request.POST.get(name, "") for name in fields})  # fmt: skip
        except DomainError as error:
            error_message(request, error)
        else:
            messages.success(request, _("Recorded."))
        return redirect("backoffice:feedback", code=item.code)
    personal_data_view_log(
        actor=request.user, object_type="feedback", object_id=item.code,
        fields=["phone", "name", "text"], commune_code=item.commune.code,
        purpose="feedback.handle",
    )  # fmt: skip
    roles = staff_scope(request.user).roles_in(item.commune)
    actions = [
        (action, ACTION_LABELS[action])
        for action in TABLE.allowed_actions(item.state, roles)
        if action in ACTION_LABELS
    ]
    return page(
        request,
        "backoffice/feedback/page.html",
        {"item": item, "actions": actions, "overdue": selectors.is_overdue(item),
         "events": list(item.events.select_related("actor"))},
    )  # fmt: skip
