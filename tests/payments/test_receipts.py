"""The electronic receipt of a payment, and Vietnamese amounts in words."""

import io
import unicodedata

import pytest
from pypdf import PdfReader

from tests.payments.test_statements import (
    dossier_fixtures,
    fee_account,
    import_statement,
    received_with_fee,
    write,
)
from xaso.payments.models import Payment
from xaso.payments.receipts import TITLE, amount_in_words, number_in_words, receipt_pdf

demo, staff, at = dossier_fixtures.demo, dossier_fixtures.staff, dossier_fixtures.at


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (11, "Mười một đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (25, "Hai mươi lăm đồng"),
        (101, "Một trăm linh một đồng"),
        (105, "Một trăm linh năm đồng"),
        (115, "Một trăm mười lăm đồng"),
        (1_000, "Một nghìn đồng"),
        (1_001, "Một nghìn không trăm linh một đồng"),
        (1_050, "Một nghìn không trăm năm mươi đồng"),
        (8_000, "Tám nghìn đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (120_000, "Một trăm hai mươi nghìn đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (2_005_000, "Hai triệu không trăm linh năm nghìn đồng"),
        (200_000_000, "Hai trăm triệu đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (1_000_000_021, "Một tỷ không trăm hai mươi mốt đồng"),
        (3_000_000_000_000, "Ba nghìn tỷ đồng"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


@pytest.mark.parametrize("bad", [-1, 1.5, "8000", True])
def test_amount_in_words_refuses_what_is_not_a_whole_amount(bad):
    with pytest.raises(ValueError):
        number_in_words(bad)


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), unicodedata.normalize("NFC", text)


def paid_by_statement(staff, at, tmp_path) -> Payment:
    at(2026, 11, 30, 9, 0)
    request = received_with_fee(staff["reception"])
    account = request.account or fee_account(request.dossier.receiving_commune)
    path = write(
        tmp_path,
        "Số tham chiếu,Ngày giao dịch,Số tiền ghi có,Nội dung\n"
        f"FT26334001,30/11/2026 10:02,8.000,CK {request.transfer_note}\n",
    )
    at(2026, 11, 30, 10, 30)
    import_statement(path, account.account_number)
    return Payment.objects.select_related("request__dossier").get(request=request)


def test_the_receipt_of_a_transfer(staff, at, tmp_path):
    payment = paid_by_statement(staff, at, tmp_path)
    pdf = receipt_pdf(payment)
    assert pdf.startswith(b"%PDF")
    pages, text = pdf_text(pdf)
    assert pages == 1
    flat = " ".join(text.split())
    assert TITLE in flat
    assert payment.receipt_number in flat
    assert "8.000 ₫" in flat
    assert "Tám nghìn đồng" in flat
    assert "Y Bhiơ Niê" in flat  # the payer, from the dossier's snapshot
    assert payment.request.dossier.code in flat
    assert "Cấp bản sao trích lục hộ tịch" in flat
    assert "FT26334001" in flat  # the bank transaction
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Phú Lộc, ngày 30 tháng 11 năm 2026" in flat
    assert "123/2020/NĐ" in flat  # says what it is not (yet)


def test_the_receipt_of_cash_names_the_officer(staff, demo, at):
    from xaso.payments.services import cash_record

    at(2026, 11, 30, 9, 0)
    request = received_with_fee(staff["reception"])
    payment = cash_record(actor=demo["reception"], dossier=request.dossier, amount=8000)
    pages, text = pdf_text(receipt_pdf(payment))
    flat = " ".join(text.split())
    assert pages == 1
    assert payment.receipt_number in flat and "Tám nghìn đồng" in flat
    assert demo["reception"].get_full_name() in flat
    assert "FT" not in flat
