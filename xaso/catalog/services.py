"""Writes to the catalogue. An import is all-or-nothing: checked whole first, then written in one
transaction, with one audit row."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from xaso.core.audit import audit_record
from xaso.core.errors import InvalidInput
from xaso.core.text import search_key

from .models import (
    CommuneProcedure,
    ExemptionCategory,
    Procedure,
    ProcedureField,
    ProcessStep,
    ProvincialFeeRate,
    RequiredDocument,
)
from .records import FLAGS, STEP_ROLES, RecordError, catalog_errors


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
            "resume_rule": record.get("resume_rule", Procedure.ResumeRule.CONTINUE),
            "online_level": record["online_level"],
            "result_type": record["result_type"],
            "legal_basis": record["legal_basis"],
            "verified": record.get("verified", False),
            "unverified": record.get("unverified", []),
            "source": record.get("source", ""),
            **{flag: flags.get(flag, flag == "requires_leader_signature") for flag in FLAGS},
            "aliases": record.get("aliases", []),
            "form": record["form"],
            "fees": record["fees"],
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
                defaults={"name": item["name"].strip(), "evidence": item.get("evidence", "")},
            )
        fields = {field.code: field for field in ProcedureField.objects.all()}
        for record in data["procedures"]:
            (created if _procedure_write(record, fields) else updated).append(record["code"])
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
