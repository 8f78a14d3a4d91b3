from datetime import date

import pytest
from django.core.management import call_command
from PIL import Image

from tests.market.conftest import jpeg_bytes
from xaso.core.errors import DomainError
from xaso.core.models import AuditEntry
from xaso.market import selectors, services
from xaso.market.gtin import GtinInvalid
from xaso.market.messages import CERTIFICATE_EXPIRING, INQUIRY
from xaso.market.models import Certificate, Inquiry, Lot
from xaso.notify.models import OutboxMessage


def test_a_producer_is_kept_with_a_clean_phone_and_an_audit_row(producer):
    assert producer.phone == "0912345678"
    assert producer.code == "htx-dich-vu-nong-nghiep-rof"
    assert producer.publish_consent_at is not None
    assert AuditEntry.objects.filter(action="market.producer.create").count() == 1


def test_a_product_with_a_wrong_gtin_check_digit_is_refused_with_a_clear_error(world, producer):
    with pytest.raises(GtinInvalid) as refused:
        services.product_create(
            actor=world.user("commune_admin"),
            producer=producer,
            name="Mắc ca sấy",
            category="food",
            unit="hop",
            price=250_000,
            gtin="8934563138164",
        )
    assert "chữ số kiểm tra" in str(refused.value.message)  # Vietnamese by default
    assert "5" in str(refused.value.message)


def test_packed_weight_below_net_weight_is_refused(world, producer):
    with pytest.raises(DomainError):
        services.product_create(
            actor=None,
            producer=producer,
            name="Mắc ca",
            category="food",
            unit="kg",
            price=1,
            net_weight_g=500,
            packed_weight_g=400,
        )


def test_ocop_lasts_36_months_from_its_decision(product):
    certificate = services.certificate_add(
        actor=None,
        product=product,
        kind="ocop",
        stars=4,
        number="1234/QĐ-UBND",
        issued_on=date(2024, 2, 29),
        issuer="UBND tỉnh Đắk Lắk",
    )
    assert certificate.valid_until == date(2027, 2, 28)
    with pytest.raises(DomainError):
        services.certificate_add(
            actor=None,
            product=product,
            kind="ocop",
            stars=2,
            number="1",
            issued_on=date(2025, 1, 1),
        )
    with pytest.raises(DomainError):
        services.certificate_add(
            actor=None,
            product=product,
            kind="ocop",
            stars=3,
            number="1",
            issued_on=date(2025, 1, 1),
            valid_until=date(2028, 2, 1),
        )


def test_vietgap_is_valid_at_most_two_years(product):
    with pytest.raises(DomainError) as refused:
        services.certificate_add(
            actor=None,
            product=product,
            kind="vietgap",
            number="VG-1",
            issued_on=date(2025, 6, 1),
            valid_until=date(2027, 6, 2),
        )
    assert "2 năm" in str(refused.value.message)
    ok = services.certificate_add(
        actor=None,
        product=product,
        kind="vietgap",
        number="VG-1",
        issued_on=date(2025, 6, 1),
        valid_until=date(2027, 6, 1),
    )
    assert ok.is_valid_on(date(2026, 11, 25))


def test_an_expired_certificate_is_not_shown_as_valid_and_the_officer_is_warned(world, product):
    expired = services.certificate_add(
        actor=None,
        product=product,
        kind="food_safety",
        number="ATTP-9",
        issued_on=date(2023, 11, 1),
        valid_until=date(2026, 11, 1),
    )
    listed = selectors.catalogue(world.commune)
    assert listed == [product] and listed[0].valid_certificates == []
    lot_certs = selectors.lot_public(
        services.lot_create(
            actor=None, product=product, produced_on=date(2026, 11, 20), quantity=5
        ).code
    ).product.valid_certificates
    assert lot_certs == []
    alerts = selectors.certificate_alerts(world.user("specialist"), world.commune)
    assert [(a.certificate, a.expired) for a in alerts] == [(expired, True)]
    # Another commune's officer sees nothing of it.
    assert selectors.certificate_alerts(world.user("other_specialist"), world.commune) == []


def test_the_expiry_warning_goes_once_to_the_producer_and_the_officers(world, product):
    officer = world.user("specialist")
    officer.phone = "0987654321"
    officer.save()
    soon = services.certificate_add(
        actor=None,
        product=product,
        kind="vietgap",
        number="VG-7",
        issued_on=date(2025, 1, 20),
        valid_until=date(2027, 1, 20),
    )
    services.certificate_add(
        actor=None,
        product=product,
        kind="organic",
        number="HC-1",
        issued_on=date(2026, 1, 1),
        valid_until=date(2027, 6, 1),
    )
    call_command("market-warn-expiring", verbosity=0)
    call_command("market-warn-expiring", verbosity=0)  # the next morning: nothing again
    rows = OutboxMessage.objects.filter(template=CERTIFICATE_EXPIRING).order_by("recipient")
    assert [row.recipient for row in rows] == ["0912345678", "0987654321"]
    assert "VG-7" in rows[0].text and "20/01/2027" in rows[0].text
    soon.refresh_from_db()
    assert soon.warned_at is not None
    alerts = selectors.certificate_alerts(officer, world.commune)
    assert [(a.certificate, a.expired, a.days_left) for a in alerts] == [(soon, False, 56)]


def test_a_photo_is_stripped_of_its_metadata_and_downscaled(world, product):
    photo = services.product_photo_add(actor=None, product=product, data=jpeg_bytes())
    with photo.image.open("rb") as stored:
        image = Image.open(stored)
        assert max(image.size) == services.PHOTO_SIZE
        assert not image.getexif()
    with photo.upload.file.open("rb") as original:
        assert b"PhoneMaker" not in original.read()
    with photo.thumbnail.open("rb") as stored:
        assert max(Image.open(stored).size) == services.THUMB_SIZE
    with pytest.raises(DomainError):
        services.product_photo_add(actor=None, product=product, data=b"GIF89a....")


def test_a_lot_gets_a_code_its_steps_and_its_use_by_date(lot):
    assert len(lot.code) == 11 and lot.code.startswith("261110-")
    assert [step.name for step in lot.steps.all()] == [
        "Thu hái quả chín",
        "Phơi và xay xát",
        "Rang, xay và đóng hộp",
    ]
    assert lot.expires_on == date(2027, 11, 10)  # shelf life of 365 days


def test_a_lot_in_the_future_is_refused(product):
    with pytest.raises(DomainError):
        services.lot_create(actor=None, product=product, produced_on=date(2026, 12, 1), quantity=1)
    assert not Lot.objects.exists()


def test_an_inquiry_reaches_the_producers_phone_once(world, product):
    inquiry = services.inquiry_send(
        product=product,
        name="Chị Lan",
        phone="0901234567",
        message="Cho tôi hỏi giá sỉ 50 hộp",
        quantity=50,
    )
    rows = OutboxMessage.objects.filter(template=INQUIRY)
    assert rows.count() == 1
    row = rows.get()
    assert row.recipient == "0912345678" and inquiry.message_id == row.pk
    assert "0901234567" in row.text and "50" in row.text
    assert Inquiry.objects.count() == 1
    assert AuditEntry.objects.filter(action="market.inquiry.send").count() == 1


def test_village_counts(world, product, producer):
    services.product_create(
        actor=None,
        producer=producer,
        name="Cà phê nhân",
        category="beverage",
        unit="kg",
        price=90_000,
    )
    hidden = services.producer_create(
        actor=None,
        commune=world.commune,
        kind="household",
        name="Hộ bà H",
        representative="H",
        phone="0911111111",
        village=world.village,
    )
    services.product_create(
        actor=None, producer=hidden, name="Bơ", category="food", unit="kg", price=30_000
    )
    counts = selectors.village_counts(world.commune)
    assert [(c.village_code, c.products_listed, c.shops) for c in counts] == [("loc-tan", 2, 1)]


def test_certificates_have_kinds():
    assert set(Certificate.Kind.values) == {"ocop", "vietgap", "organic", "food_safety"}
