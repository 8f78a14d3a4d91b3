"""Spreadsheet cells that stay text (formula injection, OWASP "CSV injection").

A name, a note or an address typed by anyone (an anonymous applicant included) ends up in the
workbooks officials open in Excel: a text beginning with `=`, `+`, `-`, `@`, a tab or a carriage
return would be read as a formula (`=HYPERLINK(…)`, DDE). Every export passes its text cells
through `cell_as_text`: the cell is stored as a string with Excel's quote prefix, so it shows
exactly what was typed, is never evaluated, and stays text when an official edits it. The value
itself is unchanged, so an exported workbook imported back reads the same text.
"""

from openpyxl.cell.cell import Cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell_as_text(cell: Cell) -> Cell:
    """Make a text cell that would start a formula plain text (other cells are left alone)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def row_as_text(cells) -> None:
    """`cell_as_text` for every cell of a row (e.g. `sheet[sheet.max_row]` after an append)."""
    for cell in cells:
        cell_as_text(cell)
