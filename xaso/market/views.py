"""The public pages of the market: the catalogue `/san-pham/`, a product and its "contact the
producer" form, the photos, and traceability `/truy-xuat/<lot>/` (also reached by a GS1 Digital
Link `/01/<GTIN-14>/10/<lot>`). Light, no JavaScript needed (like the portal's pages)."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xaso.core.errors import DomainError, NotFound
from xaso.core.ratelimit import rate_limit

from . import selectors
from .links import lot_url
from .models import Product
from .services import inquiry_send

INQUIRY_RATE_GROUP = "market_inquiry"
PHOTO_CACHE = "public, max-age=86400"


def inquiry_rate() -> str:
    return settings.XASO_RATE_MARKET_INQUIRY


def _filters(request) -> dict:
    return {
        "xa": request.GET.get("xa", "")[:16],
        "loai": request.GET.get("loai", "")[:16],
        "thon": request.GET.get("thon", "")[:40],
    }


@require_GET
def catalogue(request):
    filters = _filters(request)
    commune = None
    if filters["xa"]:
        try:
            commune = selectors.public_commune(filters["xa"])
        except NotFound as error:
            raise Http404 from error
    category = filters["loai"] if filters["loai"] in Product.Category.values else ""
    products = selectors.catalogue(commune, category=category, village=filters["thon"])
    groups: dict[str, list] = {}
    for product in products:
        groups.setdefault(product.get_category_display(), []).append(product)
    return render(
        request,
        "market/catalogue.html",
        {
            "commune": commune,
            "groups": list(groups.items()),
            "count": len(products),
            "categories": Product.Category.choices,
            "category": category,
            "villages": selectors.catalogue_villages(commune) if commune else [],
            "village": filters["thon"],
            "filtered": bool(category or filters["thon"]),
        },
    )


@require_http_methods(["GET", "POST"])
def product(request, commune: str, code: str):
    try:
        found = selectors.product_public(commune, code)
    except NotFound as error:
        raise Http404 from error
    form = {"name": "", "phone": "", "message": "", "quantity": ""}
    context = {"product": found, "producer": found.producer, "form": form}
    if request.method == "POST":
        form.update({key: request.POST.get(key, "")[:600] for key in form})
        try:
            rate_limit(request, INQUIRY_RATE_GROUP, inquiry_rate())
            quantity = form["quantity"].strip()
            if quantity and not quantity.isdigit():
                raise DomainError(_("Enter the quantity as a number, e.g. 20."), code="quantity")
            inquiry_send(
                product=found,
                name=form["name"],
                phone=form["phone"],
                message=form["message"],
                quantity=int(quantity) if quantity else None,
                language=translation.get_language(),
            )
        except DomainError as error:
            context.update(error=error.message, error_code=error.code)
            return render(request, "market/product.html", context, status=error.status)
        return redirect(reverse("market:inquiry_sent", args=[commune, code]))
    return render(request, "market/product.html", context)


@require_GET
def inquiry_sent(request, commune: str, code: str):
    try:
        found = selectors.product_public(commune, code)
    except NotFound as error:
        raise Http404 from error
    return render(request, "market/inquiry_sent.html", {"product": found})


@require_GET
def photo(request, token: str, size: str = ""):
    try:
        found = selectors.photo_public(token)
    except NotFound as error:
        raise Http404 from error
    field = found.thumbnail if size == "nho" else found.image
    with field.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type="image/jpeg")
    response["Cache-Control"] = PHOTO_CACHE
    return response


def _trace_page(request, lot):
    product = lot.product
    photos = list(product.photos.all())
    return render(
        request,
        "market/trace.html",
        {
            "lot": lot,
            "product": product,
            "producer": product.producer,
            "photo": photos[0] if photos else None,
            "steps": list(lot.steps.all()),
            "certificates": product.valid_certificates,
            "qr_url": lot_url(lot),
            "today": selectors.today(),
        },
    )


@require_GET
def trace(request, code: str):
    try:
        lot = selectors.lot_public(code)
    except NotFound as error:
        raise Http404 from error
    if lot.code != code:
        return redirect(reverse("market:trace", args=[lot.code]))
    return _trace_page(request, lot)


@require_GET
def digital_link(request, gtin: str, lot: str):
    """GS1 Digital Link `/01/<GTIN>/10/<lot>` (extra qualifiers such as ?17= are ignored)."""
    try:
        found = selectors.lot_by_digital_link(gtin, lot)
    except NotFound as error:
        raise Http404 from error
    return _trace_page(request, found)
