import pytest

from xaso.notify import templates
from xaso.notify.templates import LONG, SMS, SMS_MAX, gsm7_length, render, sms_text

# Realistic worst cases: a long commune name, a 24-character code (a commune's own pattern), a
# long procedure name, ten missing items, a long reason.
LONG_VALUES = {
    "commune": "Xã Ea Kmút (demo)",
    "code": "000.00.66.H17-261125-001",
    "secret": "ABCDEFGHJK",
    "procedure": "Đăng ký khai sinh kết hợp đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em "
    "dưới 6 tuổi",
    "name": "Nguyễn Thị Hồng Nhung",
    "due_at": "2026-11-27T10:00:00+00:00",
    "items": [f"Bản sao giấy tờ số {n} có chứng thực, còn thời hạn sử dụng" for n in range(1, 11)],
    "reason": "Người yêu cầu không thuộc trường hợp được đăng ký tại xã theo quy định của Luật "
    "Hộ tịch năm 2014 và Nghị định 123/2015/NĐ-CP; đề nghị liên hệ UBND xã nơi cư trú.",
    "return_channel": "electronic",
    "otp": "12345678",
    "minutes": 10,
    "amount": 1500000,
    "receipt": "000.00.66.H17-2026-000123",
    "electronic": True,
    "lookup_url": "https://dichvucong.eakmut.daklak.gov.vn/tra-cuu/",
    "overdue": [
        {"code": f"000.00.66.H17-261120-{n:03d}", "procedure": "Đăng ký khai sinh",
         "due_at": "2026-11-24T10:00:00+00:00"}
        for n in range(30)
    ],
    "due_today": [{"code": "000.00.66.H17-261125-001", "procedure": "Chứng thực bản sao",
                   "due_at": "2026-11-25T10:00:00+00:00"}],
}  # fmt: skip
CASES = [
    # notify's own templates; another app's (values of its own) are tested in its tests
    *[
        (key, LONG_VALUES)
        for key, t in templates.TEMPLATES.items()
        if key != templates.ONE_TIME_CODE and t.values is None
    ],
    (templates.DOSSIER_RECEIVED, {**LONG_VALUES, "due_at": None}),
    (templates.SUPPLEMENT_REQUESTED, {**LONG_VALUES, "items": ["Tờ khai"]}),
    (templates.RESULT_READY, {**LONG_VALUES, "electronic": False}),
    *[
        (templates.ONE_TIME_CODE, {**LONG_VALUES, "purpose": purpose, "minutes": minutes})
        for purpose in ("sign_in", "consent")
        for minutes in (1, 10)
    ],
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("key", "data"), CASES)
def test_every_sms_fits_one_gsm7_message(key, data, language):
    text = render(key, data, language=language, form=SMS).text
    assert gsm7_length(text) <= SMS_MAX, f"{len(text)}: {text}"
    assert set(text) <= templates.GSM7_BASIC | templates.GSM7_EXTENSION
    assert text == sms_text(text)
    if key not in (templates.ONE_TIME_CODE, templates.OFFICER_DIGEST):
        assert data["code"] in text  # the code is what the citizen quotes: never shortened away


def test_received_sms_reads_as_the_commune_writes_it():
    data = {
        "commune": "Xã Phú Lộc",
        "code": "DEMO-PL-261125-0001",
        "secret": "ABCD2345",
        "due_at": "2026-11-27T10:00:00+00:00",  # 17:00 in Việt Nam
    }
    assert render(templates.DOSSIER_RECEIVED, data, language="vi", form=SMS).text == (
        "UBND xa Phu Loc: da nhan ho so DEMO-PL-261125-0001, hen tra 17:00 27/11/2026. "
        "Tra cuu: ma bi mat ABCD2345"
    )


def test_long_form_keeps_the_diacritics_and_lists_every_item():
    rendered = render(templates.SUPPLEMENT_REQUESTED, LONG_VALUES, language="vi", form=LONG)
    assert rendered.subject == "Hồ sơ 000.00.66.H17-261125-001: cần bổ sung, hoàn thiện"
    lines = rendered.text.splitlines()
    assert lines[0] == "Kính gửi ông/bà Nguyễn Thị Hồng Nhung,"
    assert lines[1].startswith("UBND xã Ea Kmút (demo) đề nghị ông/bà bổ sung")
    assert lines[3:13] == [f"{n}. {item}" for n, item in enumerate(LONG_VALUES["items"], 1)]
    assert "mã bí mật ABCDEFGHJK" in lines[-1]
    sms = render(templates.SUPPLEMENT_REQUESTED, LONG_VALUES, language="vi", form=SMS).text
    assert "can bo sung, hoan thien 10 noi dung" in sms


def test_a_long_reason_is_shortened_in_the_sms_and_whole_in_the_long_form():
    sms = render(templates.DOSSIER_REFUSED, LONG_VALUES, language="vi", form=SMS).text
    assert sms.startswith("UBND xa Ea Kmut (demo): ho so 000.00.66.H17-261125-001 khong duoc")
    assert sms.endswith("...")
    assert gsm7_length(sms) == SMS_MAX
    long = render(templates.DOSSIER_REFUSED, LONG_VALUES, language="vi", form=LONG).text
    assert f"Lý do: {LONG_VALUES['reason']}" in long


def test_apology_gives_the_new_date_and_english_is_there_too():
    data = {**LONG_VALUES, "due_at": "2026-12-01T09:30:00+00:00"}
    assert (
        "hen lai 16:30 01/12/2026" in render("dossier_extended", data, language="vi", form=SMS).text
    )
    english = render("dossier_extended", data, language="en", form=LONG)
    assert english.subject == "Dossier 000.00.66.H17-261125-001: apology and new date"
    assert "New date for the result: 16:30 01/12/2026." in english.text
    assert "People's Committee of xã Ea Kmút (demo) apologises" in english.text


def test_sms_text_is_plain_gsm7():
    assert sms_text("Thôn Lộc Tân – “Đắk Lắk”…\nxin cảm ơn") == (
        'Thon Loc Tan - "Dak Lak"... xin cam on'
    )
    assert sms_text("€ 5 ✓") == "€ 5 ?"
    assert gsm7_length("€[x]") == 7


def test_an_unknown_template_is_an_error():
    with pytest.raises(templates.UnknownTemplate):
        render("nope", {}, language="vi", form=SMS)


def test_the_result_ready_says_how_to_download_an_electronic_result():
    electronic = render(templates.RESULT_READY, LONG_VALUES, language="en", form=LONG).text
    assert "Download the signed electronic result" in electronic
    assert "Look it up at https://dichvucong.eakmut.daklak.gov.vn/tra-cuu/" in electronic
    at_desk = {**LONG_VALUES, "electronic": False}
    assert "one-stop desk" in render(templates.RESULT_READY, at_desk, language="en", form=LONG).text
    sms = render(templates.RESULT_READY, LONG_VALUES, language="en", form=SMS).text
    assert "ready to download" in sms


def test_payment_received_gives_the_amount_and_the_receipt():
    sms = render(templates.PAYMENT_RECEIVED, LONG_VALUES, language="vi", form=SMS).text
    assert "1.500.000 VND" in sms and "000.00.66.H17-2026-000123" in sms
    long = render(templates.PAYMENT_RECEIVED, LONG_VALUES, language="vi", form=LONG).text
    assert "1.500.000 ₫" in long


def test_the_digest_lists_every_dossier_in_the_long_form_and_counts_them_in_the_sms():
    long = render(templates.OFFICER_DIGEST, LONG_VALUES, language="en", form=LONG)
    assert "overdue 30, due today 1" in long.subject
    lines = long.text.splitlines()
    assert "- 000.00.66.H17-261120-000 · Đăng ký khai sinh · 17:00 24/11/2026" in lines
    assert "- 000.00.66.H17-261125-001 · Chứng thực bản sao · 17:00 25/11/2026" in lines
    sms = render(templates.OFFICER_DIGEST, LONG_VALUES, language="en", form=SMS).text
    assert "overdue 30, due today 1: 000.00.66.H17-261120-000" in sms and sms.endswith("...")


def test_zalo_parameters_are_the_values_as_strings():
    found = templates.parameters(templates.SUPPLEMENT_REQUESTED, LONG_VALUES, language="vi")
    assert found["code"] == LONG_VALUES["code"]
    assert found["due"] == "17:00 27/11/2026"
    assert found["sender"] == "UBND xã Ea Kmút (demo)"
    assert found["items"].startswith("Bản sao giấy tờ số 1")
    with pytest.raises(templates.UnknownTemplate):
        templates.parameters("nope", {}, language="vi")
