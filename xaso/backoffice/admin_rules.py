"""Commune administration: the Tuesday ("we write for you") and Friday ("no appointment") rules,
as data of the commune (the workdays app applies them)."""

import re
from datetime import time

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from xaso.catalog.selectors import procedures_covered
from xaso.core.errors import DomainError, InvalidInput
from xaso.workdays.calendars import rule_terms
from xaso.workdays.models import WEEKDAY_CHOICES, ServiceRule
from xaso.workdays.selectors import commune_service_rules
from xaso.workdays.services import service_rule_update

from .access import admin_commune, error_message, page, staff_required

CODES_TEXT_MAX = 6000
CODES_MAX = 500


def _cutoff(text: str) -> time | None:
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(_("Give the cut-off as HH:MM."), code="cutoff") from error


def _weekday(text: str) -> int:
    if text not in {str(value) for value, _label in WEEKDAY_CHOICES}:
        raise InvalidInput(_("Choose a weekday."), code="weekday")
    return int(text)


def _codes(text: str) -> list[str]:
    """Procedure codes typed one a line (or separated by commas); empty: the rule's default."""
    return [code for code in re.split(r"[\s,;]+", text[:CODES_TEXT_MAX]) if code][:CODES_MAX]


@staff_required
def rule_list(request):
    commune = admin_commune(request.user)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in ServiceRule.Kind.values:
            raise Http404
        try:
            service_rule_update(
                actor=request.user,
                commune=commune,
                kind=kind,
                enabled=bool(request.POST.get("enabled")),
                weekday=_weekday(request.POST.get("weekday", "")),
                cutoff=_cutoff(request.POST.get("cutoff", "").strip()),
                procedure_codes=_codes(request.POST.get("procedure_codes", "")),
                note=request.POST.get("note", "").strip()[:200],
            )
        except DomainError as error:
            error_message(request, error)
        else:
            messages.success(request, _("The rule is saved."))
        return redirect("backoffice:rules")
    rules = {rule.kind: rule for rule in commune_service_rules(commune)}
    friday = rules.get(ServiceRule.Kind.FRIDAY_SAME_DAY)
    return page(
        request,
        "backoffice/admin/rules.html",
        {
            "commune": commune,
            "rules": [(kind, label, rules.get(kind)) for kind, label in ServiceRule.Kind.choices],
            # What the Friday rule covers now: the commune's list, or the default one.
            "friday_procedures": procedures_covered(commune, rule_terms(friday).friday_covers)
            if friday
            else [],
            "weekdays": WEEKDAY_CHOICES,
            "defaults": ServiceRule.DEFAULT_WEEKDAYS,
        },
    )
