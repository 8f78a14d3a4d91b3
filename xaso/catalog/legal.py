"""Legal bases (căn cứ pháp lý) as structured data, and the one helper that prints them.

An item of a procedure's `legal_basis`:
    {"kind": "Nghị định", "number": "20/2021/NĐ-CP", "date": "2021-03-15", "issuer": "Chính phủ",
     "title": "quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội",
     "articles": "Điều 11", "valid_from": "2021-07-01", "valid_to": null}
A law is cited by its name and date (Decree 30/2020/NĐ-CP, Appendix I: "Căn cứ Luật Tổ chức chính
quyền địa phương ngày 19 tháng 6 năm 2015;"): `kind` "Luật" / "Bộ luật" / "Pháp lệnh" with its name
in `title` ("Hộ tịch"). Every other text: "Căn cứ <kind> số <number> ngày … của <issuer> <title>;".
`valid_to` is the first day the text no longer applies (Decree 120/2025/NĐ-CP: 2027-03-01).

Older files may still carry free-text items ({"document", "article"}): they are accepted and
printed as written, with no validity dates.
"""

from datetime import date
from typing import Any

LAW_KINDS = frozenset({"Luật", "Bộ luật", "Pháp lệnh"})
KINDS = LAW_KINDS | frozenset(
    {"Nghị quyết", "Nghị định", "Quyết định", "Thông tư", "Thông tư liên tịch"}
)
_TEXT_LIMIT = 300


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def is_structured(item: Any) -> bool:
    return isinstance(item, dict) and "kind" in item


def legal_basis_item_errors(item: Any) -> list[str]:
    """What is wrong with one item, as "key: message" lines (empty: valid)."""
    if not isinstance(item, dict):
        return ["must be an object"]
    if not is_structured(item):
        return [] if str(item.get("document", "")).strip() else ["needs a document or a kind"]
    errors = []
    if item["kind"] not in KINDS:
        errors.append(f"kind: one of {', '.join(sorted(KINDS))}")
    for key in ("title", "issuer") + (() if item.get("kind") in LAW_KINDS else ("number",)):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{key}: is required")
        elif len(value) > _TEXT_LIMIT:
            errors.append(f"{key}: at most {_TEXT_LIMIT} characters")
    if _date(item.get("date")) is None:
        errors.append("date: the signing date as YYYY-MM-DD")
    for key in ("valid_from", "valid_to"):
        if item.get(key) is not None and _date(item[key]) is None:
            errors.append(f"{key}: a date as YYYY-MM-DD, or null")
    start, end = _date(item.get("valid_from")), _date(item.get("valid_to"))
    if start and end and end <= start:
        errors.append("valid_to: must be after valid_from")
    return errors


def in_force(item: dict, on: date) -> bool:
    """Whether the text applies on that day (free-text items always do)."""
    start, end = _date(item.get("valid_from")), _date(item.get("valid_to"))
    return (start is None or start <= on) and (end is None or on < end)


def date_words(day: date) -> str:
    """'ngày 15 tháng 3 năm 2021' (Decree 30/2020: days under 10 and months 1–2 with a zero)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def legal_basis_text(item: dict) -> str:
    """The document's citation without "Căn cứ": 'Nghị định số 20/2021/NĐ-CP ngày 15 tháng 3 năm
    2021 của Chính phủ quy định …', 'Luật Hộ tịch ngày 20 tháng 11 năm 2014'."""
    if not is_structured(item):
        return str(item.get("document", "")).strip()
    signed = date_words(date.fromisoformat(item["date"]))
    if item["kind"] in LAW_KINDS:
        return f"{item['kind']} {item['title'].strip()} {signed}"
    return (
        f"{item['kind']} số {item['number'].strip()} {signed} của {item['issuer'].strip()} "
        f"{item['title'].strip()}"
    )


def legal_basis_citations(items: Any, *, on: date) -> list[str]:
    """The citations of the texts in force on that day (the day the dossier was received), in
    the order given: what a template puts between "Căn cứ " and ";"."""
    return [
        text
        for item in items or []
        if isinstance(item, dict) and in_force(item, on) and (text := legal_basis_text(item))
    ]


def legal_basis_lines(items: Any, *, on: date) -> list[str]:
    """The "Căn cứ …;" lines of a decision or document (Decree 30/2020/NĐ-CP form)."""
    return [f"Căn cứ {text};" for text in legal_basis_citations(items, on=on)]


def legal_basis_label(item: dict) -> str:
    """One line for a list (the portal): the citation, with the articles when given."""
    text = legal_basis_text(item)
    articles = str(item.get("articles") or item.get("article") or "").strip()
    return f"{text} ({articles})" if articles else text
