"""HTML → PDF with WeasyPrint, a bundled Vietnamese-capable font, and QR codes as data URIs.

Shared by every app that prints (the portal's procedure guides, the dossiers' official forms).

The fonts are bundled, not taken from the system, so that a printed document looks the same on
every machine: the sans-serif of guides and screens comes from a Python package
(font-source-sans-pro, SIL OFL 1.1); the serif of official documents (Decree 30/2020/NĐ-CP asks
for Times New Roman or a metric-compatible serif with Vietnamese letters) is Liberation Serif
2.1.5, vendored in `fonts/liberation-serif/` with its licence (SIL OFL 1.1; Debian's
fonts-liberation 1.x lacks Ơ, Ư and U+1EA0–1EF9, the 2.x of fonts-liberation2 has them).
WeasyPrint may read only these font folders and `data:` URIs: no network, no other file, whatever
a template contains.
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
SERIF_DIR = (Path(__file__).resolve().parent / "fonts" / "liberation-serif").resolve()
SERIF_FILES = {
    "regular": SERIF_DIR / "LiberationSerif-Regular.ttf",
    "italic": SERIF_DIR / "LiberationSerif-Italic.ttf",
    "semibold": SERIF_DIR / "LiberationSerif-Bold.ttf",  # no semibold: bold stands in
    "bold": SERIF_DIR / "LiberationSerif-Bold.ttf",
    "bold_italic": SERIF_DIR / "LiberationSerif-BoldItalic.ttf",
}
FONT_DIRS = (FONT_DIR, SERIF_DIR)
# (key of FONT_FILES, CSS font-weight, CSS font-style)
_FACES = (
    ("regular", 400, "normal"),
    ("italic", 400, "italic"),
    ("semibold", 600, "normal"),
    ("bold", 700, "normal"),
    ("bold_italic", 700, "italic"),
)


def font_urls(*, serif: bool = False) -> dict[str, str]:
    """`file://` URLs of the bundled font, for a template's @font-face rules."""
    files = SERIF_FILES if serif else FONT_FILES
    return {weight: path.as_uri() for weight, path in files.items()}


def font_face_css(family: str = "Doc Sans", *, serif: bool = False) -> SafeString:
    """@font-face rules declaring the bundled font under `family` (regular, italic, bold…);
    `serif`: the official documents' serif instead of the sans-serif."""
    if not family.replace(" ", "").isalnum():
        raise ValueError(f"not a plain font family name: {family!r}")
    urls = font_urls(serif=serif)
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
            if not any(path.is_relative_to(folder) for folder in FONT_DIRS):
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
