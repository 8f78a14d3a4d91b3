"""Writes of the news app: announcements through their table (`workflow.py`), loudspeaker
bulletins, their audio and the operator's play log. One transaction each, audited."""

import secrets
from datetime import date, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.core.audit import audit_record
from xaso.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xaso.dossiers.codes import SECRET_ALPHABET
from xaso.dossiers.models import Upload
from xaso.places.models import Commune, Village

from . import speech
from .models import (
    Announcement,
    BroadcastSlot,
    Bulletin,
    Category,
    CultureOfficer,
    PlayLog,
    Priority,
    SpeakerCluster,
)
from .selectors import news_kinds
from .workflow import APPROVER, TABLE, WRITER

TEXT_MAX = 20_000
BULLETIN_MAX = 3_000  # about four minutes read aloud


def _code() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(8)).lower()


def _text(value, *, field: str, limit: int, required: bool = True) -> str:
    value = str(value or "").strip()
    if (required and not value) or len(value) > limit:
        raise InvalidInput(
            _("Fill in this field (at most %(limit)d characters).") % {"limit": limit},
            code="invalid", details={"fields": {field: [str(limit)]}},
        )  # fmt: skip
    return value


def _kinds(user, commune: Commune) -> frozenset[str]:
    """The news roles of `user` in `commune`; none at all there: 404."""
    if not staff_scope(user).roles_in(commune):
        raise NotFound(code="commune_not_found")
    return news_kinds(user, commune)


def _commune(code: str) -> Commune:
    commune = Commune.objects.filter(code=code).first()
    if commune is None:
        raise NotFound(code="commune_not_found")
    return commune


def _villages(commune: Commune, codes) -> list[Village]:
    codes = [str(code) for code in codes or [] if code]
    found = list(Village.objects.filter(commune=commune, code__in=codes))
    if len(found) != len(set(codes)):
        raise InvalidInput(_("Choose villages of the commune."), code="village")
    return found


def _uploads(tokens) -> list[Upload]:
    tokens = [str(token) for token in tokens or [] if token]
    found = list(Upload.objects.filter(token__in=tokens))
    if len(found) != len(set(tokens)):
        raise InvalidInput(_("A file was not found: upload it again."), code="upload")
    return found


def _audit(actor, action: str, commune: Commune, code: str, data: dict | None = None) -> None:
    audit_record(
        actor=actor, action=action, object_type=action.split(".")[0], object_id=code,
        commune_code=commune.code, data=data or {},
    )  # fmt: skip


# --- announcements ---------------------------------------------------------------------------


def announcement_write(
    *, actor, commune_code: str, category: str, title: str, body: str, summary: str = "",
    village_codes=(), image_id: str = "", attachment_ids=(),
) -> Announcement:  # fmt: skip
    commune = _commune(commune_code)
    if WRITER not in _kinds(actor, commune):
        raise Forbidden()
    if category not in Category.values:
        raise InvalidInput(_("Choose a category."), code="category")
    now = timezone.now()
    with transaction.atomic():
        image = _uploads([image_id])[0] if image_id else None
        if image is not None and image.kind == Upload.Kind.PDF:
            raise InvalidInput(_("The image must be a JPEG or PNG picture."), code="image")
        item = Announcement.objects.create(
            code=_code(), commune=commune, category=category,
            title=_text(title, field="title", limit=200),
            summary=_text(summary, field="summary", limit=400, required=False),
            body=_text(body, field="body", limit=TEXT_MAX), created_by=actor,
            created_at=now, updated_at=now, image=image,
        )  # fmt: skip
        item.villages.set(_villages(commune, village_codes))
        item.attachments.set(_uploads(attachment_ids))
        _audit(actor, "announcement.write", commune, item.code, {"category": category})
    return item


def _announcement_act(actor, code: str, action: str, apply=None) -> Announcement:
    with transaction.atomic():
        item = Announcement.objects.select_for_update().filter(code=code).first()
        if item is None:
            raise NotFound(code="announcement_not_found")
        commune = Commune.objects.get(pk=item.commune_id)
        kinds = _kinds(actor, commune)
        row = TABLE.transition(item.state, action)
        if row is None:
            raise Conflict(_("Not possible in the announcement's state."),
                           code="action_not_allowed")  # fmt: skip
        if not row.actors & kinds:
            raise Forbidden(_("Only the leader or the culture officer approves announcements."))
        from_state = item.state
        if apply is not None:
            apply(item)
        item.state, item.updated_at = row.target, timezone.now()
        item.save()
        _audit(actor, f"announcement.{action}", commune, item.code,
               {"from": from_state, "to": item.state})  # fmt: skip
    return item


def announcement_edit(
    *, actor, code: str, category: str, title: str, body: str, summary: str = "",
    village_codes=(), image_id: str = "", attachment_ids=(),
) -> Announcement:  # fmt: skip
    """A draft rewritten by a writer of its commune (the table allows it in draft only)."""
    if category not in Category.values:
        raise InvalidInput(_("Choose a category."), code="category")

    def apply(item: Announcement) -> None:
        image = _uploads([image_id])[0] if image_id else None
        if image is not None and image.kind == Upload.Kind.PDF:
            raise InvalidInput(_("The image must be a JPEG or PNG picture."), code="image")
        item.category, item.image = category, image
        item.title = _text(title, field="title", limit=200)
        item.summary = _text(summary, field="summary", limit=400, required=False)
        item.body = _text(body, field="body", limit=TEXT_MAX)
        item.villages.set(_villages(item.commune, village_codes))
        item.attachments.set(_uploads(attachment_ids))

    return _announcement_act(actor, code, "edit", apply)


def announcement_submit(*, actor, code: str) -> Announcement:
    return _announcement_act(actor, code, "submit")


def announcement_send_back(*, actor, code: str) -> Announcement:
    return _announcement_act(actor, code, "send_back")


def announcement_approve(*, actor, code: str) -> Announcement:
    """Approved and published at once, by the leader or the culture officer."""

    def apply(item: Announcement) -> None:
        item.approved_by, item.published_at = actor, timezone.now()

    return _announcement_act(actor, code, "approve", apply)


def announcement_withdraw(*, actor, code: str) -> Announcement:
    return _announcement_act(actor, code, "withdraw")


def culture_officer_set(*, actor, commune_code: str, user) -> CultureOfficer:
    commune = staff_scope(actor).commune(commune_code, roles=[Role.COMMUNE_ADMIN])
    with transaction.atomic():
        row, _created = CultureOfficer.objects.get_or_create(commune=commune, user=user)
        _audit(actor, "news.culture_officer", commune, str(user.pk))
    return row


# --- loudspeaker bulletins -------------------------------------------------------------------


def _slot_texts(values) -> list[str]:
    slots = []
    for value in values or []:
        try:
            slots.append(time.fromisoformat(str(value)).strftime("%H:%M"))
        except ValueError:
            raise InvalidInput(_("A slot is a time such as 05:00."), code="slot") from None
    return sorted(set(slots))


def bulletin_create(
    *, actor, commune_code: str, title: str, text: str, priority: str = Priority.NORMAL,
    first_day: date | None = None, last_day: date | None = None, slots=(), village_codes=(),
    cluster_codes=(),
) -> Bulletin:  # fmt: skip
    """A bulletin for the loudspeakers: normal (in the commune's slots), priority (first in
    them) or emergency (played at once, whatever the slot). Without dates: today only."""
    commune = _commune(commune_code)
    kinds = _kinds(actor, commune)
    if WRITER not in kinds:
        raise Forbidden()
    if priority not in Priority.values:
        raise InvalidInput(_("Choose normal, priority or emergency."), code="priority")
    today = timezone.localdate()
    first_day = first_day or today
    last_day = last_day or first_day
    if last_day < first_day:
        raise InvalidInput(_("The last day comes before the first."), code="dates")
    clusters = list(SpeakerCluster.objects.filter(commune=commune, code__in=list(cluster_codes)))
    if len(clusters) != len(set(cluster_codes)):
        raise InvalidInput(_("Choose speaker clusters of the commune."), code="cluster")
    with transaction.atomic():
        item = Bulletin.objects.create(
            code=_code(), commune=commune, title=_text(title, field="title", limit=200),
            text=_text(text, field="text", limit=BULLETIN_MAX), priority=priority,
            first_day=first_day, last_day=last_day, slots=_slot_texts(slots),
            created_by=actor, created_at=timezone.now(),
        )  # fmt: skip
        item.villages.set(_villages(commune, village_codes))
        item.clusters.set(clusters)
        _audit(actor, "bulletin.create", commune, item.code, {"priority": priority})
        # An emergency plays at once; an approver's own bulletin needs no second look.
        if priority == Priority.EMERGENCY or APPROVER in kinds:
            _bulletin_approved(actor, item)
    return item


def _bulletin_approved(actor, item: Bulletin) -> None:
    item.approved_by, item.approved_at = actor, timezone.now()
    item.save(update_fields=["approved_by", "approved_at"])
    _audit(actor, "bulletin.approve", item.commune, item.code)


def bulletin_approve(*, actor, code: str) -> Bulletin:
    """The leader or the culture officer lets a bulletin into the programme (Circular 39/2020:
    the commune answers for what its loudspeakers say)."""
    item = _bulletin_for(actor, code, kind=APPROVER)
    with transaction.atomic():
        item = Bulletin.objects.select_for_update().select_related("commune").get(pk=item.pk)
        if item.cancelled or item.approved_at is not None:
            raise Conflict(_("The bulletin is already approved or cancelled."),
                           code="action_not_allowed")  # fmt: skip
        _bulletin_approved(actor, item)
    return item


def _bulletin_for(actor, code: str, *, kind: str = WRITER) -> Bulletin:
    item = Bulletin.objects.select_related("commune").filter(code=code).first()
    if item is None or not staff_scope(actor).roles_in(item.commune):
        raise NotFound(code="bulletin_not_found")
    if kind not in _kinds(actor, item.commune):
        if kind == APPROVER:
            raise Forbidden(_("Only the leader or the culture officer approves bulletins."))
        raise Forbidden()
    return item


def bulletin_cancel(*, actor, code: str) -> Bulletin:
    item = _bulletin_for(actor, code)
    with transaction.atomic():
        item.cancelled = True
        item.save(update_fields=["cancelled"])
        _audit(actor, "bulletin.cancel", item.commune, item.code)
    return item


def bulletin_play(*, actor, code: str, day: date, slot: str) -> PlayLog:
    """The operator ticks a bulletin played (idempotent: ticking twice keeps the first)."""
    item = _bulletin_for(actor, code)
    slot = "now" if slot == "now" else _slot_texts([slot])[0]
    if item.approved_at is None or not item.first_day <= day <= item.last_day:
        raise InvalidInput(_("The bulletin is not on that day's programme."), code="day")
    with transaction.atomic():
        row, created = PlayLog.objects.get_or_create(
            bulletin=item, day=day, slot=slot,
            defaults={"played_at": timezone.now(), "played_by": actor},
        )  # fmt: skip
        if created:
            _audit(actor, "bulletin.play", item.commune, item.code, {"day": str(day), "slot": slot})
    return row


def bulletin_audio_make(*, actor, code: str) -> Bulletin:
    """Read the bulletin aloud offline with the Vietnamese voice of espeak-ng and keep the WAV
    with its length. Without the engine: a clear error (the vendor's platform reads the text)."""
    item = _bulletin_for(actor, code)
    wav = speech.speak(item.text)  # raises SpeechUnavailable
    from django.core.files.base import ContentFile

    with transaction.atomic():
        if item.audio:
            item.audio.delete(save=False)
        item.audio.save(f"{item.code}.wav", ContentFile(wav.data), save=False)
        item.audio_seconds = wav.seconds
        item.save(update_fields=["audio", "audio_seconds"])
        _audit(actor, "bulletin.audio", item.commune, item.code, {"seconds": wav.seconds})
    return item


def broadcast_slots_set(*, actor, commune_code: str, slots: list[tuple[str, list[int]]]):
    """The commune's own daily slots ("05:30", [0..5]); an empty list restores the default."""
    commune = staff_scope(actor).commune(commune_code, roles=[Role.COMMUNE_ADMIN, Role.LEADER])
    with transaction.atomic():
        BroadcastSlot.objects.filter(commune=commune).delete()
        for at, weekdays in slots:
            days = sorted({int(day) for day in weekdays if 0 <= int(day) <= 6})
            BroadcastSlot.objects.create(
                commune=commune, at=time.fromisoformat(_slot_texts([at])[0]), weekdays=days
            )
        _audit(actor, "news.slots", commune, commune.code, {"slots": [s for s, _d in slots]})
