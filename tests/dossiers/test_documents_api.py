from tests.dossiers.conftest import submission
from tests.helpers.api import assert_error


def test_receipt_and_register_downloads(staff, at):
    at(2026, 11, 27, 10, 0)
    code = (
        staff["reception"]
        .post("/api/v1/dossiers", submission("counter", receive=True))
        .json()["code"]
    )
    receipt = staff["reception"].get(f"/api/v1/dossiers/{code}/documents/receipt")
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")
    assert f'filename="mau-01-{code}.pdf"' in receipt["Content-Disposition"]
    assert_error(
        staff["reception"].get(f"/api/v1/dossiers/{code}/documents/refusal"),
        404,
        "document_not_available",
    )
    xlsx = staff["leader"].get(
        "/api/v1/dossiers/register?commune=DEMO-PL&from=2026-11-01&to=2026-11-30&format=xlsx"
    )
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert_error(
        staff["other-reception"].get(
            "/api/v1/dossiers/register?commune=DEMO-PL&from=2026-11-01&to=2026-11-30"
        ),
        404,
        "commune_not_found",
    )
