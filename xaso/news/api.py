"""The news API: published announcements (public), the loudspeakers' programme of a day, and the
officers' writes (announcements, bulletins, the play log, the audio), scoped by commune."""

from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from xaso.accounts.auth import API_AUTH
from xaso.core.errors import NotFound
from xaso.places.models import Commune

from . import selectors, services
from .models import Announcement

public_router = Router(tags=["news"])
staff_router = Router(tags=["staff"])


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def _announcement(item: Announcement) -> dict:
    return {
        "code": item.code,
        "commune": item.commune.code,
        "category": item.category,
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "villages": [village.code for village in item.villages.all()],
        "state": item.state,
        "published_at": _local(item.published_at),
        "url": f"/tin-tuc/{item.code}/",
    }


@public_router.get("/news", auth=None)
def news_list(request, commune: str = "") -> dict:
    """Published announcements, newest first."""
    return {"items": [_announcement(item) for item in selectors.published(commune)[:100]]}


class AnnouncementIn(Schema):
    commune: str = Field(max_length=16)
    category: str = Field(max_length=16)
    title: str = Field(max_length=200)
    body: str = Field(max_length=20000)
    summary: str = Field("", max_length=400)
    villages: list[str] = Field(default_factory=list, max_length=100)
    image: str = Field("", max_length=40, description="An upload id (JPEG or PNG).")
    attachments: list[str] = Field(default_factory=list, max_length=20)


# On the public router: ninja answers 405 to a path's second router (GET /news is public).
@public_router.post("/news", auth=API_AUTH, tags=["staff"], response={201: dict})
def news_write(request, payload: AnnouncementIn):
    """A draft, by an officer of the commune."""
    item = services.announcement_write(
        actor=request.user, commune_code=payload.commune, category=payload.category,
        title=payload.title, body=payload.body, summary=payload.summary,
        village_codes=payload.villages, image_id=payload.image,
        attachment_ids=payload.attachments,
    )  # fmt: skip
    return Status(201, _announcement(item))


NEWS_ACTIONS = {
    "submit": services.announcement_submit,
    "send-back": services.announcement_send_back,
    "approve": services.announcement_approve,
    "withdraw": services.announcement_withdraw,
}


@staff_router.post("/news/{announcement_code}/{announcement_action}")
def news_action(request, announcement_code: str, announcement_action: str) -> dict:
    """`submit` (for approval), `send-back`, `approve` (publishes: the leader or the culture
    officer), `withdraw`."""
    service = NEWS_ACTIONS.get(announcement_action)
    if service is None:
        raise NotFound(code="action_not_found")
    return _announcement(service(actor=request.user, code=announcement_code))


def _programme_item(item: selectors.ProgrammeItem) -> dict:
    bulletin = item.bulletin
    return {
        "code": bulletin.code,
        "title": bulletin.title,
        "text": bulletin.text,
        "priority": bulletin.priority,
        "slots": item.slots,
        "played": sorted(item.played),
        "villages": [village.code for village in bulletin.villages.all()],
        "clusters": [cluster.code for cluster in bulletin.clusters.all()],
        "audio_seconds": bulletin.audio_seconds,
    }


def _day(value: date | None) -> date:
    return value or timezone.localdate()


@public_router.get("/broadcasts/programme", auth=None)
def broadcast_programme(request, commune: str, date: date | None = None) -> dict:
    """The day's bulletins in playing order (emergency, priority, normal), each with its
    `priority` and slots ("now" for an emergency: played at once)."""
    found = Commune.objects.filter(code=commune).first()
    if found is None:
        raise NotFound(code="commune_not_found")
    day = _day(date)
    return {
        "date": day.isoformat(),
        "slots": selectors.slots_of(found, day),
        "items": [_programme_item(item) for item in selectors.programme(found, day)],
    }


@staff_router.get("/broadcasts/script.txt")
def broadcast_script(request, commune: str, date: date | None = None):
    """The day's programme as plain text for the vendor's smart-radio platform."""
    found = selectors.staff_commune(request.user, commune)
    day = _day(date)
    text = selectors.script_text(found, day, selectors.programme(found, day))
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="loa-{commune}-{day}.txt"'
    return response


class BulletinIn(Schema):
    commune: str = Field(max_length=16)
    title: str = Field(max_length=200)
    text: str = Field(max_length=3000)
    priority: str = Field("normal", max_length=10)
    first_day: date | None = None
    last_day: date | None = None
    slots: list[str] = Field(default_factory=list, max_length=10)
    villages: list[str] = Field(default_factory=list, max_length=100)
    clusters: list[str] = Field(default_factory=list, max_length=100)


@staff_router.post("/broadcasts", response={201: dict})
def broadcast_create(request, payload: BulletinIn):
    item = services.bulletin_create(
        actor=request.user, commune_code=payload.commune, title=payload.title,
        text=payload.text, priority=payload.priority, first_day=payload.first_day,
        last_day=payload.last_day, slots=payload.slots, village_codes=payload.villages,
        cluster_codes=payload.clusters,
    )  # fmt: skip
    return Status(201, {"code": item.code, "priority": item.priority,
                        "first_day": item.first_day, "last_day": item.last_day})  # fmt: skip


class PlayIn(Schema):
    date: date
    slot: str = Field(max_length=5)


@staff_router.post("/broadcasts/{bulletin_code}/play")
def broadcast_play(request, bulletin_code: str, payload: PlayIn) -> dict:
    """The operator's tick: played on that day in that slot ("now" for an emergency)."""
    row = services.bulletin_play(
        actor=request.user, code=bulletin_code, day=payload.date, slot=payload.slot
    )
    return {
        "code": bulletin_code,
        "date": row.day,
        "slot": row.slot,
        "played_at": _local(row.played_at),
    }


@staff_router.post("/broadcasts/{bulletin_code}/approve")
def broadcast_approve(request, bulletin_code: str) -> dict:
    """The leader or the culture officer lets the bulletin into the programme (an emergency,
    or a bulletin an approver writes, is approved as it is written)."""
    item = services.bulletin_approve(actor=request.user, code=bulletin_code)
    return {"code": item.code, "approved_at": _local(item.approved_at)}


@staff_router.post("/broadcasts/{bulletin_code}/audio")
def broadcast_audio(request, bulletin_code: str) -> dict:
    """Make the audio offline (espeak-ng, Vietnamese voice); 409 `speech_unavailable` where no
    engine is installed."""
    item = services.bulletin_audio_make(actor=request.user, code=bulletin_code)
    return {"code": item.code, "audio_seconds": item.audio_seconds}
