"""HTML → PDF with WeasyPrint, a bundled Vietnamese-capable font, and QR codes as data URIs.

Shared by every app that prints (the portal's procedure guides, the dossiers' official forms).

The font comes from a Python package (font-source-sans-pro, SIL OFL 1.1), not from the system:
Debian's fonts-liberation lacks Ơ, Ư and U+1EA0–1EF9, and a printed document must look the same on
every machine. WeasyPrint may read only that font folder and `data:` URIs: no network, no other
file, whatever a template contains.
"""

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

import font_source_sans_pro
import segno
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher

# WeasyPrint logs every rendering step at INFO: noise in a server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = Path(font_source_sans_pro.font_directory).resolve()
FONT_FILES = {
    "regular": FONT_DIR / "SourceSansPro-Regular.ttf",
    "italic": FONT_DIR / "SourceSansPro-It.ttf",
    "semibold": FONT_DIR / "SourceSansPro-Semibold.ttf",
    "bold": FONT_DIR / "SourceSansPro-Bold.ttf",
    "bold_italic": FONT_DIR / "SourceSansPro-BoldIt.ttf",
}
# (key of FONT_FILES, CSS font-weight, CSS font-style)
_FACES = (
    ("regular", 400, "normal"),
    ("italic", 400, "italic"),
    ("semibold", 600, "normal"),
    ("bold", 700, "normal"),
    ("bold_italic", 700, "italic"),
)


def font_urls() -> dict[str, str]:
    """`file://` URLs of the bundled font, for a template's @font-face rules."""
    return {weight: path.as_uri() for weight, path in FONT_FILES.items()}


def font_face_css(family: str = "Doc Sans") -> SafeString:
    """@font-face rules declaring the bundled font under `family` (regular, italic, bold…)."""
    if not family.replace(" ", "").isalnum():
        raise ValueError(f"not a plain font family name: {family!r}")
    urls = font_urls()
    return mark_safe(  # noqa: S308 - built only from our own file URLs and a checked name
        "\n".join(
            f'@font-face {{ font-family: "{family}"; src: url("{urls[key]}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
            for key, weight, style in _FACES
        )
    )


class LocalFetcher(URLFetcher):
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


def render_document(html: str) -> Document:
    """Lay `html` out (pages known, nothing written yet), fetching only the bundled font."""
    return HTML(string=html, url_fetcher=LocalFetcher()).render()


def render_pdf(html: str) -> bytes:
    """The PDF of `html`, however many pages it takes."""
    return render_document(html).write_pdf()


def fitted_pdf(
    render: Callable[[str], str], densities: Sequence[str], *, max_pages: int = 1
) -> bytes:
    """The first density whose HTML (`render(density)`) lays out on at most `max_pages` pages,
    else the densest one (which then takes more pages: nothing is ever cut off)."""
    if not densities:
        raise ValueError("at least one density is needed")
    for density in densities:
        document = render_document(render(density))
        if len(document.pages) <= max_pages:
            break
    return document.write_pdf()


def one_page_pdf(render: Callable[[str], str], densities: Sequence[str]) -> bytes:
    """The first density whose HTML (`render(density)`) lays out on one page, else the densest."""
    return fitted_pdf(render, densities, max_pages=1)
