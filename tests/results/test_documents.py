"""The result documents: every kind renders on one A4 page, in exact Vietnamese, with the
signature and seal boxes left empty; the facts come from the dossier's answers."""

import io
import json
import os
import shutil
import subprocess
import unicodedata
from datetime import date

import pytest
from django.template.loader import get_template
from pypdf import PdfReader

from tests.results.conftest import awaiting_signature
from xaso.catalog.exchange import SEED_CATALOG
from xaso.catalog.models import Procedure
from xaso.dossiers.signature import signature_block
from xaso.results.content import date_words, number_words
from xaso.results.documents import (
    EXTRACT_KINDS,
    KINDS,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SEAL_BOX,
    SIGNATURE_BOX,
    DecidedElsewhere,
    ResultTooLong,
    document_data_from_dossier,
    example_document,
    kind_for,
    number_text,
    powers,
    render_result_pdf,
    signer_block,
    title_of,
)

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def text_origins(pdf: bytes) -> list[tuple[float, float, str]]:
    """Where each run of text starts on page 1, in PDF points (origin bottom left)."""
    runs = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            runs.append((x, y, text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return runs


@pytest.fixture(scope="module")
def rendered():
    return {kind: render_result_pdf(example_document(kind)) for kind in KINDS}


def seed_procedures() -> dict[str, Procedure]:
    """The seed catalogue's procedures, unsaved (who decides, what is issued)."""
    records = json.loads(SEED_CATALOG.read_text(encoding="utf-8"))["procedures"]
    return {
        record["code"]: Procedure(
            code=record["code"], decider=record["decider"], document_kind=record["document_kind"]
        )
        for record in records
    }


def test_each_procedure_gets_its_kind_of_result():
    procedures = seed_procedures()
    assert kind_for(procedures["1.001193"], "approved") == "birth_extract"
    assert kind_for(procedures["1.000656"], "approved") == "death_extract"
    assert kind_for(procedures["1.000894"], "approved") == "marriage_extract"
    assert kind_for(procedures["1.004873"], "approved") == "marital_status"
    assert kind_for(procedures["1.001731"], "approved") == "decision"
    assert kind_for(procedures["2.000635"], "approved") == "extract_copy"  # not a decision
    assert kind_for(procedures["2.000815"], "approved") == "certification"
    assert kind_for(procedures["1.001193"], "denied") == "denial"
    with pytest.raises(DecidedElsewhere):  # the commune police decide: nothing of the commune's
        kind_for(procedures["1.004222"], "approved")
    # Every kind the catalogue names has its template (the check at import is the choices).
    for procedure in procedures.values():
        if not procedure.is_forwarded:
            get_template(f"results/{procedure.document_kind}.html")
    assert number_text("birth_extract", 12) == "12/TLKS"
    assert number_text("extract_copy", 12, copied="marriage") == "12/TLKH-BS"
    assert number_text("decision", "7") == "7/QĐ-UBND"
    assert number_text("birth_extract", "12/TLKS-BS") == "12/TLKS-BS"


def test_dates_are_written_in_words_as_on_a_birth_certificate():
    assert number_words(2026) == "hai nghìn không trăm hai mươi sáu"
    assert number_words(1985) == "một nghìn chín trăm tám mươi lăm"
    assert number_words(2005) == "hai nghìn không trăm linh năm"
    assert number_words(2000) == "hai nghìn"
    assert number_words(21) == "hai mươi mốt"
    assert number_words(15) == "mười lăm"
    assert number_words(24) == "hai mươi tư"
    assert date_words(date(2026, 11, 20)) == (
        "Ngày hai mươi, tháng mười một, năm hai nghìn không trăm hai mươi sáu"
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_is_one_a4_page_in_exact_vietnamese(kind, rendered):
    pdf = rendered[kind]
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)
    text = pdf_text(pdf)
    data = example_document(kind)
    assert MOTTO in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN" in text and "XÃ PHÚ LỘC" in text
    copied = data.fields.get("copied_event", "")
    assert f"Số: {number_text(kind, 12, copied=copied)}" in text
    assert "Phú Lộc, ngày 25 tháng 11 năm 2026" in text
    assert data.signer_name in text
    assert "/xac-thuc/" in text
    # The holder's name, in capitals where the form prints it so.
    holder = data.holder_name.split(" và ")[0]
    assert holder in text or holder.upper() in text
    if kind != "denial":
        assert title_of(kind, data.fields["procedure_code"], copied) in " ".join(text.split())


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_prints_its_title_signature_block_and_legal_bases(kind, rendered):
    """What a lawyer of the commune checks first: the title, who signs in what capacity, and
    the powers cited (never the one-stop decree, which is no power)."""
    data = example_document(kind)
    text = " ".join(pdf_text(rendered[kind]).split())
    if kind != "denial":
        title = title_of(kind, data.fields["procedure_code"], data.fields.get("copied_event", ""))
        assert title in text
    block = signer_block(data)
    assert " ".join(block.lines) in text
    if kind in EXTRACT_KINDS:
        assert block.authority == ["NGƯỜI KÝ TRÍCH LỤC"] and data.signer_title in text
    elif data.decider == "committee":
        assert block.authority[0] == "TM. ỦY BAN NHÂN DÂN"
    else:
        assert "TM. ỦY BAN NHÂN DÂN" not in text
    for basis in powers(data.fields.get("legal_basis", [])):
        assert f"Căn cứ {basis};" in text
    assert "118/2025" not in text
    if kind in ("decision", "construction_permit"):
        assert data.fields["legal_basis"] and "Căn cứ" in text


def test_each_document_says_what_it_is_about(rendered):
    birth = " ".join(pdf_text(rendered["birth_extract"]).split())
    assert "H'HEN NIÊ" in birth and "Ngày hai mươi, tháng mười một" in birth
    assert "Họ, chữ đệm, tên người mẹ: H'Lan Niê" in birth
    assert "NGƯỜI KÝ TRÍCH LỤC" in birth
    marriage = " ".join(pdf_text(rendered["marriage_extract"]).split())
    assert "HOÀNG THỊ ÁNH" in marriage and "LÊ QUỐC BẢO" in marriage
    decision = " ".join(pdf_text(rendered["decision"]).split())
    assert "Về việc hỗ trợ chi phí mai táng" in decision
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHÚ LỘC" in decision
    # The amount is computed from the base and the coefficient the law gives.
    assert "Mức hỗ trợ: 10.000.000 đồng (20 lần mức chuẩn trợ giúp xã hội 500.000 đồng" in decision
    # The chairman decides in his own competence: no "TM."; his deputy signs "KT.".
    assert "TM. ỦY BAN NHÂN DÂN" not in decision
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in decision and "Nơi nhận:" in decision
    copy = " ".join(pdf_text(rendered["extract_copy"]).split())
    assert "TRÍCH LỤC KHAI SINH (BẢN SAO)" in copy and "QUYẾT ĐỊNH" not in copy
    assert "Số đăng ký: 42 Quyển số: 01/2026" in copy
    certification = " ".join(pdf_text(rendered["certification"]).split())
    assert "đã ký vào giấy tờ, văn bản này trước mặt tôi" in certification
    assert "Số chứng thực: 312, quyển số 01/2026-SCT/CK,ĐC" in certification
    parentage = " ".join(pdf_text(rendered["parentage_extract"]).split())
    assert "(kết hợp đăng ký khai sinh)" in parentage
    assert "Số định danh cá nhân: 066226001235" in parentage
    denial = " ".join(pdf_text(rendered["denial"]).split())
    assert "V/v trả lời hồ sơ đề nghị" in denial
    assert "Hồ sơ thiếu giấy tờ chứng minh hôn nhân trước đã chấm dứt" in denial
    assert "khiếu nại hoặc khởi kiện" in denial


def test_the_signature_block_follows_the_decider_and_the_title():
    committee = example_document("decision", decider="committee", signer_title="Chủ tịch")
    text = " ".join(pdf_text(render_result_pdf(committee)).split())
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in text and "KT." not in text
    deputy = example_document("decision", decider="committee", signer_title="Phó Chủ tịch")
    text = " ".join(pdf_text(render_result_pdf(deputy)).split())
    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text
    chairman = example_document("decision", decider="chairman", signer_title="Chủ tịch")
    text = " ".join(pdf_text(render_result_pdf(chairman)).split())
    assert "TM." not in text and "KT." not in text and "CHỦ TỊCH Nguyễn Văn Minh" in text
    assert signature_block("centre", "Phó Giám đốc").authority == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    with pytest.raises(ValueError):
        signature_block("commune_police", "Trưởng Công an xã")


def _inside(x: float, y: float, box: tuple) -> bool:
    x1, y1, x2, y2 = box
    return x1 <= x <= x2 and y1 <= y <= y2


def test_the_boxes_are_on_the_page_apart_and_free_of_text(rendered):
    for x1, y1, x2, y2 in (SIGNATURE_BOX, SEAL_BOX):
        assert 0 < x1 < x2 <= PAGE_WIDTH and 0 < y1 < y2 <= PAGE_HEIGHT
    assert SIGNATURE_BOX[2] - SIGNATURE_BOX[0] >= 180 and SIGNATURE_BOX[3] - SIGNATURE_BOX[1] >= 60
    assert SEAL_BOX[2] - SEAL_BOX[0] >= 85 and SEAL_BOX[3] - SEAL_BOX[1] >= 85
    assert SEAL_BOX[2] < SIGNATURE_BOX[0]  # side by side, never overlapping
    for kind, pdf in rendered.items():
        runs = text_origins(pdf)
        assert runs, kind
        for x, y, text in runs:
            # No line starts inside a box (the pixel test below catches any ink at all).
            for x1, y1, x2, y2 in (SIGNATURE_BOX, SEAL_BOX):
                assert not _inside(x, y, (x1, y1 - 2, x2, y2)), (kind, text)
        # The signer's name sits just under the signature box, the caption under the seal.
        name = example_document(kind).signer_name
        (name_y,) = [y for _x, y, text in runs if text == name]
        assert SIGNATURE_BOX[1] - 25 < name_y < SIGNATURE_BOX[1]
        caption = [y for _x, y, text in runs if text.startswith("Quét mã QR")]
        assert caption and SEAL_BOX[1] - 20 < caption[0] < SEAL_BOX[1]


def _png(pdf: bytes, tmp_path, dpi: int = 72):
    from PIL import Image

    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            shutil.which("pdftoppm"),
            "-r",
            str(dpi),
            "-png",
            "-singlefile",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    return Image.open(tmp_path / "page.png").convert("L")


def test_nothing_is_printed_inside_the_boxes(rendered, tmp_path):
    """Rendered to pixels: the signature and seal boxes are blank white on every kind, and the
    page around them is not (the document is really there)."""
    if not shutil.which("pdftoppm"):
        if os.environ.get("XASO_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftoppm is missing (Debian package poppler-utils)")
        pytest.skip("pdftoppm is missing (Debian package poppler-utils)")
    for kind, pdf in rendered.items():
        image = _png(pdf, tmp_path)
        height = image.height
        for x1, y1, x2, y2 in (SIGNATURE_BOX, SEAL_BOX):
            area = image.crop(
                (int(x1) + 1, int(height - y2) + 1, int(x2) - 1, int(height - y1) - 1)
            )
            assert area.getextrema() == (255, 255), (kind, (x1, y1, x2, y2))
        assert image.getextrema()[0] < 100, kind


def test_long_reasons_tighten_to_one_page_and_endless_ones_are_refused():
    """Decree 30/2020 keeps the body at 13 pt at least: only the spacing tightens, and a reply
    whose reasons cannot fit one page is refused (400) rather than printed smaller."""
    reasons = "\n".join(f"{n}. " + "Giấy tờ kèm theo chưa hợp lệ, cần bổ sung bản chính. " * 3
                        for n in range(1, 9))  # fmt: skip
    assert 1250 < len(reasons) < 1350
    pdf = render_result_pdf(example_document("denial", reason=reasons))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "8. Giấy tờ kèm theo" in pdf_text(pdf)
    with pytest.raises(ResultTooLong) as error:
        render_result_pdf(example_document("denial", reason=reasons * 6))
    assert error.value.code == "result_too_long" and error.value.status == 400


# --- from a real dossier ---------------------------------------------------------------------


def test_a_birth_registration_becomes_the_childs_extract(demo):
    dossier = awaiting_signature(demo)
    data = document_data_from_dossier(
        dossier, number=3, issued_at=date(2026, 11, 27), signer_name="Lê Minh",
        signer_title="Phó Chủ tịch UBND xã",
    )  # fmt: skip
    assert data.kind == "birth_extract" and data.holder_name == "H'Hen Niê"
    assert data.commune_name == "Xã Phú Lộc (demo)" and data.province_name == "Tỉnh Đắk Lắk"
    assert data.fields["person"]["date_of_birth"] == "20/11/2026"
    assert data.fields["person"]["sex"] == "Nữ"
    assert data.fields["mother"]["name"] == "H'Lan Niê"
    assert data.fields["mother"]["residence"] == "Thôn Lộc Tân, Xã Phú Lộc (demo), Tỉnh Đắk Lắk"
    assert data.fields["dossier_code"] == dossier.code
    text = pdf_text(render_result_pdf(data))
    assert "H'HEN NIÊ" in text and "Số: 3/TLKS" in text and "Trạm Y tế xã Phú Lộc" in text
    assert "066060001234" not in text  # the grandparent's ID number is not the child's


def test_a_denied_dossier_becomes_the_reply_with_its_reasons(demo):
    dossier = awaiting_signature(demo, deny=True)
    data = document_data_from_dossier(
        dossier, number="5/UBND-VP", issued_at=date(2026, 11, 27), signer_name="Lê Minh",
        signer_title="Chủ tịch",
    )  # fmt: skip
    assert data.kind == "denial" and data.reason == "Thiếu giấy chứng sinh."
    assert data.holder_name == "Y Bhiơ Niê" and data.procedure_name == "Đăng ký khai sinh"
    text = pdf_text(render_result_pdf(data))
    assert "Thiếu giấy chứng sinh." in text and "Số: 5/UBND-VP" in text


def test_a_marriage_extract_is_about_the_couple(demo):
    from tests.dossiers.conftest import procedure_submission
    from xaso.dossiers.submission import dossier_submit

    body = procedure_submission("1.000894")
    dossier = dossier_submit(
        actor=demo["reception"], procedure_code=body["procedure"], commune_code=body["commune"],
        channel=body["channel"], applicant=body["applicant"], answers=body["form"], receive=True,
    ).dossier  # fmt: skip
    data = document_data_from_dossier(
        dossier, number=1, issued_at=date(2026, 11, 27), signer_name="Lê Minh",
        signer_title="Phó Chủ tịch",
    )  # fmt: skip
    bride, groom = body["form"]["bride"]["full_name"], body["form"]["groom"]["full_name"]
    assert data.kind == "marriage_extract" and data.holder_name == f"{bride} và {groom}"
    assert data.fields["bride"]["residence"].startswith("Thôn Lộc Tân, Xã Phú Lộc (demo)")
    assert len(PdfReader(io.BytesIO(render_result_pdf(data))).pages) == 1


def test_every_procedure_of_the_catalogue_gives_a_holder_and_facts():
    from tests.helpers.forms import valid_answers
    from xaso.results.content import result_fields

    applicant = {"full_name": "Y Bhiơ Niê", "date_of_birth": "1960-03-02", "sex": "male",
                 "personal_id": "066060001234", "address": "Thôn Lộc Tân"}  # fmt: skip
    procedures = json.loads(SEED_CATALOG.read_text(encoding="utf-8"))["procedures"]
    for procedure in procedures:
        answers = valid_answers(procedure["form"])
        unsaved = Procedure(decider=procedure["decider"], document_kind=procedure["document_kind"])
        if unsaved.is_forwarded:
            continue
        for outcome in ("approved", "denied"):
            kind = kind_for(unsaved, outcome)
            holder, fields = result_fields(
                kind, form=procedure["form"], answers=answers, applicant=applicant,
                address_words=lambda answer: f"{answer['village']}, {answer['commune']}",
            )  # fmt: skip
            assert holder.strip(), (procedure["code"], outcome)
            assert fields, (procedure["code"], outcome)


def test_unit_names_read_right_in_a_sentence_and_a_date_line():
    from xaso.results.documents import commune_words, place_words

    assert place_words("Xã Phú Lộc (demo)") == "Phú Lộc"
    assert place_words("Phường Hoàn Kiếm") == "Hoàn Kiếm"
    assert commune_words("Xã Phú Lộc (demo)") == "xã Phú Lộc"
    assert commune_words("Thành phố Hà Nội") == "thành phố Hà Nội"
    assert commune_words("Ea Na") == "Ea Na"
