"""F12: a receipt series is checked where it is entered (4xx), and a receipt whose number holds
a line break (stored before the check) still downloads instead of being a 500."""

from urllib.parse import quote

from tests.helpers.api import assert_error
from tests.helpers.staff_endpoints import world_payment
from xaso.payments.models import PaymentSettings


def test_f12_a_receipt_series_with_a_line_break_is_refused(world, api):
    admin = api.as_user(world.user("commune_admin"))
    url = f"/api/v1/communes/{world.commune.code}/payments/settings"
    for series in ("AB\r\nX-Injected: 1", "AB\nCD", 'AB"CD', "AB CD"):
        error = assert_error(admin.patch(url, {"receipt_series": series}), 400, "invalid")
        assert "receipt_series" in error["details"]["fields"]
    assert not PaymentSettings.objects.filter(receipt_series__contains="AB").exists()
    assert admin.patch(url, {"receipt_series": "1C26TAA"}).status_code == 200


def test_f12_a_stored_receipt_number_with_a_line_break_still_downloads(world, api):
    payment = world_payment(world)
    payment.receipt_number = "AB\r\nX-Injected: 1-2026-000001"
    payment.save()
    dossier = payment.request.dossier
    answer = api.as_user(world.user("reception")).get(
        f"/api/v1/dossiers/{dossier.code}/payments/{quote(payment.receipt_number)}/receipt"
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert "\n" not in answer["Content-Disposition"] and "X-Injected" not in answer.headers
