"""Form helpers for tests: a place directory without a database, and a valid answer set for any
form definition of the catalogue format (xaso/catalog/forms.py)."""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from xaso.catalog.forms import condition_holds

REFERENCE_TODAY = date(2026, 11, 25)
COMMUNES = {"T-A": "66", "T-B": "66", "T-C": "56"}  # commune code -> province code
VILLAGES = {("T-A", "loc-tan")}
ADDRESS = {"province": "66", "commune": "T-A", "village": "loc-tan", "detail": "Số 12, đường Thử"}
BIRTH_PROVINCE = "066"  # a code of BIRTH_PROVINCE_CODES (xaso/accounts/personal_id.py)
# Person fields named like these are women (the rest men), and these are young.
FEMALE_WORDS = ("mother", "wife", "bride", "female", "woman")
YOUNG_WORDS = ("child", "student", "pupil", "ward", "baby", "infant")


class FakePlaces:
    """A PlaceDirectory of three test communes (two in province 66, one in 56) and one village."""

    def __init__(
        self,
        communes: Mapping[str, str] | None = None,
        villages: Iterable[tuple[str, str]] | None = None,
    ):
        self._communes = dict(COMMUNES if communes is None else communes)
        self._villages = set(VILLAGES if villages is None else villages)

    def communes(self, codes: Iterable[str]) -> Mapping[str, str]:
        return {code: self._communes[code] for code in codes if code in self._communes}

    def villages(self, commune_codes: Iterable[str]) -> set[tuple[str, str]]:
        wanted = set(commune_codes)
        return {pair for pair in self._villages if pair[0] in wanted}


def personal_id_for(sex: str, birth_year: int, serial: int = 1) -> str:
    """A personal ID number consistent with this sex and birth year (province 066)."""
    century = (birth_year - 1900) // 100  # 0: 1900s, 1: 2000s, ...
    digit = century * 2 + (1 if sex == "female" else 0)
    return f"{BIRTH_PROVINCE}{digit}{birth_year % 100:02d}{serial:06d}"


def _bound(value: Any, today: date) -> date | None:
    if value is None:
        return None
    return today if value == "today" else date.fromisoformat(value)


def _date_for(spec: dict, today: date) -> str:
    earliest, latest = _bound(spec.get("min_date"), today), _bound(spec.get("max_date"), today)
    if latest is not None:
        chosen = latest - timedelta(days=30)
        if earliest is not None and chosen < earliest:
            chosen = earliest
    elif earliest is not None:
        chosen = earliest + timedelta(days=30)
    else:
        chosen = today - timedelta(days=30)
    return chosen.isoformat()


def _number_for(spec: dict) -> int | float:
    value = 1
    if "min" in spec and value < spec["min"]:
        value = spec["min"]
    if "max" in spec and value > spec["max"]:
        value = spec["max"]
    return value


def _person_for(name: str, today: date, serial: int) -> dict:
    sex = "female" if any(word in name for word in FEMALE_WORDS) else "male"
    if name == "child" or any(word in name for word in ("baby", "infant")):
        born = today - timedelta(days=20)
    elif any(word in name for word in YOUNG_WORDS):
        born = date(today.year - 11, 3, 10)
    else:
        born = date(1985, 5, 17)
    return {
        "full_name": "Trần Thị Bình" if sex == "female" else "Nguyễn Văn An",
        "date_of_birth": born.isoformat(),
        "sex": sex,
        "personal_id": personal_id_for(sex, born.year, serial),
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
    }


def _candidates(spec: dict, today: date, serial: int) -> list[Any]:
    """Valid values for one field; the first is the default."""
    kind = spec["type"]
    if kind == "checkbox":
        return [True] if spec.get("required") else [True, False]
    if kind == "choice":
        return [option["value"] for option in spec["options"]]
    if kind == "multi_choice":
        return [[option["value"] for option in spec["options"]]]
    if kind in ("text", "textarea"):
        return ["Nội dung thử nghiệm"[: spec.get("max_length", 200)]]
    simple = {
        "number": lambda: _number_for(spec),
        "date": lambda: _date_for(spec, today),
        "phone": lambda: "0912345678",
        "email": lambda: "nguoi.dan@example.com",
        "personal_id": lambda: personal_id_for("male", 1985, serial),
        "person": lambda: _person_for(spec["name"], today, serial),
        "address": lambda: dict(ADDRESS),
        "file": lambda: [f"upload-{serial}"],
    }
    return [simple[kind]()]


def branch_points(form: dict) -> list[tuple[str, list[Any]]]:
    """The choices and checkboxes that some show_if depends on, with every value they can take:
    `valid_answers(form, fixed={name: value})` for each walks every branch of the form."""

    def referenced(condition: dict) -> set[str]:
        parts = condition.get("all") or condition.get("any")
        if parts:
            return set().union(*(referenced(part) for part in parts))
        if "not" in condition:
            return referenced(condition["not"])
        return {str(condition.get("field", "")).split(".")[0]}

    deciding = set().union(
        *(referenced(spec["show_if"]) for spec in form["fields"] if "show_if" in spec)
    )
    points = []
    for spec in form["fields"]:
        if spec["name"] not in deciding:
            continue
        if spec["type"] == "checkbox":
            points.append((spec["name"], [True] if spec.get("required") else [True, False]))
        elif spec["type"] == "choice":
            points.append((spec["name"], [option["value"] for option in spec["options"]]))
        elif spec["type"] == "multi_choice":
            points.append((spec["name"], [[option["value"]] for option in spec["options"]]))
    return points


def _visible_count(fields: list[dict], answers: Mapping[str, Any], today: date) -> int:
    return sum(
        1
        for spec in fields
        if "show_if" not in spec or condition_holds(spec["show_if"], answers, today)
    )


def valid_answers(
    form: dict, *, today: date = REFERENCE_TODAY, fixed: Mapping[str, Any] | None = None
) -> dict:
    """Answers that `validate_answers(form, ..., places=FakePlaces(), today=today)` accepts.

    Every visible field is filled. Where a choice or checkbox decides what is shown, the value
    that shows the most later fields is taken (the first such option on a tie), so that
    conditional parts of the form are exercised too. `fixed` answers are used as given (when
    their field is visible), e.g. to walk another branch of the form.
    """
    answers: dict[str, Any] = {}
    fields = form["fields"]
    for position, spec in enumerate(fields):
        if "show_if" in spec and not condition_holds(spec["show_if"], answers, today):
            continue
        if fixed and spec["name"] in fixed:
            answers[spec["name"]] = fixed[spec["name"]]
            continue
        candidates = _candidates(spec, today, serial=position + 1)
        later = fields[position + 1 :]
        answers[spec["name"]] = max(
            candidates,
            key=lambda value: _visible_count(later, {**answers, spec["name"]: value}, today),
        )
    return answers
