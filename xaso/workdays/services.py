"""Writes to the calendar data. Each one validates, saves and writes its audit row in one
transaction; the post_save / post_delete signals (`calendars.py`) then move the calendar version,
so every due date computed afterwards uses the new data.

Commune-level services take a commune the caller has already authorised through
`xaso.accounts.scoping` (the API does); national and provincial changes are for the deployment's
administrators (the Django admin, which calls these services too).
"""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xaso.core.audit import audit_record
from xaso.core.errors import Conflict, InvalidInput
from xaso.core.validation import apply_changes, validated
from xaso.places.models import Commune, Province

from .models import CalendarChange, CalendarSettings, OfficeHours, ServiceRule

CHANGE_FIELDS = ("date", "kind", "province_id", "legal_reference", "note", "verified")
SETTINGS_FIELDS = ("same_day_cutoff", "hour_for_hour")
RULE_FIELDS = ("enabled", "weekday", "cutoff", "valid_from", "valid_to", "procedure_codes", "note")


def _snapshot(instance, fields) -> dict:
    return {field: getattr(instance, field) for field in fields}


# --- official changes (national or provincial) -------------------------------------------------


def _change_id(change: CalendarChange) -> str:
    province = Province.objects.filter(pk=change.province_id).values_list("code", flat=True)
    return f"{province.first() if change.province_id else 'national'}/{change.date.isoformat()}"


def calendar_change_save(*, actor, change: CalendarChange) -> CalendarChange:
    """Create or update one official change (a day off, a make-up working day)."""
    creating = change.pk is None
    change.legal_reference = " ".join(change.legal_reference.split())
    validated(change)
    try:
        with transaction.atomic():
            before = (
                {}
                if creating
                else _snapshot(CalendarChange.objects.get(pk=change.pk), CHANGE_FIELDS)
            )
            change.save()
            audit_record(
                actor=actor,
                action="calendar_change.create" if creating else "calendar_change.update",
                object_type="calendar_change",
                object_id=_change_id(change),
                data={"from": before, "to": _snapshot(change, CHANGE_FIELDS)},
            )
    except IntegrityError as error:
        raise Conflict(
            _("There is already a change for this date."), code="calendar_change_exists"
        ) from error
    return change


def calendar_change_create(
    *,
    actor,
    date: date,
    kind: str,
    legal_reference: str,
    province: Province | None = None,
    note: str = "",
    verified: bool = False,
) -> CalendarChange:
    change = CalendarChange(
        date=date,
        kind=kind,
        province=province,
        legal_reference=legal_reference,
        note=note,
        verified=verified,
    )
    return calendar_change_save(actor=actor, change=change)


def calendar_change_delete(*, actor, change: CalendarChange) -> None:
    with transaction.atomic():
        object_id = _change_id(change)
        data = _snapshot(change, CHANGE_FIELDS)
        change.delete()
        audit_record(
            actor=actor,
            action="calendar_change.delete",
            object_type="calendar_change",
            object_id=object_id,
            data=data,
        )


# --- a commune's office hours -------------------------------------------------------------------


def _regime_data(row: OfficeHours) -> dict:
    return {"periods": row.periods, "valid_from": row.valid_from, "valid_to": row.valid_to}


def office_hours_replace(*, actor, commune: Commune, regimes: list[dict]) -> list[OfficeHours]:
    """Replace the commune's office hours by `regimes`; an empty list restores the default.

    Each regime: {"periods": [(start, end), ...], "valid_from": date | None, "valid_to": ...}.
    """
    rows = []
    for index, regime in enumerate(regimes):
        row = OfficeHours(
            commune=commune,
            periods=[[str(start), str(end)] for start, end in regime["periods"]],
            valid_from=regime.get("valid_from"),
            valid_to=regime.get("valid_to"),
            note=regime.get("note", ""),
        )
        try:
            row.full_clean(exclude=["commune"])
        except ValidationError as error:
            raise InvalidInput(
                _("Some of the data sent is not valid."),
                code="invalid_office_hours",
                details={
                    "fields": {f"regimes.{index}.{k}": v for k, v in error.message_dict.items()}
                },
            ) from error
        rows.append(row)
    with transaction.atomic():
        before = [_regime_data(row) for row in OfficeHours.objects.filter(commune=commune)]
        for old in OfficeHours.objects.filter(commune=commune):
            old.delete()
        for row in rows:
            row.save()
        audit_record(
            actor=actor,
            action="office_hours.replace",
            object_type="office_hours",
            object_id=commune.code,
            commune_code=commune.code,
            data={"from": before, "to": [_regime_data(row) for row in rows]},
        )
    return rows


def office_hours_save(*, actor, office_hours: OfficeHours) -> OfficeHours:
    """Create or update one regime (the admin's form)."""
    validated(office_hours, exclude=["commune"])
    with transaction.atomic():
        office_hours.save()
        commune = office_hours.commune
        audit_record(
            actor=actor,
            action="office_hours.save",
            object_type="office_hours",
            object_id=commune.code,
            commune_code=commune.code,
            data=_regime_data(office_hours),
        )
    return office_hours


def office_hours_delete(*, actor, office_hours: OfficeHours) -> None:
    with transaction.atomic():
        commune = office_hours.commune
        data = _regime_data(office_hours)
        office_hours.delete()
        audit_record(
            actor=actor,
            action="office_hours.delete",
            object_type="office_hours",
            object_id=commune.code,
            commune_code=commune.code,
            data=data,
        )


# --- a commune's settings and service rules -----------------------------------------------------


def calendar_settings_update(*, actor, commune: Commune, **changes) -> CalendarSettings:
    with transaction.atomic():
        row = CalendarSettings.objects.select_for_update().filter(commune=commune).first()
        row = row or CalendarSettings(commune=commune)
        data = apply_changes(row, changes, fields=SETTINGS_FIELDS, exclude=["commune"])
        row.save()
        audit_record(
            actor=actor,
            action="calendar_settings.update",
            object_type="calendar_settings",
            object_id=commune.code,
            commune_code=commune.code,
            data=data,
        )
    return row


def service_rule_update(*, actor, commune: Commune, kind: str, **changes) -> ServiceRule:
    """Change the commune's rule of this kind, creating it (disabled, usual weekday) if needed."""
    if kind not in ServiceRule.Kind.values:
        raise InvalidInput(_("Unknown service rule."), code="unknown_rule_kind")
    with transaction.atomic():
        rule = ServiceRule.objects.select_for_update().filter(commune=commune, kind=kind).first()
        rule = rule or ServiceRule(
            commune=commune, kind=kind, weekday=ServiceRule.DEFAULT_WEEKDAYS[kind]
        )
        data = apply_changes(rule, changes, fields=RULE_FIELDS, exclude=["commune"])
        rule.save()
        audit_record(
            actor=actor,
            action="service_rule.update",
            object_type="service_rule",
            object_id=f"{commune.code}/{kind}",
            commune_code=commune.code,
            data=data,
        )
    return rule


def service_rule_delete(*, actor, rule: ServiceRule) -> None:
    with transaction.atomic():
        commune = rule.commune
        data = _snapshot(rule, RULE_FIELDS)
        rule.delete()
        audit_record(
            actor=actor,
            action="service_rule.delete",
            object_type="service_rule",
            object_id=f"{commune.code}/{rule.kind}",
            commune_code=commune.code,
            data=data,
        )


def demo_calendar_seed(*, commune: Commune) -> None:
    """The demo commune's rules (DESIGN.md §4, the Phú Lộc model), set only where none exist yet.

    Friday "không hẹn": every procedure decided in the commune with a limit of at most 3 working
    days, received on Friday before the close of office hours (no cut-off of its own), is due at
    the close of that day. Tuesday "không viết": officers write forms all the working day.
    """
    with transaction.atomic():
        if not CalendarSettings.objects.filter(commune=commune).exists():
            calendar_settings_update(actor=None, commune=commune, same_day_cutoff=time(15))
        existing = set(ServiceRule.objects.filter(commune=commune).values_list("kind", flat=True))
        if ServiceRule.Kind.FRIDAY_SAME_DAY not in existing:
            service_rule_update(
                actor=None,
                commune=commune,
                kind=ServiceRule.Kind.FRIDAY_SAME_DAY,
                enabled=True,
                weekday=4,
            )
        if ServiceRule.Kind.TUESDAY_ASSISTED not in existing:
            service_rule_update(
                actor=None,
                commune=commune,
                kind=ServiceRule.Kind.TUESDAY_ASSISTED,
                enabled=True,
                weekday=1,
            )
