"""The feedback deadlines on the working-day engine (the commune's own calendar)."""

from dataclasses import dataclass
from datetime import datetime

from xaso.workdays.selectors import due_date_for_limit, time_limit

from .workflow import ANSWER_LIMIT, ASK_LIMIT, CLASSIFY_LIMIT, PUBLISH_LIMIT


def due(commune, moment: datetime, limit: tuple[int, str]) -> datetime:
    return due_date_for_limit(commune=commune, received_at=moment, limit=time_limit(*limit)).due_at


@dataclass(frozen=True)
class FilingDeadlines:
    classify: datetime
    ask: datetime
    answer: datetime


def filing_deadlines(commune, filed_at: datetime) -> FilingDeadlines:
    return FilingDeadlines(
        classify=due(commune, filed_at, CLASSIFY_LIMIT),
        ask=due(commune, filed_at, ASK_LIMIT),
        answer=due(commune, filed_at, ANSWER_LIMIT),
    )


def answer_due_after_info(commune, given_at: datetime) -> datetime:
    return due(commune, given_at, ANSWER_LIMIT)


def publish_due(commune, answered_at: datetime) -> datetime:
    return due(commune, answered_at, PUBLISH_LIMIT)
