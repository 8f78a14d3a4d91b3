"""Bank statements (CSV or Excel) read into credit rows, for `xaso payments import-statement`.

`read_statement(path, mapping=None)` finds the header row (banks put the account and the period
above it), maps the operator's column titles to the four fields a transaction needs, and reads
every row below it:

- `transaction_id`: the bank's reference (text; a number typed in Excel reads back as typed);
- `amount`: whole đồng, credits only. "1.250.000", "1,250,000", "1250000", "1.250.000 VND",
  "1.250.000 ₫", "+1.250.000", and Excel numbers. Groups of three digits are thousands whatever
  the separator (the đồng has no decimals); a trailing ",00" / ".00" is accepted;
- `description`: the transfer note;
- `occurred_at`: "dd/mm/yyyy HH:MM[:SS]", "dd/mm/yyyy", "yyyy-mm-dd HH:MM[:SS]", ISO 8601 with
  an offset, and Excel dates; a time without a zone is Asia/Ho_Chi_Minh.

Debits and zero amounts are skipped and counted: a negative amount, "(50.000)", or an empty
amount cell (the credit column of a statement that has separate debit and credit columns).
Rows with neither a reference nor a date (a "Tổng cộng" totals line, a blank line) are not
transactions and are skipped too. Every other cell that cannot be read is reported with its row
(as a spreadsheet numbers it, header included) and its column; a statement with any such cell
imports nothing, like the catalogue import.

Column titles match without regard to case, spacing or diacritics ("So tien ghi co" finds
"Số tiền ghi có"). Without a mapping, `DEFAULT_COLUMNS` lists the titles of common Vietnamese
bank exports for each field; the first one present in the header row wins.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from xaso.core.errors import InvalidInput
from xaso.core.text import search_key
from xaso.workdays.engine import TZ

FIELDS = ("transaction_id", "amount", "description", "occurred_at")
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "transaction_id": (
        "Số tham chiếu", "Số bút toán", "Mã giao dịch", "Số giao dịch", "Mã GD", "Số GD",
        "Số chứng từ", "Reference", "Reference number", "Transaction ID",
    ),
    "amount": (
        "Số tiền ghi có", "Ghi có", "Phát sinh có", "Số tiền có", "Tiền vào", "Credit",
        "Credit amount", "Số tiền",
    ),
    "description": (
        "Nội dung", "Nội dung giao dịch", "Nội dung chi tiết", "Diễn giải", "Mô tả",
        "Description", "Transaction details",
    ),
    "occurred_at": (
        "Ngày giao dịch", "Thời gian giao dịch", "Ngày GD", "Thời gian", "Ngày hiệu lực",
        "Ngày", "Transaction date", "Date",
    ),
}  # fmt: skip
HEADER_SEARCH_ROWS = 30  # the header is within the first rows (bank name, account, period above)
MAX_TRANSACTION_ID = 64
MAX_DESCRIPTION = 500
_DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
)  # fmt: skip
_CURRENCY = re.compile(r"(?i)\s*(vnd|vnđ|đồng|đ|₫|d)\.?\s*$")
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")


class UnreadableStatement(InvalidInput):
    """The file as a whole cannot be used: not CSV/xlsx, not UTF-8, no header row found."""

    code = "unreadable_statement"


@dataclass(frozen=True)
class CellError:
    row: int  # as a spreadsheet numbers it: 1 is the first line of the file
    column: str  # the column's title, with its letter: 'Số tiền ghi có (C)'
    message: str

    def __str__(self) -> str:
        return _("row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class StatementRow:
    row: int
    transaction_id: str
    amount: int
    description: str
    occurred_at: datetime


@dataclass
class Statement:
    rows: list[StatementRow] = field(default_factory=list)  # the credits, in file order
    skipped: int = 0  # debits, zero amounts, lines that are not transactions
    errors: list[CellError] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → the header title found

    @property
    def read(self) -> int:
        """Transaction rows read: credits and skipped rows (the errors, if any, aside)."""
        return len(self.rows) + self.skipped


class _BadCell(ValueError):
    pass


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---- cells -------------------------------------------------------------------------------------


def parse_amount(value: Any) -> int | None:
    """A signed whole number of đồng (negative: a debit), None for a blank cell."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise _BadCell(_("an amount of money, not %(value)s") % {"value": _shown(value)})
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _BadCell(_("a whole number of đồng, not %(value)s") % {"value": value})
    if not isinstance(value, str):
        raise _BadCell(_("an amount of money, not %(value)s") % {"value": _shown(value)})
    text = unicodedata.normalize("NFC", value).replace("\u00a0", " ").strip()
    sign = 1
    if text.startswith("(") and text.endswith(")"):  # accountants' negative
        sign, text = -1, text[1:-1].strip()
    text = _CURRENCY.sub("", text).strip()
    if text[:1] in "+-":
        sign, text = (-1 if text[0] == "-" else 1) * sign, text[1:].strip()
    text = text.replace(" ", "")
    number = _whole(text)
    if number is None:
        raise _BadCell(_("an amount of money, not %(value)s") % {"value": _shown(value)})
    return sign * number


def _whole(text: str) -> int | None:
    """'1.250.000' / '1,250,000' / '1250000' / '1.250.000,00' → 1250000; None if not so."""
    decimals = re.fullmatch(r"(.*?)([.,])(\d{1,2})", text)
    if decimals and not _GROUPED.fullmatch(text):
        head, mark, cents = decimals.groups()
        grouped = _GROUPED.fullmatch(head)
        if (grouped and grouped.group(1) == mark) or int(cents):
            return None  # "1,250,000,5": nonsense; "12,50": not a whole đồng
        text = head
    if text.isascii() and text.isdigit():
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"[.,]", "", text))
    return None


def parse_moment(value: Any) -> datetime:
    """An aware datetime; a time without a zone is taken in Asia/Ho_Chi_Minh."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        moment = _moment_text(" ".join(value.split()))
    else:
        raise _BadCell(_("a date, not %(value)s") % {"value": _shown(value)})
    return moment if moment.tzinfo else moment.replace(tzinfo=TZ)


def _moment_text(text: str) -> datetime:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)  # the zone is added by the caller
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise _BadCell(
            _("a date like 25/11/2026 14:30 or 2026-11-25 14:30, not %(value)s")
            % {"value": _shown(text)}
        ) from None


def _transaction_id(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or _blank(value):
        raise _BadCell(_("a transaction reference is required"))
    text = value.strip()
    if len(text) > MAX_TRANSACTION_ID:
        raise _BadCell(
            _("a transaction reference of at most %(count)d characters")
            % {"count": MAX_TRANSACTION_ID}
        )
    return text


def _description(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return " ".join(text.split())[:MAX_DESCRIPTION]


# ---- files -------------------------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableStatement(
            _("The file is not UTF-8 text: save it from Excel as “CSV UTF-8”.")
        ) from None
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text, newline=""), dialect)


def _xlsx_rows(path: Path, columns: Mapping[str, Sequence[str]]) -> Iterator[list[Any]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableStatement(
            _("The file is not an Excel workbook (.xlsx): %(error)s") % {"error": error}
        ) from None
    try:
        sheets = workbook.worksheets
        # The first sheet whose top rows hold the header; else the first sheet (to report it).
        for sheet in sheets:
            top = [list(row) for row in islice(sheet.values, HEADER_SEARCH_ROWS)]
            if _find_header(top, columns)[0] is not None:
                break
        else:
            sheet = sheets[0]
        for row in sheet.values:
            yield list(row)
    finally:
        workbook.close()


def _find_header(
    rows: Sequence[Sequence[Any]], columns: Mapping[str, Sequence[str]]
) -> tuple[int | None, dict[str, int], list[str]]:
    """(index of the header row, field → column index, the fields it lacks) — the best row."""
    best: tuple[int | None, dict[str, int], list[str]] = (None, {}, list(columns))
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        titles = {}
        for index, cell in enumerate(row):
            if isinstance(cell, str) and cell.strip():
                titles.setdefault(search_key(cell), index)
        found = {}
        for name, candidates in columns.items():
            for candidate in candidates:
                if search_key(candidate) in titles:
                    found[name] = titles[search_key(candidate)]
                    break
        missing = [name for name in columns if name not in found]
        if not missing:
            return number, found, []
        if len(found) > len(best[1]):
            best = (None, found, missing)
    return best


def statement_columns(mapping: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    """The titles to look for, per field: the operator's where given, else the defaults."""
    mapping = dict(mapping or {})
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise UnreadableStatement(
            _("Unknown field(s) in the column mapping: %(names)s (known: %(known)s).")
            % {"names": ", ".join(unknown), "known": ", ".join(FIELDS)}
        )
    return {
        name: (mapping[name],) if mapping.get(name) else DEFAULT_COLUMNS[name] for name in FIELDS
    }


def read_statement(path: Path, mapping: Mapping[str, str] | None = None) -> Statement:
    """Read a statement (.csv or .xlsx). Raises UnreadableStatement when the file as a whole
    cannot be used; unreadable cells are in `Statement.errors`."""
    path = Path(path)
    columns = statement_columns(mapping)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = list(_csv_rows(path))
    elif suffix == ".xlsx":
        rows = list(_xlsx_rows(path, columns))
    else:
        raise UnreadableStatement(
            _("A statement is a .csv or .xlsx file, not %(name)s.") % {"name": path.name}
        )
    header, found, missing = _find_header(rows, columns)
    if header is None:
        wanted = "; ".join(f"{name} = “{' / '.join(columns[name])}”" for name in missing)
        raise UnreadableStatement(
            _("No header row with the columns: %(columns)s. Give the titles with --map.")
            % {"columns": wanted}
        )
    titles = rows[header]
    statement = Statement(columns={name: str(titles[index]) for name, index in found.items()})
    for number, row in enumerate(rows[header + 1 :], start=header + 2):
        _read_row(statement, number, row, found, titles)
    return statement


def _read_row(
    statement: Statement, number: int, row: Sequence[Any], found: dict[str, int], titles
) -> None:
    cells = {name: row[index] if index < len(row) else None for name, index in found.items()}
    if _blank(cells["transaction_id"]) and _blank(cells["occurred_at"]):
        if any(not _blank(cell) for cell in row):
            statement.skipped += 1  # a totals line, a note: not a transaction
        return
    values, errors = {}, []
    readers = {
        "transaction_id": _transaction_id,
        "amount": parse_amount,
        "description": _description,
        "occurred_at": parse_moment,
    }
    for name, reader in readers.items():
        try:
            values[name] = reader(cells[name])
        except _BadCell as error:
            index = found[name]
            column = f"“{titles[index]}” ({get_column_letter(index + 1)})"
            errors.append(CellError(number, column, str(error)))
    if errors:
        statement.errors.extend(errors)
        return
    if values["amount"] is None or values["amount"] <= 0:
        statement.skipped += 1  # a debit, or nothing credited
        return
    statement.rows.append(StatementRow(row=number, **values))


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """['amount=Số tiền ghi có', …] → {'amount': 'Số tiền ghi có', …} (the command's --map)."""
    mapping = {}
    for item in items:
        name, equals, title = item.partition("=")
        if not equals or not name.strip() or not title.strip():
            raise UnreadableStatement(
                _('A mapping is field="Column title", not %(item)s.') % {"item": repr(item)}
            )
        mapping[name.strip()] = title.strip().strip("\"'")
    statement_columns(mapping)  # unknown fields are refused here
    return mapping
