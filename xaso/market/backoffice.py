"""The commune officers' pages for the market, under /backoffice/market/: certificates to renew
(expiring within 60 days, or expired), producers and products, adding them, their certificates,
photos and lots, and the lots' QR label sheets. Thin: forms parse, services write."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xaso.accounts.scoping import staff_scope
from xaso.backoffice.access import page, staff_required
from xaso.core.downloads import PDF, file_response
from xaso.core.errors import DomainError
from xaso.places.models import Commune

from . import selectors, services
from .forms import CertificateForm, LotForm, PhotoForm, ProducerForm, ProductForm, steps_parsed
from .labels import PER_PAGE, labels_pdf
from .links import lot_url
from .models import Producer
from .roles import WRITE_ROLES


def _commune(request, *, write: bool = False) -> Commune:
    """The commune of the page: ?xa=CODE, else the user's first commune (scoped: 404 else)."""
    scope = staff_scope(request.user)
    code = request.GET.get("xa") or request.POST.get("xa")
    roles = WRITE_ROLES if write else None
    if code:
        return scope.commune(code, roles=roles) if roles else scope.commune(code)
    ids = sorted(scope.commune_ids(roles) if roles else scope.commune_ids())
    if not ids:
        raise Http404
    commune = Commune.objects.select_related("province").get(pk=ids[0])
    return scope.require(commune, roles) if roles else commune


def _may_write(request, commune) -> bool:
    return bool(staff_scope(request.user).roles_in(commune) & WRITE_ROLES)


def _form_error(form, error: DomainError) -> None:
    field = error.code if error.code in form.fields else None
    if field is None and error.code == "gtin_invalid":
        field = "gtin"
    form.add_error(field, str(error.message))


@staff_required
@require_GET
def home(request):
    commune = _commune(request)
    products = list(
        selectors.staff_products(request.user, commune)
        .select_related("producer__village")
        .prefetch_related("lots")
        .order_by("name", "pk")
    )
    return page(
        request,
        "market/backoffice/home.html",
        {
            "commune": commune,
            "alerts": selectors.certificate_alerts(request.user, commune),
            "products": products,
            "counts": selectors.village_counts(commune),
            "may_write": _may_write(request, commune),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def producer_new(request):
    commune = _commune(request, write=True)
    villages = list(commune.villages.all())
    form = ProducerForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            producer = services.producer_create(actor=request.user, commune=commune, **data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Producer %(name)s added.") % {"name": producer.name})
            return redirect(f"{reverse('market_office:product_new')}?xa={commune.code}")
    return page(
        request,
        "market/backoffice/form.html",
        {
            "commune": commune,
            "form": form,
            "title": _("Add a producer"),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def product_new(request):
    commune = _commune(request, write=True)
    producers = list(Producer.objects.filter(commune=commune).order_by("name"))
    form = ProductForm(request.POST or None, producers=producers)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        producer = next(p for p in producers if p.code == data.pop("producer"))
        try:
            product = services.product_create(actor=request.user, producer=producer, **data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Product %(name)s added.") % {"name": product.name})
            return redirect(_product_url(product))
    return page(
        request,
        "market/backoffice/form.html",
        {
            "commune": commune,
            "form": form,
            "title": _("Add a product"),
        },
    )


def _product_url(product) -> str:
    return f"{reverse('market_office:product', args=[product.code])}?xa={product.commune.code}"


@staff_required
@require_http_methods(["GET", "POST"])
def product(request, code: str):
    commune = _commune(request)
    found = selectors.staff_product(request.user, commune, code)
    may_write = _may_write(request, commune)
    forms = {
        "certificate": CertificateForm(prefix="c"),
        "lot": LotForm(prefix="l"),
        "photo": PhotoForm(prefix="p"),
    }
    if request.method == "POST":
        if not may_write:
            raise DomainError(_("Your role does not allow this action."), code="forbidden")
        which = request.POST.get("form", "")
        if which not in forms:
            raise Http404
        bound = {"certificate": CertificateForm, "lot": LotForm, "photo": PhotoForm}[which](
            request.POST, request.FILES, prefix=which[0]
        )
        forms[which] = bound
        if bound.is_valid():
            try:
                _write(request, which, found, bound.cleaned_data)
            except DomainError as error:
                _form_error(bound, error)
            else:
                return redirect(_product_url(found))
    day = selectors.today()
    certificates = list(found.certificates.all())
    return page(
        request,
        "market/backoffice/product.html",
        {
            "commune": commune,
            "product": found,
            "may_write": may_write,
            "forms": forms,
            "certificates": [(c, c.is_valid_on(day)) for c in certificates],
            "photos": list(found.photos.all()),
            "lots": [
                (lot, lot_url(lot))
                for lot in found.lots.order_by("-produced_on", "code").select_related("product")
            ],
            "per_page": PER_PAGE,
        },
    )


def _write(request, which: str, product, data: dict) -> None:
    if which == "certificate":
        services.certificate_add(actor=request.user, product=product, **data)
        messages.success(request, _("Certificate added."))
    elif which == "lot":
        steps = steps_parsed(data.pop("steps"))
        lot = services.lot_create(actor=request.user, product=product, steps=steps, **data)
        messages.success(request, _("Lot %(code)s added.") % {"code": lot.code})
    else:
        services.product_photo_add(actor=request.user, product=product, data=data["photo"])
        messages.success(request, _("Photo added."))


@staff_required
@require_GET
def lot_labels(request, code: str):
    commune = _commune(request)
    lot = selectors.staff_lot(request.user, commune, code)
    try:
        count = int(request.GET.get("so", PER_PAGE))
    except ValueError:
        count = PER_PAGE
    return file_response(labels_pdf(lot, count=count), f"nhan-{lot.code}.pdf", PDF, inline=True)
