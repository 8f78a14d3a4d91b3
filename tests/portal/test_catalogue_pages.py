"""The public catalogue pages: search, a procedure, the printable guide, the 404 page.

Django's test language is Vietnamese: text from the data (procedure names) is checked as it is,
the pages' own words in English (`Accept-Language: en`), or by structure.
"""

import copy
import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pypdf import PdfReader

from xaso.catalog.models import Procedure
from xaso.catalog.selectors import PAGE_SIZE
from xaso.catalog.services import catalog_import
from xaso.catalog.texts import time_limit_text

BIRTH = "1.001193"
# The site ignores the browser language (see ChosenLanguageMiddleware): English is a choice.
ENGLISH = {"HTTP_COOKIE": "django_language=en"}


def result_codes(response) -> list[str]:
    """The procedure codes a search page lists, in order."""
    return re.findall(r'<h3 class="result-name"><a href="/thu-tuc/([0-9XS.]+)/">', response.text)


def add_procedures(seed_data, count: int, *, field: str = "chung-thuc", **changes) -> list[str]:
    """Import `count` copies of the birth registration record under test codes and names."""
    birth = next(p for p in seed_data["procedures"] if p["code"] == BIRTH)
    records = []
    for number in range(count):
        record = copy.deepcopy(birth)
        record.update(
            code=f"9.{900000 + number}",
            name=f"Thủ tục thử nghiệm số {number}",
            field=field,
            aliases=[],
            **changes,
        )
        records.append(record)
    catalog_import(actor=None, data={**seed_data, "procedures": records})
    return [record["code"] for record in records]


@pytest.mark.parametrize(
    "query",
    [
        "khai sinh",
        "KHAI SINH",
        "Khai Sinh",
        "đăng ký khai sinh",
        "dang ky khai sinh",
        "lam giay khai sinh",
        BIRTH,
    ],
)
def test_search_with_or_without_accents_puts_birth_registration_first(catalog, client, query):
    response = client.get("/thu-tuc/", {"q": query})
    assert response.status_code == 200
    assert result_codes(response)[0] == BIRTH
    assert "Đăng ký khai sinh" in response.text
    assert f'value="{query}"' in response.text  # the box keeps what was typed


def test_the_search_is_a_plain_get_form_with_a_label_and_no_script_or_inline_style(catalog, client):
    page = client.get("/thu-tuc/").text
    assert re.search(r'<form class="search" action="/thu-tuc/" method="get"', page)
    assert '<label class="label" for="q">' in page
    assert re.search(r'<input class="input" type="search" id="q" name="q"', page)
    assert '<label class="label" for="field">' in page
    assert '<select class="select" id="field" name="field">' in page
    assert '<option value="ho-tich">Hộ tịch</option>' in page
    assert "<script" not in page  # works without JavaScript, and the strict CSP allows no inline
    assert "style=" not in page and "<style" not in page


def test_a_result_shows_name_code_field_time_limit_and_fee(catalog, client):
    page = client.get("/thu-tuc/", {"q": "khai sinh"}, **ENGLISH).text
    item = page[page.index('<h3 class="result-name">') :]
    item = item[: item.index("</li>")]
    assert '<a href="/thu-tuc/1.001193/">Đăng ký khai sinh</a>' in item
    assert "1.001193" in item and "Hộ tịch" in item
    assert "Same day" in item
    assert "Free in most cases" in item


def test_the_field_filter_keeps_only_that_field(catalog, seed_data, client):
    added = add_procedures(seed_data, 3, field="chung-thuc")
    response = client.get("/thu-tuc/", {"field": "chung-thuc"})
    assert set(result_codes(response)) >= set(added)
    assert (
        Procedure.objects.filter(code__in=result_codes(response))
        .exclude(field__code="chung-thuc")
        .count()
        == 0
    )
    assert '<option value="chung-thuc" selected>' in response.text
    civil_status = result_codes(client.get("/thu-tuc/", {"field": "ho-tich"}))
    assert BIRTH in civil_status and not set(added) & set(civil_status)
    # Text and field together; an unknown field is ignored rather than an error.
    assert result_codes(client.get("/thu-tuc/", {"q": "khai sinh", "field": "chung-thuc"})) == []
    assert result_codes(client.get("/thu-tuc/", {"q": "khai sinh", "field": "nope"}))[0] == BIRTH


def test_results_come_in_pages_with_previous_and_next_links(catalog, seed_data, client):
    add_procedures(seed_data, PAGE_SIZE + 5, field="chung-thuc")
    total = Procedure.objects.filter(field__code="chung-thuc", is_active=True).count()
    first = client.get("/thu-tuc/", {"field": "chung-thuc"}, **ENGLISH)
    assert len(result_codes(first)) == PAGE_SIZE
    assert f"{total} procedures" in first.text
    assert 'href="/thu-tuc/?field=chung-thuc&amp;page=2" rel="next"' in first.text
    assert 'rel="prev"' not in first.text

    last_page = (total + PAGE_SIZE - 1) // PAGE_SIZE
    last = client.get("/thu-tuc/", {"field": "chung-thuc", "page": last_page}, **ENGLISH)
    assert len(result_codes(last)) == total - PAGE_SIZE * (last_page - 1)
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text
    assert not set(result_codes(first)) & set(result_codes(last))

    # A page past the end shows the last one; a page that is not a number, the first.
    beyond = client.get("/thu-tuc/", {"field": "chung-thuc", "page": 999})
    assert result_codes(beyond) == result_codes(last)
    assert result_codes(client.get("/thu-tuc/", {"field": "chung-thuc", "page": "x"})) == (
        result_codes(first)
    )


def test_the_search_page_runs_a_fixed_number_of_queries(catalog, seed_data, client):
    def queries(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/thu-tuc/", params).status_code == 200
        return len(captured)

    one = queries({"q": BIRTH})
    add_procedures(seed_data, PAGE_SIZE, field="chung-thuc")
    assert queries({"field": "chung-thuc"}) == one


def test_nothing_found_says_so_and_gives_advice(catalog, client):
    response = client.get("/thu-tuc/", {"q": "máy bay trực thăng"}, **ENGLISH)
    assert response.status_code == 200
    assert result_codes(response) == []
    assert "No procedure found" in response.text
    assert "check the spelling" in response.text
    assert "one-stop shop" in response.text
    assert 'href="/thu-tuc/">See every procedure</a>' in response.text


def test_the_procedure_page_says_what_to_bring_how_long_how_much_and_where(catalog, client):
    response = client.get(f"/thu-tuc/{BIRTH}/", **ENGLISH)
    assert response.status_code == 200
    page = response.text
    assert "<h1>Đăng ký khai sinh</h1>" in page
    # What to bring: every document, with its copies, and the conditional ones' condition.
    for name in ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Giấy chứng nhận kết hôn"):
        assert name in page
    assert "1 original" in page
    assert "Only if" in page and "Khi cha, mẹ đã đăng ký kết hôn." in page
    assert "Can be looked up in the national database" in page
    # How long, how much (with the exemptions and their evidence), where, legal basis, result.
    assert "Same day" in page and "hồ sơ nhận sau 15 giờ" in page
    assert "Free in most cases" in page
    # On time it is free for everyone, with nothing to show; the exemptions (in the law's words)
    # only concern a late registration.
    assert "In the usual case it is free for everyone: you bring no paper for it." in page
    assert "Only where a fee is due" in page
    assert "Người thuộc hộ nghèo" in page and "Người thuộc gia đình có công với cách mạng" in page
    assert "Bộ phận Một cửa" in page
    assert "Luật Hộ tịch ngày 20 tháng 11 năm 2014 (Điều 13, 14, 15, 16)" in page
    assert "Giấy khai sinh (bản chính)" in page
    # The data is not verified yet: people must know.
    assert "has not been checked against the official source yet" in page
    assert "legal basis" in page  # one of the facts still to be checked
    # The way on: submit online, print the guide.
    assert f'href="/thu-tuc/{BIRTH}/nop/"' in page
    assert f'href="/thu-tuc/{BIRTH}/huong-dan.pdf"' in page
    assert "<script" not in page and "style=" not in page


def test_a_verified_procedure_has_no_warning(catalog, seed_data, client):
    (code,) = add_procedures(seed_data, 1, verified=True, unverified=[])
    page = client.get(f"/thu-tuc/{code}/", **ENGLISH).text
    assert "Thủ tục thử nghiệm số 0" in page
    assert "official source" not in page
    assert 'class="warning"' not in page


def test_the_procedure_page_runs_a_fixed_number_of_queries(catalog, client):
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/thu-tuc/{BIRTH}/")
    assert len(captured) <= 5  # the procedure, its documents, its steps, the exemptions


@pytest.mark.parametrize("path", ["/thu-tuc/9.999999/", "/thu-tuc/khai-sinh/", "/khong-co/"])
def test_an_unknown_procedure_or_page_is_a_friendly_404(catalog, client, path):
    response = client.get(path, **ENGLISH)
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert '<html lang="en">' in page  # the site's own layout, not the server's bare page
    assert 'action="/thu-tuc/"' in page  # a way on: search


def test_an_unknown_procedure_has_no_guide(catalog, client):
    assert client.get("/thu-tuc/9.999999/huong-dan.pdf").status_code == 404


def test_the_printable_guide_is_a_one_page_pdf_in_vietnamese(catalog, client):
    response = client.get(f"/thu-tuc/{BIRTH}/huong-dan.pdf", **ENGLISH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Đăng ký khai sinh" in text  # diacritics survive: the bundled font has them
    assert "Giấy chứng nhận kết hôn của cha, mẹ" in text
    # The address the QR code holds, for those who type it (a long one may wrap).
    assert f"http://testserver/thu-tuc/{BIRTH}/" in "".join(text.split())
    fonts = {
        font["/BaseFont"]
        for font in (reader.pages[0]["/Resources"]["/Font"].values())
        for font in [font.get_object()]
    }
    assert all("Guide-Sans" in str(name) for name in fonts), fonts  # no system font fallback
    # Served again from the cache, identical.
    assert client.get(f"/thu-tuc/{BIRTH}/huong-dan.pdf").content == response.content


def test_a_long_procedure_still_fits_on_one_page(catalog, seed_data, client):
    birth = next(p for p in seed_data["procedures"] if p["code"] == BIRTH)
    documents = copy.deepcopy(birth["documents"])
    for number in range(5):
        extra = copy.deepcopy(birth["documents"][1])
        extra.update(
            key=f"giay-them-{number}", name=f"Giấy tờ bổ sung số {number} của người yêu cầu"
        )
        documents.append(extra)
    (code,) = add_procedures(seed_data, 1, documents=documents)
    response = client.get(f"/thu-tuc/{code}/huong-dan.pdf")
    assert len(PdfReader(BytesIO(response.content)).pages) == 1


@pytest.mark.parametrize(
    "amount, unit, words",
    [
        (0, "same_day", "Same day"),
        (1, "working_days", "1 working day"),
        (3, "working_days", "3 working days"),
        (8, "working_hours", "8 working hours"),
    ],
)
def test_time_limits_in_words(amount, unit, words):
    with translation.override("en"):
        assert time_limit_text(Procedure(limit_amount=amount, limit_unit=unit)) == words
