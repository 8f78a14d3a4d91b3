"""Words for people go through gettext (English msgids here; Vietnamese from the catalogue)."""

import pytest
from django.utils import translation

from xaso.workdays.engine import WorkDuration
from xaso.workdays.rules import REASON_CODES
from xaso.workdays.texts import ASSISTED_INTAKE_REASONS, format_work_duration


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (WorkDuration(0, 0, 0), "0 minutes"),
        (WorkDuration(0, 0, 1), "1 minute"),
        (WorkDuration(0, 0, 45), "45 minutes"),
        (WorkDuration(0, 5, 59), "5 hours"),
        (WorkDuration(1, 0, 0), "1 day"),
        (WorkDuration(2, 3, 10), "2 days 3 hours"),
        (WorkDuration(1, 1, 0), "1 day 1 hour"),
        (WorkDuration(0, 2, 0, overdue=True), "overdue by 2 hours"),
    ],
)
def test_format_work_duration_in_english(duration, text):
    with translation.override("en"):
        assert format_work_duration(duration) == text


def test_every_refusal_of_assisted_intake_has_words():
    assert set(ASSISTED_INTAKE_REASONS) == REASON_CODES
