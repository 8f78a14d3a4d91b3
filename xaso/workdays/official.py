"""The official changes to the civil servants' week, as national seed data (DOMAIN.md §6).

`holidays.VN` (the package) knows the statutory and lunar holidays. For 2026 it lacks the day off
Fri 2/1 and the make-up Saturdays 10/1 and 22/8 (checked with holidays 0.109:
tests/workdays/test_official.py); it does list Mon 31/8 and Tue 24/11, but only in recent releases,
so both are seeded too: the table then holds the government's 2026 decisions whole (both halves of
each swap), whatever release of the package is installed.

Legal references are kept in Vietnamese, as the documents are titled. None is marked verified:
the document numbers come from press reports (or are unknown), not from the documents themselves;
an administrator who checks one against the official gazette ticks "verified" in the admin.

`official_changes_load` is idempotent and never overwrites a row an administrator has edited. A
data migration calls it with the historical model, so each year's schedule is a new constant
here and a new migration calling it.
"""

from datetime import date
from typing import NamedTuple

DAY_OFF = "day_off"
MAKEUP_WORKING_DAY = "makeup_working_day"

_NEW_YEAR_2026 = (
    "Công văn số 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ: Phó Thủ tướng đồng ý "
    "phương án của Bộ Nội vụ nghỉ Tết Dương lịch năm 2026 đối với cán bộ, công chức, viên chức "
    "(hoán đổi ngày làm việc thứ Sáu 02/01/2026 sang thứ Bảy 10/01/2026)"
)
_NATIONAL_DAY_2026 = (
    "Phương án nghỉ lễ Quốc khánh năm 2026 đối với cán bộ, công chức, viên chức do Bộ Nội vụ "
    "trình Thủ tướng Chính phủ (hoán đổi ngày làm việc thứ Hai 31/8/2026 sang thứ Bảy "
    "22/8/2026); số hiệu văn bản chưa đối chiếu"
)
_CULTURE_DAY = (
    "Nghị quyết số 80-NQ/TW của Bộ Chính trị về phát triển văn hóa Việt Nam: ngày 24/11 hằng "
    "năm là Ngày Văn hóa Việt Nam, người lao động được nghỉ và hưởng nguyên lương; văn bản "
    "quy phạm áp dụng cho cán bộ, công chức chưa đối chiếu"
)


class OfficialChange(NamedTuple):
    date: date
    kind: str
    legal_reference: str
    note: str


OFFICIAL_CHANGES_2026 = (
    OfficialChange(
        date(2026, 1, 2), DAY_OFF, _NEW_YEAR_2026, "Nghỉ Tết Dương lịch, làm bù thứ Bảy 10/01/2026"
    ),
    OfficialChange(
        date(2026, 1, 10),
        MAKEUP_WORKING_DAY,
        _NEW_YEAR_2026,
        "Làm việc bù cho ngày nghỉ thứ Sáu 02/01/2026",
    ),
    OfficialChange(
        date(2026, 8, 22),
        MAKEUP_WORKING_DAY,
        _NATIONAL_DAY_2026,
        "Làm việc bù cho ngày nghỉ thứ Hai 31/8/2026",
    ),
    OfficialChange(
        date(2026, 8, 31),
        DAY_OFF,
        _NATIONAL_DAY_2026,
        "Nghỉ lễ Quốc khánh, làm bù thứ Bảy 22/8/2026",
    ),
    OfficialChange(date(2026, 11, 24), DAY_OFF, _CULTURE_DAY, "Ngày Văn hóa Việt Nam"),
)


def official_changes_load(model, changes=OFFICIAL_CHANGES_2026) -> int:
    """Create the national rows that do not exist yet; returns how many were created.

    `model` is `CalendarChange` or, in a migration, its historical model. Rows already present for
    a date (seeded earlier, or entered by an administrator) are left as they are.
    """
    existing = set(
        model.objects.filter(
            province__isnull=True, date__in=[change.date for change in changes]
        ).values_list("date", flat=True)
    )
    new = [
        model(
            date=change.date,
            kind=change.kind,
            legal_reference=change.legal_reference,
            note=change.note,
            verified=False,
        )
        for change in changes
        if change.date not in existing
    ]
    model.objects.bulk_create(new)
    return len(new)
