"""Forms as data: a procedure's form (tờ khai) is a list of field definitions stored as JSON.

Two jobs, one module: `form_definition_errors` checks a definition when it is saved or imported,
and `validate_answers` turns submitted answers into clean data or field errors. The web form and the
API both call `validate_answers`, so a rule lives in one place.

The only outside knowledge needed, which communes and villages exist, comes through a
`PlaceDirectory`, so this module stays free of database access and is tested with a fake.
"""

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from xaso.accounts.personal_id import personal_id_facts
from xaso.core.text import phone_digits

FIELD_TYPES = frozenset(
    {
        "text",
        "textarea",
        "number",
        "date",
        "choice",
        "multi_choice",
        "checkbox",
        "phone",
        "email",
        "personal_id",
        "person",
        "address",
        "file",
    }
)
CHOICE_TYPES = frozenset({"choice", "multi_choice"})
FILE_KINDS = frozenset({"pdf", "jpeg", "png"})
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# The pages post a form's fields under their own names (`web_forms`), beside inputs of their own:
# the portal's commune, delivery and "from", the desk's card, documents seen, channel and fee.
RESERVED_NAMES = frozenset(
    {
        "commune",
        "delivery",
        "from",
        "cccd",
        "seen",
        "assisted",
        "confirmed",
        "by_post",
        "receive",
        "read_card",
        "result_delivery",
        "with_verification",
        "verification_reason",
        "consent",
    }
)
PHONE_PATTERN = re.compile(r"^0\d{9}$")
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 2000}
DEFAULT_MAX_FILES = 5
PERSON_PARTS = ("full_name", "date_of_birth", "sex", "personal_id", "ethnicity", "nationality")
ADDRESS_PARTS = ("province", "commune", "village", "detail")
SEXES = ("male", "female")
COMMON_KEYS = frozenset({"name", "type", "label", "help", "required", "show_if"})
TYPE_KEYS = {
    "text": {"max_length"},
    "textarea": {"max_length"},
    "number": {"min", "max", "integer"},
    "date": {"min_date", "max_date"},
    "choice": {"options"},
    "multi_choice": {"options"},
    "person": {"require_personal_id"},
    "address": {"require_village"},
    "file": {"document", "accept", "max_files"},
}
CONDITION_KEYS = frozenset(
    {"field", "equals", "in", "filled", "older_than_days", "all", "any", "not"}
)
TESTS = ("equals", "in", "filled", "older_than_days")


class PlaceDirectory(Protocol):
    def communes(self, codes: Iterable[str]) -> Mapping[str, str]:
        """Commune code -> its province code, for the codes that exist."""

    def villages(self, commune_codes: Iterable[str]) -> set[tuple[str, str]]:
        """(commune code, village code) pairs of these communes."""


# --- Checking a definition ------------------------------------------------------------------------


def condition_errors(condition: Any, known: set[str], where: str) -> list[str]:
    if not isinstance(condition, dict) or not condition or set(condition) - CONDITION_KEYS:
        return [f"{where}: a condition is an object with field/equals/in/filled, all, any or not"]
    if "all" in condition or "any" in condition:
        parts = condition.get("all", condition.get("any"))
        if not isinstance(parts, list) or not parts:
            return [f"{where}: all/any need a non-empty list"]
        return [error for part in parts for error in condition_errors(part, known, where)]
    if "not" in condition:
        return condition_errors(condition["not"], known, where)
    if str(condition.get("field")).split(".")[0] not in known:
        return [
            f"{where}: the condition refers to {condition.get('field')!r}, not an earlier field"
        ]
    if len(set(TESTS) & set(condition)) != 1:
        return [f"{where}: a condition needs exactly one of {', '.join(TESTS)}"]
    if "in" in condition and not isinstance(condition["in"], list):
        return [f"{where}: 'in' needs a list"]
    if "older_than_days" in condition and not isinstance(condition["older_than_days"], int):
        return [f"{where}: 'older_than_days' needs a whole number"]
    return []


def _label_errors(label: Any, where: str, *, required: bool = True) -> list[str]:
    if label is None and not required:
        return []
    if not isinstance(label, dict) or not str(label.get("vi", "")).strip():
        return [f"{where}: needs a Vietnamese text {{'vi': ..., 'en': ...}}"]
    if set(label) - {"vi", "en"}:
        return [f"{where}: only 'vi' and 'en' texts are allowed"]
    return []


def form_definition_errors(form: Any, *, document_keys: Iterable[str] = ()) -> list[str]:
    """Every problem of a form definition, as `<field name>: <problem>` lines (empty: valid)."""
    if not isinstance(form, dict) or not isinstance(form.get("fields"), list):
        return ["form: must be an object with a list of fields"]
    documents = set(document_keys)
    errors: list[str] = []
    seen: set[str] = set()
    for position, spec in enumerate(form["fields"], start=1):
        if not isinstance(spec, dict):
            errors.append(f"field {position}: must be an object")
            continue
        name = spec.get("name")
        where = f"{name}" if isinstance(name, str) else f"field {position}"
        if not isinstance(name, str) or not NAME_PATTERN.match(name):
            errors.append(f"{where}: name must be lower-case letters, digits and _")
        elif name in seen:
            errors.append(f"{where}: name used twice")
        elif name in RESERVED_NAMES or name.startswith("fee_"):
            errors.append(f"{where}: the name {name!r} is taken by the pages' own inputs")
        kind = spec.get("type")
        if kind not in FIELD_TYPES:
            errors.append(f"{where}: unknown type {kind!r}")
        errors += _label_errors(spec.get("label"), f"{where}.label")
        errors += _label_errors(spec.get("help"), f"{where}.help", required=False)
        if kind in CHOICE_TYPES:
            options = spec.get("options")
            if not isinstance(options, list) or not options:
                errors.append(f"{where}: a choice needs options")
            else:
                values = [option.get("value") for option in options if isinstance(option, dict)]
                if len(values) != len(options) or len(set(values)) != len(values):
                    errors.append(f"{where}: options need distinct values")
                for option in options:
                    if isinstance(option, dict):
                        errors += _label_errors(option.get("label"), f"{where}.options")
        if kind == "file":
            if spec.get("document") not in documents:
                errors.append(f"{where}: document must name one of the required documents")
            accept = spec.get("accept", sorted(FILE_KINDS))
            if not isinstance(accept, list) or not accept or set(accept) - FILE_KINDS:
                errors.append(f"{where}: accept must list some of pdf, jpeg, png")
        if "show_if" in spec:
            errors += condition_errors(spec["show_if"], seen, where)
        errors += _setting_errors(spec, kind, where)
        if isinstance(name, str):
            seen.add(name)
    return errors


def _setting_errors(spec: dict, kind: Any, where: str) -> list[str]:
    """Typos and wrong types in a field's settings: a misspelt `required` must not silently make
    a field optional, and a bad bound must not crash the validator later."""
    errors = []
    unknown = set(spec) - COMMON_KEYS - TYPE_KEYS.get(kind, set())
    if unknown and kind in FIELD_TYPES:
        errors.append(f"{where}: unknown settings {sorted(unknown)}")
    for key in ("required", "integer", "require_personal_id", "require_village"):
        if key in spec and not isinstance(spec[key], bool):
            errors.append(f"{where}: {key} must be true or false")
    for key in ("min", "max"):
        value = spec.get(key)
        if key in spec and (isinstance(value, bool) or not isinstance(value, int | float)):
            errors.append(f"{where}: {key} must be a number")
    for key in ("max_length", "max_files"):
        value = spec.get(key)
        if key in spec and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            errors.append(f"{where}: {key} must be a whole number of at least 1")
    for key in ("min_date", "max_date"):
        if key in spec and spec[key] != "today" and _parse_date(spec[key]) is None:
            errors.append(f'{where}: {key} must be "today" or a date YYYY-MM-DD')
    return errors


# --- Validating answers ---------------------------------------------------------------------------


@dataclass
class FormResult:
    clean: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def _filled(value: Any) -> bool:
    """Answered at all: 0 is an answer, an unticked box or blank text is not."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return True


def _answer(answers: Mapping[str, Any], path: str) -> Any:
    """`name` or, for a part of a person or address, `name.part`."""
    name, _dot, part = path.partition(".")
    value = answers.get(name)
    if part:
        return value.get(part) if isinstance(value, Mapping) else None
    return value


def condition_holds(condition: dict, answers: Mapping[str, Any], today: date) -> bool:
    """A show-if or fee condition on clean answers. `older_than_days` compares a date answer
    with today: e.g. a birth registered more than 60 days after it happened is late."""
    if "all" in condition:
        return all(condition_holds(part, answers, today) for part in condition["all"])
    if "any" in condition:
        return any(condition_holds(part, answers, today) for part in condition["any"])
    if "not" in condition:
        return not condition_holds(condition["not"], answers, today)
    value = _answer(answers, condition["field"])
    if "older_than_days" in condition:
        when = _parse_date(value)
        return when is not None and (today - when).days > condition["older_than_days"]
    if "equals" in condition:
        return value == condition["equals"]
    if "in" in condition:
        if isinstance(value, list):
            return any(item in condition["in"] for item in value)
        return value in condition["in"]
    return _filled(value) == bool(condition["filled"])


def _parse_date(value: Any) -> date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _date_bound(bound: Any, today: date) -> date | None:
    if bound is None:
        return None
    return today if bound == "today" else date.fromisoformat(bound)


def _text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else None


class _Validator:
    def __init__(self, form: dict, answers: Mapping[str, Any], places: PlaceDirectory, today: date):
        self.form = form
        self.answers = answers
        self.places = places
        self.today = today
        self.result = FormResult()
        self.addresses: list[tuple[str, dict]] = []

    def run(self) -> FormResult:
        if not isinstance(self.answers, Mapping):
            self.result.add("__all__", _("The answers must be an object of field names."))
            return self.result
        known = {spec["name"] for spec in self.form["fields"]}
        for unknown in sorted(set(self.answers) - known):
            self.result.add(unknown, _("This form has no such field."))
        visible: dict[str, Any] = {}
        for spec in self.form["fields"]:
            name = spec["name"]
            if "show_if" in spec and not condition_holds(spec["show_if"], visible, self.today):
                continue  # hidden: its answer is dropped and it is never required
            value = self.answers.get(name)
            if not _filled(value):
                if spec.get("required"):
                    self.result.add(name, self.required_message(spec))
                elif spec.get("type") == "checkbox":
                    visible[name] = self.result.clean[name] = False
                continue
            clean = getattr(self, f"clean_{spec['type']}")(name, spec, value)
            if clean is not None:
                visible[name] = self.result.clean[name] = clean
        self.check_addresses()
        return self.result

    @staticmethod
    def required_message(spec: dict) -> str:
        if spec["type"] == "checkbox":
            return _("Tick this box to continue.")
        if spec["type"] == "file":
            return _("Attach this document.")
        return _("This field is required.")

    # Simple types. Each returns the clean value, or None after adding an error.

    def clean_text(self, name, spec, value):
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        text = str(value) if is_number else _text(value)
        limit = spec.get("max_length", DEFAULT_MAX_LENGTH.get(spec["type"], 200))
        if text is None:
            self.result.add(name, _("Enter text."))
        elif len(text) > limit:
            self.result.add(name, _("At most %(limit)d characters.") % {"limit": limit})
        else:
            return text
        return None

    def clean_textarea(self, name, spec, value):
        if not isinstance(value, str):
            self.result.add(name, _("Enter text."))
            return None
        text = value.strip()
        limit = spec.get("max_length", DEFAULT_MAX_LENGTH["textarea"])
        if len(text) > limit:
            self.result.add(name, _("At most %(limit)d characters.") % {"limit": limit})
            return None
        return text

    def clean_number(self, name, spec, value):
        integer = spec.get("integer", True)
        number: int | float | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int | float) and math.isfinite(value):  # JSON allows NaN, Infinity
            number = value
        elif isinstance(value, str) and re.fullmatch(r"-?\d+([.,]\d+)?", value.strip()):
            number = float(value.strip().replace(",", "."))
        if number is None or (integer and number != int(number)):
            self.result.add(name, _("Enter a whole number.") if integer else _("Enter a number."))
            return None
        number = int(number) if integer else number
        if "min" in spec and number < spec["min"]:
            self.result.add(name, _("At least %(min)s.") % {"min": spec["min"]})
        elif "max" in spec and number > spec["max"]:
            self.result.add(name, _("At most %(max)s.") % {"max": spec["max"]})
        else:
            return number
        return None

    def clean_date(self, name, spec, value):
        parsed = _parse_date(value)
        if parsed is None:
            self.result.add(name, _("Enter a real date as YYYY-MM-DD."))
            return None
        earliest = _date_bound(spec.get("min_date"), self.today)
        latest = _date_bound(spec.get("max_date"), self.today)
        if earliest and parsed < earliest:
            self.result.add(name, _("The date cannot be before %(date)s.") % {"date": earliest})
        elif latest and parsed > latest:
            self.result.add(name, _("The date cannot be after %(date)s.") % {"date": latest})
        else:
            return parsed.isoformat()
        return None

    def clean_choice(self, name, spec, value):
        if value not in {option["value"] for option in spec["options"]}:
            self.result.add(name, _("Choose one of the options."))
            return None
        return value

    def clean_multi_choice(self, name, spec, value):
        allowed = [option["value"] for option in spec["options"]]
        if not isinstance(value, list) or any(item not in allowed for item in value):
            self.result.add(name, _("Choose among the options."))
            return None
        return [item for item in allowed if item in value]  # the form's order, no duplicates

    def clean_checkbox(self, name, spec, value):
        if not isinstance(value, bool):
            self.result.add(name, _("Answer yes or no."))
            return None
        return value

    def clean_phone(self, name, spec, value):
        digits = phone_digits(value) if isinstance(value, str) else ""
        if not PHONE_PATTERN.match(digits):
            self.result.add(name, _("Enter a phone number of 10 digits starting with 0."))
            return None
        return digits

    def clean_email(self, name, spec, value):
        text = value.strip() if isinstance(value, str) else ""
        try:
            validate_email(text)
        except ValidationError:
            self.result.add(name, _("Enter an e-mail address like name@example.com."))
            return None
        return text

    def clean_personal_id(self, name, spec, value):
        number = re.sub(r"\s", "", value) if isinstance(value, str) else ""
        if not re.fullmatch(r"\d{12}", number):
            self.result.add(name, _("The personal ID number has exactly 12 digits."))
            return None
        if personal_id_facts(number) is None:
            self.result.add(
                name, _("This is not a valid personal ID number: check the first three digits.")
            )
            return None
        return number

    def clean_file(self, name, spec, value):
        if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
            self.result.add(name, _("Attach the files again."))
            return None
        files = list(dict.fromkeys(value))  # the same upload sent twice counts once
        limit = spec.get("max_files", DEFAULT_MAX_FILES)
        if len(files) > limit:
            self.result.add(name, _("At most %(limit)d files.") % {"limit": limit})
            return None
        return files

    # Composite types: errors are reported per part, as "<field>.<part>".

    def clean_person(self, name, spec, value):
        if not isinstance(value, Mapping):
            self.result.add(name, _("Fill in the person's details."))
            return None
        errors_before = len(self.result.errors)
        clean: dict[str, Any] = {}
        full_name = _text(value.get("full_name"))
        if not full_name:
            self.result.add(f"{name}.full_name", _("Enter the full name."))
        elif len(full_name) > 100 or re.search(r"[\d@#$%^&*_=+<>{}\[\]|\\/]", full_name):
            self.result.add(f"{name}.full_name", _("Enter the name as on the ID card."))
        else:
            clean["full_name"] = full_name
        born = _parse_date(value.get("date_of_birth"))
        if born is None:
            self.result.add(f"{name}.date_of_birth", _("Enter a real date as YYYY-MM-DD."))
        elif born > self.today:
            self.result.add(
                f"{name}.date_of_birth", _("The date of birth cannot be in the future.")
            )
        else:
            clean["date_of_birth"] = born.isoformat()
        sex = value.get("sex")
        if sex not in SEXES:
            self.result.add(f"{name}.sex", _("Choose male or female."))
        else:
            clean["sex"] = sex
        number = value.get("personal_id")
        if _filled(number):
            checked = self.clean_personal_id(f"{name}.personal_id", spec, number)
            facts = personal_id_facts(checked) if checked else None
            if facts and "sex" in clean and facts.sex != clean["sex"]:
                self.result.add(
                    f"{name}.personal_id", _("This ID number belongs to a person of the other sex.")
                )
            elif facts and born and facts.birth_year != born.year:
                self.result.add(
                    f"{name}.personal_id",
                    _("This ID number is of someone born in %(year)d.")
                    % {"year": facts.birth_year},
                )
            elif checked:
                clean["personal_id"] = checked
        elif spec.get("require_personal_id"):
            self.result.add(f"{name}.personal_id", _("Enter the personal ID number."))
        for part in ("ethnicity", "nationality"):
            text = _text(value.get(part))
            if text:
                clean[part] = text[:50]
        unknown = set(value) - set(PERSON_PARTS)
        for part in sorted(unknown):
            self.result.add(f"{name}.{part}", _("This form has no such field."))
        return clean if len(self.result.errors) == errors_before else None

    def clean_address(self, name, spec, value):
        if not isinstance(value, Mapping):
            self.result.add(name, _("Choose the province and commune."))
            return None
        errors_before = len(self.result.errors)
        clean = {part: _text(value.get(part)) or "" for part in ADDRESS_PARTS}
        if not clean["province"]:
            self.result.add(f"{name}.province", _("Choose the province."))
        if not clean["commune"]:
            self.result.add(f"{name}.commune", _("Choose the commune."))
        if spec.get("require_village") and not clean["village"]:
            self.result.add(f"{name}.village", _("Choose the village or residential group."))
        if len(clean["detail"]) > 200:
            self.result.add(f"{name}.detail", _("At most %(limit)d characters.") % {"limit": 200})
        for part in sorted(set(value) - set(ADDRESS_PARTS)):
            self.result.add(f"{name}.{part}", _("This form has no such field."))
        if len(self.result.errors) != errors_before:
            return None
        self.addresses.append((name, clean))
        return clean

    def check_addresses(self) -> None:
        """One lookup for all addresses of the form, instead of one per field."""
        if not self.addresses:
            return
        communes = self.places.communes({clean["commune"] for _name, clean in self.addresses})
        villages = self.places.villages(
            {clean["commune"] for _name, clean in self.addresses if clean["village"]}
        )
        for name, clean in self.addresses:
            if communes.get(clean["commune"]) != clean["province"]:
                self.result.add(f"{name}.commune", _("This commune is not in that province."))
            elif clean["village"] and (clean["commune"], clean["village"]) not in villages:
                self.result.add(f"{name}.village", _("This village is not in that commune."))
            else:
                continue
            self.result.clean.pop(name, None)


def validate_answers(
    form: dict, answers: Any, *, places: PlaceDirectory, today: date
) -> FormResult:
    """Clean answers of a (valid) form definition, or every field error at once."""
    return _Validator(form, answers, places, today).run()
