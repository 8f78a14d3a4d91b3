"""Writes of the feedback app: filing, and every later action of the table in `workflow.py`.

Each action locks the feedback row, checks the actor against the table (a user without any
role in the feedback's commune gets 404, as for dossiers), writes the `FeedbackEvent` and the
audit row in the same transaction, and writes the citizen's SMS to the outbox there too; the
outbox sends it once the transaction has committed (`notify.services.outbox_enqueue`).
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.core.audit import audit_record
from xaso.core.counters import counter_next
from xaso.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xaso.dossiers.codes import lookup_secret_new
from xaso.dossiers.models import Dossier, Upload
from xaso.dossiers.submission import normalised_phone
from xaso.notify.services import citizen_notify
from xaso.places.models import Commune, Village
from xaso.workdays.engine import TZ

from . import deadlines, messages
from .models import Category, Feedback, FeedbackCounter, FeedbackEvent, State
from .selectors import feedback_by_secret, feedback_for_staff
from .workflow import CITIZEN, COMMUNITY, RECEPTION, TABLE

TEXT_MAX = 4000
SHORT_MAX = 200


def _text(value, *, field: str, required: bool = True, limit: int = TEXT_MAX) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise InvalidInput(
            _("This field is required."), code="required", details={"fields": {field: ["required"]}}
        )
    if len(value) > limit:
        raise InvalidInput(
            _("The text is too long."), code="too_long", details={"fields": {field: [str(limit)]}}
        )
    return value


def feedback_code_next(commune: Commune, day) -> str:
    """`PA-<agency code>-<yymmdd>-<NNNN>`: numbered per commune and day without gaps, beside the
    dossiers' own codes (PA: phản ánh)."""
    number = counter_next(FeedbackCounter, commune=commune, day=day)
    return f"PA-{commune.agency_code or commune.code}-{day:%y%m%d}-{number:04d}"


def _filer_kind(user, commune: Commune) -> str:
    roles = staff_scope(user).roles_in(commune) if user is not None else frozenset()
    if Role.RECEPTION in roles:
        return RECEPTION
    if Role.COMMUNITY_MEMBER in roles:
        return COMMUNITY
    return CITIZEN


def _linked_dossier(commune: Commune, code: str, secret: str | None) -> Dossier | None:
    """The dossier a complaint is about: of the same commune; a citizen names it with its lookup
    secret (nobody lowers another's dossier's satisfaction by guessing a code)."""
    if not code:
        return None
    from xaso.dossiers.codes import code_key

    dossier = Dossier.objects.filter(code_key=code_key(code), receiving_commune=commune).first()
    if dossier is None or (secret is not None and not dossier.lookup_secret_matches(secret)):
        raise NotFound(_("No dossier of this commune has this code and secret."),
                       code="dossier_not_found")  # fmt: skip
    return dossier


def _message(feedback: Feedback, template: str, **extra) -> None:
    citizen_notify(
        template=template,
        data={**messages.feedback_data(feedback), **extra},
        phone=feedback.phone,
        user=feedback.user,
        phone_only=True,
    )


def feedback_file(
    *,
    actor,
    commune_code: str,
    category: str,
    text: str,
    phone: str,
    name: str = "",
    village_code: str = "",
    place: str = "",
    photo_id: str = "",
    dossier_code: str = "",
    dossier_secret: str = "",
) -> Feedback:
    """A feedback filed on the portal, the kiosk or the API, with or without an account."""
    commune = Commune.objects.filter(code=commune_code).first()
    if commune is None:
        raise NotFound(_("Choose the commune to send the feedback to."), code="commune_not_found")
    if category not in Category.values:
        raise InvalidInput(_("Choose what the feedback is about."), code="category",
                           details={"fields": {"category": list(Category.values)}})  # fmt: skip
    text = _text(text, field="text")
    phone = normalised_phone(phone)
    name = _text(name, field="name", required=False, limit=100)
    place = _text(place, field="place", required=False, limit=SHORT_MAX)
    village = None
    if village_code:
        village = Village.objects.filter(commune=commune, code=village_code).first()
        if village is None:
            raise InvalidInput(_("Choose a village of the commune."), code="village")
    photo = None
    if photo_id:
        photo = Upload.objects.filter(token=photo_id).first()
        if photo is None or photo.kind not in (Upload.Kind.JPEG, Upload.Kind.PNG):
            raise InvalidInput(_("The photo was not found: upload it again."), code="photo")
    user = actor if actor is not None and actor.is_authenticated else None
    kind = _filer_kind(user, commune)
    now = timezone.now()
    with transaction.atomic():
        dossier = _linked_dossier(
            commune, dossier_code, None if kind == RECEPTION else dossier_secret
        )
        due = deadlines.filing_deadlines(commune, now)
        secret = lookup_secret_new()
        feedback = Feedback(
            code=feedback_code_next(commune, now.astimezone(TZ).date()),
            commune=commune, category=category, text=text, village=village, place=place,
            name=name, phone=phone, user=user, photo=photo, dossier=dossier,
            channel={CITIZEN: "online", RECEPTION: "counter", COMMUNITY: "community"}[kind],
            state=State.RECEIVED, filed_at=now, classify_due_at=due.classify,
            ask_due_at=due.ask, answer_due_at=due.answer, due_at=due.classify,
        )  # fmt: skip
        feedback.lookup_secret = secret
        feedback.save()
        _record(feedback, "file", "", actor=user, kind=kind)
        _message(feedback, messages.FEEDBACK_RECEIVED)
    return feedback


def _record(feedback: Feedback, action: str, from_state: str, *, actor, kind: str, note=""):
    FeedbackEvent.objects.create(
        feedback=feedback, at=timezone.now(), actor=actor, actor_label=kind, action=action,
        from_state=from_state, to_state=feedback.state, note=note,
    )  # fmt: skip
    audit_record(
        actor=actor,
        action=f"feedback.{action}",
        object_type="feedback",
        object_id=feedback.code,
        commune_code=feedback.commune.code,
        data={"from": from_state, "to": feedback.state, "by": kind},
    )


def _staff_kinds(user, feedback: Feedback) -> frozenset[str]:
    roles = staff_scope(user).roles_in(feedback.commune)
    if not roles:
        raise NotFound(code="feedback_not_found")
    return frozenset(roles)


def take_action(
    feedback: Feedback, action: str, *, actor=None, citizen: bool = False, note: str = "",
    apply: Callable[[Feedback], None] | None = None,
) -> Feedback:  # fmt: skip
    """The one way a feedback changes: lock, check the table, apply, record."""
    with transaction.atomic():
        feedback = (
            Feedback.objects.select_for_update().select_related("commune").get(pk=feedback.pk)
        )
        kinds = frozenset({CITIZEN}) if citizen else _staff_kinds(actor, feedback)
        row = TABLE.transition(feedback.state, action)
        if row is None:
            raise Conflict(_("This action is not possible in the feedback's current state."),
                           code="action_not_allowed")  # fmt: skip
        taken = sorted(row.actors & kinds)
        if not taken:
            raise Forbidden()
        from_state = feedback.state
        if apply is not None:
            apply(feedback)
        feedback.state = row.target
        feedback.save()
        _record(feedback, action, from_state, actor=None if citizen else actor, kind=taken[0],
                note=note)  # fmt: skip
    return feedback


def feedback_classify(*, actor, code: str, unit: str = "", handler=None, dossier_code: str = ""):
    """Accepted and routed to the officer or unit who answers it; the answer is due 15 working
    days after filing."""
    feedback = feedback_for_staff(actor, code)
    unit = _text(unit, field="unit", required=False, limit=120)

    def apply(item: Feedback) -> None:
        item.unit = unit
        item.handler = handler
        if dossier_code:
            item.dossier = _linked_dossier(item.commune, dossier_code, None)
        item.due_at = item.answer_due_at

    return take_action(feedback, "classify", actor=actor, note=unit, apply=apply)


def feedback_reject(*, actor, code: str, reason: str) -> Feedback:
    feedback = feedback_for_staff(actor, code)
    reason = _text(reason, field="reason")

    def apply(item: Feedback) -> None:
        item.reject_reason = reason
        item.due_at = None
        _message(item, messages.FEEDBACK_REJECTED, reason=reason)

    return take_action(feedback, "reject", actor=actor, note=reason, apply=apply)


def feedback_request_info(*, actor, code: str, question: str) -> Feedback:
    feedback = feedback_for_staff(actor, code)
    question = _text(question, field="question")

    def apply(item: Feedback) -> None:
        if timezone.now() > item.ask_due_at:
            raise Conflict(
                _("More information can be asked only within 5 working days of filing."),
                code="ask_too_late",
            )
        item.info_request = question
        item.due_at = None  # the citizen's turn
        _message(item, messages.FEEDBACK_INFO_REQUESTED, reason=question)

    return take_action(feedback, "request_info", actor=actor, note=question, apply=apply)


def feedback_provide_info(*, code: str, secret: str, text: str) -> Feedback:
    """The citizen's answer to the question: the 15 working days run again from it."""
    feedback = feedback_by_secret(code, secret)
    text = _text(text, field="text")

    def apply(item: Feedback) -> None:
        item.info_answer = text
        item.answer_due_at = deadlines.answer_due_after_info(item.commune, timezone.now())
        item.due_at = item.answer_due_at

    return take_action(feedback, "provide_info", citizen=True, note=text, apply=apply)


def feedback_answer(*, actor, code: str, answer: str, public_summary: str = "") -> Feedback:
    feedback = feedback_for_staff(actor, code)
    answer = _text(answer, field="answer")
    summary = _text(public_summary, field="public_summary", required=False)

    def apply(item: Feedback) -> None:
        now = timezone.now()
        item.answer, item.answered_at = answer, now
        item.public_summary = summary
        item.publish_due_at = deadlines.publish_due(item.commune, now)
        item.due_at = item.publish_due_at
        _message(item, messages.FEEDBACK_ANSWERED)

    return take_action(feedback, "answer", actor=actor, apply=apply)


def feedback_publish(*, actor, code: str, public_summary: str = "") -> Feedback:
    """The answer on the public page, with the officer's summary of the question: never the
    citizen's name, phone or own words (they may name people)."""
    feedback = feedback_for_staff(actor, code)

    def apply(item: Feedback) -> None:
        summary = _text(public_summary or item.public_summary, field="public_summary")
        item.public_summary = summary
        item.published_at = timezone.now()
        item.due_at = None

    return take_action(feedback, "publish", actor=actor, apply=apply)


def feedback_rate(*, code: str, secret: str, score: int, comment: str = "") -> Feedback:
    feedback = feedback_by_secret(code, secret)
    if score not in (1, 2, 3, 4, 5):
        raise InvalidInput(_("Choose a score from 1 to 5."), code="score")
    comment = _text(comment, field="comment", required=False, limit=500)

    def apply(item: Feedback) -> None:
        if item.rating is not None:
            raise Conflict(_("This answer is already rated."), code="already_rated")
        item.rating, item.rating_comment = score, comment

    return take_action(feedback, "rate", citizen=True, note=str(score), apply=apply)


ACTIONS = {
    "classify": feedback_classify,
    "reject": feedback_reject,
    "request-info": feedback_request_info,
    "answer": feedback_answer,
    "publish": feedback_publish,
}
