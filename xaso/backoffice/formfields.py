"""The catalogue's form definitions as the desk's HTML fields, and back: a posted form into the
answers `dossier_submit` validates. Presentation only: the rules are in `catalog.forms`."""

from xaso.catalog.forms import ADDRESS_PARTS
from xaso.catalog.reading import answer_text, localized, place_names

PERSON_INPUTS = ("full_name", "date_of_birth", "sex", "personal_id", "ethnicity", "nationality")
FIELD_PREFIX = "f-"


def input_name(field: str, part: str = "") -> str:
    return f"{FIELD_PREFIX}{field}.{part}" if part else f"{FIELD_PREFIX}{field}"


def answers_from_post(form: dict, data) -> dict:
    """Only what was filled in: the validator reports what is missing."""
    answers: dict = {}
    for spec in form.get("fields", []):
        name, kind = spec["name"], spec["type"]
        if kind == "person":
            value = {p: data.get(input_name(name, p), "").strip() for p in PERSON_INPUTS}
            value = {part: text for part, text in value.items() if text}
        elif kind == "address":
            value = {p: data.get(input_name(name, p), "").strip() for p in ADDRESS_PARTS}
            value = value if any(value.values()) else {}
        elif kind == "multi_choice":
            value = data.getlist(input_name(name))
        elif kind == "checkbox":
            value = True if data.get(input_name(name)) else None
        elif kind == "file":
            value = [token for token in data.getlist(input_name(name, "token")) if token]
        else:
            value = data.get(input_name(name), "").strip()
        if value:
            answers[name] = value
    return answers


def field_rows(form: dict, answers: dict, errors: dict, *, villages, defaults: dict) -> list[dict]:
    """What the template needs to draw each field: its label, inputs, values and errors."""
    rows = []
    for spec in form.get("fields", []):
        name, kind = spec["name"], spec["type"]
        value = answers.get(name, "")
        row = {
            "name": name,
            "type": kind,
            "input": input_name(name),
            "label": localized(spec.get("label")),
            "help": localized(spec.get("help")),
            "required": bool(spec.get("required")),
            "conditional": "show_if" in spec,
            "errors": errors.get(name, []),
            "value": value,
        }
        if kind in ("choice", "multi_choice"):
            chosen = value if isinstance(value, list) else [value]
            row["options"] = [
                {
                    "value": o["value"],
                    "label": localized(o.get("label")),
                    "chosen": o["value"] in chosen,
                }
                for o in spec.get("options", [])
            ]
        if kind in ("person", "address"):
            parts = PERSON_INPUTS if kind == "person" else ADDRESS_PARTS
            current = value if isinstance(value, dict) else {}
            if kind == "address" and not current:
                current = defaults
            row["parts"] = {
                part: {
                    "input": input_name(name, part),
                    "value": current.get(part, ""),
                    "errors": errors.get(f"{name}.{part}", []),
                }
                for part in parts
            }
            row["villages"] = villages
        if kind == "file":
            row["input"] = input_name(name, "file")
            row["token_input"] = input_name(name, "token")
            row["tokens"] = value if isinstance(value, list) else []
        rows.append(row)
    return rows


def answer_rows(form: dict, answers: dict, names: dict | None = None) -> list[tuple[str, str]]:
    """(label, answer text) in the form's order, for reading a dossier; `names` from
    `catalog.reading.place_names_of` when a page shows several dossiers."""
    if names is None:
        names = place_names(form, answers)
    specs = {spec["name"]: spec for spec in form.get("fields", [])}
    ordered = [name for name in specs if name in answers]
    ordered += [name for name in answers if name not in specs]
    return [
        (
            localized(specs[name].get("label")) if name in specs else name,
            answer_text(specs[name], answers[name], names) if name in specs else str(answers[name]),
        )
        for name in ordered
    ]
