from datetime import date

import pytest
from django.test import Client

from tests.market.conftest import jpeg_bytes
from xaso.market import services
from xaso.market.messages import INQUIRY
from xaso.market.models import Inquiry
from xaso.notify.models import OutboxMessage


@pytest.fixture
def listed(world, product, producer):
    services.product_photo_add(actor=None, product=product, data=jpeg_bytes())
    services.certificate_add(
        actor=None,
        product=product,
        kind="ocop",
        stars=4,
        number="1234/QĐ-UBND",
        issued_on=date(2025, 3, 1),
    )
    services.certificate_add(
        actor=None,
        product=product,
        kind="vietgap",
        number="VG-OLD",
        issued_on=date(2024, 1, 1),
        valid_until=date(2025, 12, 31),
    )
    return product


def test_the_catalogue_lists_products_by_category_with_producer_and_valid_certificates(
    client, world, listed, django_assert_num_queries
):
    # commune, products, their valid certificates, their photos, the villages: 1 or N products
    with django_assert_num_queries(5):
        response = client.get(f"/san-pham/?xa={world.commune.code}")
    for number in range(3):
        more = services.product_create(
            actor=None,
            producer=listed.producer,
            price=1,
            name=f"Bơ {number}",
            category="food",
            unit="kg",
        )
        services.product_photo_add(actor=None, product=more, data=jpeg_bytes(exif=False))
    with django_assert_num_queries(5):
        client.get(f"/san-pham/?xa={world.commune.code}")
    html = response.content.decode()
    assert "Cà phê Rof rang xay" in html and "HTX Dịch vụ Nông nghiệp Rof" in html
    assert "Thôn Lộc Tân" in html and "120.000 ₫" in html
    assert "OCOP 4★" in html and "VietGAP" not in html.split("<main")[1].split("</form>")[1]
    assert "<script" not in html
    assert client.get("/san-pham/?loai=handicraft").content.decode().count("data-product=") == 0
    assert client.get("/san-pham/?xa=NOPE").status_code == 404


def test_the_catalogue_is_in_english_too(client, world, listed):
    client.cookies["django_language"] = "en"
    html = client.get("/san-pham/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Local products" in html and "Beverages" in html


def test_a_producer_without_consent_is_not_published(client, world, listed, producer):
    services.producer_update(actor=None, producer=producer, publish_consent=False)
    assert "Cà phê Rof" not in client.get("/san-pham/").content.decode()
    assert client.get(f"/san-pham/{world.commune.code}/{listed.code}/").status_code == 404


def test_an_inquiry_from_the_page_reaches_the_producer_once(world, listed):
    client = Client(REMOTE_ADDR="203.0.113.7")
    url = f"/san-pham/{world.commune.code}/{listed.code}/"
    form = {
        "name": "Chị Lan",
        "phone": "0901 234 567",
        "quantity": "20",
        "message": "Tôi muốn mua 20 hộp giao về Buôn Ma Thuột",
    }
    response = client.post(url, form)
    assert response.status_code == 302 and response["Location"].endswith("/da-gui/")
    assert client.get(response["Location"]).status_code == 200
    messages = OutboxMessage.objects.filter(template=INQUIRY)
    assert messages.count() == 1
    assert messages.get().recipient == "0912345678" and "0901234567" in messages.get().text
    assert Inquiry.objects.count() == 1


def test_a_bad_inquiry_stays_on_the_page_with_the_error(world, listed):
    client = Client(REMOTE_ADDR="203.0.113.8")
    url = f"/san-pham/{world.commune.code}/{listed.code}/"
    response = client.post(url, {"name": "Lan", "phone": "12", "message": "Giá?"})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    assert not OutboxMessage.objects.filter(template=INQUIRY).exists()


def test_inquiries_are_rate_limited(world, listed, settings):
    settings.XASO_RATE_MARKET_INQUIRY = "2/m"
    client = Client(REMOTE_ADDR="203.0.113.9")
    url = f"/san-pham/{world.commune.code}/{listed.code}/"
    form = {"name": "Lan", "phone": "0901234567", "message": "Giá sỉ?"}
    assert [client.post(url, form).status_code for _ in range(3)] == [302, 302, 429]
    assert OutboxMessage.objects.filter(template=INQUIRY).count() == 2


def test_photos_are_served_small_and_cached(client, listed):
    photo = listed.photos.get()
    response = client.get(f"/san-pham/anh/{photo.token}/nho.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "max-age" in response["Cache-Control"]
    assert client.get("/san-pham/anh/0000/nho.jpg").status_code == 404
