"""Bank statements: reading (formats, mapping, debits, bad cells) and `xaso payments
import-statement` end to end (a fee-bearing dossier goes from unpaid to paid)."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from tests.dossiers import conftest as dossier_fixtures
from tests.dossiers.conftest import procedure_submission
from xaso.dossiers.models import Dossier
from xaso.payments.models import BankTransaction, Payment, PaymentRequest
from xaso.payments.services import default_account, receiving_account_create
from xaso.payments.statements import (
    UnreadableStatement,
    parse_amount,
    parse_mapping,
    parse_moment,
    read_statement,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# The demo commune, its staff signed in, and the clock (tests/dossiers/conftest.py).
demo, staff, at = dossier_fixtures.demo, dossier_fixtures.staff, dossier_fixtures.at
HEADER = "Số tham chiếu,Ngày giao dịch,Số tiền ghi nợ,Số tiền ghi có,Nội dung"


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in the source language; the catalogue test checks the Vietnamese."""
    with translation.override("en"):
        yield


def write(tmp_path, text: str, name="sao-ke.csv", encoding="utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# ---- cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["1.250.000", "1,250,000", "1250000", "1.250.000 VND", "1.250.000 ₫", "1.250.000đ",
     " +1.250.000 ", "1 250 000", "1.250.000,00", "1,250,000.00", "1250000.00", 1250000,
     1250000.0],
)  # fmt: skip
def test_vietnamese_amounts(text):
    assert parse_amount(text) == 1_250_000


def test_small_amounts_and_debits():
    assert parse_amount("8.000") == 8000
    assert parse_amount("8,000") == 8000
    assert parse_amount("500") == 500
    assert parse_amount("-50.000") == -50_000
    assert parse_amount("(50.000)") == -50_000
    assert parse_amount("") is None and parse_amount(None) is None


@pytest.mark.parametrize("text", ["abc", "1.25.000", "12,50", "1.250,5", "1.2.3", "--5", True])
def test_unreadable_amounts(text):
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/11/2026 14:30:15", datetime(2026, 11, 25, 14, 30, 15, tzinfo=VN)),
        ("25/11/2026 14:30", datetime(2026, 11, 25, 14, 30, tzinfo=VN)),
        ("5/1/2026 08:05", datetime(2026, 1, 5, 8, 5, tzinfo=VN)),
        ("25/11/2026", datetime(2026, 11, 25, tzinfo=VN)),
        ("2026-11-25 14:30", datetime(2026, 11, 25, 14, 30, tzinfo=VN)),
        ("2026-11-25 14:30:15", datetime(2026, 11, 25, 14, 30, 15, tzinfo=VN)),
        ("2026-11-25T07:30:00+00:00", datetime(2026, 11, 25, 14, 30, tzinfo=VN)),
        (datetime(2026, 11, 25, 14, 30), datetime(2026, 11, 25, 14, 30, tzinfo=VN)),
    ],
)
def test_dates_are_aware_and_in_vietnam_when_naive(text, expected):
    moment = parse_moment(text)
    assert moment == expected and moment.tzinfo is not None


@pytest.mark.parametrize("text", ["31/02/2026", "25.11.2026", "hôm qua", "", None, 12])
def test_unreadable_dates(text):
    with pytest.raises(ValueError):
        parse_moment(text)


# ---- files -----------------------------------------------------------------------------------


def test_a_csv_with_bom_a_preamble_and_the_default_mapping(tmp_path):
    path = write(
        tmp_path,
        "\ufeffSAO KÊ TÀI KHOẢN\nSố tài khoản: 0071000123456\n\n"
        f"{HEADER}\n"
        'FT1,25/11/2026 09:15,,"1.250.000",CK XASO DEMOPL2611300001\n'
        "FT2,25/11/2026 10:00,50.000,,Phi SMS\n"
        "FT3,25/11/2026 11:00,,0,Lai tien gui\n"
        ",,,1.250.000,Tổng cộng\n"
        ",,,,\n",
    )
    statement = read_statement(path)
    assert statement.errors == []
    [row] = statement.rows
    assert (row.row, row.transaction_id, row.amount) == (5, "FT1", 1_250_000)
    assert row.description == "CK XASO DEMOPL2611300001"
    assert row.occurred_at == datetime(2026, 11, 25, 9, 15, tzinfo=VN)
    assert statement.skipped == 3  # the debit, the zero, the totals line
    assert statement.read == 4
    assert statement.columns["amount"] == "Số tiền ghi có"


def test_the_operators_mapping_semicolons_and_titles_without_diacritics(tmp_path):
    path = write(
        tmp_path,
        "Ma GD;Thoi diem;So tien;Dien giai\nA-1;2026-11-25 14:30;8.000 VND;xaso demopl 1\n"
        "A-2;2026-11-25 15:00;-8.000;hoan tien\n",
    )
    mapping = parse_mapping(
        [
            "transaction_id=Mã GD",
            "occurred_at=Thời điểm",
            'amount="Số tiền"',
            "description=Diễn giải",
        ]
    )
    statement = read_statement(path, mapping)
    assert [(r.transaction_id, r.amount) for r in statement.rows] == [("A-1", 8000)]
    assert statement.skipped == 1


def test_bad_cells_are_all_reported_by_row_and_column(tmp_path):
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "FT1,25/11/2026 09:15,,8.000,ok\n"
        "FT2,hôm qua,,nhiều tiền,bad\n"
        ",25/11/2026 09:15,,8.000,no reference\n",
    )
    statement = read_statement(path)
    shown = [str(error) for error in statement.errors]
    assert [(e.row, e.column) for e in statement.errors] == [
        (3, "“Số tiền ghi có” (D)"),
        (3, "“Ngày giao dịch” (B)"),
        (4, "“Số tham chiếu” (A)"),
    ]
    assert statement.rows[0].transaction_id == "FT1"  # read, but the command imports nothing
    assert any("'nhiều tiền'" in text and text.startswith("row 3") for text in shown)


def test_an_xlsx_statement_with_excel_numbers_and_dates(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ngân hàng TMCP Ngoại thương Việt Nam"])
    sheet.append(["Số giao dịch", "Thời gian giao dịch", "Ghi có", "Mô tả"])
    sheet.append([5123456789, datetime(2026, 11, 25, 9, 15), 8000, "XASO DEMOPL2611300001"])
    sheet.append(["FT9", "25/11/2026 10:00", "1.250.000", "chuyen tien"])
    sheet.append(["FT10", "25/11/2026 10:00", 12.5, "le"])
    path = tmp_path / "sao-ke.xlsx"
    workbook.save(path)
    statement = read_statement(path)
    assert [(e.row, e.column) for e in statement.errors] == [(5, "“Ghi có” (C)")]
    assert [(r.transaction_id, r.amount, r.occurred_at) for r in statement.rows] == [
        ("5123456789", 8000, datetime(2026, 11, 25, 9, 15, tzinfo=VN)),
        ("FT9", 1_250_000, datetime(2026, 11, 25, 10, 0, tzinfo=VN)),
    ]


def test_files_that_cannot_be_used(tmp_path):
    with pytest.raises(UnreadableStatement):
        read_statement(write(tmp_path, f"{HEADER}\n", name="sao-ke.pdf"))
    with pytest.raises(UnreadableStatement, match="UTF-8"):
        latin = tmp_path / "latin.csv"
        latin.write_bytes(
            "Số tham chiếu,Ngày giao dịch,Số tiền ghi có,Nội dung\n".encode() + b"Ph\xed\n"
        )
        read_statement(latin)
    with pytest.raises(UnreadableStatement, match="amount"):
        read_statement(write(tmp_path, "Số tham chiếu,Ngày giao dịch,Nội dung\nFT1,,x\n"))
    with pytest.raises(UnreadableStatement):
        read_statement(write(tmp_path, "x", name="bad.xlsx"))
    with pytest.raises(UnreadableStatement, match="payer"):
        parse_mapping(["payer=Người chuyển"])
    with pytest.raises(UnreadableStatement):
        parse_mapping(["amount"])


# ---- the command, end to end -----------------------------------------------------------------


def fee_account(commune):
    """The commune's default receiving account (created if the demo has none)."""
    account = default_account(commune)
    if account is None:
        account, _secret = receiving_account_create(
            actor=None, commune=commune, bank_bin="970436", account_number="0071000123456",
            holder_name="UBND XA PHU LOC",
        )  # fmt: skip
    return account


def extract_submission(**extra) -> dict:
    """2.000635 'Cấp bản sao trích lục hộ tịch', one copy (8.000 ₫), addresses in DEMO-PL."""
    return procedure_submission("2.000635", fixed={"copies": 1}, **extra)


def received_with_fee(client) -> PaymentRequest:
    """A dossier received at the desk, its fee (8.000 ₫) due."""
    response = client.post("/api/v1/dossiers", extract_submission(receive=True))
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    fee_account(dossier.receiving_commune)
    request = PaymentRequest.objects.get(dossier=dossier)
    assert (request.amount, request.status) == (8000, PaymentRequest.Status.UNPAID)
    return request


def import_statement(path, account, *args) -> str:
    out = io.StringIO()
    call_command("payments", "import-statement", str(path), "--account", account, *args,
                 stdout=out)  # fmt: skip
    return out.getvalue()


def test_a_statement_pays_a_dossier_and_a_second_import_records_nothing(staff, at, tmp_path):
    at(2026, 11, 30, 9, 0)
    request = received_with_fee(staff["reception"])
    account = request.account or fee_account(request.dossier.receiving_commune)
    path = write(
        tmp_path,
        f"{HEADER}\n"
        f"FT26334001,30/11/2026 10:02:11,,8.000,NGUYEN VAN A CK {request.transfer_note}\n"
        "FT26334002,30/11/2026 10:05:00,,100.000,ung ho quy\n"
        "FT26334003,30/11/2026 11:00:00,22.000,,phi dich vu\n",
    )
    at(2026, 11, 30, 15, 0)
    out = import_statement(path, account.account_number)
    assert "rows read:  3" in out and "matched:    1 (8.000 ₫)" in out
    assert "unmatched:  1" in out and "duplicates: 0" in out and "skipped:    1" in out
    assert "FT26334002" in out  # the unmatched one is listed for the officer
    request.refresh_from_db()
    assert (request.status, request.paid_amount) == (PaymentRequest.Status.PAID, 8000)
    payment = Payment.objects.get(request=request)
    assert (payment.method, payment.amount) == (Payment.Method.TRANSFER, 8000)
    assert payment.transaction.transaction_id == "FT26334001"
    assert payment.transaction.source == BankTransaction.Source.STATEMENT
    # The same file again (by the account's id this time): all duplicates, nothing new.
    again = import_statement(path, str(account.pk))
    assert "matched:    0" in again and "duplicates: 2" in again
    assert BankTransaction.objects.filter(account=account).count() == 2
    assert Payment.objects.filter(request=request).count() == 1


def test_a_statement_with_a_bad_cell_imports_nothing(staff, at, tmp_path, capsys):
    at(2026, 11, 30, 9, 0)
    request = received_with_fee(staff["reception"])
    account = request.account or fee_account(request.dossier.receiving_commune)
    path = write(
        tmp_path,
        f"{HEADER}\nFT1,30/11/2026 10:02,,8.000,{request.transfer_note}\nFT2,30/11/2026,,tám,x\n",
    )
    with pytest.raises(CommandError, match="1 unreadable cell"):
        call_command("payments", "import-statement", str(path), "--account", account.account_number)
    # The command speaks the deployment's language (Vietnamese), whatever the test activated.
    assert "dòng 3, cột “Số tiền ghi có” (D)" in capsys.readouterr().err
    assert not BankTransaction.objects.exists()
    request.refresh_from_db()
    assert request.status == PaymentRequest.Status.UNPAID


def test_an_unknown_account_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no receiving account"):
        import_statement(write(tmp_path, f"{HEADER}\n"), "999999")
