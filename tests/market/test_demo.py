"""The demo's market (xaso/demo/market.py): the seed article's producers, with lots on the API."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from xaso.market.models import Certificate, Lot, Producer, Product
from xaso.market.services import WARN_DAYS


def test_the_demo_has_the_articles_producers_and_lists_their_products_with_lots(
    demo_seeded, client
):
    producers = Producer.objects.filter(commune__code="DEMO-PL")
    names = set(producers.values_list("name", flat=True))
    assert "Công ty Cổ phần Nguyên Phương (demo)" in names
    assert "HTX Dịch vụ Nông nghiệp ROFC (demo)" in names
    assert producers.filter(kind="household").count() >= 2
    assert all(p.is_demo and p.publish_consent for p in producers)
    assert not Product.objects.filter(is_demo=False).exists()
    assert not Lot.objects.filter(is_demo=False).exists()

    response = client.get("/api/v1/market/products?commune=DEMO-PL")
    assert response.status_code == 200
    items = {item["name"]: item for item in response.json()["items"]}
    macadamia = items["Hạt mắc ca sấy nứt vỏ Nguyên Phương (demo)"]
    coffee = items["Cà phê Rof rang xay (demo)"]
    assert macadamia["producer"]["name"] == "Công ty Cổ phần Nguyên Phương (demo)"
    assert coffee["producer"]["name"] == "HTX Dịch vụ Nông nghiệp ROFC (demo)"
    for item in (macadamia, coffee):
        assert item["lots"] and all(lot["code"] for lot in item["lots"])
        trace = client.get(f"/api/v1/market/lots/{item['lots'][0]['code']}")
        assert trace.status_code == 200
    assert {c["kind"] for c in macadamia["certificates"]} == {"ocop", "food_safety"}
    # A household's expired VietGAP is not shown as valid.
    avocado = items["Bơ sáp Phú Lộc (demo)"]
    assert avocado["certificates"] == [] and avocado["producer"]["village"] == "Thôn Lộc Tân"


def test_the_demo_has_one_certificate_in_its_warning_and_one_expired_and_is_idempotent(
    demo_seeded,
):
    today = timezone.localdate()
    certificates = Certificate.objects.filter(product__commune__code="DEMO-PL")
    assert all(c.is_demo for c in certificates)
    soon = certificates.filter(valid_until__gte=today)
    assert soon.filter(valid_until__lte=today + timedelta(days=WARN_DAYS)).count() == 1
    assert certificates.filter(valid_until__lt=today).count() == 1
    counts = Producer.objects.count(), Product.objects.count(), Lot.objects.count()
    call_command("seed_demo", verbosity=0)
    assert (Producer.objects.count(), Product.objects.count(), Lot.objects.count()) == counts
