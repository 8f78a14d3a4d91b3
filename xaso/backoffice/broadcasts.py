"""The commune's loudspeaker bulletins in the back office (`/backoffice/broadcasts/`): the day's
programme in playing order (emergency first) with the operator's play ticks, the bulletins still
waiting for approval, writing one, one page per bulletin (approve, the audio read offline where
espeak-ng exists, cancel), the printable script and the text export for the vendor's
smart-radio system; and the commune's daily slots, set by its administrator. Every write goes
through `xaso.news.services`; the programme is `xaso.news.selectors.programme`."""

from datetime import date, timedelta

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xaso.core.errors import DomainError, InvalidInput
from xaso.core.text import by_name
from xaso.news import selectors, services, speech
from xaso.news.models import BroadcastSlot, Bulletin, Priority, SpeakerCluster
from xaso.news.workflow import APPROVER, WRITER
from xaso.places.models import Village

from .access import admin_commune, error_message, page, staff_required
from .news import news_commune

# Monday first, as the commune's week is written (0 = Monday … 6 = Sunday).
WEEKDAYS = (
    (0, gettext_lazy("Mon")),
    (1, gettext_lazy("Tue")),
    (2, gettext_lazy("Wed")),
    (3, gettext_lazy("Thu")),
    (4, gettext_lazy("Fri")),
    (5, gettext_lazy("Sat")),
    (6, gettext_lazy("Sun")),
)
BLANK_SLOT_ROWS = 2


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text[:10]) if text else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _day_url(day: date) -> str:
    return f"{reverse('backoffice:broadcasts')}?date={day.isoformat()}"


def _bulletin(request, code: str) -> tuple[Bulletin, frozenset[str]]:
    commune = news_commune(request.user)
    item = (
        Bulletin.objects.select_related("commune", "created_by", "approved_by")
        .filter(commune=commune, code=code)
        .first()
    )
    if item is None:
        raise Http404
    return item, selectors.news_kinds(request.user, commune)


@staff_required
def broadcast_day(request):
    """The day's programme in playing order, and what still waits for approval that day."""
    commune = news_commune(request.user)
    kinds = selectors.news_kinds(request.user, commune)
    day = _day(request.GET.get("date", ""))
    programme = selectors.programme(commune, day)
    waiting = list(
        Bulletin.objects.filter(
            commune=commune, cancelled=False, approved_at__isnull=True,
            first_day__lte=day, last_day__gte=day,
        ).select_related("created_by").order_by("created_at", "pk")
    )  # fmt: skip
    return page(
        request,
        "backoffice/broadcasts/day.html",
        {
            "nav_section": "broadcasts",
            "commune": commune,
            "day": day,
            "slots": selectors.slots_of(commune, day),
            "programme": programme,
            "waiting": waiting,
            "previous": _day_url(day - timedelta(days=1)),
            "next": _day_url(day + timedelta(days=1)),
            "is_approver": APPROVER in kinds,
            "is_writer": WRITER in kinds,
        },
    )


def _slot_choices(commune) -> list[str]:
    rows = BroadcastSlot.objects.filter(commune=commune)
    times = [row.at for row in rows] or [at for at, _days in selectors.DEFAULT_SLOTS]
    return sorted({at.strftime("%H:%M") for at in times})


@staff_required
def bulletin_write(request):
    commune = news_commune(request.user)
    post = request.POST
    if request.method == "POST":
        try:
            first_day = _optional_day(post.get("first_day", ""))
            item = services.bulletin_create(
                actor=request.user, commune_code=commune.code, title=post.get("title", ""),
                text=post.get("text", ""), priority=post.get("priority", ""),
                first_day=first_day, last_day=_optional_day(post.get("last_day", "")),
                slots=post.getlist("slots"), village_codes=post.getlist("villages"),
                cluster_codes=post.getlist("clusters"),
            )  # fmt: skip
        except DomainError as error:
            error_message(request, error)
        else:
            if item.approved_at:
                messages.success(request, _("The bulletin is in the programme."))
            else:
                messages.success(
                    request, _("The bulletin is saved; it plays once the leader approves it.")
                )
            return redirect(_day_url(item.first_day))
    today = timezone.localdate()
    return page(
        request,
        "backoffice/broadcasts/form.html",
        {
            "nav_section": "broadcasts",
            "commune": commune,
            "values": {
                "title": post.get("title", ""),
                "text": post.get("text", ""),
                "priority": post.get("priority", Priority.NORMAL),
                "first_day": post.get("first_day", today.isoformat()),
                "last_day": post.get("last_day", ""),
                "slots": set(post.getlist("slots")),
                "villages": set(post.getlist("villages")),
                "clusters": set(post.getlist("clusters")),
            },
            "priorities": Priority.choices,
            "slot_choices": _slot_choices(commune),
            "villages": by_name(Village.objects.filter(commune=commune)),
            "clusters": by_name(SpeakerCluster.objects.filter(commune=commune)),
            "text_max": services.BULLETIN_MAX,
        },
        status=400 if request.method == "POST" else 200,
    )


def _optional_day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput(_("Enter a date such as 25/11/2026."), code="dates") from None


@staff_required
def bulletin_page(request, code: str):
    item, kinds = _bulletin(request, code)
    if request.method == "POST":
        operation = request.POST.get("operation", "")
        try:
            if operation == "approve":
                services.bulletin_approve(actor=request.user, code=item.code)
                messages.success(request, _("Approved: the bulletin is in the programme."))
            elif operation == "audio":
                services.bulletin_audio_make(actor=request.user, code=item.code)
                messages.success(request, _("The audio is made."))
            elif operation == "cancel":
                if request.POST.get("confirm") != "yes":
                    raise InvalidInput(_("Tick the box to confirm."), code="confirm")
                services.bulletin_cancel(actor=request.user, code=item.code)
                messages.success(request, _("The bulletin is cancelled: it no longer plays."))
            else:
                raise InvalidInput(_("Choose an action."), code="action")
        except DomainError as error:
            error_message(request, error)
        return redirect("backoffice:bulletin", code=item.code)
    return page(
        request,
        "backoffice/broadcasts/page.html",
        {
            "nav_section": "broadcasts",
            "item": item,
            "villages": list(item.villages.all()),
            "clusters": list(item.clusters.all()),
            "can_approve": APPROVER in kinds and not item.approved_at and not item.cancelled,
            "is_writer": WRITER in kinds,
            "speech_available": speech.engine() is not None,
            "plays": list(item.plays.select_related("played_by").order_by("day", "slot")),
        },
    )


@staff_required
def bulletin_play(request, code: str):
    """The operator's tick (POST only); back to the day's programme."""
    item, _kinds = _bulletin(request, code)
    day = _day(request.POST.get("day", ""))
    if request.method == "POST":
        try:
            services.bulletin_play(
                actor=request.user, code=item.code, day=day, slot=request.POST.get("slot", "")
            )
        except DomainError as error:
            error_message(request, error)
        else:
            messages.success(request, _("Ticked as played."))
    return redirect(_day_url(day))


@staff_required
def bulletin_audio(request, code: str):
    item, _kinds = _bulletin(request, code)
    if not item.audio:
        raise Http404
    response = FileResponse(item.audio.open("rb"), content_type="audio/wav")
    response["Content-Disposition"] = f'inline; filename="loa-{item.code}.wav"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _script(request):
    commune = news_commune(request.user)
    day = _day(request.GET.get("date", ""))
    return commune, day, selectors.programme(commune, day)


@staff_required
def broadcast_script(request):
    """The printable script of the day: what the announcer reads, in playing order."""
    commune, day, programme = _script(request)
    return render(
        request,
        "backoffice/broadcasts/script.html",
        {"commune": commune, "day": day, "programme": programme, "back": _day_url(day)},
    )


@staff_required
def broadcast_script_text(request):
    """The same programme as plain text for the vendor's smart-radio platform."""
    commune, day, programme = _script(request)
    response = HttpResponse(
        selectors.script_text(commune, day, programme), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="loa-{commune.code}-{day}.txt"'
    return response


def _posted_slots(post) -> list[tuple[str, list[int]]]:
    slots = []
    for index in range(int(post.get("rows", "0") or 0)):
        at = post.get(f"at-{index}", "").strip()
        if not at:
            continue
        days = [int(day) for day in post.getlist(f"days-{index}") if day.isdigit()]
        if not days:
            raise InvalidInput(
                _("Choose at least one day for the slot at %(time)s.") % {"time": at},
                code="slot",
            )
        slots.append((at, days))
    if not slots:
        raise InvalidInput(_("Enter at least one slot, or restore the default."), code="slot")
    return slots


@staff_required
def broadcast_slots(request):
    """The commune's daily slots, set by its administrator; none of its own: the default."""
    commune = admin_commune(request.user)
    if request.method == "POST":
        try:
            if request.POST.get("operation") == "default":
                if request.POST.get("confirm") != "yes":
                    raise InvalidInput(_("Tick the box to confirm."), code="confirm")
                services.broadcast_slots_set(
                    actor=request.user, commune_code=commune.code, slots=[]
                )
                messages.success(request, _("The default slots are back."))
            else:
                services.broadcast_slots_set(
                    actor=request.user,
                    commune_code=commune.code,
                    slots=_posted_slots(request.POST),
                )
                messages.success(request, _("The slots are saved."))
        except (DomainError, ValueError) as error:
            if isinstance(error, DomainError):
                error_message(request, error)
            else:
                messages.error(request, _("A slot is a time such as 05:00."))
        return redirect("backoffice:broadcast_slots")
    own = list(BroadcastSlot.objects.filter(commune=commune))
    rows = [(row.at.strftime("%H:%M"), set(row.weekdays)) for row in own] or [
        (at.strftime("%H:%M"), set(days)) for at, days in selectors.DEFAULT_SLOTS
    ]
    rows += [("", set())] * BLANK_SLOT_ROWS
    return page(
        request,
        "backoffice/broadcasts/slots.html",
        {
            "nav_section": "slots",
            "commune": commune,
            "rows": list(enumerate(rows)),
            "row_count": len(rows),
            "weekdays": WEEKDAYS,
            "is_default": not own,
        },
    )
