"""Vietnamese order for lists people read, and the page filters for money and dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from xaso.core.templatetags.vietnamese import day, dong
from xaso.core.text import person_sort_key, vietnamese_sort_key


def test_places_sort_in_vietnamese_order_with_numbers_by_value():
    villages = ["Thôn 10", "Thôn 2", "Thôn 11", "Thôn 1", "Ea Bung", "Ea Bá", "Đắk Mil", "Dray"]
    assert sorted(villages, key=vietnamese_sort_key) == [
        "Dray", "Đắk Mil", "Ea Bá", "Ea Bung", "Thôn 1", "Thôn 2", "Thôn 10", "Thôn 11",
    ]  # fmt: skip


def test_letters_of_their_own_and_tones_follow_the_dictionary():
    words = ["ấn", "Ăn", "Ẩn", "An", "Ân", "án", "ạn"]
    assert sorted(words, key=vietnamese_sort_key) == ["An", "án", "ạn", "Ăn", "Ân", "Ẩn", "ấn"]


def test_people_sort_by_given_name():
    names = ["Nguyễn Thị Bình", "Trần Văn An", "Lê Văn Ánh", "Y Bhiơ Niê"]
    assert sorted(names, key=person_sort_key) == [
        "Trần Văn An", "Lê Văn Ánh", "Nguyễn Thị Bình", "Y Bhiơ Niê",
    ]  # fmt: skip


def test_money_and_dates_print_the_vietnamese_way():
    assert dong(16000) == "16.000 ₫"
    assert dong(1250000) == "1.250.000 ₫"
    assert dong(None) == ""
    assert day("1990-03-14") == "14/03/1990"
    assert day(date(2026, 12, 2)) == "02/12/2026"
    late_evening_utc = datetime(2026, 12, 1, 18, 30, tzinfo=ZoneInfo("UTC"))
    assert day(late_evening_utc) == "02/12/2026"  # already the 2nd in Việt Nam
    assert day("14 tháng 3") == "14 tháng 3"
