"""The catalogue as an Excel workbook, for the officials who keep their lists in Excel.

One sheet per kind of row, Vietnamese column titles in row 1 (the machine key in each title's
comment). Columns are found by their title (or machine key), so officials may reorder them or
add their own. Reading builds exactly the exchange record of `records.py`, so one checker decides
what is valid, and remembers the cell of every value, so that each error names its cell.

A cell that cannot be read (bad JSON, "maybe" for TRUE/FALSE, a date where text belongs) is
recorded in `CatalogFile.errors` with the cell as its path, and the value is left out of the
record; reading never stops at the first problem. Such a file imports nothing: `xaso catalog
import` reports these cells together with what the checker finds in the rest.
"""

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xaso.core.cells import cell_as_text

from .exchange import CatalogFile, UnreadableFile
from .models import Procedure, ProcessStep, RequiredDocument
from .records import FACTS, FORMAT, RecordError

EXCEL_CELL_LIMIT = 32_767  # characters; Excel truncates or refuses longer cells
NATIONAL_CODE = re.compile(r"\d\.\d{6}")  # what Excel may have turned into a number
TRUE_WORDS = {"true", "đúng", "có"}
FALSE_WORDS = {"false", "sai", "không"}
_MISSING = object()  # a blank cell: the key stays out of the record and its default applies


# The allowed values of a column, shown as a drop-down list and in the title's comment.
CHOICES = {
    "level": Procedure.Level.values,
    "time_limit.unit": Procedure.Unit.values,
    "time_limit.with_verification.unit": Procedure.Unit.values,
    "resume_rule": Procedure.ResumeRule.values,
    "online_level": Procedure.OnlineLevel.values,
    "decider": Procedure.Decider.values,
    "document_kind": Procedure.DocumentKind.values,
    "unverified": list(FACTS),
    "requirement": RequiredDocument.Requirement.values,
    "replaceable_by": RequiredDocument.Replacement.values,
    "step": ProcessStep.Step.values,
}


@dataclass(frozen=True)
class Column:
    key: str  # where the value goes in the record, dotted: "time_limit.unit"
    title: str  # what officials see in row 1
    kind: str = "text"  # how the cell is written and read: see WRITERS and READERS
    width: int = 16


class Sheet:
    def __init__(self, key: str, title: str, *columns: tuple, freeze: str = "B2"):
        self.key, self.title, self.freeze = key, title, freeze  # freeze: header, first column(s)
        self.columns = tuple(Column(*column) for column in columns)


FIELDS = Sheet(
    "fields",
    "Lĩnh vực",
    ("code", "Mã lĩnh vực", "keyword", 18),
    ("name", "Tên lĩnh vực", "text", 40),
)
EXEMPTIONS = Sheet(
    "exemption_categories",
    "Đối tượng miễn phí",
    ("code", "Mã đối tượng", "keyword", 22),
    ("name", "Tên đối tượng", "text", 40),
    ("evidence", "Giấy tờ chứng minh", "text", 60),
    ("legal_reference", "Căn cứ (điều, khoản)", "text", 40),
)
PROCEDURES = Sheet(
    "procedures",
    "Thủ tục",
    ("code", "Mã thủ tục", "code", 12),
    ("name", "Tên thủ tục", "text", 40),
    ("field", "Lĩnh vực", "keyword", 14),
    ("level", "Cấp thực hiện", "keyword", 12),
    ("time_limit.amount", "Thời hạn giải quyết", "int", 11),
    ("time_limit.unit", "Đơn vị thời hạn", "keyword", 15),
    ("time_limit.note", "Ghi chú thời hạn", "text", 30),
    ("time_limit.with_verification.amount", "Thời hạn nếu cần xác minh", "int", 11),
    ("time_limit.with_verification.unit", "Đơn vị thời hạn nếu cần xác minh", "keyword", 15),
    ("time_limit.with_verification.reason", "Trường hợp cần xác minh", "optional_text", 30),
    ("resume_rule", "Thời hạn khi tiếp tục xử lý", "keyword", 14),
    ("online_level", "Mức độ trực tuyến", "keyword", 12),
    ("result_type", "Kết quả thực hiện", "text", 30),
    ("decider", "Thẩm quyền quyết định", "keyword", 16),
    ("document_kind", "Loại văn bản kết quả", "keyword", 22),
    ("verified", "Đã đối chiếu nguồn chính thức", "bool", 12),
    ("unverified", "Nội dung chưa đối chiếu", "commas", 24),
    ("source", "Nguồn", "text", 30),
    ("flags.no_proxy_writing", "Không viết hộ", "bool", 11),
    ("flags.same_day_eligible", "Trả kết quả trong ngày", "bool", 11),
    ("flags.requires_leader_signature", "Lãnh đạo ký kết quả", "bool", 11),
    ("flags.inter_agency", "Liên thông", "bool", 11),
    ("aliases", "Cách gọi khác", "lines", 30),
    ("legal_basis", "Căn cứ pháp lý (JSON)", "json", 60),
    ("version", "Phiên bản", "int", 9),
    ("valid_from", "Áp dụng từ ngày", "keyword", 12),
    ("valid_to", "Hết áp dụng từ ngày", "keyword", 12),
    ("delivery_channels", "Cách trả kết quả", "commas", 20),
    ("fees", "Phí, lệ phí (JSON)", "json", 40),
    ("form", "Biểu mẫu (JSON)", "json", 40),
    freeze="C2",
)
DOCUMENTS = Sheet(
    "documents",
    "Thành phần hồ sơ",
    ("procedure", "Mã thủ tục", "code", 12),
    ("key", "Mã giấy tờ", "keyword", 20),
    ("name", "Tên giấy tờ", "text", 40),
    ("originals", "Số bản chính", "int", 9),
    ("copies", "Số bản sao", "int", 9),
    ("requirement", "Yêu cầu", "keyword", 13),
    ("condition", "Điều kiện phải nộp", "text", 30),
    ("explanation", "Giải thích", "text", 40),
    ("replaceable_by", "Có thể thay thế bằng", "keyword", 18),
)
STEPS = Sheet(
    "process",
    "Quy trình",
    ("procedure", "Mã thủ tục", "code", 12),
    ("step", "Bước", "keyword", 14),
    ("role", "Vai trò", "keyword", 14),
    ("budget", "Thời gian (giờ làm việc; % ngày nếu trả trong ngày)", "number", 18),
)

# How a kind of value is written, in the title's comment.
HINTS = {
    "bool": "TRUE / FALSE",
    "commas": "cách nhau bằng dấu phẩy",
    "lines": "mỗi dòng một cách gọi",
    "json": "JSON",
}


# ---- writing ----------------------------------------------------------------------------------


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    # One line: a JSON cell must not make its row hundreds of lines tall (edit in the formula bar).
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > EXCEL_CELL_LIMIT:
        raise ValueError(_("A value is too long for one Excel cell; export to JSON instead."))
    return text


WRITERS = {
    **dict.fromkeys(("text", "optional_text", "code", "keyword"), lambda value: value or None),
    **dict.fromkeys(("int", "number"), lambda value: value),
    "bool": lambda value: value if isinstance(value, bool) else None,
    "json": _json_text,
    "lines": lambda value: "\n".join(value or []) or None,
    "commas": lambda value: ", ".join(value or []) or None,
}


def _get(record: dict, key: str) -> Any:
    for part in key.split("."):
        record = record.get(part) if isinstance(record, dict) else None
    return record


def _write_sheet(worksheet, sheet: Sheet, records: list[dict]) -> None:
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrapped, one_line = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    for number, column in enumerate(sheet.columns, start=1):
        cell = worksheet.cell(1, number, column.title)
        cell.font, cell.fill, cell.alignment = header_font, header_fill, wrapped
        choices = CHOICES.get(column.key, [])
        hint = " | ".join(choices) or HINTS.get(column.kind, "")
        cell.comment = Comment(f"{column.key}\n{hint}".strip(), "xaso", width=240, height=90)
        letter = get_column_letter(number)
        worksheet.column_dimensions[letter].width = column.width
        if choices and column.kind == "keyword":
            menu = DataValidation(type="list", formula1=f'"{",".join(choices)}"')
            menu.add(f"{letter}2:{letter}5000")  # with room for the rows officials add
            worksheet.add_data_validation(menu)
    for row, record in enumerate(records, start=2):
        for number, column in enumerate(sheet.columns, start=1):
            value = WRITERS[column.kind](_get(record, column.key))
            if isinstance(value, str):  # control characters (pasted from Word) break the file
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = worksheet.cell(row, number, value)
            cell.alignment = one_line if column.kind == "json" else wrapped
            if column.kind not in ("int", "number", "bool"):
                # Text stays text: 1.001193 must not become a number, "=…" not a formula.
                cell.number_format = "@"
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                cell_as_text(cell)
    worksheet.freeze_panes = sheet.freeze
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(records) + 1}"


def _children(procedures: list[dict], name: str) -> list[dict]:
    return [{"procedure": p.get("code"), **row} for p in procedures for row in p.get(name, [])]


def write_workbook(data: dict, path: Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    procedures = data.get("procedures", [])
    tables = [
        (FIELDS, data.get("fields", [])),
        (EXEMPTIONS, data.get("exemption_categories", [])),
        (PROCEDURES, procedures),
        (DOCUMENTS, _children(procedures, "documents")),
        (STEPS, _children(procedures, "process")),
    ]
    for sheet, records in tables:
        _write_sheet(workbook.create_sheet(sheet.title), sheet, records)
    workbook.save(path)


# ---- reading ----------------------------------------------------------------------------------


class _BadCell(ValueError):
    def __init__(self, message: str, guess: Any = _MISSING):
        super().__init__(message)
        self.guess = guess  # kept in the record only to link rows on other sheets


def _shown(value: Any) -> str:
    if isinstance(value, datetime | date | time):
        return _("a date or time (%(value)s)") % {"value": value.isoformat()}
    return repr(value) if isinstance(value, str) else str(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _BadCell(_("text is required here, not %(value)s") % {"value": _shown(value)})
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _keyword(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a whole number reads back exactly as typed
    return _MISSING if _blank(value) else _text(value).strip()


def _code(value: Any) -> Any:
    if isinstance(value, float):
        # Excel turns 1.001193 into a number; accept it only if it shows as the same code.
        if NATIONAL_CODE.fullmatch(repr(value)):
            return repr(value)
        guess = f"{value:.6f}"
        message = _("Excel turned the code into the number %(value)s; type it as text: '%(code)s")
        raise _BadCell(message % {"value": value, "code": guess}, guess=guess)
    return _keyword(value)


def _int(value: Any) -> Any:
    if _blank(value):
        return _MISSING
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    raise _BadCell(_("a whole number, not %(value)s") % {"value": _shown(value)})


def _number(value: Any) -> Any:
    if _blank(value):
        return _MISSING
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)  # the export's budgets are floats
    try:
        return float(Decimal(_text(value).strip().replace(",", ".")))
    except (InvalidOperation, _BadCell):
        raise _BadCell(_("a number, not %(value)s") % {"value": _shown(value)}) from None


def _bool(value: Any) -> Any:
    if _blank(value):
        return _MISSING
    if isinstance(value, bool):
        return value
    word = value.strip().casefold() if isinstance(value, str) else None
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise _BadCell(_("TRUE or FALSE, not %(value)s") % {"value": _shown(value)})


def _json(value: Any) -> Any:
    if _blank(value):
        return _MISSING
    try:
        return json.loads(_text(value))
    except json.JSONDecodeError as error:
        where = f"{error.msg} (line {error.lineno}, column {error.colno})"
        raise _BadCell(_("not valid JSON: %(error)s") % {"error": where}) from None


def _split(value: Any, separators: str) -> list[str]:
    return [part.strip() for part in re.split(separators, _text(value)) if part.strip()]


READERS = {
    "text": _text,
    # A blank cell leaves the key out (an optional object stays absent when all of it is blank).
    "optional_text": lambda value: _MISSING if _blank(value) else _text(value),
    "code": _code,
    "keyword": _keyword,
    "int": _int,
    "number": _number,
    "bool": _bool,
    "json": _json,
    "lines": lambda value: _split(value, r"[\n;]"),
    "commas": lambda value: _split(value, r"[,;\n]"),
}


def _normal(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split()).casefold()


def _put(record: dict, key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        record = record.setdefault(part, {})
    record[last] = value


@dataclass
class _Row:
    record: dict
    refs: dict[str, str]  # column key -> "Sheet!C7", or the sheet title if the column is missing
    first: str  # the row's first cell


class _Reader:
    def __init__(self, workbook):
        self.workbook = workbook
        self.cells: dict[str, str] = {}
        self.errors: list[RecordError] = []
        self.bad: set[str] = set()  # the cells (or sheets) already reported
        self.absent: set[tuple[str, str]] = set()  # (sheet key, column key) not in the file

    def problem(self, where: str, message: str) -> None:
        self.errors.append(RecordError(where, message))
        self.bad.add(where)

    def worksheet(self, sheet: Sheet):
        for worksheet in self.workbook.worksheets:
            if _normal(worksheet.title) in (_normal(sheet.title), sheet.key):
                return worksheet
        self.problem(sheet.title, _("the sheet is missing"))
        return None

    def header(self, worksheet, sheet: Sheet) -> dict[Column, int]:
        """Where each column is, found by its title or machine key, wherever it was moved."""
        names = {name: column for column in sheet.columns for name in (column.key, column.title)}
        names = {_normal(name): column for name, column in names.items()}
        found: dict[Column, int] = {}
        for cell in worksheet[1]:
            column = names.get(_normal(cell.value))
            if column in found:
                self.problem(f"{worksheet.title}!{cell.coordinate}", _("this column appears twice"))
            elif column:
                found[column] = cell.column - 1
        missing = [column.title for column in sheet.columns if column not in found]
        if missing:
            message = _("missing columns: %(columns)s") % {"columns": ", ".join(missing)}
            self.problem(worksheet.title, message)
        return found

    def rows(self, sheet: Sheet) -> Iterator[_Row]:
        worksheet = self.worksheet(sheet)
        columns = self.header(worksheet, sheet) if worksheet else {}
        self.absent |= {
            (sheet.key, column.key) for column in sheet.columns if column not in columns
        }
        if worksheet is None:
            return
        # A value of a missing column is at the sheet: reported once, as the missing column.
        absent = {column.key: worksheet.title for column in sheet.columns if column not in columns}
        for cells in worksheet.iter_rows(min_row=2):
            present = [(column, cells[index]) for column, index in columns.items()]
            if all(_blank(cell.value) for _, cell in present):
                continue  # Excel keeps formatted empty rows
            row = _Row({}, dict(absent), f"{worksheet.title}!{cells[0].coordinate}")
            for column, cell in present:
                ref = row.refs[column.key] = f"{worksheet.title}!{cell.coordinate}"
                try:
                    if cell.data_type == "e":
                        raise _BadCell(_("Excel shows an error: %(value)s") % {"value": cell.value})
                    value = READERS[column.kind](cell.value)
                except _BadCell as error:
                    self.problem(ref, f"{column.title}: {error}")
                    value = error.guess
                if value is not _MISSING:
                    _put(row.record, column.key, value)
            yield row

    def remember(self, path: str, row: _Row) -> None:
        self.cells[path] = row.first
        for key, ref in row.refs.items():
            self.cells[f"{path}.{key}"] = ref

    def records(self, sheet: Sheet, name: str) -> list[dict]:
        records = []
        for row in self.rows(sheet):
            self.remember(f"{name}[{len(records)}]", row)
            records.append(row.record)
        return records

    def children(self, sheet: Sheet, name: str, procedures: list[dict], check: bool) -> None:
        """Attach each document or step row to its procedure, in the order of the rows."""
        positions: dict[str, int] = {}
        for position, record in enumerate(procedures):
            record[name] = []
            if isinstance(record.get("code"), str):
                positions.setdefault(record["code"], position)
            self.cells[f"procedures[{position}].{name}"] = sheet.title  # until a row is found
        for row in self.rows(sheet):
            code, ref = row.record.pop("procedure", None), row.refs.pop("procedure")
            if code not in positions:
                if check and ref not in self.bad and code:
                    where = {"code": code, "sheet": PROCEDURES.title}
                    self.problem(ref, _("no procedure %(code)s on the sheet “%(sheet)s”") % where)
                elif check and ref not in self.bad:
                    self.problem(ref, _("which procedure? The code is empty"))
                continue
            path = f"procedures[{positions[code]}].{name}"
            siblings = procedures[positions[code]][name]
            if not siblings:
                self.cells[path] = row.first
            self.remember(f"{path}[{len(siblings)}]", row)
            siblings.append(row.record)


def read_workbook(path: Path) -> CatalogFile:
    try:
        workbook = load_workbook(path, data_only=True)
    except Exception as error:
        # Not a zip, a zip without a workbook, damaged XML, values openpyxl's types refuse…:
        # openpyxl fails in many ways, and each means the same to the person importing.
        reason = {"file": path.name, "reason": error}
        message = _("%(file)s is not an Excel workbook (.xlsx): %(reason)s") % reason
        raise UnreadableFile(message) from error
    reader = _Reader(workbook)
    data = {
        "format": FORMAT,
        "fields": reader.records(FIELDS, "fields"),
        "exemption_categories": reader.records(EXEMPTIONS, "exemption_categories"),
        "procedures": reader.records(PROCEDURES, "procedures"),
    }
    for position in range(len(data["procedures"])):
        form = reader.cells[f"procedures[{position}].form"]
        if form in reader.bad:
            # The fees name form fields: while the form cannot be read, their check waits for it.
            reader.cells[f"procedures[{position}].fees"] = form
    # Without the procedures sheet every row elsewhere would be "unknown": say it once.
    check = (PROCEDURES.key, "code") not in reader.absent
    reader.children(DOCUMENTS, "documents", data["procedures"], check)
    reader.children(STEPS, "process", data["procedures"], check)
    return CatalogFile(data, reader.cells, reader.errors)
