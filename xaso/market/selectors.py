"""Reads of the market: the public catalogue, traceability, feeds, the officers' lists and the
per-village counts. Lists run a fixed number of queries, whatever their length.

"Valid" always means valid today (Django's clock): an expired certificate is never shown as valid.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from xaso.accounts.scoping import staff_scope
from xaso.core.errors import NotFound
from xaso.places.models import Commune

from .models import Certificate, Lot, Producer, Product, ProductPhoto
from .services import WARN_DAYS

LOTS_SHOWN = 5  # a product's current lots in the API


def today() -> date:
    return timezone.localdate()


def valid_certificates_q(day: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}issued_on__lte": day, f"{prefix}valid_until__gte": day})


def _valid_prefetch(day: date, to_attr: str = "valid_certificates") -> Prefetch:
    return Prefetch(
        "certificates",
        queryset=Certificate.objects.filter(valid_certificates_q(day)).order_by("kind", "pk"),
        to_attr=to_attr,
    )


def public_commune(code: str) -> Commune:
    commune = Commune.objects.select_related("province").filter(code=code).first()
    if commune is None:
        raise NotFound(code="commune_not_found")
    return commune


def listed_products(commune: Commune | None = None) -> QuerySet:
    """Products buyers may see: listed, of a producer who agreed to be published."""
    products = Product.objects.filter(listed=True, producer__publish_consent=True)
    if commune is not None:
        products = products.filter(commune=commune)
    return products


def catalogue(
    commune: Commune | None = None,
    *,
    category: str = "",
    village: str = "",
    day: date | None = None,
) -> list[Product]:
    """The public catalogue: three queries (products with producer and village, their valid
    certificates, their photos)."""
    day = day or today()
    products = listed_products(commune)
    if category:
        products = products.filter(category=category)
    if village:
        products = products.filter(producer__village__code=village)
    return list(
        products.select_related("producer__village", "commune__province")
        .prefetch_related(_valid_prefetch(day), "photos")
        .order_by("category", "name", "pk")
    )


def catalogue_villages(commune: Commune) -> list[tuple[str, str]]:
    """Villages that have a listed product: (code, name), for the catalogue's filter."""
    rows = (
        listed_products(commune)
        .exclude(producer__village=None)
        .values_list("producer__village__code", "producer__village__name")
        .distinct()
    )
    from xaso.core.text import vietnamese_sort_key

    return sorted(set(rows), key=lambda row: vietnamese_sort_key(row[1]))


def product_public(commune_code: str, code: str, *, day: date | None = None) -> Product:
    day = day or today()
    product = (
        listed_products()
        .filter(commune__code=commune_code, code=code)
        .select_related("producer__village", "commune__province")
        .prefetch_related(_valid_prefetch(day), "photos")
        .first()
    )
    if product is None:
        raise NotFound(code="product_not_found")
    return product


def photo_public(token: str) -> ProductPhoto:
    photo = (
        ProductPhoto.objects.filter(token=token, product__in=listed_products())
        .select_related("product")
        .first()
    )
    if photo is None:
        raise NotFound(code="photo_not_found")
    return photo


def _lot_query(day: date) -> QuerySet:
    return Lot.objects.select_related(
        "product__producer__village", "product__commune__province"
    ).prefetch_related(
        "steps",
        Prefetch(
            "product__certificates",
            queryset=Certificate.objects.filter(valid_certificates_q(day)),
            to_attr="valid_certificates",
        ),
        "product__photos",
    )


def lot_public(code: str, *, day: date | None = None) -> Lot:
    """A lot's traceability answer: its product (listed or not: a label printed stays readable),
    producer, steps and the certificates valid today."""
    lot = _lot_query(day or today()).filter(code=(code or "").strip().upper()).first()
    if lot is None:
        raise NotFound(code="lot_not_found")
    return lot


def lot_by_digital_link(gtin: str, lot_code: str, *, day: date | None = None) -> Lot:
    """The lot named by a GS1 Digital Link (`/01/<GTIN-14>/10/<lot>`)."""
    digits = (gtin or "").lstrip("0")
    lot = _lot_query(day or today()).filter(code=(lot_code or "").upper()).first()
    if lot is None or not lot.product.gtin or lot.product.gtin.lstrip("0") != digits:
        raise NotFound(code="lot_not_found")
    return lot


def current_lots(products: list[Product], *, day: date | None = None) -> dict[int, list[Lot]]:
    """Each product's lots not past their use-by date, newest first (one query)."""
    day = day or today()
    found: dict[int, list[Lot]] = {product.pk: [] for product in products}
    lots = (
        Lot.objects.filter(product__in=products)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .order_by("-produced_on", "code")
    )
    for lot in lots:
        if len(found[lot.product_id]) < LOTS_SHOWN:
            found[lot.product_id].append(lot)
    return found


# --- staff ---------------------------------------------------------------------------------------


def staff_products(user, commune: Commune) -> QuerySet:
    return staff_scope(user).filter(Product.objects.filter(commune=commune))


def staff_product(user, commune: Commune, code: str) -> Product:
    product = (
        staff_products(user, commune)
        .select_related("producer", "commune")
        .filter(code=code)
        .first()
    )
    if product is None:
        raise NotFound(code="product_not_found")
    return product


def staff_producer(user, commune: Commune, code: str) -> Producer:
    producer = staff_scope(user).filter(Producer.objects.filter(commune=commune, code=code)).first()
    if producer is None:
        raise NotFound(code="producer_not_found")
    return producer


def staff_lot(user, commune: Commune, code: str) -> Lot:
    lot = (
        staff_scope(user)
        .filter(
            Lot.objects.filter(product__commune=commune, code=code.upper()),
            commune_field="product__commune",
        )
        .select_related("product__producer", "product__commune")
        .first()
    )
    if lot is None:
        raise NotFound(code="lot_not_found")
    return lot


@dataclass(frozen=True)
class CertificateAlert:
    certificate: Certificate
    expired: bool
    days_left: int


def certificate_alerts(
    user, commune: Commune, *, day: date | None = None, expired_days: int = 365
) -> list[CertificateAlert]:
    """What the officer must act on: certificates expiring within WARN_DAYS days, and those
    expired in the last year whose product has no newer valid certificate of the same kind."""
    day = day or today()
    rows = (
        staff_scope(user)
        .filter(
            Certificate.objects.filter(
                product__commune=commune,
                valid_until__gte=day - timedelta(days=expired_days),
                valid_until__lte=day + timedelta(days=WARN_DAYS),
            ),
            commune_field="product__commune",
        )
        .select_related("product__producer")
        .order_by("valid_until", "pk")
    )
    renewed = set(
        Certificate.objects.filter(
            product__commune=commune, valid_until__gt=day + timedelta(days=WARN_DAYS)
        )
        .filter(issued_on__lte=day)
        .values_list("product_id", "kind")
    )
    alerts = []
    for certificate in rows:
        if (certificate.product_id, certificate.kind) in renewed:
            continue
        alerts.append(
            CertificateAlert(
                certificate, certificate.valid_until < day, (certificate.valid_until - day).days
            )
        )
    return alerts


# --- for the village teams and the reports --------------------------------------------------------


@dataclass(frozen=True)
class VillageMarketCount:
    village_code: str
    village_name: str
    products_listed: int
    shops: int  # producers with at least one listed product


def village_counts(commune: Commune) -> list[VillageMarketCount]:
    """Per village of the commune: products listed and producers selling ("shops opened"); one
    query. Producers without a village are counted under village_code ""."""
    rows = (
        listed_products(commune)
        .values("producer__village__code", "producer__village__name")
        .annotate(products=Count("pk"), shops=Count("producer", distinct=True))
        .order_by()
    )
    from xaso.core.text import vietnamese_sort_key

    counts = [
        VillageMarketCount(
            row["producer__village__code"] or "",
            row["producer__village__name"] or "",
            row["products"],
            row["shops"],
        )
        for row in rows
    ]
    return sorted(counts, key=lambda c: vietnamese_sort_key(c.village_name))


def product_staff_detail(product: Product, *, day: date | None = None) -> Product:
    """The product again with what its API answer shows (valid certificates, photos)."""
    return (
        Product.objects.select_related("producer__village", "commune")
        .prefetch_related(_valid_prefetch(day or today()), "photos")
        .get(pk=product.pk)
    )
