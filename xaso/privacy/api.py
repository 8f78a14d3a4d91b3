"""The officers' API for the citizens' personal-data requests (the back office's pages do the
same): list a commune's requests, answer one. Staff only, scoped like every staff route."""

from django.utils import timezone
from ninja import Field, Router, Schema

from .models import SubjectRequest
from .selectors import commune_subject_requests
from .services import subject_request_answer

staff_router = Router(tags=["staff"])


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def _request(item: SubjectRequest) -> dict:
    return {
        "code": item.code,
        "commune": item.commune.code,
        "kind": item.kind,
        "target": item.target,
        "target_ref": item.target_ref,
        "state": item.state,
        "received_at": _local(item.received_at),
        "due_at": _local(item.due_at),
        "answered_at": _local(item.answered_at),
        "answer": item.answer,
    }


@staff_router.get("/privacy/requests")
def request_list(request, commune: str) -> dict:
    """A commune's personal-data requests, open ones first, each with its answer due time (2
    working days, Decree 356/2025/NĐ-CP). For the desk, the leader and the commune admin."""
    return {"items": [_request(item) for item in commune_subject_requests(request.user, commune)]}


class AnswerIn(Schema):
    answer: str = Field(max_length=4000)


@staff_router.post("/privacy/requests/{request_code}/answer")
def request_answer(request, request_code: str, payload: AnswerIn) -> dict:
    """Answer a request, once. A deletion asked for a dossier is answered with the legal reason
    the dossier is kept (it is never deleted): the answer's state is then `kept`."""
    answered = subject_request_answer(actor=request.user, code=request_code, answer=payload.answer)
    return _request(answered)
