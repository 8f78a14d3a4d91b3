"""Must show: a lot's QR, printed on the label PDF, decodes back to the traceability page, which
shows the fields of Circular 02/2024/TT-BKHCN."""

import shutil
import subprocess
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.test import Client
from PIL import Image

from tests.market.conftest import jpeg_bytes
from xaso.market import services
from xaso.market.labels import labels_pdf
from xaso.market.links import lot_url

PUBLIC = "https://phuloc.example.vn"


def page_images(pdf: bytes, tmp_path) -> list[Image.Image]:
    """Each page of the PDF as printed (poppler's pdftoppm at 200 dpi)."""
    if not shutil.which("pdftoppm"):
        pytest.fail("poppler-utils is needed (make suite installs it)")
    source = tmp_path / "labels.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(source), str(tmp_path / "page")],
                   check=True, timeout=60)  # fmt: skip
    return [Image.open(path) for path in sorted(tmp_path.glob("page*.png"))]


def decoded(image: Image.Image) -> list[str]:
    import zxingcpp

    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.fixture
def public_url(settings):
    settings.XASO_PUBLIC_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["phuloc.example.vn", "testserver"]
    return PUBLIC


def circular_02_fields(html: str, lot, product, producer) -> None:
    for text in [
        product.name,  # product
        producer.name,  # producer and address
        "Thôn Lộc Tân",
        lot.produced_on.strftime("%d/%m/%Y"),  # production time
        lot.code,  # codes
        lot.expires_on.strftime("%d/%m/%Y"),  # shelf life
    ]:
        assert text in html, text
    if product.gtin:
        assert product.gtin in html


def test_the_label_qr_decodes_to_the_digital_link_that_shows_the_lot(
    public_url, lot, product, producer, tmp_path
):
    services.product_photo_add(actor=None, product=product, data=jpeg_bytes())
    services.certificate_add(actor=None, product=product, kind="ocop", stars=4,
                             number="1234/QĐ-UBND", issued_on=date(2025, 3, 1))  # fmt: skip
    services.certificate_add(actor=None, product=product, kind="food_safety", number="ATTP-OLD",
                             issued_on=date(2023, 1, 1), valid_until=date(2026, 1, 1))  # fmt: skip
    pdf = labels_pdf(lot, count=24)
    pages = page_images(pdf, tmp_path)
    assert len(pages) == 1
    texts = decoded(pages[0])
    assert len(texts) == 24 and set(texts) == {lot_url(lot)}
    url = texts[0]
    assert url == f"{PUBLIC}/01/08930000000019/10/{lot.code}"  # GS1 Digital Link
    parts = urlsplit(url)
    response = Client().get(parts.path, HTTP_HOST=parts.netloc)
    assert response.status_code == 200
    html = response.content.decode()
    circular_02_fields(html, lot, product, producer)
    assert "1234/QĐ-UBND" in html and "4★" in html  # the valid OCOP recognition
    assert "ATTP-OLD" not in html  # expired: never shown as valid
    assert '<img class="product-photo-large"' in html  # the product's image
    # The plain address shows the same page.
    plain = Client().get(f"/truy-xuat/{lot.code}/", HTTP_HOST=parts.netloc)
    assert plain.status_code == 200 and lot.code in plain.content.decode()


def test_without_a_gtin_the_qr_is_the_communes_plain_address(public_url, world, producer, tmp_path):
    product = services.product_create(actor=None, producer=producer, name="Mắc ca sấy nứt vỏ",
                                      category="food", unit="hop", price=250_000,
                                      shelf_life_days=180)  # fmt: skip
    lot = services.lot_create(actor=None, product=product, produced_on=date(2026, 11, 1),
                              quantity=50)  # fmt: skip
    texts = decoded(page_images(labels_pdf(lot, count=3), tmp_path)[0])
    assert texts == [f"{PUBLIC}/truy-xuat/{lot.code}/"] * 3
    response = Client().get(urlsplit(texts[0]).path, HTTP_HOST="phuloc.example.vn")
    circular_02_fields(response.content.decode(), lot, product, producer)


def test_an_unknown_lot_or_a_gtin_that_does_not_match_is_404(client, lot):
    assert client.get("/truy-xuat/NO-SUCH-LOT/").status_code == 404
    assert client.get(f"/01/08934563138165/10/{lot.code}").status_code == 404
    assert client.get(f"/01/08930000000019/10/{lot.code}").status_code == 200
    assert client.get(f"/truy-xuat/{lot.code.lower()}/").status_code == 302


def test_many_labels_take_more_pages(lot, tmp_path):
    assert len(page_images(labels_pdf(lot, count=30), tmp_path)) == 2
