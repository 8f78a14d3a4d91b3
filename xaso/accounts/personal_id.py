"""The 12-digit personal ID number (số định danh cá nhân, printed on the CCCD chip card).

Layout (Circular 59/2021/TT-BCA [K]): 3 digits of the province where the birth was registered,
1 digit for century and sex, 2 digits of the birth year, 6 random digits. The province codes are
those of the 63 provinces before the 2025 merger; numbers issued since keep them.
"""

from dataclasses import dataclass

BIRTH_PROVINCE_CODES = frozenset(
    f"{code:03d}"
    for code in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36,
        37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72,
        74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip


@dataclass(frozen=True)
class PersonalIdFacts:
    birth_province: str
    sex: str  # "male" | "female"
    birth_year: int


def personal_id_facts(number: str) -> PersonalIdFacts | None:
    """What the number itself says, or None if it cannot be a personal ID number."""
    if len(number) != 12 or not number.isdigit() or number[:3] not in BIRTH_PROVINCE_CODES:
        return None
    century_sex = int(number[3])
    century = 1900 + (century_sex // 2) * 100
    year = century + int(number[4:6])
    return PersonalIdFacts(
        birth_province=number[:3],
        sex="male" if century_sex % 2 == 0 else "female",
        birth_year=year,
    )
