"""The official 2026 calendar for civil servants (DOMAIN.md §6), written out once for the tests:
the engine tests feed it in as the editable table would hold it, the seed test expects it."""

from datetime import date

# Weekdays off besides the public holidays the `holidays` package knows, and Saturdays worked.
DAYS_OFF_2026 = frozenset(
    {
        date(2026, 1, 2),  # Fri, swapped with Sat 10/1
        *(date(2026, 2, day) for day in range(16, 21)),  # Lunar New Year, Mon 16/2 to Fri 20/2
        date(2026, 4, 27),  # Hùng Kings (Sun 26/4), observed
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),  # swapped with Sat 22/8
        date(2026, 9, 1),
        date(2026, 9, 2),
        date(2026, 11, 24),  # Vietnamese Culture Day
    }
)
MAKEUP_2026 = frozenset({date(2026, 1, 10), date(2026, 8, 22)})
# Every weekday not worked in 2026: the table plus New Year's Day.
OFFICIAL_OFF_WEEKDAYS_2026 = DAYS_OFF_2026 | {date(2026, 1, 1)}
