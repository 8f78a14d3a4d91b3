"""The feedback API: filing (with or without an account), the citizen's lookup, the commune's
published answers, and the officers' queue and actions (scoped by commune)."""

from django.conf import settings
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from xaso.accounts.auth import OPTIONAL_AUTH
from xaso.core.audit import personal_data_view_log
from xaso.core.ratelimit import rate_limit, secret_check_limit

from . import selectors, services
from .models import Feedback

public_router = Router(tags=["feedback"])
staff_router = Router(tags=["staff"])


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def _due(item: Feedback) -> dict:
    return {
        "classify": _local(item.classify_due_at),
        "ask_information": _local(item.ask_due_at),
        "answer": _local(item.answer_due_at),
        "publish": _local(item.publish_due_at),
    }


class FeedbackIn(Schema):
    commune: str = Field(max_length=16)
    category: str = Field(max_length=20)
    text: str = Field(max_length=4000)
    phone: str = Field(max_length=20)
    name: str = Field("", max_length=100)
    village: str = Field("", max_length=40)
    place: str = Field("", max_length=200)
    photo: str = Field("", max_length=40, description="The id of a photo sent to /uploads.")
    dossier: str = Field("", max_length=48, description="The code of a dossier it is about.")
    dossier_secret: str = Field("", max_length=48)


@public_router.post("/feedback", auth=OPTIONAL_AUTH, response={201: dict})
def feedback_create(request, payload: FeedbackIn):
    """File a feedback (phản ánh, kiến nghị). Anonymous filing is rate-limited per address; the
    answer names the code and the secret to follow it, and the deadlines."""
    user = request.user if request.user.is_authenticated else None
    if user is None:
        rate_limit(request, "feedback_file", settings.XASO_RATE_ANON_SUBMIT)
    item = services.feedback_file(
        actor=user,
        commune_code=payload.commune,
        category=payload.category,
        text=payload.text,
        phone=payload.phone,
        name=payload.name,
        village_code=payload.village,
        place=payload.place,
        photo_id=payload.photo,
        dossier_code=payload.dossier,
        dossier_secret=payload.dossier_secret,
    )
    return Status(
        201,
        {"code": item.code, "secret": item.lookup_secret, "state": item.state, "due": _due(item)},
    )


def _public(item: Feedback) -> dict:
    return {
        "code": item.code,
        "category": item.category,
        "village": item.village.name if item.village_id else "",
        "summary": item.public_summary,
        "answer": item.answer,
        "unit": item.unit,
        "filed_at": _local(item.filed_at),
        "answered_at": _local(item.answered_at),
        "published_at": _local(item.published_at),
    }


@public_router.get("/feedback/lookup", auth=None)
def feedback_lookup(request, code: str, secret: str) -> dict:
    """The citizen's own feedback: state, timeline, deadlines, the question asked, the answer."""
    secret_check_limit(request)
    item = selectors.feedback_by_secret(code, secret)
    return {
        "code": item.code,
        "state": item.state,
        "category": item.category,
        "due": _due(item),
        "timeline": [
            {**event, "at": _local(event["at"])} for event in selectors.public_timeline(item)
        ],
        "info_request": item.info_request,
        "reject_reason": item.reject_reason,
        "answer": item.answer,
        "answered_at": _local(item.answered_at),
        "rating": item.rating,
    }


@public_router.get("/feedback/public", auth=None)
def feedback_public(request, commune: str) -> dict:
    """The commune's published answers, without the citizens' names, phones or own words."""
    return {"items": [_public(item) for item in selectors.published_answers(commune)[:200]]}


class InfoIn(Schema):
    code: str = Field(max_length=48)
    secret: str = Field(max_length=48)
    text: str = Field(max_length=4000)


@public_router.post("/feedback/information", auth=None)
def feedback_information(request, payload: InfoIn) -> dict:
    """The citizen answers the officer's question."""
    secret_check_limit(request)
    item = services.feedback_provide_info(
        code=payload.code, secret=payload.secret, text=payload.text
    )
    return {"code": item.code, "state": item.state, "due": _due(item)}


class RateIn(Schema):
    code: str = Field(max_length=48)
    secret: str = Field(max_length=48)
    score: int
    comment: str = Field("", max_length=500)


@public_router.post("/feedback/rating", auth=None)
def feedback_rating(request, payload: RateIn) -> dict:
    secret_check_limit(request)
    item = services.feedback_rate(
        code=payload.code, secret=payload.secret, score=payload.score, comment=payload.comment
    )
    return {"code": item.code, "rating": item.rating}


def _staff(item: Feedback, now) -> dict:
    return {
        **_public(item),
        "commune": item.commune.code,
        "state": item.state,
        "text": item.text,
        "place": item.place,
        "phone": item.phone,
        "due_at": _local(item.due_at),
        "due": _due(item),
        "overdue": selectors.is_overdue(item, now),
        "dossier": item.dossier.code if item.dossier_id else "",
    }


@staff_router.get("/feedback/queue")
def feedback_queue(request, commune: str, queue: str = "to_classify") -> dict:
    """A commune's feedback in one queue (`to_classify`, `handling`, `info_requested`,
    `to_publish`, `overdue`, `closed`), most urgent first, each with its overdue mark."""
    now = timezone.now()
    rows = list(
        selectors.feedback_queue(request.user, queue, commune_code=commune, now=now).select_related(
            "dossier"
        )[:200]
    )
    for item in rows:
        personal_data_view_log(
            actor=request.user, object_type="feedback", object_id=item.code,
            fields=["phone", "text"], commune_code=item.commune.code, purpose="feedback.queue",
        )  # fmt: skip
    return {"items": [_staff(item, now) for item in rows]}


class ActionIn(Schema):
    unit: str = Field("", max_length=120)
    dossier: str = Field("", max_length=48)
    reason: str = Field("", max_length=4000)
    question: str = Field("", max_length=4000)
    answer: str = Field("", max_length=4000)
    public_summary: str = Field("", max_length=4000)


def _arguments(action: str, payload: ActionIn) -> dict:
    return {
        "classify": {"unit": payload.unit, "dossier_code": payload.dossier},
        "reject": {"reason": payload.reason},
        "request-info": {"question": payload.question},
        "answer": {"answer": payload.answer, "public_summary": payload.public_summary},
        "publish": {"public_summary": payload.public_summary},
    }[action]


@staff_router.post("/feedback/{feedback_code}/{feedback_action}")
def feedback_action(request, feedback_code: str, feedback_action: str, payload: ActionIn) -> dict:
    """`classify` (route: `unit`, optional `dossier`), `reject` (`reason`), `request-info`
    (`question`), `answer` (`answer`, `public_summary`), `publish` (`public_summary`). Another
    commune's officer gets 404."""
    from xaso.core.errors import NotFound

    service = services.ACTIONS.get(feedback_action)
    if service is None:
        raise NotFound(code="action_not_found")
    item = service(actor=request.user, code=feedback_code, **_arguments(feedback_action, payload))
    return _staff(item, timezone.now())
