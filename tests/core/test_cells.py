"""F4: a text typed by anyone never becomes a live formula in a spreadsheet officials open."""

from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from tests.dossiers.conftest import at, demo, staff, submission  # noqa: F401 (fixtures)
from tests.helpers.api import ApiClient
from xaso.core.cells import cell_as_text


def reopened(values: list) -> list:
    book = Workbook()
    book.active.append(values)
    for cell in book.active[1]:
        cell_as_text(cell)
    output = BytesIO()
    book.save(output)
    return list(load_workbook(BytesIO(output.getvalue())).active[1])


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"])
def test_f4_a_text_starting_a_formula_stays_text(text):
    (cell,) = reopened([text])
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_f4_other_cells_are_left_as_they_are():
    number, plain = reopened([42, "Nguyễn Văn A"])
    assert (number.value, number.data_type) == (42, "n")
    assert (plain.value, plain.data_type, plain.quotePrefix) == ("Nguyễn Văn A", "s", False)


def test_f4_an_applicant_named_like_a_formula_is_text_in_the_register_export(staff, at):  # noqa: F811
    at(2026, 11, 25, 9, 0)
    body = submission()
    body["applicant"]["full_name"] = "=1+1"
    assert ApiClient().post("/api/v1/dossiers", body).status_code == 201
    answer = staff["reception"].get(
        "/api/v1/dossiers/register?commune=DEMO-PL&from=2026-11-01&to=2026-11-30&format=xlsx"
    )
    assert answer.status_code == 200
    sheet = load_workbook(BytesIO(answer.content)).active
    (cell,) = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=1+1"]
    assert cell.data_type == "s"  # a string, not a formula ("f")
    assert cell.quotePrefix
