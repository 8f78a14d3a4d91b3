"""How pages print money and dates for Vietnamese readers: `{{ amount|dong }}` → "16.000 ₫",
`{{ value|day }}` → "14/03/1990" (a date, a datetime or an ISO date string, as answers store it)."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from xaso.core.text import format_dong

register = template.Library()


@register.filter
def dong(amount) -> str:
    if amount in (None, ""):
        return ""
    return format_dong(int(amount))


@register.filter
def day(value) -> str:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return value  # not a date: shown as typed
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)
