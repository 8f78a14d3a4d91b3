"""The market's API: public reads (products with their current lots, a lot's traceability, the
marketplace feed) and the officers' writes under /market/communes/{code}/… (scoped: another
commune's officer gets 404, a role that may not write 403)."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from ninja import Field, PatchDict, Query, Router, Schema, Status

from xaso.accounts.scoping import staff_scope
from xaso.core.downloads import PDF, XLSX, file_response
from xaso.core.ratelimit import rate_limit

from . import feeds, selectors, services
from .labels import PER_PAGE, labels_pdf
from .links import lot_url, public_base
from .models import Certificate, Producer, Product
from .roles import WRITE_ROLES

public_router = Router(tags=["market"])
staff_router = Router(tags=["staff"])
FEED_RATE = "30/m"


def _day(value):
    return value.isoformat() if value else None


def _certificate(c) -> dict:
    return {
        "kind": c.kind,
        "stars": c.stars,
        "number": c.number,
        "issuer": c.issuer,
        "issued_on": _day(c.issued_on),
        "valid_until": _day(c.valid_until),
    }


def _producer(p) -> dict:
    return {
        "code": p.code,
        "name": p.name,
        "kind": p.kind,
        "village": p.village.name if p.village else None,
        "address": p.address,
    }


def _lot_brief(lot) -> dict:
    return {
        "code": lot.code,
        "produced_on": _day(lot.produced_on),
        "expires_on": _day(lot.expires_on),
        "quantity": str(lot.quantity),
        "trace_url": f"{public_base()}{reverse('market:trace', args=[lot.code])}",
    }


def _product(p, lots=()) -> dict:
    base = public_base()
    return {
        "code": p.code,
        "commune": p.commune.code,
        "name": p.name,
        "category": p.category,
        "unit": p.unit,
        "price": p.price,
        "min_order": p.min_order,
        "season": p.season,
        "net_weight_g": p.net_weight_g,
        "packed_weight_g": p.packed_weight_g,
        "length_cm": p.length_cm,
        "width_cm": p.width_cm,
        "height_cm": p.height_cm,
        "shelf_life_days": p.shelf_life_days,
        "description": p.description,
        "gtin": p.gtin,
        "listed": p.listed,
        "photos": [f"{base}{reverse('market:photo', args=[ph.token])}" for ph in p.photos.all()],
        "producer": _producer(p.producer),
        "certificates": [_certificate(c) for c in getattr(p, "valid_certificates", [])],
        "lots": [_lot_brief(lot) for lot in lots],
        "url": f"{base}{reverse('market:product', args=[p.commune.code, p.code])}",
    }


@public_router.get("/market/products", auth=None)
def products_list(request, commune: str = Query(..., max_length=16)) -> dict:
    """A commune's listed products, each with its producer, valid certificates and current lots
    (not past their use-by date). Four queries, whatever the number of products."""
    found = selectors.public_commune(commune)
    products = selectors.catalogue(found)
    lots = selectors.current_lots(products)
    return {"items": [_product(p, lots[p.pk]) for p in products]}


def _trace(lot) -> dict:
    product = lot.product
    producer = product.producer
    return {
        "code": lot.code,
        "url": lot_url(lot),
        "product": {
            "code": product.code,
            "name": product.name,
            "category": product.category,
            "gtin": product.gtin,
            "photos": [
                f"{public_base()}{reverse('market:photo', args=[ph.token])}"
                for ph in product.photos.all()
            ],
        },
        "producer": {
            **_producer(producer),
            "tax_code": producer.tax_code,
            "commune": product.commune.name,
            "province": product.commune.province.name,
        },
        "produced_on": _day(lot.produced_on),
        "expires_on": _day(lot.expires_on),
        "quantity": str(lot.quantity),
        "plot": lot.plot,
        "steps": [{"on": _day(s.on), "name": s.name, "note": s.note} for s in lot.steps.all()],
        "certificates": [_certificate(c) for c in product.valid_certificates],
    }


@public_router.get("/market/lots/{code}", auth=None)
def lot_detail(request, code: str) -> dict:
    """A lot's traceability answer (Circular 02/2024/TT-BKHCN): product, producer and address,
    harvest or production date, codes, use-by date, steps and the certificates valid today."""
    return _trace(selectors.lot_public(code[:20]))


@public_router.get("/market/feed", auth=None)
def feed(
    request,
    commune: str = Query(..., max_length=16),
    format: Literal["csv", "xlsx", "json"] = "json",
):
    """The listed products with the fields PostMart and Voso sellers upload: name, category,
    price, unit, minimum order, weights, size, photos' addresses, description, origin,
    certificates, GTIN."""
    rate_limit(request, "market_feed", FEED_RATE)
    found = selectors.public_commune(commune)
    rows = feeds.feed_rows(found)
    name = f"san-pham-{found.code}"
    if format == "csv":
        return file_response(feeds.as_csv(rows), f"{name}.csv", "text/csv; charset=utf-8")
    if format == "xlsx":
        return file_response(feeds.as_xlsx(rows), f"{name}.xlsx", XLSX)
    return file_response(
        feeds.as_json(rows, found), f"{name}.json", "application/json", inline=True
    )


# --- staff ---------------------------------------------------------------------------------------


def _writable(request, code: str):
    return staff_scope(request.user).commune(code, roles=WRITE_ROLES)


class ProducerIn(Schema):
    kind: Producer.Kind
    name: str = Field(min_length=1, max_length=160)
    representative: str = Field(min_length=1, max_length=120)
    phone: str = Field(max_length=20)
    village: str = Field("", max_length=40, description="the village's code")
    contact_channel: Producer.Channel = Producer.Channel.SMS
    address: str = Field("", max_length=200)
    tax_code: str = Field("", max_length=20)
    publish_consent: bool = False


class ProductFields(Schema):
    name: str = Field(min_length=1, max_length=160)
    category: Product.Category
    unit: Product.Unit
    price: int = Field(ge=0, le=10**12)
    min_order: int = Field(1, ge=1, le=10**6)
    season: str = Field("", max_length=80)
    net_weight_g: int | None = Field(None, ge=0, le=10**7)
    packed_weight_g: int | None = Field(None, ge=0, le=10**7)
    length_cm: int | None = Field(None, ge=0, le=10**4)
    width_cm: int | None = Field(None, ge=0, le=10**4)
    height_cm: int | None = Field(None, ge=0, le=10**4)
    shelf_life_days: int | None = Field(None, ge=0, le=36500)
    description: str = Field("", max_length=4000)
    gtin: str = Field("", max_length=20)
    listed: bool = True


class ProductIn(ProductFields):
    producer: str = Field(max_length=60, description="the producer's code")


class CertificateIn(Schema):
    kind: Certificate.Kind
    number: str = Field(min_length=1, max_length=60)
    issued_on: date
    valid_until: date | None = None
    stars: int | None = Field(None, ge=1, le=5)
    issuer: str = Field("", max_length=160)


class StepSchema(Schema):
    on: date
    name: str = Field(min_length=1, max_length=120)
    note: str = Field("", max_length=200)


class LotIn(Schema):
    produced_on: date
    quantity: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    plot: str = Field("", max_length=200)
    expires_on: date | None = None
    steps: list[StepSchema] = Field(default_factory=list, max_length=50)


@staff_router.post("/market/communes/{code}/producers", response={201: dict})
def producer_create(request, code: str, payload: ProducerIn):
    commune = _writable(request, code)
    producer = services.producer_create(actor=request.user, commune=commune, **payload.dict())
    answer = {
        **_producer(producer),
        "phone": producer.phone,
        "publish_consent": producer.publish_consent,
    }
    return Status(201, answer)


@staff_router.post("/market/communes/{code}/products", response={201: dict})
def product_create(request, code: str, payload: ProductIn):
    """A product of one of the commune's producers; a GTIN is checked by its check digit (400
    `gtin_invalid` with the digit it should be)."""
    commune = _writable(request, code)
    data = payload.dict()
    producer = selectors.staff_producer(request.user, commune, data.pop("producer"))
    product = services.product_create(actor=request.user, producer=producer, **data)
    return Status(201, _product(selectors.product_staff_detail(product)))


@staff_router.patch("/market/communes/{code}/products/{product_code}")
def product_update(request, code: str, product_code: str, payload: PatchDict[ProductFields]):
    commune = _writable(request, code)
    product = selectors.staff_product(request.user, commune, product_code)
    services.product_update(actor=request.user, product=product, **payload)
    return _product(selectors.product_staff_detail(product))


@staff_router.post(
    "/market/communes/{code}/products/{product_code}/certificates", response={201: dict}
)
def certificate_add(request, code: str, product_code: str, payload: CertificateIn):
    """OCOP (3–5★, 36 months from the decision unless an earlier end is given), VietGAP (at most
    2 years), organic, food safety."""
    commune = _writable(request, code)
    product = selectors.staff_product(request.user, commune, product_code)
    certificate = services.certificate_add(actor=request.user, product=product, **payload.dict())
    return Status(201, _certificate(certificate))


@staff_router.post("/market/communes/{code}/products/{product_code}/lots", response={201: dict})
def lot_create(request, code: str, product_code: str, payload: LotIn):
    """A lot with its processing steps; the answer carries its code and the QR's address."""
    commune = _writable(request, code)
    product = selectors.staff_product(request.user, commune, product_code)
    data = payload.dict()
    steps = [services.StepIn(**step) for step in data.pop("steps")]
    lot = services.lot_create(actor=request.user, product=product, steps=steps, **data)
    return Status(201, {**_lot_brief(lot), "qr_url": lot_url(lot)})


@staff_router.get("/market/communes/{code}/certificate-alerts")
def certificate_alerts(request, code: str) -> dict:
    """Certificates expiring within 60 days, and those expired and not renewed."""
    commune = staff_scope(request.user).commune(code)
    return {
        "items": [
            {
                **_certificate(a.certificate),
                "product": a.certificate.product.code,
                "producer": a.certificate.product.producer.name,
                "expired": a.expired,
                "days_left": a.days_left,
            }
            for a in selectors.certificate_alerts(request.user, commune)
        ]
    }


@staff_router.get("/market/communes/{code}/lots/{lot_code}/labels.pdf")
def lot_labels(request, code: str, lot_code: str, count: int = Query(PER_PAGE, ge=1, le=480)):
    """The lot's sheet of QR labels (A4 PDF, 24 a page)."""
    commune = staff_scope(request.user).commune(code)
    lot = selectors.staff_lot(request.user, commune, lot_code)
    return file_response(labels_pdf(lot, count=count), f"nhan-{lot.code}.pdf", PDF, inline=True)
