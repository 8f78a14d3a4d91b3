"""HTML → PDF with WeasyPrint, a bundled Vietnamese-capable font, and QR codes as data URIs.

The font comes from a Python package (font-source-sans-pro, SIL OFL 1.1), not from the system:
Debian's fonts-liberation lacks Ơ, Ư and U+1EA0–1EF9, and a printed guide must look the same on
every machine. WeasyPrint may read only that font folder and `data:` URIs: no network, no other
file, whatever a template contains.
"""

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

import font_source_sans_pro
import segno
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# WeasyPrint logs every rendering step at INFO: noise in a server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = Path(font_source_sans_pro.font_directory).resolve()
FONT_FILES = {
    "regular": FONT_DIR / "SourceSansPro-Regular.ttf",
    "semibold": FONT_DIR / "SourceSansPro-Semibold.ttf",
    "bold": FONT_DIR / "SourceSansPro-Bold.ttf",
}


def font_urls() -> dict[str, str]:
    """`file://` URLs of the bundled font, for the template's @font-face rules."""
    return {weight: path.as_uri() for weight, path in FONT_FILES.items()}


class _LocalFetcher(URLFetcher):
    """Fetches the bundled font files and `data:` URIs, and nothing else."""

    def __init__(self):
        super().__init__(
            allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=True
        )

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not path.is_relative_to(FONT_DIR):
                raise ValueError(f"not a bundled font: {url}")
        return super().fetch(url, headers)


def qr_data_uri(url: str) -> str:
    """A QR code for `url` as an SVG data URI (crisp at any print size)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)


def one_page_pdf(render: Callable[[str], str], densities: Sequence[str]) -> bytes:
    """The first density whose HTML (`render(density)`) lays out on one page, else the densest."""
    for density in densities:
        document = HTML(string=render(density), url_fetcher=_LocalFetcher()).render()
        if len(document.pages) == 1:
            break
    return document.write_pdf()
