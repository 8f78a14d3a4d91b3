"""Throughput of the due-date engine: `compute_due` over 100,000 mixed cases on one core.

    PYTHONPATH=. python bench/workdays_due.py [--cases N] [--seed S]

Cases: receipt instants spread over 2025-2028 (nights, weekends and holidays included), units
working_days / working_hours / same_day, amounts 0 to 30, a third of the procedures eligible for the
Friday rule, and both service rules configured. Prints the best of three runs.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, datetime, time, timedelta
from time import perf_counter

from xaso.workdays.engine import TZ, TimeLimit, WorkCalendar
from xaso.workdays.rules import ProcedureTerms, ServiceRule, compute_due

DAYS_OFF_2026 = [
    date(2026, 1, 2),
    *(date(2026, 2, day) for day in range(16, 21)),
    date(2026, 4, 27),
    date(2026, 4, 30),
    date(2026, 5, 1),
    date(2026, 8, 31),
    date(2026, 9, 1),
    date(2026, 9, 2),
    date(2026, 11, 24),
]
MAKEUP_2026 = [date(2026, 1, 10), date(2026, 8, 22)]
RULES = [
    ServiceRule("friday_same_day", enabled=True, weekday=4, cutoff=time(11)),
    ServiceRule("tuesday_assisted", enabled=True, weekday=1),
]


def make_cases(count: int, seed: int) -> list[tuple[ProcedureTerms, datetime]]:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=TZ)
    span_seconds = int((datetime(2028, 10, 31, tzinfo=TZ) - start).total_seconds())
    procedures = []
    for index in range(60):
        unit = rng.choice(["working_days", "working_hours", "same_day"])
        amount = 0 if unit == "same_day" else rng.randint(0, 30)
        procedures.append(
            ProcedureTerms(
                f"1.{index:06d}",
                TimeLimit(amount, unit),
                same_day_eligible=rng.random() < 1 / 3,
                no_proxy_writing=False,
            )
        )
    return [
        (
            rng.choice(procedures),
            start
            + timedelta(seconds=rng.randrange(span_seconds), microseconds=rng.randrange(10**6)),
        )
        for _ in range(count)
    ]


def run(calendar: WorkCalendar, cases: list[tuple[ProcedureTerms, datetime]]) -> float:
    began = perf_counter()
    for terms, received_at in cases:
        compute_due(calendar, terms, received_at, RULES)
    return perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    began = perf_counter()
    calendar = WorkCalendar.for_years(
        2025, 2028, days_off=DAYS_OFF_2026, makeup_working_days=MAKEUP_2026
    )
    built = perf_counter() - began
    cases = make_cases(args.cases, args.seed)
    best = min(run(calendar, cases) for _ in range(3))
    print(f"calendar 2025-2028 built in {built * 1000:.1f} ms")
    print(f"{len(cases):,} cases, best of 3: {best:.3f} s = {len(cases) / best:,.0f} cases/s")


if __name__ == "__main__":
    main()
