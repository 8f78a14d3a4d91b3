"""Writes to the catalogue. An import is all-or-nothing: checked whole first, then written in one
transaction, with one audit row."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.core.audit import audit_record
from xaso.core.errors import InvalidInput
from xaso.core.text import search_key

from .fees import fee_schedule_errors
from .models import (
    CommuneProcedure,
    ExemptionCategory,
    Procedure,
    ProcedureField,
    ProcedureVersion,
    ProcessStep,
    ProvincialFeeRate,
    RequiredDocument,
)
from .records import (
    FLAGS,
    STEP_ROLES,
    RecordError,
    catalog_errors,
    procedure_record,
    record_delivery_channels,
)
from .selectors import version_in_force


class CatalogInvalid(InvalidInput):
    code = "catalog_invalid"

    def __init__(self, errors: list[RecordError]):
        super().__init__(
            _("The catalogue has %(count)d error(s); nothing was imported.")
            % {"count": len(errors)},
            details={"errors": [{"where": e.path, "message": e.message} for e in errors]},
        )
        self.errors = errors


@dataclass(frozen=True)
class ImportReport:
    created: list[str]
    updated: list[str]


def procedure_search_text(record: dict, field_name: str) -> str:
    parts = [record["code"], record["name"], field_name, *record.get("aliases", [])]
    return " | ".join(search_key(part) for part in parts)


def _verification_fields(verification: dict | None) -> dict:
    if verification is None:
        return {
            "verification_limit_amount": None,
            "verification_limit_unit": "",
            "verification_reason": "",
        }
    return {
        "verification_limit_amount": verification["amount"],
        "verification_limit_unit": verification["unit"],
        "verification_reason": " ".join(verification["reason"].split()),
    }


def _procedure_write(record: dict, fields: dict[str, ProcedureField]) -> bool:
    limit = record["time_limit"]
    flags = record.get("flags", {})
    procedure, created = Procedure.objects.update_or_create(
        code=record["code"],
        defaults={
            "name": " ".join(record["name"].split()),
            "field": fields[record["field"]],
            "level": record.get("level", Procedure.Level.COMMUNE),
            "limit_amount": limit["amount"],
            "limit_unit": limit["unit"],
            "limit_note": limit.get("note", ""),
            **_verification_fields(limit.get("with_verification")),
            "resume_rule": record.get("resume_rule", Procedure.ResumeRule.CONTINUE),
            "online_level": record["online_level"],
            "result_type": record["result_type"],
            "decider": record["decider"],
            "document_kind": record["document_kind"],
            "legal_basis": record["legal_basis"],
            "verified": record.get("verified", False),
            "unverified": record.get("unverified", []),
            "source": record.get("source", ""),
            **{flag: flags.get(flag, flag == "requires_leader_signature") for flag in FLAGS},
            "aliases": record.get("aliases", []),
            "form": record["form"],
            "fees": record["fees"],
            "delivery_channels": record_delivery_channels(record),
            "version": record.get("version", 1),
            "valid_from": record.get("valid_from"),
            "valid_to": record.get("valid_to"),
            "search_text": procedure_search_text(record, fields[record["field"]].name),
        },
    )
    # Documents and steps belong to the procedure: replaced as a whole, like the record.
    procedure.documents.all().delete()
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            procedure=procedure,
            position=position,
            key=document["key"],
            name=document["name"].strip(),
            originals=document.get("originals", 1),
            copies=document.get("copies", 0),
            requirement=document.get("requirement", RequiredDocument.Requirement.REQUIRED),
            condition=document.get("condition", ""),
            explanation=document.get("explanation", ""),
            replaceable_by=document.get("replaceable_by", RequiredDocument.Replacement.NONE),
        )
        for position, document in enumerate(record["documents"], start=1)
    )
    procedure.steps.all().delete()
    ProcessStep.objects.bulk_create(
        ProcessStep(
            procedure=procedure,
            position=position,
            step=step["step"],
            role=step.get("role") or STEP_ROLES[step["step"]],
            budget=Decimal(str(step["budget"])),
        )
        for position, step in enumerate(record["process"], start=1)
    )
    return created


def _versions_store(code: str, records: list[dict], fields, today: date) -> bool:
    """Keep every version of the file, then make the procedure's row the version in force today
    (the earliest one if none is yet). A procedure imported before versions existed keeps its row
    as version 1 unless the file brings a version 1 itself. Returns whether the code is new."""
    procedure = Procedure.objects.filter(code=code).first()
    created = procedure is None
    if created:
        _procedure_write(min(records, key=_start_key), fields)
        procedure = Procedure.objects.get(code=code)
    elif not procedure.versions.exists():
        numbers = {record.get("version", 1) for record in records}
        if procedure.version not in numbers:
            _version_save(procedure, procedure_record(procedure))
    for record in records:
        _version_save(procedure, record)
    chosen = version_in_force(procedure, today) or min(
        procedure.versions.all(), key=lambda version: _start_key(version.record)
    )
    _procedure_write(chosen.record, fields)
    return created


def _start_key(record: dict) -> str:
    return record.get("valid_from") or ""


def _version_save(procedure: Procedure, record: dict) -> None:
    ProcedureVersion.objects.update_or_create(
        procedure=procedure,
        number=record.get("version", 1),
        defaults={
            "valid_from": record.get("valid_from"),
            "valid_to": record.get("valid_to"),
            "record": record,
            "imported_at": timezone.now(),
        },
    )


def procedure_versions_apply(*, actor, today: date) -> list[str]:
    """The daily switch: every procedure whose row is not the version in force today takes it
    (Decree 120/2025/NĐ-CP ceases on 2027-03-01). Returns the codes switched."""
    switched = []
    with transaction.atomic():
        fields = {field.code: field for field in ProcedureField.objects.all()}
        for procedure in Procedure.objects.prefetch_related("versions"):
            version = version_in_force(procedure, today)
            if version is not None and version.number != procedure.version:
                _procedure_write(version.record, fields)
                switched.append(procedure.code)
        if switched:
            audit_record(actor=actor, action="catalog.versions_apply", data={"switched": switched})
    return switched


def catalog_import(
    *,
    actor,
    data: dict,
    unreadable: Sequence[RecordError] = (),
    locate: Callable[[str], str] = str,
) -> ImportReport:
    """Create or update fields, exemption categories and procedures from an exchange file.

    `unreadable` are the places of the file that could not be read at all (a spreadsheet's bad
    cells, named by `locate`): the import then reports them with everything the checker finds
    elsewhere, so one run names every bad place, and a place already named is not named twice.
    """
    errors = catalog_errors(
        data,
        known_fields=ProcedureField.objects.values_list("code", flat=True),
        known_exemptions=ExemptionCategory.objects.values_list("code", flat=True),
    )
    if unreadable:
        named = {error.path for error in unreadable}
        errors = [*unreadable, *(error for error in errors if locate(error.path) not in named)]
    if errors:
        raise CatalogInvalid(errors)
    created, updated = [], []
    with transaction.atomic():
        for item in data.get("fields", []):
            ProcedureField.objects.update_or_create(
                code=item["code"], defaults={"name": item["name"].strip()}
            )
        for item in data.get("exemption_categories", []):
            ExemptionCategory.objects.update_or_create(
                code=item["code"],
                defaults={
                    "name": item["name"].strip(),
                    "evidence": item.get("evidence", ""),
                    "legal_reference": item.get("legal_reference", ""),
                },
            )
        fields = {field.code: field for field in ProcedureField.objects.all()}
        by_code: dict[str, list[dict]] = {}
        for record in data["procedures"]:
            by_code.setdefault(record["code"], []).append(record)
        today = timezone.localdate()
        for code, records in by_code.items():
            is_new = _versions_store(code, records, fields, today)
            (created if is_new else updated).append(code)
        audit_record(
            actor=actor,
            action="catalog.import",
            data={"created": created, "updated": updated},
        )
    return ImportReport(created, updated)


def commune_procedures_offer(*, actor, commune, codes: list[str] | None = None) -> int:
    """Offer these procedures (all active ones when `codes` is None) in a commune; idempotent."""
    procedures = Procedure.objects.filter(is_active=True)
    if codes is not None:
        procedures = procedures.filter(code__in=codes)
    with transaction.atomic():
        existing = set(
            CommuneProcedure.objects.filter(commune=commune).values_list("procedure_id", flat=True)
        )
        new = [
            CommuneProcedure(commune=commune, procedure=procedure)
            for procedure in procedures
            if procedure.pk not in existing
        ]
        CommuneProcedure.objects.bulk_create(new)
        reoffered = CommuneProcedure.objects.filter(
            commune=commune, procedure__in=procedures, offered=False
        ).update(offered=True)
        if not new and not reoffered:
            return 0
        audit_record(
            actor=actor,
            action="catalog.offer",
            object_type="commune",
            object_id=commune.code,
            commune_code=commune.code,
            data={"codes": sorted(procedures.values_list("code", flat=True))},
        )
    return len(new)


def commune_procedures_withdraw(*, actor, commune, codes: list[str]) -> int:
    """Stop offering these procedures in a commune (kept, marked not offered: local settings and
    earlier dossiers stay); the desk and the portal no longer take new dossiers for them."""
    with transaction.atomic():
        rows = CommuneProcedure.objects.filter(
            commune=commune, procedure__code__in=codes, offered=True
        )
        withdrawn = sorted(rows.values_list("procedure__code", flat=True))
        if not withdrawn:
            return 0
        CommuneProcedure.objects.filter(commune=commune, procedure__code__in=withdrawn).update(
            offered=False
        )
        audit_record(
            actor=actor,
            action="catalog.withdraw",
            object_type="commune",
            object_id=commune.code,
            commune_code=commune.code,
            data={"codes": withdrawn},
        )
    return len(withdrawn)


def provincial_rate_save(*, actor, rate: ProvincialFeeRate) -> ProvincialFeeRate:
    """Enter or correct a fee the province sets (e.g. late birth registration)."""
    with transaction.atomic():
        rate.full_clean()
        rate.save()
        audit_record(
            actor=actor,
            action="catalog.provincial_rate_save",
            object_type="provincial_fee_rate",
            object_id=f"{rate.province.code}/{rate.key}",
            data={"amount": rate.amount, "legal_reference": rate.legal_reference},
        )
    return rate


def provincial_rate_delete(*, actor, rate: ProvincialFeeRate) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="catalog.provincial_rate_delete",
            object_type="provincial_fee_rate",
            object_id=f"{rate.province.code}/{rate.key}",
            data={"amount": rate.amount},
        )
        rate.delete()


def commune_offer_default_specialist_set(*, actor, commune, codes: list[str], specialist) -> int:
    """Name the specialist to whom `receive` hands these procedures' dossiers at once."""
    with transaction.atomic():
        changed = CommuneProcedure.objects.filter(
            commune=commune, procedure__code__in=codes
        ).update(default_specialist=specialist)
        audit_record(
            actor=actor,
            action="catalog.default_specialist_set",
            object_type="commune",
            object_id=commune.code,
            commune_code=commune.code,
            data={
                "codes": sorted(codes),
                "specialist": specialist.username if specialist else None,
            },
        )
    return changed


# --- local terms of an offered procedure ------------------------------------------------------

# The time limit in working hours, to compare a local limit with the national one.
HOURS_PER_UNIT = {Procedure.Unit.WORKING_DAYS: 8, Procedure.Unit.WORKING_HOURS: 1}
SAME_DAY_HOURS = 8
FLAT_FEE_MAX = 100_000_000  # đồng: far above any commune fee, below any typing slip's size


def _whole_number(value, *, code: str, message: str) -> int | None:
    """None or "" is "not set"; otherwise a whole number ≥ 0 (typed text is accepted)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = value.strip().replace(".", "").replace(" ", "")  # "10.000" as the desk types it
        if not value.isascii() or not value.isdigit():
            raise InvalidInput(message, code=code)
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(message, code=code)
    return value


def limit_hours(amount: int, unit: str) -> int:
    return SAME_DAY_HOURS if unit == Procedure.Unit.SAME_DAY else amount * HOURS_PER_UNIT[unit]


def _local_limit(procedure: Procedure, amount, unit) -> tuple[int | None, str]:
    """The checked local limit, (None, "") for the national one. Local reform may shorten the
    national limit, never lengthen it (Decree 118/2025)."""
    invalid = _("Enter the time limit as a whole number of working days or hours, or leave it "
                "empty for the national one.")  # fmt: skip
    amount = _whole_number(amount, code="limit_invalid", message=invalid)
    unit = (unit or "").strip()
    if not unit and amount is None:
        return None, ""
    if unit not in Procedure.Unit.values:
        raise InvalidInput(invalid, code="limit_invalid")
    if unit == Procedure.Unit.SAME_DAY:
        amount = 0
    elif not amount or amount > 32767:
        raise InvalidInput(invalid, code="limit_invalid")
    national_same_day = procedure.limit_unit == Procedure.Unit.SAME_DAY
    if (national_same_day and unit != Procedure.Unit.SAME_DAY) or limit_hours(
        amount, unit
    ) > limit_hours(procedure.limit_amount, procedure.limit_unit):
        raise InvalidInput(
            _("A commune may shorten the national time limit, never lengthen it."),
            code="limit_longer_than_national",
        )
    return amount, unit


def _local_fee(procedure: Procedure, flat_fee) -> dict | None:
    """A flat local fee as a fee schedule (the national exemptions still apply); None: the
    national schedule."""
    invalid = _("Enter the fee as a whole number of đồng (0 for free), or leave it empty.")
    amount = _whole_number(flat_fee, code="fee_invalid", message=invalid)
    if amount is None:
        return None
    if amount > FLAT_FEE_MAX:
        raise InvalidInput(invalid, code="fee_invalid")
    schedule = {
        "rules": [{"kind": "flat", "amount": amount}],
        "exemptions": list(procedure.fees.get("exemptions", [])),
    }
    errors = fee_schedule_errors(
        schedule,
        field_names=[field["name"] for field in procedure.form.get("fields", [])],
        exemption_codes=ExemptionCategory.objects.values_list("code", flat=True),
    )
    if errors:
        raise InvalidInput(invalid, code="fee_invalid", details={"errors": errors})
    return schedule


def local_flat_fee(offer: CommuneProcedure | None) -> int | None:
    """The local flat fee `commune_offer_terms_set` stored, or None (national schedule)."""
    rules = (offer.fee_override or {}).get("rules", []) if offer else []
    if len(rules) == 1 and rules[0].get("kind") == "flat" and "per" not in rules[0]:
        return rules[0]["amount"]
    return None


def commune_offer_terms_set(
    *, actor, commune, code: str, limit_amount, limit_unit: str, contact: str, flat_fee
) -> CommuneProcedure:
    """The commune's local terms of a procedure it offers: a shorter time limit, the contact line
    shown to citizens, a flat fee in đồng (0: free). Empty values mean the national terms."""
    if actor is not None and not actor.is_superuser:
        staff_scope(actor).require(commune, [Role.COMMUNE_ADMIN])
    with transaction.atomic():
        offer = (
            CommuneProcedure.objects.select_for_update()
            .select_related("procedure")
            .filter(commune=commune, procedure__code=code, procedure__is_active=True, offered=True)
            .first()
        )
        if offer is None:
            raise InvalidInput(
                _("The commune does not offer this procedure: offer it first."), code="not_offered"
            )
        procedure = offer.procedure
        amount, unit = _local_limit(procedure, limit_amount, limit_unit)
        schedule = _local_fee(procedure, flat_fee)
        contact = " ".join((contact or "").split())
        if len(contact) > 300:
            raise InvalidInput(
                _("The contact line is at most 300 characters."), code="contact_too_long"
            )
        before = {"limit": [offer.limit_amount, offer.limit_unit], "contact": offer.contact,
                  "flat_fee": local_flat_fee(offer)}  # fmt: skip
        offer.limit_amount, offer.limit_unit = amount, unit
        offer.contact = contact
        offer.fee_override = schedule
        offer.save(update_fields=["limit_amount", "limit_unit", "contact", "fee_override"])
        audit_record(
            actor=actor,
            action="catalog.offer_terms_set",
            object_type="commune_procedure",
            object_id=f"{commune.code}/{code}",
            commune_code=commune.code,
            data={"before": before, "after": {"limit": [amount, unit], "contact": contact,
                                              "flat_fee": local_flat_fee(offer)}},
        )  # fmt: skip
    return offer
