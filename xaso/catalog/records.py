"""The catalogue's exchange format: one JSON record per procedure, checked as a whole.

Import (JSON or Excel), export and the seed data all go through these records, so one checker
decides what a valid procedure is. An error names where it is (`procedures[3].time_limit.unit`)
so that a province fixing its spreadsheet can find the cell.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from xaso.accounts.models import Role

from .fees import fee_schedule_errors
from .forms import form_definition_errors
from .legal import legal_basis_item_errors
from .models import PROCEDURE_CODE, Procedure, ProcessStep, RequiredDocument

FORMAT = "xaso-catalog/1"
HOURS_PER_WORKING_DAY = 8  # the statutory working day, whatever a commune's office hours
FLAGS = ("no_proxy_writing", "same_day_eligible", "requires_leader_signature", "inter_agency")
FACTS = (
    "time_limit",
    "fees",
    "documents",
    "form",
    "legal_basis",
    "process",
    "result_type",
    "decider",
    "document_kind",
    # A commune's own XS. code (the national one is not known) and a name not confirmed word for
    # word are facts still to check too.
    "code",
    "name",
)
STEP_ROLES = {
    "reception": Role.RECEPTION,
    "specialist": Role.SPECIALIST,
    "leader": Role.LEADER,
    "return": Role.RECEPTION,
}
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
# How a result may be handed over (the values of dossiers.models.ReturnChannel). A procedure
# that names none allows all three.
DELIVERY_CHANNELS = ("counter", "post", "electronic")


def record_delivery_channels(record: dict) -> list[str]:
    return list(record.get("delivery_channels") or DELIVERY_CHANNELS)


def _iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class RecordError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _choice(value: Any, choices, path: str, errors: list[RecordError]) -> None:
    if value not in choices.values:
        errors.append(RecordError(path, f"must be one of {', '.join(choices.values)}"))


def _text(record: dict, key: str, path: str, errors: list[RecordError], *, limit: int) -> None:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.append(RecordError(f"{path}.{key}", "is required"))
    elif len(value) > limit:
        errors.append(RecordError(f"{path}.{key}", f"at most {limit} characters"))


def _at_most(record: dict, key: str, path: str, errors: list[RecordError], *, limit: int) -> None:
    """An optional text: absent or empty is fine, too long is an error (not a database crash)."""
    value = record.get(key, "")
    if not isinstance(value, str):
        errors.append(RecordError(f"{path}.{key}", "must be text"))
    elif len(value) > limit:
        errors.append(RecordError(f"{path}.{key}", f"at most {limit} characters"))


FORWARDED_DECIDERS = (Procedure.Decider.COMMUNE_POLICE, Procedure.Decider.HIGHER_LEVEL)


def _decider_errors(record: dict, path: str, errors: list[RecordError]) -> None:
    """Who decides and what is issued: both required, and consistent — a procedure another body
    decides issues nothing of the commune's, and one the commune decides issues a document."""
    decider, kind = record.get("decider"), record.get("document_kind")
    _choice(decider, Procedure.Decider, f"{path}.decider", errors)
    _choice(kind, Procedure.DocumentKind, f"{path}.document_kind", errors)
    if decider not in Procedure.Decider.values or kind not in Procedure.DocumentKind.values:
        return
    forwarded = kind == Procedure.DocumentKind.FORWARDED
    if forwarded != (decider in FORWARDED_DECIDERS):
        errors.append(
            RecordError(
                f"{path}.document_kind",
                "forwarded exactly when another body decides (commune_police, higher_level)",
            )
        )


def limit_hours(amount: int, unit: str) -> Decimal:
    """The process budget a time limit gives: hours, or 100 (%) of the day for same-day."""
    if unit == Procedure.Unit.SAME_DAY:
        return Decimal(100)
    return Decimal(amount * (HOURS_PER_WORKING_DAY if unit == Procedure.Unit.WORKING_DAYS else 1))


def procedure_record_errors(
    record: Any, path: str, *, field_codes: set[str], exemption_codes: set[str]
) -> list[RecordError]:
    if not isinstance(record, dict):
        return [RecordError(path, "must be an object")]
    errors: list[RecordError] = []
    code = record.get("code")
    if not isinstance(code, str) or not re.fullmatch(PROCEDURE_CODE, code):
        errors.append(
            RecordError(f"{path}.code", "a national code like 1.001193, or a local XS.0001")
        )
    _text(record, "name", path, errors, limit=300)
    _text(record, "result_type", path, errors, limit=300)
    _at_most(record, "source", path, errors, limit=300)
    if record.get("field") not in field_codes:
        errors.append(RecordError(f"{path}.field", "unknown field code"))
    _choice(record.get("level", "commune"), Procedure.Level, f"{path}.level", errors)
    _choice(record.get("online_level"), Procedure.OnlineLevel, f"{path}.online_level", errors)
    _decider_errors(record, path, errors)
    _choice(
        record.get("resume_rule", "continue"), Procedure.ResumeRule, f"{path}.resume_rule", errors
    )

    limit = record.get("time_limit")
    amount = unit = None
    if not isinstance(limit, dict):
        errors.append(RecordError(f"{path}.time_limit", "an object {amount, unit, note}"))
    else:
        amount, unit = limit.get("amount"), limit.get("unit")
        if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount <= 365:
            errors.append(RecordError(f"{path}.time_limit.amount", "a whole number 0–365"))
            amount = None
        _choice(unit, Procedure.Unit, f"{path}.time_limit.unit", errors)
        _at_most(limit, "note", f"{path}.time_limit", errors, limit=300)
        _verification_check(limit.get("with_verification"), f"{path}.time_limit", errors)

    basis = record.get("legal_basis")
    if not isinstance(basis, list) or not basis:
        errors.append(RecordError(f"{path}.legal_basis", "a non-empty list of documents"))
    else:
        for position, item in enumerate(basis):
            errors += [
                RecordError(f"{path}.legal_basis[{position}]", message)
                for message in legal_basis_item_errors(item)
            ]

    version = record.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 999:
        errors.append(RecordError(f"{path}.version", "a whole number 1–999"))
    for key in ("valid_from", "valid_to"):
        if record.get(key) is not None and _iso_date(record[key]) is None:
            errors.append(RecordError(f"{path}.{key}", "a date as YYYY-MM-DD, or null"))
    start, end = _iso_date(record.get("valid_from")), _iso_date(record.get("valid_to"))
    if start and end and end <= start:
        errors.append(RecordError(f"{path}.valid_to", "must be after valid_from"))
    delivery = record.get("delivery_channels", list(DELIVERY_CHANNELS))
    if (
        not isinstance(delivery, list)
        or not delivery
        or set(delivery) - set(DELIVERY_CHANNELS)
        or len(set(delivery)) != len(delivery)
    ):
        errors.append(
            RecordError(f"{path}.delivery_channels", f"some of {', '.join(DELIVERY_CHANNELS)}")
        )

    flags = record.get("flags", {})
    if not isinstance(flags, dict) or set(flags) - set(FLAGS):
        errors.append(RecordError(f"{path}.flags", f"only {', '.join(FLAGS)}"))
    elif any(not isinstance(value, bool) for value in flags.values()):
        errors.append(RecordError(f"{path}.flags", "each flag is true or false"))
    unverified = record.get("unverified", [])
    if not isinstance(unverified, list) or set(unverified) - set(FACTS):
        errors.append(RecordError(f"{path}.unverified", f"a list among {', '.join(FACTS)}"))
    elif record.get("verified") and unverified:
        errors.append(RecordError(f"{path}.verified", "cannot be true with unverified facts"))
    aliases = record.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
        errors.append(RecordError(f"{path}.aliases", "a list of phrasings"))

    documents = record.get("documents")
    keys: list[str] = []
    if not isinstance(documents, list) or not documents:
        errors.append(RecordError(f"{path}.documents", "a non-empty list"))
    else:
        for position, document in enumerate(documents):
            where = f"{path}.documents[{position}]"
            if not isinstance(document, dict):
                errors.append(RecordError(where, "must be an object"))
                continue
            if not isinstance(document.get("key"), str) or not SLUG.match(document["key"]):
                errors.append(RecordError(f"{where}.key", "lower-case letters, digits, - and _"))
            elif document["key"] in keys:
                errors.append(RecordError(f"{where}.key", "used twice"))
            else:
                keys.append(document["key"])
            _text(document, "name", where, errors, limit=300)
            for count in ("originals", "copies"):
                value = document.get(count, 1 if count == "originals" else 0)
                if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 20:
                    errors.append(RecordError(f"{where}.{count}", "a whole number 0–20"))
            requirement = document.get("requirement", "required")
            _choice(requirement, RequiredDocument.Requirement, f"{where}.requirement", errors)
            if requirement == "conditional" and not str(document.get("condition", "")).strip():
                errors.append(RecordError(f"{where}.condition", "say when it is required"))
            _at_most(document, "condition", where, errors, limit=300)
            _choice(
                document.get("replaceable_by", "none"),
                RequiredDocument.Replacement,
                f"{where}.replaceable_by",
                errors,
            )

    form = record.get("form")
    errors += [
        RecordError(f"{path}.form", message)
        for message in form_definition_errors(form, document_keys=keys)
    ]
    field_names = (
        [spec.get("name") for spec in form.get("fields", []) if isinstance(spec, dict)]
        if isinstance(form, dict)
        else []
    )
    errors += [
        RecordError(f"{path}.fees", message)
        for message in fee_schedule_errors(
            record.get("fees"), field_names=field_names, exemption_codes=exemption_codes
        )
    ]
    errors += _process_errors(record.get("process"), f"{path}.process", amount, unit)
    return errors


def _process_errors(process: Any, path: str, amount, unit) -> list[RecordError]:
    if not isinstance(process, list) or not process:
        return [RecordError(path, "a non-empty list of steps")]
    errors = []
    total = Decimal(0)
    for position, step in enumerate(process):
        where = f"{path}[{position}]"
        if not isinstance(step, dict):
            errors.append(RecordError(where, "must be an object"))
            continue
        _choice(step.get("step"), ProcessStep.Step, f"{where}.step", errors)
        if "role" in step and step["role"] not in Role.values:
            errors.append(RecordError(f"{where}.role", f"must be one of {', '.join(Role.values)}"))
        try:
            budget = Decimal(str(step.get("budget")))
        except InvalidOperation:
            budget = Decimal(-1)
        if not budget.is_finite() or budget <= 0:
            errors.append(RecordError(f"{where}.budget", "a positive number"))
        else:
            total += budget
    if amount is not None and unit in Procedure.Unit.values and not errors:
        expected = limit_hours(amount, unit)
        if amount == 0 and unit != Procedure.Unit.SAME_DAY:
            return errors
        if total != expected:
            what = "% of the day" if unit == Procedure.Unit.SAME_DAY else "working hours"
            errors.append(
                RecordError(path, f"the steps add up to {total}, not the {expected} {what}")
            )
    return errors


def catalog_errors(
    data: Any, *, known_fields: Iterable[str] = (), known_exemptions: Iterable[str] = ()
) -> list[RecordError]:
    """Every problem of a whole catalogue file (empty: it can be imported). Procedures may refer
    to fields and exemption categories of the file or already in the catalogue (`known_*`)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return [RecordError("format", f"must be {FORMAT!r}")]
    errors: list[RecordError] = []
    field_codes, exemption_codes = set(known_fields), set(known_exemptions)
    for position, item in enumerate(data.get("fields", [])):
        if not isinstance(item, dict) or not SLUG.match(str(item.get("code", ""))):
            errors.append(RecordError(f"fields[{position}].code", "a short code"))
            continue
        _text(item, "name", f"fields[{position}]", errors, limit=120)
        field_codes.add(item["code"])
    for position, item in enumerate(data.get("exemption_categories", [])):
        if not isinstance(item, dict) or not SLUG.match(str(item.get("code", ""))):
            errors.append(RecordError(f"exemption_categories[{position}].code", "a short code"))
            continue
        _text(item, "name", f"exemption_categories[{position}]", errors, limit=200)
        _at_most(item, "legal_reference", f"exemption_categories[{position}]", errors, limit=300)
        exemption_codes.add(item["code"])
    procedures = data.get("procedures")
    if not isinstance(procedures, list):
        return [*errors, RecordError("procedures", "a list")]
    seen: dict[tuple, tuple[date | None, date | None]] = {}
    for position, record in enumerate(procedures):
        path = f"procedures[{position}]"
        errors += procedure_record_errors(
            record, path, field_codes=field_codes, exemption_codes=exemption_codes
        )
        if not isinstance(record, dict):
            continue
        # A code may appear once per version (a version that starts on a later day).
        code, version = record.get("code"), record.get("version", 1)
        if (code, version) in seen:
            errors.append(RecordError(f"{path}.code", "appears twice in the file"))
            continue
        start, end = _iso_date(record.get("valid_from")), _iso_date(record.get("valid_to"))
        for (other_code, _other), (other_start, other_end) in seen.items():
            if other_code == code and _overlap(start, end, other_start, other_end):
                errors.append(
                    RecordError(f"{path}.valid_from", "overlaps another version of this code")
                )
                break
        seen[(code, version)] = (start, end)
    return errors


def _verification_check(verification, path: str, errors: list[RecordError]) -> None:
    """`with_verification`, when present: the whole statutory limit when verification is needed."""
    if verification is None:
        return
    path = f"{path}.with_verification"
    if not isinstance(verification, dict):
        errors.append(RecordError(path, "an object {amount, unit, reason}"))
        return
    amount = verification.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= 365:
        errors.append(RecordError(f"{path}.amount", "a whole number 1–365"))
    if verification.get("unit") == Procedure.Unit.SAME_DAY:
        errors.append(RecordError(f"{path}.unit", "a unit other than same_day"))
    else:
        _choice(verification.get("unit"), Procedure.Unit, f"{path}.unit", errors)
    _text(verification, "reason", path, errors, limit=300)


def time_limit_record(procedure: Procedure) -> dict:
    """The `time_limit` object of the exchange format."""
    record = {
        "amount": procedure.limit_amount,
        "unit": procedure.limit_unit,
        "note": procedure.limit_note,
    }
    if procedure.verification_limit_unit:
        record["with_verification"] = {
            "amount": procedure.verification_limit_amount,
            "unit": procedure.verification_limit_unit,
            "reason": procedure.verification_reason,
        }
    return record


def _overlap(start, end, other_start, other_end) -> bool:
    """Whether two [start, end) periods (None: open) share a day."""
    return (end is None or other_start is None or other_start < end) and (
        other_end is None or start is None or start < other_end
    )


def procedure_record(procedure: Procedure) -> dict:
    """The exchange record of a saved procedure (export); `catalog_import` reads it back."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.code,
        "level": procedure.level,
        "time_limit": time_limit_record(procedure),
        "resume_rule": procedure.resume_rule,
        "online_level": procedure.online_level,
        "result_type": procedure.result_type,
        "decider": procedure.decider,
        "document_kind": procedure.document_kind,
        "legal_basis": procedure.legal_basis,
        "version": procedure.version,
        **({"valid_from": procedure.valid_from.isoformat()} if procedure.valid_from else {}),
        **({"valid_to": procedure.valid_to.isoformat()} if procedure.valid_to else {}),
        "delivery_channels": procedure.delivery_channels or list(DELIVERY_CHANNELS),
        "verified": procedure.verified,
        "unverified": procedure.unverified,
        "source": procedure.source,
        "flags": {flag: getattr(procedure, flag) for flag in FLAGS},
        "aliases": procedure.aliases,
        "documents": [
            {
                "key": document.key,
                "name": document.name,
                "originals": document.originals,
                "copies": document.copies,
                "requirement": document.requirement,
                "condition": document.condition,
                "explanation": document.explanation,
                "replaceable_by": document.replaceable_by,
            }
            for document in procedure.documents.all()
        ],
        "fees": procedure.fees,
        "process": [
            {"step": step.step, "role": step.role, "budget": float(step.budget)}
            for step in procedure.steps.all()
        ],
        "form": procedure.form,
    }
