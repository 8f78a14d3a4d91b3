"""The commune's announcements in the back office (`/backoffice/news/`): the list (by state and
category), writing and editing a draft (with its image and attachments, uploaded like every
file), and one page per announcement with the steps of `xaso.news.workflow` the officer may take
now: submit for approval, send back or approve and publish (the leader or the culture officer),
withdraw. A published one links to its portal page, its notice-board print and the text of its
Zalo OA article. Every write goes through `xaso.news.services`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xaso.accounts.scoping import staff_scope
from xaso.core.errors import DomainError
from xaso.core.text import by_name
from xaso.dossiers.uploads import upload_create, upload_page_response
from xaso.news import selectors, services
from xaso.news.models import Announcement, Category
from xaso.news.texts import zalo_article
from xaso.news.workflow import APPROVER, TABLE, WRITER, WRITER_ROLES
from xaso.places.models import Commune, Village

from .access import error_message, page, staff_required

LIST_LIMIT = 200
MAX_ATTACHMENTS = 10
# The table's actions as buttons; `edit` is a page of its own, not a button.
ACTION_LABELS = {
    "submit": gettext_lazy("Submit for approval"),
    "send_back": gettext_lazy("Send back to the writer"),
    "approve": gettext_lazy("Approve and publish"),
    "withdraw": gettext_lazy("Withdraw from the portal"),
}
DESTRUCTIVE = {"withdraw"}
SERVICES = {
    "submit": services.announcement_submit,
    "send_back": services.announcement_send_back,
    "approve": services.announcement_approve,
    "withdraw": services.announcement_withdraw,
}


def news_commune(user) -> Commune:
    """The commune whose news this officer writes or approves; 404 for anyone else (a province
    viewer, a community member, another commune's officer)."""
    ids = sorted(staff_scope(user).commune_ids(WRITER_ROLES))
    if not ids:
        raise Http404
    return Commune.objects.get(pk=ids[0])


def _announcement(request, code: str) -> tuple[Announcement, frozenset[str]]:
    item = selectors.announcement_for_staff(request.user, code)  # NotFound: 404
    kinds = selectors.news_kinds(request.user, item.commune)
    if not kinds:
        raise Http404
    return item, kinds


@staff_required
def news_list(request):
    commune = news_commune(request.user)
    state = request.GET.get("state", "")
    category = request.GET.get("category", "")
    rows = selectors.staff_announcements(request.user).filter(commune=commune)
    if state in Announcement.State.values:
        rows = rows.filter(state=state)
    if category in Category.values:
        rows = rows.filter(category=category)
    return page(
        request,
        "backoffice/news/list.html",
        {
            "nav_section": "news",
            "commune": commune,
            "rows": list(rows.select_related("created_by")[:LIST_LIMIT]),
            "states": Announcement.State.choices,
            "categories": Category.choices,
            "state": state,
            "category": category,
        },
    )


def _uploaded(request) -> tuple[str, list[str]]:
    """The new image and attachments of the posted form, stored through `upload_create` (type
    sniffed, images re-encoded without their metadata)."""
    image = request.FILES.get("image")
    image_id = upload_create(actor=request.user, data=image).token if image else ""
    files = request.FILES.getlist("attachments")[:MAX_ATTACHMENTS]
    return image_id, [upload_create(actor=request.user, data=file).token for file in files]


def _form_values(request, item: Announcement | None) -> dict:
    post = request.POST
    if post:
        return {
            "title": post.get("title", ""),
            "category": post.get("category", ""),
            "summary": post.get("summary", ""),
            "body": post.get("body", ""),
            "villages": set(post.getlist("villages")),
        }
    if item is None:
        return {"villages": set()}
    return {
        "title": item.title,
        "category": item.category,
        "summary": item.summary,
        "body": item.body,
        "villages": {village.code for village in item.villages.all()},
    }


def _form(request, commune: Commune, item: Announcement | None, errors: dict):
    return page(
        request,
        "backoffice/news/form.html",
        {
            "nav_section": "news",
            "commune": commune,
            "item": item,
            "values": _form_values(request, item),
            "errors": errors,
            "categories": Category.choices,
            "villages": by_name(Village.objects.filter(commune=commune)),
            "attachments": list(item.attachments.all()) if item else [],
        },
        status=400 if errors else 200,
    )


def _field_errors(error: DomainError) -> dict:
    fields = (error.details or {}).get("fields", {})
    return {name: str(error.message) for name in fields} or {"form": str(error.message)}


def _typed(post) -> dict:
    """What the officer typed of an announcement, as the write and edit services take it."""
    return {
        "category": post.get("category", ""),
        "title": post.get("title", ""),
        "body": post.get("body", ""),
        "summary": post.get("summary", ""),
        "village_codes": post.getlist("villages"),
    }


@staff_required
def news_write(request):
    commune = news_commune(request.user)
    if request.method != "POST":
        return _form(request, commune, None, {})
    post = request.POST
    try:
        image_id, attachment_ids = _uploaded(request)
        item = services.announcement_write(
            actor=request.user, commune_code=commune.code, **_typed(post),
            image_id=image_id, attachment_ids=attachment_ids,
        )  # fmt: skip
    except DomainError as error:
        error_message(request, error)
        return _form(request, commune, None, _field_errors(error))
    messages.success(request, _("The draft is saved. Submit it for approval when it is ready."))
    return redirect("backoffice:news", code=item.code)


@staff_required
def news_edit(request, code: str):
    item, kinds = _announcement(request, code)
    if "edit" not in TABLE.allowed_actions(item.state, kinds):
        messages.error(request, _("Only a draft can be edited."))
        return redirect("backoffice:news", code=item.code)
    if request.method != "POST":
        return _form(request, item.commune, item, {})
    post = request.POST
    try:
        image_id, attachment_ids = _uploaded(request)
        if not image_id and item.image and post.get("keep_image") == "yes":
            image_id = item.image.token
        kept = set(post.getlist("keep_attachments"))
        attachment_ids = [u.token for u in item.attachments.all() if u.token in kept] + (
            attachment_ids
        )
        services.announcement_edit(
            actor=request.user, code=item.code, **_typed(post),
            image_id=image_id, attachment_ids=attachment_ids,
        )  # fmt: skip
    except DomainError as error:
        error_message(request, error)
        return _form(request, item.commune, item, _field_errors(error))
    messages.success(request, _("The draft is saved."))
    return redirect("backoffice:news", code=item.code)


@staff_required
def news_page(request, code: str):
    item, kinds = _announcement(request, code)
    allowed = TABLE.allowed_actions(item.state, kinds)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action not in SERVICES or action not in allowed:
                raise DomainError(_("Not possible in the announcement's state."), code="action")
            if action in DESTRUCTIVE and request.POST.get("confirm") != "yes":
                raise DomainError(_("Tick the box to confirm."), code="confirm")
            SERVICES[action](actor=request.user, code=item.code)
        except DomainError as error:
            error_message(request, error)
        else:
            messages.success(request, _("Recorded."))
        return redirect("backoffice:news", code=item.code)
    # One primary action: approving where the officer may, else submitting.
    primary = "approve" if "approve" in allowed else "submit"
    buttons = [
        {"name": action, "label": ACTION_LABELS[action], "primary": action == primary}
        for action in allowed
        if action in ACTION_LABELS and action not in DESTRUCTIVE
    ]
    link = request.build_absolute_uri(reverse("portal:news_page", args=[item.code]))
    return page(
        request,
        "backoffice/news/page.html",
        {
            "nav_section": "news",
            "item": item,
            "buttons": buttons,
            "destructive": [
                {"name": action, "label": ACTION_LABELS[action]}
                for action in allowed
                if action in DESTRUCTIVE
            ],
            "can_edit": "edit" in allowed,
            "is_writer": WRITER in kinds,
            "is_approver": APPROVER in kinds,
            "attachments": list(item.attachments.all()),
            "villages": list(item.villages.all()),
            "zalo_text": zalo_article(item, link),
        },
    )


@staff_required
def news_file(request, code: str, token: str):
    """The announcement's image (shown in the page) or an attachment (a PDF is downloaded: a
    stored PDF may hold scripts)."""
    item, _kinds = _announcement(request, code)
    upload = selectors.announcement_upload(item, token)
    if upload is None:
        raise Http404
    return upload_page_response(upload, f"{item.code}-{upload.token[:8]}")
