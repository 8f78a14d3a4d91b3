"""The portal's printable guides use the shared PDF toolkit of `xaso.core.pdf` (WeasyPrint, the
bundled Vietnamese-capable font, restricted fetching, QR codes as data URIs)."""

from xaso.core.pdf import font_urls, one_page_pdf, qr_data_uri

__all__ = ["font_urls", "one_page_pdf", "qr_data_uri"]
