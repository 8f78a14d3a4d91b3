"""A dossier's answers as a person reads them: the citizen on the review page, the officer on the
dossier page and the leader's desk. One reading for everyone (dates dd/mm/yyyy, choices by their
label, places by their name), so that what the applicant confirmed is what the officer sees."""

import re
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xaso.places.models import Commune, Province, Village

SEX_LABELS = {"male": gettext_lazy("Male"), "female": gettext_lazy("Female")}
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def localized(text) -> str:
    """A catalogue text ({"vi": ..., "en": ...}, or a plain string) in the reader's language."""
    if not text:
        return ""
    if not isinstance(text, dict):
        return str(text)
    language = (translation.get_language() or "vi")[:2]
    return str(text.get(language) or text.get("vi") or next(iter(text.values()), ""))


def day_month_year(value) -> str:
    match = ISO_DATE.match(value) if isinstance(value, str) else None
    return f"{match[3]}/{match[2]}/{match[1]}" if match else str(value or "")


def place_names(form: dict, answers: dict) -> dict:
    """Names of the provinces, communes and villages the answers' addresses name, in three
    queries: keys ("province", code), ("commune", code), ("village", commune code, code)."""
    return place_names_of([(form, answers)])


def place_names_of(filled: Iterable[tuple[dict, dict]]) -> dict:
    """`place_names` for several dossiers at once (a list page), still in three queries."""
    addresses = [
        value
        for form, answers in filled
        for spec in form.get("fields", [])
        if spec["type"] == "address" and isinstance(value := answers.get(spec["name"]), dict)
    ]
    names: dict = {}
    if not addresses:
        return names
    provinces = {a.get("province") for a in addresses}
    communes = {a.get("commune") for a in addresses}
    for code, name in Province.objects.filter(code__in=provinces).values_list("code", "name"):
        names[("province", code)] = name
    for code, name in Commune.objects.filter(code__in=communes).values_list("code", "name"):
        names[("commune", code)] = name
    for commune, code, name in Village.objects.filter(commune__code__in=communes).values_list(
        "commune__code", "code", "name"
    ):
        names[("village", commune, code)] = name
    return names


def answer_text(spec: dict, value, names: dict) -> str:
    """One answer as a person reads it; `names` from `place_names`."""
    kind = spec.get("type")
    if kind == "checkbox":
        return _("Yes") if value else _("No")
    if kind in ("choice", "multi_choice"):
        labels = {option["value"]: localized(option["label"]) for option in spec["options"]}
        if kind == "choice":
            return labels.get(value, "")
        return ", ".join(labels.get(item, "") for item in value or [])
    if kind == "date":
        return day_month_year(value)
    if kind == "person":
        person = value or {}
        parts = [person.get("full_name", "")]
        if person.get("date_of_birth"):
            parts.append(_("born %(date)s") % {"date": day_month_year(person["date_of_birth"])})
        if person.get("sex") in SEX_LABELS:
            parts.append(str(SEX_LABELS[person["sex"]]))
        if person.get("personal_id"):
            parts.append(_("ID %(number)s") % {"number": person["personal_id"]})
        parts += [person[part] for part in ("ethnicity", "nationality") if person.get(part)]
        return ", ".join(part for part in parts if part)
    if kind == "address":
        address = value or {}
        parts = [
            address.get("detail", ""),
            names.get(("village", address.get("commune"), address.get("village")), ""),
            names.get(("commune", address.get("commune")), ""),
            names.get(("province", address.get("province")), ""),
        ]
        return ", ".join(part for part in parts if part)
    if kind == "file":
        count = len(value or [])
        return _("%(count)d file(s) attached") % {"count": count}
    return "" if value is None else str(value)


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
