"""The one renderer of the catalogue's form definitions, for the citizen's portal and the desk:
which fields go on which page, each field shaped for a template, and the answers read back from a
plain POST.

Two layouts: `paged` (the portal: one topic a page, then the documents, then the delivery) and
single-page (the desk: every field in the form's order). One naming scheme for both:

    <field>                    a simple field; a choice; the new files of a file field
    <field>.<part>             a person's or an address's part (`full_name`, `village`…)
    <field>.day/.month/.year   a date's three boxes (a person's birth: `<field>.date_of_birth.day`)
    <field>.token              an upload already kept (files); `<field>.remove` drops one

and element ids `f-<field>-<part>` (`dom_id`). The names are the definitions' own (`[a-z0-9_]`),
which is why a page's own inputs use other names (`commune`, `a-phone`, `_action`…) and
`catalog.forms.RESERVED_NAMES` keeps a field from taking one of those.

No rule of its own: answers are checked by `xaso.catalog.forms.validate_answers`, as the API's are,
and who the applicant is comes from `xaso.dossiers.applicant`. The module reads no database: the
lists of places and the uploads come from the page as callables (`places`). GOV.UK patterns: dates
as day / month / year boxes, radios for short choices, a fieldset per person or address.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import DEFAULT_MAX_FILES, condition_holds
from .reading import ISO_DATE, SEX_LABELS, localized

FORM = "form"
DOCUMENTS = "documents"
DELIVERY = "delivery"

PERSON_PART_LABELS = {
    "full_name": gettext_lazy("Full name"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "sex": gettext_lazy("Sex"),
    "personal_id": gettext_lazy("Personal ID number (12 digits, on the chip ID card)"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "nationality": gettext_lazy("Nationality"),
}
ADDRESS_PART_LABELS = {
    "province": gettext_lazy("Province or city"),
    "commune": gettext_lazy("Commune or ward"),
    "village": gettext_lazy("Village or residential group"),
    "detail": gettext_lazy("House number, street"),
}


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, as shown ("Step 2 of 6") and in the address
    kind: str  # FORM, DOCUMENTS or DELIVERY
    specs: tuple = ()  # the field definitions on this page, in the form's order

    @property
    def names(self) -> set[str]:
        return {spec["name"] for spec in self.specs}


def _referenced(condition: dict) -> set[str]:
    if "all" in condition or "any" in condition:
        parts = condition.get("all", condition.get("any"))
        return {name for part in parts for name in _referenced(part)}
    if "not" in condition:
        return _referenced(condition["not"])
    return {str(condition.get("field", "")).split(".")[0]}


def _starts_new_page(spec: dict, current: list[dict]) -> bool:
    if not current:
        return False
    if spec["type"] == "person" and any(other["type"] == "person" for other in current):
        return True  # one person a page
    names = {other["name"] for other in current}
    if "show_if" in spec and _referenced(spec["show_if"]) & names:
        return True  # asked on the next page, once the answer it depends on is known (no JS)
    first_condition = current[0].get("show_if")
    return first_condition is not None and spec.get("show_if") != first_condition


def form_steps(form: dict, *, paged: bool = True) -> list[Step]:
    """The pages of a form. Paged: the applicant's page first, one topic (a person, or the
    questions that depend on an earlier answer) a page, then the documents, then the result
    delivery. Single-page (`paged=False`): one FORM step with every field, files in place."""
    if not paged:
        return [Step(1, FORM, tuple(form.get("fields", [])))]
    groups: list[list[dict]] = []
    current: list[dict] = []
    files = []
    for spec in form.get("fields", []):
        if spec["type"] == "file":
            files.append(spec)
            continue
        if _starts_new_page(spec, current):
            groups.append(current)
            current = []
        current.append(spec)
    if current:
        groups.append(current)
    steps = [Step(number, FORM, tuple(specs)) for number, specs in enumerate(groups, start=1)]
    if files:
        steps.append(Step(len(steps) + 1, DOCUMENTS, tuple(files)))
    steps.append(Step(len(steps) + 1, DELIVERY))
    return steps


def is_shown(spec: dict, clean: dict, today: date) -> bool:
    return "show_if" not in spec or condition_holds(spec["show_if"], clean, today)


def step_shown(step: Step, clean: dict, today: date) -> bool:
    return step.kind == DELIVERY or any(is_shown(spec, clean, today) for spec in step.specs)


def step_title(step: Step, visible_specs: list[dict]) -> str:
    if step.kind == DOCUMENTS:
        return _("Documents")
    if step.kind == DELIVERY:
        return _("How to receive the result")
    if visible_specs and visible_specs[0]["type"] == "person":
        return localized(visible_specs[0]["label"])
    return _("About your request") if step.number == 1 else _("More details")


# --- Reading a POST ------------------------------------------------------------------------------


def _typed_date(post, prefix: str) -> str:
    """Three boxes -> 'YYYY-MM-DD'; anything incomplete is kept as typed ('31/2/2026') so the
    validator refuses it and the page shows it again."""
    day, month, year = (
        post.get(f"{prefix}.{part}", "").strip()[:4] for part in ("day", "month", "year")
    )
    if not (day or month or year):
        return ""
    if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
        try:
            return date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            pass
    return f"{day}/{month}/{year}"


def _text(post, name: str, limit: int = 2000) -> str:
    return post.get(name, "")[:limit]


def read_field(spec: dict, post):
    """One field's answer from a POST, in the validator's shape (files are read elsewhere)."""
    name, kind = spec["name"], spec["type"]
    if kind == "checkbox":
        return post.get(name) == "1"
    if kind == "multi_choice":
        return [value[:100] for value in post.getlist(name)][:50]
    if kind == "date":
        return _typed_date(post, name)
    if kind == "person":
        person = {part: _text(post, f"{name}.{part}", 200) for part in PERSON_PART_LABELS}
        person["date_of_birth"] = _typed_date(post, f"{name}.date_of_birth")
        person = {part: value for part, value in person.items() if value}
        if not person and spec.get("required"):
            return {"full_name": ""}  # each missing part gets its own message
        return person
    if kind == "address":
        address = {part: _text(post, f"{name}.{part}", 200) for part in ADDRESS_PART_LABELS}
        if not (address["commune"] or address["detail"] or spec.get("required")):
            return {}  # only the preselected province: an optional address left empty
        return address
    return _text(post, name)


def read_answers(specs, post) -> dict:
    """The answers of these fields from a POST (file fields: see `kept_uploads`, `new_files`).
    Every field is read, an empty one as empty, so that clearing a box clears the answer; the
    validator says what is missing."""
    return {spec["name"]: read_field(spec, post) for spec in specs if spec["type"] != "file"}


def kept_uploads(spec: dict, post) -> list[str]:
    """The upload tokens a file field keeps: those posted back, less those asked to be removed."""
    name = spec["name"]
    removed = set(post.getlist(f"{name}.remove"))
    kept = [token[:64] for token in post.getlist(f"{name}.token") if token]
    return list(dict.fromkeys(token for token in kept if token not in removed))


def new_files(spec: dict, files) -> list:
    """The files chosen in a file field's box, no more than the field takes (with those kept,
    one too many is the validator's to refuse, saying so)."""
    return files.getlist(spec["name"])[: spec.get("max_files", DEFAULT_MAX_FILES)]


# --- Shaping fields for the templates ------------------------------------------------------------


def _date_parts(value) -> dict:
    value = value if isinstance(value, str) else ""
    match = ISO_DATE.match(value)
    if match:
        year, month, day = match.groups()
        return {"day": str(int(day)), "month": str(int(month)), "year": year}
    parts = [*value.split("/"), "", "", ""][:3]
    return dict(zip(("day", "month", "year"), parts, strict=True))


def dom_id(key: str) -> str:
    return "f-" + key.replace(".", "-")


DATE_MESSAGE = gettext_lazy("Enter a real date as YYYY-MM-DD.")


def _messages(errors: dict, key: str) -> list[str]:
    """The validator's messages for one key; the ISO-format hint is replaced by the boxes'."""
    iso_hint = str(DATE_MESSAGE)
    return [
        _("Enter a real date, for example 27 3 1960.") if message == iso_hint else message
        for message in errors.get(key, [])
    ]


def _parts(name: str, labels: dict, values: dict, errors: dict) -> dict:
    """A person's or an address's parts, each with its own input name, id, value and errors."""
    return {
        part: {
            "name": f"{name}.{part}",
            "id": dom_id(f"{name}.{part}"),
            "label": label,
            "value": values.get(part, ""),
            "errors": _messages(errors, f"{name}.{part}"),
        }
        for part, label in labels.items()
    }


def field_view(spec: dict, value, errors: dict, *, places: dict, applicant: bool) -> dict:
    """What a template needs to draw one field. `places`: `default_province` (and optionally
    `default_commune`, for an address left empty), `provinces()`, `communes_of(province)`,
    `villages_of(commune)`, `uploads_of(tokens)`; `applicant`: the field holds the applicant's
    own details (`dossiers.applicant.applicant_fields`), which the browser may fill in."""
    name, kind = spec["name"], spec["type"]
    view = {
        "name": name,
        "type": kind,
        "id": dom_id(name),
        "label": localized(spec.get("label")),
        "help": localized(spec.get("help")),
        "required": bool(spec.get("required")),
        "conditional": "show_if" in spec,  # asked only after some answers (the desk says so)
        "errors": _messages(errors, name),
        "value": value,
        "applicant": applicant,  # the applicant's own details: the browser may fill them
    }
    if kind in ("choice", "multi_choice"):
        chosen = value if isinstance(value, list) else [value]
        view["options"] = [
            {
                "value": option["value"],
                "label": localized(option["label"]),
                "checked": option["value"] in chosen,
                "id": dom_id(name) if index == 0 else f"{dom_id(name)}-{index}",
            }
            for index, option in enumerate(spec["options"])
        ]
    elif kind == "date":
        view["date"] = _date_parts(value)
    elif kind == "person":
        person = value if isinstance(value, dict) else {}
        view["parts"] = _parts(name, PERSON_PART_LABELS, person, errors)
        view["parts"]["date_of_birth"]["date"] = _date_parts(person.get("date_of_birth"))
        view["sexes"] = [
            {"value": sex, "label": label, "id": dom_id(f"{name}.sex") + ("" if i == 0 else "-f")}
            for i, (sex, label) in enumerate(SEX_LABELS.items())
        ]
        view["id"] = dom_id(f"{name}.full_name")
        view["personal_id_required"] = bool(spec.get("require_personal_id"))
    elif kind == "address":
        address = value if isinstance(value, dict) else {}
        view["parts"] = _parts(name, ADDRESS_PART_LABELS, address, errors)
        province = address.get("province") or places["default_province"]
        commune = address.get("commune") or (
            places.get("default_commune", "") if not address else ""
        )
        view["parts"]["province"]["value"] = province
        view["parts"]["commune"]["value"] = commune
        view["provinces"] = places["provinces"]()
        view["communes"] = places["communes_of"](province)
        view["villages"] = places["villages_of"](commune) if commune else []
        view["id"] = dom_id(f"{name}.province")
    elif kind == "file":
        view["uploads"] = places["uploads_of"](value if isinstance(value, list) else [])
        view["max_files"] = spec.get("max_files", DEFAULT_MAX_FILES)
        view["accept"] = ",".join(
            {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[kind_]
            for kind_ in spec.get("accept", ["pdf", "jpeg", "png"])
        )
    return view


def error_links(errors: dict, specs: list[dict]) -> list[dict]:
    """The error summary: each message once, linked to the box to correct, in page order."""
    links = []
    for spec in specs:
        name = spec["name"]
        keys = [name, *sorted(key for key in errors if key.startswith(f"{name}."))]
        for key in keys:
            target = key
            if key == name and spec["type"] == "person":
                target = f"{name}.full_name"
            elif key == name and spec["type"] == "address":
                target = f"{name}.province"
            for message in _messages(errors, key):
                links.append({"href": "#" + _anchor(target, spec), "message": message})
    return links


def _anchor(key: str, spec: dict) -> str:
    if key.endswith(".date_of_birth") or (spec["type"] == "date" and key == spec["name"]):
        return dom_id(key) + "-day"
    return dom_id(key)
