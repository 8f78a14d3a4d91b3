"""The sheet of QR labels of a lot, to print and stick on each box or bag (A4, WeasyPrint).

Each label: product, lot code, harvest or production date, use-by date, producer, the QR of the
lot's address (links.lot_url) and that address written out, so a phone without a QR reader works.
"""

from django.template.loader import render_to_string

from xaso.core.pdf import font_face_css, qr_data_uri, render_pdf

from .links import lot_url

PER_PAGE = 24  # 3 × 8 labels of 70 × 37 mm, a common A4 label sheet
MAX_LABELS = 480


def labels_pdf(lot, *, count: int = PER_PAGE) -> bytes:
    count = max(1, min(int(count), MAX_LABELS))
    url = lot_url(lot)
    return render_pdf(
        render_to_string(
            "market/labels.html",
            {
                "fonts": font_face_css("Label Sans"),
                "lot": lot,
                "product": lot.product,
                "producer": lot.product.producer,
                "url": url,
                "qr": qr_data_uri(url),
                "labels": range(count),
            },
        )
    )
