"""The public catalogue API: search, one procedure, and checking a form before submitting it."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from xaso.core.errors import InvalidInput
from xaso.core.text import format_dong
from xaso.places.selectors import commune_by_code

from .fees import FeeError, fee_compute
from .forms import validate_answers
from .models import ExemptionCategory, Procedure
from .records import procedure_record, time_limit_record
from .selectors import (
    DatabasePlaces,
    commune_offer,
    fee_summary,
    procedure_detail,
    procedure_search,
    provincial_rates,
)

router = Router(tags=["catalog"])


class VerificationLimitOut(Schema):
    amount: int
    unit: str
    reason: str


class TimeLimitOut(Schema):
    amount: int
    unit: str
    note: str = ""
    with_verification: VerificationLimitOut | None = None


class ProcedureListItem(Schema):
    code: str
    name: str
    field: str
    time_limit: TimeLimitOut
    fee_summary: str
    online_level: str


class ProcedurePage(Schema):
    count: int
    items: list[ProcedureListItem]


class SearchQuery(Schema):
    q: str = Field("", max_length=200)
    field: str = Field("", max_length=40)
    commune: str = Field("", max_length=16)
    page: int = Field(1, ge=1, le=1000)


class ValidateIn(Schema):
    answers: dict[str, Any]
    exemptions: list[str] = []
    commune: str | None = None


class FeeOut(Schema):
    amount: int | None
    display: str
    rule: str
    exemption: str | None
    evidence: str
    provincial_key: str | None


class ValidateOut(Schema):
    valid: bool
    errors: dict[str, list[str]]
    fee: FeeOut | None


def _time_limit(procedure: Procedure) -> dict:
    return time_limit_record(procedure)


def _list_item(procedure: Procedure) -> dict:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.name,
        "time_limit": _time_limit(procedure),
        "fee_summary": fee_summary(procedure.fees),
        "online_level": procedure.online_level,
    }


@router.get("/procedures", auth=None, response=ProcedurePage)
def procedures_list(request, filters: Query[SearchQuery]):
    commune = commune_by_code(filters.commune) if filters.commune else None
    found = procedure_search(filters.q, field=filters.field, commune=commune, page=filters.page)
    return {"count": found.count, "items": [_list_item(p) for p in found.procedures]}


@router.get("/procedures/{code}", auth=None)
def procedure_get(request, code: str) -> dict:
    """The exchange record (what import and export read and write), with the list's fields: the
    field's name, the time limit with its note, a one-line fee summary."""
    procedure = procedure_detail(code)
    return {
        **procedure_record(procedure),
        "field_code": procedure.field.code,
        **_list_item(procedure),
    }


@router.post("/procedures/{code}/validate", auth=None, response=ValidateOut)
def procedure_validate(request, code: str, payload: ValidateIn):
    procedure = procedure_detail(code)
    today = timezone.localdate()
    result = validate_answers(procedure.form, payload.answers, places=DatabasePlaces(), today=today)
    if not result.valid:
        return {"valid": False, "errors": result.errors, "fee": None}
    commune = commune_by_code(payload.commune) if payload.commune else None
    offer = commune_offer(commune, procedure) if commune else None
    schedule = offer.fee_override if offer and offer.fee_override else procedure.fees
    evidence = dict(
        ExemptionCategory.objects.filter(code__in=payload.exemptions).values_list(
            "code", "evidence"
        )
    )
    try:
        quote = fee_compute(
            schedule,
            result.clean,
            today=today,
            claimed_exemptions=payload.exemptions,
            exemption_evidence=evidence,
            provincial_rates=provincial_rates(commune),
        )
    except FeeError as error:
        raise InvalidInput(
            _("This exemption does not apply to this procedure."), code=error.code
        ) from error
    return {
        "valid": True,
        "errors": {},
        "fee": {
            "amount": quote.amount,
            "display": format_dong(quote.amount) if quote.amount is not None else "",
            "rule": quote.rule,
            "exemption": quote.exemption,
            "evidence": quote.evidence,
            "provincial_key": quote.provincial_key,
        },
    }
