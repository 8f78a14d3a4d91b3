import copy

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from xaso.catalog.exchange import UnreadableFile, catalog_export_data
from xaso.catalog.services import catalog_import
from xaso.catalog.spreadsheet import read_workbook, write_workbook
from xaso.core.models import AuditEntry


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in the source language; the catalogue test checks the Vietnamese."""
    with translation.override("en"):
        yield


SHEETS = ["Lĩnh vực", "Đối tượng miễn phí", "Thủ tục", "Thành phần hồ sơ", "Quy trình"]


def cell(workbook, sheet: str, title: str, row: int):
    """The cell of the column titled `title` (found by its header, like the reader does)."""
    worksheet = workbook[sheet]
    column = next(c.column_letter for c in worksheet[1] if c.value == title)
    return worksheet[f"{column}{row}"]


def ref(workbook, sheet: str, title: str, row: int) -> str:
    return f"{sheet}!{cell(workbook, sheet, title, row).coordinate}"


@pytest.fixture
def exported(catalog, tmp_path):
    path = tmp_path / "catalog.xlsx"
    write_workbook(catalog_export_data(), path)
    return path


def test_export_read_import_round_trip_is_identical(catalog, exported):
    first = catalog_export_data()
    read = read_workbook(exported)
    assert read.errors == []
    assert read.data == first
    catalog_import(actor=None, data=read.data)
    assert catalog_export_data() == first


def test_awkward_values_survive_the_round_trip(catalog, tmp_path):
    data = catalog_export_data()
    procedure = data["procedures"][0]
    procedure["time_limit"]["note"] = "=SUM(A1) không phải công thức\ndòng thứ hai"
    procedure["aliases"] = [*procedure["aliases"], "1.001193", "0123"]
    procedure["legal_basis"][0]["articles"] = "Điều 13 — khoản 2"
    procedure["documents"][0]["explanation"] = ""
    procedure["process"][0]["budget"] += 0.25  # budgets are hours or % with two decimals
    procedure["process"][1]["budget"] -= 0.25
    catalog_import(actor=None, data=data)
    first = catalog_export_data()
    path = tmp_path / "awkward.xlsx"
    write_workbook(first, path)
    read = read_workbook(path)
    assert read.errors == []
    assert read.data == first
    catalog_import(actor=None, data=read.data)
    assert catalog_export_data() == first


def test_the_workbook_is_laid_out_for_excel(exported):
    workbook = load_workbook(exported)
    assert workbook.sheetnames == SHEETS
    procedures = workbook["Thủ tục"]
    assert procedures.freeze_panes == "C2"
    assert procedures["A1"].value == "Mã thủ tục"
    assert procedures["A1"].comment.text.startswith("code")
    assert cell(workbook, "Thủ tục", "Đơn vị thời hạn", 1).comment.text.startswith(
        "time_limit.unit\nworking_days"
    )
    code = procedures["A2"]
    assert (code.data_type, code.number_format) == ("s", "@")
    assert code.value == catalog_export_data()["procedures"][0]["code"]
    assert cell(workbook, "Thủ tục", "Liên thông", 2).value in (True, False)
    assert cell(workbook, "Thủ tục", "Cách gọi khác", 2).alignment.wrap_text
    assert procedures.column_dimensions["B"].width == 40
    assert workbook["Thành phần hồ sơ"].freeze_panes == "B2"


def test_every_value_read_knows_its_cell(exported):
    read = read_workbook(exported)
    workbook = load_workbook(exported)
    birth = next(i for i, p in enumerate(read.data["procedures"]) if p["code"] == "1.001193")
    first_document_row = 2 + sum(len(p["documents"]) for p in read.data["procedures"][:birth])
    assert read.locate("procedures[0]") == "Thủ tục!A2"
    assert read.locate("procedures[0].time_limit.unit") == ref(
        workbook, "Thủ tục", "Đơn vị thời hạn", 2
    )
    assert read.locate("procedures[0].form") == ref(workbook, "Thủ tục", "Biểu mẫu (JSON)", 2)
    assert read.locate("procedures[0].legal_basis[1]") == ref(
        workbook, "Thủ tục", "Căn cứ pháp lý (JSON)", 2
    )
    assert read.locate(f"procedures[{birth}].documents[1].condition") == ref(
        workbook, "Thành phần hồ sơ", "Điều kiện phải nộp", first_document_row + 1
    )
    assert read.locate("procedures[0].process[2].budget").startswith("Quy trình!")
    assert read.locate("procedures[0].documents") == "Thành phần hồ sơ!A2"
    assert read.locate("fields[1].name") == "Lĩnh vực!B3"


def test_columns_are_found_by_their_header_wherever_they_are(catalog, exported):
    workbook = load_workbook(exported)
    worksheet = workbook["Thủ tục"]
    rows = [[c.value for c in row] for row in worksheet.iter_rows()]
    worksheet.delete_rows(1, worksheet.max_row)
    for values in rows:  # columns reversed, and a column of the commune's own notes
        worksheet.append(["Ghi chú của xã", *reversed(values)] if values else [])
    worksheet["A1"].value, worksheet["A2"].value = "Ghi chú của xã", "xem lại"
    workbook.save(exported)
    read = read_workbook(exported)
    assert read.errors == []
    assert read.data == catalog_export_data()


def test_a_code_excel_made_a_number_is_accepted_only_if_it_reads_back_exactly(catalog, exported):
    workbook = load_workbook(exported)
    birth = [  # the code cells of 1.001193 on every sheet
        row[0]
        for sheet in ("Thủ tục", "Thành phần hồ sơ", "Quy trình")
        for row in workbook[sheet].iter_rows(min_row=2, max_col=1)
        if row[0].value == "1.001193"
    ]
    for code in birth:
        code.value = 1.001193
    workbook.save(exported)
    read = read_workbook(exported)
    assert read.errors == []
    assert read.data == catalog_export_data()

    for code in birth:
        code.value = 1.00119  # what Excel makes of "1.001190": the trailing zero is lost
    workbook.save(exported)
    errors = read_workbook(exported).errors  # and no row on other sheets lost its procedure
    assert [error.path for error in errors] == [
        f"{code.parent.title}!{code.coordinate}" for code in birth
    ]
    assert all("number 1.00119; type it as text: '1.001190" in error.message for error in errors)


def test_export_and_import_commands_with_a_workbook(catalog, tmp_path, capsys):
    first = catalog_export_data()
    path = tmp_path / "x.xlsx"
    call_command("catalog", "export", str(path))
    call_command("catalog", "import", str(path))
    assert "imported" in capsys.readouterr().out
    assert catalog_export_data() == first


def test_a_broken_workbook_imports_nothing_and_names_every_bad_cell(exported, capsys):
    before = catalog_export_data()
    audit_rows = AuditEntry.objects.count()
    workbook = load_workbook(exported)
    damage = {
        ("Thủ tục", "Đơn vị thời hạn", 2): "fortnights",  # unknown unit
        ("Thủ tục", "Trả kết quả trong ngày", 2): "maybe",  # not TRUE/FALSE
        ("Thủ tục", "Biểu mẫu (JSON)", 2): '{"fields": [}',  # broken JSON
        ("Thủ tục", "Tên thủ tục", 2): None,  # a required name
        ("Thành phần hồ sơ", "Tên giấy tờ", 2): "  ",  # a required name
        ("Quy trình", "Thời gian (giờ làm việc; % ngày nếu trả trong ngày)", 2): "nhanh",
        ("Lĩnh vực", "Tên lĩnh vực", 2): 42,  # a number where text is required
    }
    for (sheet, title, row), value in damage.items():
        cell(workbook, sheet, title, row).value = value
    documents = workbook["Thành phần hồ sơ"]
    documents.append(["9.999999", "giay-la", "Giấy lạ"])  # a row for no known procedure
    damage["Thành phần hồ sơ", "Mã thủ tục", documents.max_row] = "9.999999"
    workbook.save(exported)

    with pytest.raises(CommandError, match=f"{len(damage)} error.*nothing was imported"):
        call_command("catalog", "import", str(exported))

    named = [line.strip().split(": ")[0] for line in capsys.readouterr().err.splitlines()]
    assert sorted(named) == sorted(ref(workbook, *where) for where in damage)
    assert catalog_export_data() == before
    assert AuditEntry.objects.count() == audit_rows


def test_missing_sheets_and_columns_are_reported_once(exported, capsys):
    workbook = load_workbook(exported)
    del workbook["Quy trình"]
    workbook["Thủ tục"].delete_cols(cell(workbook, "Thủ tục", "Kết quả thực hiện", 1).column)
    workbook.save(exported)
    read = read_workbook(exported)
    assert [(e.path, e.message) for e in read.errors] == [
        ("Thủ tục", "missing columns: Kết quả thực hiện"),
        ("Quy trình", "the sheet is missing"),
    ]
    with pytest.raises(CommandError, match="2 error"):
        call_command("catalog", "import", str(exported))


def test_a_blank_procedure_code_on_a_document_row_is_reported(exported):
    workbook = load_workbook(exported)
    workbook["Thành phần hồ sơ"]["A2"].value = None
    workbook.save(exported)
    [error] = read_workbook(exported).errors
    assert error.path == "Thành phần hồ sơ!A2"


@pytest.mark.parametrize(
    "content", [b"\x00\x9f garbage \xff" * 50, "Mã thủ tục,Tên\n1.001193,Khai sinh\n".encode()]
)
def test_a_file_that_is_not_a_workbook_is_a_clear_error(db, tmp_path, content):
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=r"catalog.xlsx is not an Excel workbook \(.xlsx\)"):
        read_workbook(path)
    with pytest.raises(CommandError, match=r"cannot read the file.*not an Excel workbook"):
        call_command("catalog", "import", str(path))


def test_writing_does_not_change_the_data(catalog, tmp_path):
    data = catalog_export_data()
    kept = copy.deepcopy(data)
    write_workbook(data, tmp_path / "x.xlsx")
    assert data == kept
