"""docs/SECURITY.md names, for each ASVS requirement, the test that shows it is met: those tests
must exist, every "met" row must name one, and the "design" claims it makes about the code hold."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "SECURITY.md"
TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
ROW = re.compile(r"^\| (\d+\.\d+(?:\.\d+)?[^|]*)\| (\w[\w/ ]*?) \|")
# Template values printed unescaped, each markup the server makes itself (never user data), and
# the test that holds it safe.
SAFE_MARKUP = {
    # the VietQR SVG segno draws: tests/payments/test_vietqr.py::test_svg_is_safe_to_inline_…
    ("xaso/portal/templates/portal/_status.html", "payment.qr"),
    # the notice-board print stylesheet inlined into its PDF: the repository's own file
    # (portal/static/portal/news-print.css, read by portal/news.py), never data
    ("xaso/portal/templates/portal/news/print.html", "css"),
}
# Code that builds markup with mark_safe from values it checks itself.
SAFE_BUILDERS = {
    "xaso/core/pdf.py",  # @font-face rules: bundled font paths and an alphanumeric family name
    "xaso/reports/svg.py",  # the dashboards' SVG charts: numbers, and labels through escape()
    "xaso/community/charts.py",  # the adoption charts: numbers, and labels through escape()
}
STATUSES = {"met", "design", "partly", "open", "n/a", "n/a in the app"}


def rows() -> list[tuple[str, str, str]]:
    found = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            found.append((match[1].strip(), match[2].strip(), line))
    return found


def test_every_test_the_document_names_exists():
    text = DOC.read_text(encoding="utf-8")
    named = TEST_REFERENCE.findall(text)
    assert len(named) > 50
    missing = []
    for path, name in sorted(set(named)):
        source = ROOT / path
        if not source.is_file() or not re.search(
            rf"^(async )?def {name}\(", source.read_text(encoding="utf-8"), re.M
        ):
            missing.append(f"{path}::{name}")
    assert missing == [], f"docs/SECURITY.md names tests that do not exist: {missing}"


def test_every_row_has_a_known_status_and_every_met_row_a_test():
    table = rows()
    assert len(table) > 150
    unknown = [requirement for requirement, status, _line in table if status not in STATUSES]
    assert unknown == [], f"rows with an unknown status: {unknown}"
    untested = [requirement for requirement, status, line in table
                if status == "met" and not TEST_REFERENCE.search(line)]  # fmt: skip
    assert untested == [], f"'met' rows without a test: {untested}"


def test_the_design_claims_about_the_code_hold():
    """ "design" rows say: no SQL built from data (only constant statements, as /healthz's
    SELECT 1), no eval/exec, no pickle, no shell, no unescaped template output."""
    # Two operator tools build SQL from the schema's own names (introspected tables, indexes and
    # constraints), never from anything a user sends: the bench-data generator's DDL around its COPY
    # and the backup's per-table row counts. Only those two files, by name.
    schema_tools = {ROOT / "xaso/demo/bench_data.py", ROOT / "xaso/core/backup.py"}
    code = [path for path in (ROOT / "xaso").rglob("*.py")
            if "migrations" not in path.parts and path not in schema_tools]  # fmt: skip
    forbidden = re.compile(
        r"\.raw\(|RawSQL|\.extra\(|\.execute\((?!\"[^\"{}%]*\"\))|\beval\(|\bexec\(|"
        r"import pickle|from pickle|yaml\.load\(|shell=True"
    )
    offenders = [f"{path.relative_to(ROOT)}: {line.strip()}"
                 for path in code for line in path.read_text(encoding="utf-8").splitlines()
                 if forbidden.search(line)]  # fmt: skip
    assert offenders == []
    templates = list((ROOT / "xaso").rglob("*.html"))
    unescaped = {(str(path.relative_to(ROOT)), found)
                 for path in templates
                 for found in re.findall(r"\{\{\s*([\w.]+)\s*\|\s*safe\b|autoescape off",
                                         path.read_text(encoding="utf-8"))}  # fmt: skip
    assert unescaped <= SAFE_MARKUP
    # mark_safe only on constant markup written in the code, never on data.
    builders = [path for path in code if str(path.relative_to(ROOT)) not in SAFE_BUILDERS]
    marked = [f"{path.relative_to(ROOT)}: {line.strip()}"
              for path in builders for line in path.read_text(encoding="utf-8").splitlines()
              if "mark_safe(" in line and "import" not in line
              and not re.search(r"mark_safe\('[^'{}%]*'\)", line)]  # fmt: skip
    assert marked == []
