import pytest

from xaso.catalog.selectors import procedure_search


def first(query, **filters):
    found = procedure_search(query, **filters)
    return found.procedures[0].code if found.procedures else None


@pytest.mark.parametrize(
    "query",
    [
        "dang ky khai sinh",
        "Đăng ký KHAI SINH",
        "khai sinh",
        "làm giấy khai sinh",
        "1.001193",
        "  ĐĂNG   KÝ khai   sinh  ",
    ],
)
def test_birth_registration_comes_first_with_or_without_accents(catalog, query):
    assert first(query) == "1.001193"


@pytest.mark.parametrize(
    "query, code",
    [
        ("làm giấy kết hôn", "1.000894"),
        ("lam giay ket hon", "1.000894"),
        ("xin xác nhận độc thân", "1.004873"),
        ("xac nhan tinh trang hon nhan", "1.004873"),
        ("khai tử", "1.000656"),
        ("chứng thực chữ ký", "2.000884"),
        ("sao y bản chính", "2.000815"),
    ],
)
def test_common_phrasings_find_the_right_procedure(catalog, query, code):
    assert first(query) == code


def test_search_by_field_and_nothing_found(catalog):
    found = procedure_search("", field="ho-tich")
    assert found.count >= 5
    assert all(p.field.code == "ho-tich" for p in found.procedures)
    assert procedure_search("máy bay trực thăng").count == 0
