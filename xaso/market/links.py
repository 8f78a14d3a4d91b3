"""Where a lot's QR points: a GS1 Digital Link when the product has a real GTIN, else the
commune's own traceability address (never an invented GTIN: DOMAIN.md §8a)."""

from django.conf import settings
from django.urls import reverse

from .gtin import digital_link


def public_base() -> str:
    return (settings.XASO_PUBLIC_URL or "").rstrip("/")


def trace_path(lot) -> str:
    return reverse("market:trace", args=[lot.code])


def lot_url(lot) -> str:
    """The address printed in the lot's QR."""
    if lot.product.gtin:
        return digital_link(public_base() or "https://localhost", lot.product.gtin, lot.code)
    return f"{public_base()}{trace_path(lot)}"
