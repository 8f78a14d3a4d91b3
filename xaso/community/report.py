"""The monthly report to the province on the village digital teams, as an Excel workbook: one
sheet by village for the period (the adoption table, with its commune total), one by month and
village. Its figures are the adoption table's, cell for cell (tests/community/test_report.py)."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from xaso.core.cells import row_as_text

from .selectors import COUNT_COLUMNS, Adoption, AdoptionRow

SHARES = ("online_share", "e_payment_share")


def _values(row: AdoptionRow) -> list:
    return [
        *(row.counts[column] for column in COUNT_COLUMNS),
        row.dossiers,
        row.online,
        row.online_share,
        row.fee_dossiers,
        row.e_paid,
        row.e_payment_share,
    ]


def adoption_workbook(table: Adoption, *, labels: dict) -> bytes:
    heads = [
        *(str(labels[column]) for column in COUNT_COLUMNS),
        "Hồ sơ của người dân thôn",
        "Hồ sơ nộp trực tuyến",
        "Tỷ lệ trực tuyến (%)",
        "Hồ sơ có phí, lệ phí",
        "Thanh toán không dùng tiền mặt",
        "Tỷ lệ thanh toán điện tử (%)",
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = "Theo thôn"
    sheet.append([f"Báo cáo hoạt động Tổ công nghệ số cộng đồng — {table.commune.name}"])
    row_as_text(sheet[sheet.max_row])
    sheet.append([f"Từ ngày {table.start:%d/%m/%Y} đến ngày {table.end:%d/%m/%Y}"])
    sheet.append(["Thôn", "Tổ", *heads])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([row.village.name, row.team.name if row.team else "", *_values(row)])
        row_as_text(sheet[sheet.max_row])
    total = table.totals()
    sheet.append(["Tổng cộng", "", *_values(total)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    by_month = book.create_sheet("Theo tháng")
    by_month.append(["Tháng", "Thôn", *heads])
    for month in table.months:
        for row in table.rows:
            cell = table.by_month[(month, row.village.pk)]
            by_month.append([month.strftime("%m/%Y"), row.village.name, *_values(cell)])
            row_as_text(by_month[by_month.max_row])
    output = BytesIO()
    book.save(output)
    return output.getvalue()
