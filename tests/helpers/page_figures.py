"""The page weights and axe-core counts the browser tests measure, printed at the end of the run.

Under pytest-xdist each worker measures its own pages; the root conftest sends a worker's rows to
the controller when the worker finishes, and the controller prints them all.
"""

from pathlib import Path

AXE = Path(__file__).parents[1] / "e2e" / "vendor" / "axe.min.js"
PAGE_BUDGET = 60 * 1024  # bytes a citizen page may weigh on first load (issue 8)
FIGURES: list[dict] = []
# What a row carries to the controller and the report prints (not the browser document's id).
REPORTED = ("page", "bytes", "later_bytes", "critical", "serious", "moderate", "minor")


def reported_rows() -> list[dict]:
    return [{key: row[key] for key in REPORTED} for row in FIGURES]


def report(terminalreporter) -> None:
    if not FIGURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("page weight (first load, as sent) and axe-core violations")
    write(f"{'page':<42} {'KB':>6} {'later KB':>8} {'crit':>4} {'ser':>4} {'mod':>4} {'min':>4}")
    for row in FIGURES:
        write(
            f"{row['page'][:42]:<42} {row['bytes'] / 1024:6.1f} {row['later_bytes'] / 1024:8.1f}"
            f" {row['critical']:4d} {row['serious']:4d} {row['moderate']:4d} {row['minor']:4d}"
        )
    version = (AXE.parent / "VERSION").read_text(encoding="utf-8").split(" —")[0]
    write(f"budget: {PAGE_BUDGET // 1024} KB a page on first load; {version}")
