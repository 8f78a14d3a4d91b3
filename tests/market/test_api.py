import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.helpers.api import assert_error
from tests.market.conftest import jpeg_bytes
from xaso.market import services
from xaso.market.feeds import COLUMNS

REQUIRED = [
    "name",
    "category",
    "price",
    "unit",
    "min_order",
    "net_weight_g",
    "packed_weight_g",
    "length_cm",
    "width_cm",
    "height_cm",
    "photos",
    "description",
    "origin",
    "certificates",
    "gtin",
]


@pytest.fixture
def catalogue(world, producer, product, lot):
    services.product_photo_add(actor=None, product=product, data=jpeg_bytes())
    services.certificate_add(
        actor=None,
        product=product,
        kind="ocop",
        stars=4,
        number="1234/QĐ-UBND",
        issued_on=date(2025, 3, 1),
    )
    second = services.product_create(
        actor=None,
        producer=producer,
        name="=Cà phê nhân xanh",
        category="beverage",
        unit="kg",
        price=95_000,
        min_order=10,
        net_weight_g=1000,
        packed_weight_g=1050,
        length_cm=30,
        width_cm=20,
        height_cm=10,
        description="Robusta",
        gtin="",
    )
    hidden = services.product_create(
        actor=None,
        producer=producer,
        name="Chưa bán",
        category="food",
        unit="kg",
        price=1,
        listed=False,
    )
    return [product, second, hidden]


def test_products_carry_their_producer_certificates_and_lots(
    api, world, catalogue, lot, django_assert_num_queries
):
    with django_assert_num_queries(5):  # commune, products, certificates, photos, lots
        response = api.get(f"/api/v1/market/products?commune={world.commune.code}")
    items = response.json()["items"]
    assert [item["name"] for item in items] == ["=Cà phê nhân xanh", "Cà phê Rof rang xay"]
    rof = items[1]
    assert rof["producer"]["name"] == "HTX Dịch vụ Nông nghiệp Rof"
    assert rof["lots"][0]["code"] == lot.code
    assert rof["certificates"][0]["stars"] == 4 and rof["gtin"] == "8930000000019"
    assert "phone" not in rof["producer"]


def test_a_lot_answers_with_its_traceability(api, lot):
    body = api.get(f"/api/v1/market/lots/{lot.code}").json()
    assert body["product"]["name"] == "Cà phê Rof rang xay"
    assert body["producer"]["commune"] == "Xã Thử A"
    assert body["produced_on"] == "2026-11-10" and body["expires_on"] == "2027-11-10"
    assert len(body["steps"]) == 3
    assert_error(api.get("/api/v1/market/lots/NOPE"), 404, "lot_not_found")
    assert_error(api.get("/api/v1/market/products?commune=NOPE"), 404, "commune_not_found")


def test_the_feed_opens_in_each_format_with_every_listed_product(api, world, catalogue):
    url = f"/api/v1/market/feed?commune={world.commune.code}&format="
    listed = {"Cà phê Rof rang xay", "=Cà phê nhân xanh"}

    items = json.loads(api.get(url + "json").content)["items"]
    assert {item["name"] for item in items} == listed
    for item in items:
        assert set(REQUIRED) <= set(item)
        assert item["price"] > 0 and item["unit"] and item["origin"].endswith("Việt Nam")
    rof = next(item for item in items if item["gtin"])
    assert rof["photos"][0].endswith(".jpg") and "OCOP 4 sao" in rof["certificates"][0]
    assert rof["net_weight_g"] == 500 and rof["height_cm"] == 6

    response = api.get(url + "csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    headings = {c.key: c.heading for c in COLUMNS}
    assert {row[headings["name"]].lstrip("'") for row in rows} == listed
    assert any(row[headings["name"]] == "'=Cà phê nhân xanh" for row in rows)  # never a formula
    for row in rows:
        assert all(headings[key] in row for key in REQUIRED)
        assert row[headings["price"]] and row[headings["unit"]] and row[headings["origin"]]

    book = load_workbook(io.BytesIO(api.get(url + "xlsx").content))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    assert all(headings[key] in header for key in REQUIRED)
    records = [dict(zip(header, [c.value for c in row], strict=True)) for row in sheet.iter_rows(2)]
    assert {record[headings["name"]] for record in records} == listed
    formula = next(r for r in sheet.iter_rows(2) if r[1].value.startswith("="))
    assert formula[1].data_type == "s" and formula[1].quotePrefix
    rof_row = next(r for r in records if r[headings["gtin"]])
    assert rof_row[headings["gtin"]] == "8930000000019" and rof_row[headings["price"]] == 120000

    assert api.get(url + "pdf").status_code == 400


def test_staff_write_a_product_and_a_wrong_gtin_is_refused(api, world, producer):
    client = api.as_user(world.user("specialist"))
    base = f"/api/v1/market/communes/{world.commune.code}"
    body = {
        "producer": producer.code,
        "name": "Mắc ca",
        "category": "food",
        "unit": "hop",
        "price": 250000,
        "gtin": "8934563138164",
    }
    error = assert_error(client.post(f"{base}/products", body), 400, "gtin_invalid")
    assert "5" in error["message"]
    created = client.post(f"{base}/products", {**body, "gtin": "8934563138165"})
    assert created.status_code == 201 and created.json()["gtin"] == "8934563138165"
    code = created.json()["code"]
    lot = client.post(
        f"{base}/products/{code}/lots",
        {
            "produced_on": "2026-11-20",
            "quantity": "3",
            "steps": [{"on": "2026-11-22", "name": "Sấy"}],
        },
    )
    assert lot.status_code == 201 and lot.json()["qr_url"].endswith(f"/10/{lot.json()['code']}")
    cert = client.post(
        f"{base}/products/{code}/certificates",
        {
            "kind": "vietgap",
            "number": "VG-2",
            "issued_on": "2025-01-01",
            "valid_until": "2028-01-01",
        },
    )
    assert_error(cert, 400, "valid_until")
    labels = client.get(f"{base}/lots/{lot.json()['code']}/labels.pdf?count=3")
    assert labels.status_code == 200 and labels.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ["commune_admin", "specialist", "community_member"])
def test_the_officers_and_the_village_team_may_write(api, world, producer, role):
    client = api.as_user(world.user(role))
    response = client.patch(
        f"/api/v1/market/communes/{world.commune.code}/products/"
        f"{services.product_create(actor=None, producer=producer, name='Bơ', category='food', unit='kg', price=1).code}",  # noqa: E501
        {"price": 2},
    )
    assert response.status_code == 200 and response.json()["price"] == 2


@pytest.mark.parametrize("role", ["reception", "leader", "province_viewer"])
def test_other_roles_may_not_write(api, world, producer, role):
    body = {"kind": "household", "name": "Hộ C", "representative": "C", "phone": "0911111111"}
    response = api.as_user(world.user(role)).post(
        f"/api/v1/market/communes/{world.commune.code}/producers", body
    )
    assert_error(response, 403, "forbidden")


def test_another_communes_officer_gets_404(api, world, product, lot):
    client = api.as_user(world.user("other_specialist"))
    base = f"/api/v1/market/communes/{world.commune.code}"
    assert_error(
        client.patch(f"{base}/products/{product.code}", {"price": 1}), 404, "commune_not_found"
    )
    assert_error(client.get(f"{base}/lots/{lot.code}/labels.pdf"), 404, "commune_not_found")
    assert_error(client.get(f"{base}/certificate-alerts"), 404, "commune_not_found")
    # Their own commune does not hold this product either.
    other = f"/api/v1/market/communes/{world.other_commune.code}/products/{product.code}"
    assert_error(client.patch(other, {"price": 1}), 404, "product_not_found")
