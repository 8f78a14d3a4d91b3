"""`xaso calendar show YEAR [--commune CODE | --province CODE]`."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.helpers.calendar import year_confirmed
from xaso.workdays.services import calendar_change_create


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in the source language; the catalogue test checks the Vietnamese."""
    with translation.override("en"):
        yield


def show(capsys, *args) -> list[str]:
    call_command("calendar", "show", *args)
    return capsys.readouterr().out.splitlines()


def line_of(lines: list[str], day: str) -> str:
    [line] = [line for line in lines if line.strip().startswith(day)]
    return line


def test_show_2026_national(official_2026, capsys):
    lines = show(capsys, "2026")
    text = "\n".join(lines)
    off, worked = text.index("Non-working weekdays"), text.index("Working weekend days")
    assert off < text.index("2026-01-02") < worked < text.index("2026-01-10")
    assert "day_off" in line_of(lines, "2026-01-02")
    assert "12729/VPCP-KGVX" in line_of(lines, "2026-01-02")
    assert "makeup_working_day" in line_of(lines, "2026-01-10")
    assert "makeup_working_day" in line_of(lines, "2026-08-22")
    assert "Ngày Văn hóa Việt Nam" in line_of(lines, "2026-11-24")
    assert "public_holiday" in line_of(lines, "2026-02-17")
    # weekend holidays are not exceptions to the week: Sun 26/4 is not listed, Mon 27/4 is
    assert not [line for line in lines if line.strip().startswith("2026-04-26")]
    assert line_of(lines, "2026-04-27")
    # 261 weekdays, 14 of them off, 2 Saturdays worked
    assert lines[-1].startswith("249 ")


def test_show_for_a_province_and_a_commune(world, official_2026, capsys):
    calendar_change_create(
        actor=None,
        date=date(2026, 3, 3),
        kind="day_off",
        legal_reference="Quyết định của UBND tỉnh Đắk Lắk",
        province=world.province,
    )
    assert "Quyết định của UBND tỉnh" in line_of(
        show(capsys, "2026", "--province", "66"), "2026-03-03"
    )
    assert line_of(show(capsys, "2026", "--commune", "T-A"), "2026-03-03")
    assert not [line for line in show(capsys, "2026", "--commune", "T-C") if "2026-03-03" in line]
    assert not [line for line in show(capsys, "2026") if "2026-03-03" in line]


@pytest.mark.parametrize(
    "args", [("2026", "--commune", "nope"), ("2026", "--province", "99"), ("12026",)]
)
def test_show_refuses_bad_arguments(db, args):
    with pytest.raises(CommandError):
        call_command("calendar", "show", *args)


def test_a_year_without_official_rows_is_shown_as_provisional(official_2026, capsys):
    assert not any("PROVISIONAL" in line for line in show(capsys, "2026"))
    lines = show(capsys, "2027")
    assert lines[1].startswith("PROVISIONAL: the table holds no official day off")
    # the package's days are still listed, Culture Day included
    assert "public_holiday" in line_of(lines, "2027-11-24")
    year_confirmed(2027)
    assert not any("PROVISIONAL" in line for line in show(capsys, "2027"))
