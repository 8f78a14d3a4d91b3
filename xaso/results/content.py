"""What each result document says, from a dossier's answers: pure functions, no database.

`result_fields(kind, form, answers, applicant, places)` turns the answers of a procedure's form
(catalog.json's field definitions) into the `fields` of a `DocumentData`: plain, JSON-ready
values (strings, dicts, lists), already in the words of the document — dates as "20/11/2026"
and in words ("Ngày hai mươi, tháng mười một, …"), sex as "Nam" / "Nữ", choices as their
Vietnamese label, addresses spelled out from the place names. The templates only lay them out.

Decisions:
- The holder is the person the result is about: the child (birth), the deceased (death), the
  couple (marriage: "bride và groom"), otherwise the applicant (marital status, decisions,
  denials). `holder_name` says who, for the document register and the seal.
- Names of the holder print in capitals, as the civil-status forms do; other people's names in
  their own case.
- Personal ID numbers print only where the official form has the line (the holder's, the
  couple's); a parent's or a declarant's never.
- Legal and official wording is exact Vietnamese (DESIGN §5), not gettext.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

# A resolver of address answers ({"province", "commune", "village", "detail"}) to words.
AddressWords = Callable[[Mapping[str, Any]], str]

SEX_WORDS = {"male": "Nam", "female": "Nữ"}

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


# --- numbers and dates in words -------------------------------------------------------------


def _below_hundred(number: int, *, after_hundreds: bool) -> str:
    """Words for 0 < number < 100; `after_hundreds`: inside a larger number ("linh năm")."""
    tens, units = divmod(number, 10)
    if tens == 0:
        return f"linh {_DIGITS[units]}" if after_hundreds else _DIGITS[units]
    head = "mười" if tens == 1 else f"{_DIGITS[tens]} mươi"
    if units == 0:
        return head
    if units == 5:
        tail = "lăm"
    elif units == 1 and tens > 1:
        tail = "mốt"
    elif units == 4 and tens > 1:
        tail = "tư"
    else:
        tail = _DIGITS[units]
    return f"{head} {tail}"


def number_words(number: int) -> str:
    """Vietnamese words for 0 ≤ number < 10 000 (days, months, years): 2026 → 'hai nghìn
    không trăm hai mươi sáu'."""
    if not 0 <= number < 10_000:
        raise ValueError(f"out of range: {number}")
    if number == 0:
        return "không"
    thousands, rest = divmod(number, 1000)
    hundreds, below = divmod(rest, 100)
    parts = []
    if thousands:
        parts.append(f"{_DIGITS[thousands]} nghìn")
    if hundreds or (thousands and below):
        parts.append(f"{_DIGITS[hundreds]} trăm")
    if below:
        parts.append(_below_hundred(below, after_hundreds=bool(parts)))
    return " ".join(parts)


def date_words(day: date) -> str:
    """'Ngày hai mươi, tháng mười một, năm hai nghìn không trăm hai mươi sáu'."""
    return (
        f"Ngày {number_words(day.day)}, tháng {number_words(day.month)}, "
        f"năm {number_words(day.year)}"
    )


def short_date(day: date | None) -> str:
    """'20/11/2026', '' for None."""
    return day.strftime("%d/%m/%Y") if day else ""


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# --- people, choices, addresses -------------------------------------------------------------


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def person_facts(person: Mapping[str, Any] | None, *, with_id: bool = False) -> dict:
    """A person answer (or the dossier's applicant) as the document prints it."""
    person = person or {}
    born = _parse_date(person.get("date_of_birth"))
    facts = {
        "name": _text(person.get("full_name")),
        "date_of_birth": short_date(born),
        "date_of_birth_words": date_words(born) if born else "",
        "birth_year": str(born.year) if born else "",
        "sex": SEX_WORDS.get(person.get("sex") or "", ""),
        "ethnicity": _text(person.get("ethnicity")),
        "nationality": _text(person.get("nationality")),
    }
    if with_id:
        facts["personal_id"] = _text(person.get("personal_id"))
    return facts


def choice_label(form: Mapping[str, Any], name: str, value: Any) -> str:
    """The Vietnamese label of a choice answer, as the form defines it ('' if unknown)."""
    for spec in form.get("fields", []):
        if spec.get("name") == name:
            for option in spec.get("options", []):
                if option.get("value") == value:
                    label = option.get("label")
                    return label.get("vi", "") if isinstance(label, Mapping) else str(label)
    return ""


def residence(answer: Any, address_words: AddressWords) -> str:
    """An address answer in words; a free-text residence (foreign-element forms) as written."""
    if isinstance(answer, Mapping):
        return address_words(answer)
    return _text(answer)


# --- the fields of each kind ----------------------------------------------------------------


def _birth(form, answers, applicant, address_words) -> tuple[str, dict]:
    # The child; for a person registering their own birth late (no "child" answer), themself.
    child = answers.get("child") or answers.get("registrant") or answers.get("applicant") or {}
    facts = person_facts(child, with_id=True)
    parents = {}
    for role in ("mother", "father"):
        person = answers.get(role)
        if person and (role == "mother" or answers.get("father_known", True)):
            parents[role] = {
                **person_facts(person),
                "residence": residence(answers.get(f"{role}_residence"), address_words),
            }
    fields = {
        "person": facts,
        "place_of_birth": _text(answers.get("place_of_birth")),
        "hometown": _text(answers.get("hometown")),
        "mother": parents.get("mother"),
        "father": parents.get("father"),
    }
    return facts["name"], fields


def _death(form, answers, applicant, address_words) -> tuple[str, dict]:
    facts = person_facts(answers.get("deceased"), with_id=True)
    died = _parse_date(answers.get("date_of_death"))
    cause = choice_label(form, "cause_of_death", answers.get("cause_of_death"))
    detail = _text(answers.get("cause_detail"))
    declarant = answers.get("declarant") or answers.get("applicant") or applicant
    fields = {
        "person": facts,
        "residence": residence(answers.get("deceased_residence"), address_words),
        "date_of_death": short_date(died),
        "date_of_death_words": date_words(died) if died else "",
        "time_of_death": _text(answers.get("time_of_death")),
        "place_of_death": _text(answers.get("place_of_death")),
        "cause_of_death": f"{cause}: {detail}" if cause and detail else (cause or detail),
        "death_notice": choice_label(form, "death_notice_type", answers.get("death_notice_type")),
        "declarant": _text((declarant or {}).get("full_name")),
        "relationship": choice_label(form, "relationship", answers.get("relationship")),
    }
    return facts["name"], fields


def _marriage(form, answers, applicant, address_words) -> tuple[str, dict]:
    sides = {}
    # Re-registration forms call the parties wife and husband, with one shared residence.
    for side, other_name in (("bride", "wife"), ("groom", "husband")):
        sides[side] = {
            **person_facts(answers.get(side) or answers.get(other_name), with_id=True),
            "residence": residence(
                answers.get(f"{side}_residence") or answers.get("residence"), address_words
            ),
        }
    names = [sides[side]["name"] for side in ("bride", "groom") if sides[side]["name"]]
    return " và ".join(names), sides


def _marital_status(form, answers, applicant, address_words) -> tuple[str, dict]:
    person = answers.get("applicant") or applicant
    facts = person_facts(person, with_id=True)
    status = answers.get("marital_status")
    spouse = person_facts(answers.get("spouse")) if status == "married" else None
    purpose = answers.get("purpose")
    if purpose == "marriage":
        intended = person_facts(answers.get("intended_spouse"))
        place = _text(answers.get("intended_marriage_place"))
        purpose_text = f"Làm thủ tục đăng ký kết hôn với {intended['name']}" + (
            f" tại {place}" if place else ""
        )
    else:
        purpose_text = _text(answers.get("purpose_detail")) or choice_label(
            form, "purpose", purpose
        )
    fields = {
        "person": facts,
        "residence": residence(answers.get("applicant_residence"), address_words)
        or _text((applicant or {}).get("address")),
        "status": choice_label(form, "marital_status", status),
        "spouse": spouse,
        "purpose": purpose_text,
        "previous_residences": _text(answers.get("previous_residences")),
    }
    return facts["name"], fields


def answer_words(form: Mapping[str, Any], answers: Mapping[str, Any], address_words) -> dict:
    """Every answer of the form as the document prints it, by field name: a choice as its
    label (several joined by commas), a person as `person_facts`, an address in words, a date
    as 20/11/2026; files and ticks are not printed."""
    words: dict[str, Any] = {}
    for spec in form.get("fields", []):
        name, kind = spec.get("name"), spec.get("type")
        value = answers.get(name)
        if value in (None, "", []) or kind in ("file", "checkbox"):
            continue
        if kind == "choice":
            words[name] = choice_label(form, name, value) or _text(value)
        elif kind == "multi_choice" and isinstance(value, list):
            words[name] = ", ".join(choice_label(form, name, item) or _text(item) for item in value)
        elif kind == "person":
            words[name] = person_facts(value, with_id=True)
        elif kind == "address":
            words[name] = residence(value, address_words)
        elif kind == "date":
            words[name] = short_date(_parse_date(value))
        else:
            words[name] = _text(value)
    return words


# Whom each kind of document is about (the first of these person answers the form has).
_HOLDER_FIELDS = {
    "extract_copy": ("subject", "applicant"),
    "civil_status_change_extract": ("registrant", "subject", "applicant"),
    "certification": ("applicant", "signer", "translator"),
    "contract_certification": ("applicant",),
    "guardianship_extract": ("ward",),
    "adoption_certificate": ("child",),
    "household_business_certificate": ("applicant",),
    "construction_permit": ("applicant",),
    "disability_certificate": ("disabled_person", "applicant"),
    "decision": ("applicant", "proposer", "parent"),
    "denial": ("applicant",),
}


def _answered_matter(kind: str):
    def build(form, answers, applicant, address_words) -> tuple[str, dict]:
        words = answer_words(form, answers, address_words)
        holder = next(
            (words[key] for key in _HOLDER_FIELDS[kind] if isinstance(words.get(key), dict)),
            None,
        )
        person = holder or person_facts(applicant, with_id=True)
        person.setdefault("address", _text((applicant or {}).get("address")))
        return person["name"] or _text((applicant or {}).get("full_name")), {
            "person": person,
            "answers": words,
        }

    return build


def _parentage(form, answers, applicant, address_words) -> tuple[str, dict]:
    """Recognition of parentage; with the child's birth facts when combined with the birth
    registration (1.000689)."""
    # The person recognised: the child being registered (1.000689) or one already registered.
    child = answers.get("child") or answers.get("recognised") or {}
    holder, fields = _birth(form, {**answers, "child": child}, applicant, address_words)
    recognising = answers.get("recognising_parent") or ""
    fields["parents"] = [
        ("mẹ" if role == "mother" else "cha", {**parent, "recognising": role == recognising})
        for role in ("mother", "father")
        if (parent := fields.pop(role, None))
    ]
    return holder, fields


_BUILDERS = {
    "birth_extract": _birth,
    "death_extract": _death,
    "marriage_extract": _marriage,
    "marital_status": _marital_status,
    "parentage_extract": _parentage,
    **{kind: _answered_matter(kind) for kind in _HOLDER_FIELDS},
}


def result_fields(
    kind: str,
    *,
    form: Mapping[str, Any],
    answers: Mapping[str, Any],
    applicant: Mapping[str, Any],
    address_words: AddressWords,
) -> tuple[str, dict]:
    """(holder name, fields) of a result of this kind, from the dossier's form and answers."""
    return _BUILDERS[kind](form or {}, answers or {}, applicant or {}, address_words)


def address_parts(answers: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every address answer (the place codes to look up at once)."""
    return [
        value for value in answers.values() if isinstance(value, Mapping) and "commune" in value
    ]
