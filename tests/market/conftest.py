import io
from datetime import date

import pytest
from PIL import Image

from xaso.market import services


def jpeg_bytes(size=(1600, 1200), exif=True) -> bytes:
    image = Image.new("RGB", size, (180, 120, 60))
    out = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {2: (12.0, 30.0, 0.0)}  # GPS
        extra["exif"] = data.tobytes()
    image.save(out, "JPEG", **extra)
    return out.getvalue()


@pytest.fixture
def producer(world):
    return services.producer_create(
        actor=world.user("commune_admin"),
        commune=world.commune,
        kind="cooperative",
        name="HTX Dịch vụ Nông nghiệp Rof",
        representative="Y Rof Niê",
        phone="0912 345 678",
        village=world.village,
        contact_channel="sms",
        address="Thôn Lộc Tân",
        tax_code="6001234567",
        publish_consent=True,
    )


@pytest.fixture
def product(world, producer):
    return services.product_create(
        actor=world.user("commune_admin"),
        producer=producer,
        name="Cà phê Rof rang xay",
        category="beverage",
        unit="hop",
        price=120_000,
        min_order=2,
        season="Tháng 11 – 1",
        net_weight_g=500,
        packed_weight_g=560,
        length_cm=20,
        width_cm=12,
        height_cm=6,
        shelf_life_days=365,
        description="Cà phê robusta chín đỏ, rang mộc.",
        gtin="8930000000019",
    )


@pytest.fixture
def lot(world, product):
    return services.lot_create(
        actor=world.user("commune_admin"),
        product=product,
        produced_on=date(2026, 11, 10),
        quantity=200,
        plot="Vườn ông Y Rof, thửa 12",
        steps=[
            {"on": date(2026, 11, 10), "name": "Thu hái quả chín"},
            {"on": date(2026, 11, 14), "name": "Phơi và xay xát"},
            {"on": date(2026, 11, 20), "name": "Rang, xay và đóng hộp"},
        ],
    )
