"""Accepting an uploaded file (DESIGN.md §5, OWASP ASVS V5): size capped, type sniffed from the
content, images re-encoded without their metadata, stored under a random name.

Nothing the client says about the file is trusted: neither its name nor its content type. The
name is not even stored (it often carries a person's name, "CCCD Nguyen Van A.jpg").
"""

import hashlib
import io
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from xaso.core.audit import audit_record
from xaso.core.errors import DomainError
from xaso.core.storage import encrypted_storage, is_storage_full

from .models import Upload

logger = logging.getLogger("xaso.dossiers")

DEFAULT_MAX_PIXELS = 40_000_000  # 40 MP: above any phone's default photo, far below a bomb

MAGIC = (
    (b"%PDF-", Upload.Kind.PDF),
    (b"\xff\xd8\xff", Upload.Kind.JPEG),
    (b"\x89PNG\r\n\x1a\n", Upload.Kind.PNG),
)
PIL_FORMAT = {Upload.Kind.JPEG: "JPEG", Upload.Kind.PNG: "PNG"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def upload_page_response(upload: Upload, filename: str) -> FileResponse:
    """A stored upload for a page's link: an image shown, a PDF downloaded (a stored PDF may hold
    scripts), never sniffed, sandboxed."""
    response = FileResponse(
        upload.file.open("rb"),
        as_attachment=upload.kind == "pdf",
        filename=f"{filename}.{upload.extension}",
        content_type=CONTENT_TYPES[upload.kind],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# The modes PNG stores as they are; anything else is converted (see `_pixels_only`).
PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}
# What Pillow raises on a broken image: truncated data, bad chunks, impossible headers.
BROKEN = (OSError, SyntaxError, ValueError, EOFError, IndexError)


class FileTooLarge(DomainError):
    code = "file_too_large"
    status = 413

    def __init__(self):
        mb = f"{max_bytes() / 1024 / 1024:g}"
        super().__init__(_("A file can be at most %(mb)s MB.") % {"mb": mb})


class FileTypeRefused(DomainError):
    code = "file_type"
    status = 415


class FileCorrupt(DomainError):
    code = "file_corrupt"


class ImageTooLarge(DomainError):
    """Too many pixels (a decompression bomb is small on disk and huge in memory)."""

    code = "image_too_large"


class StorageFull(DomainError):
    """The server's disk for files is full: nothing was kept, the same upload works later."""

    code = "storage_full"
    status = 507  # Insufficient Storage (RFC 4918)
    retryable = True

    def __init__(self):
        super().__init__(
            _(
                "The server has no room for files right now, so this file was not saved. "
                "Try again in a few minutes."
            )
        )

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": "60"}


def max_bytes() -> int:
    return settings.XASO_UPLOAD_MAX_BYTES


def upload_create(*, actor, data, filename: str = "") -> Upload:
    """Check, clean and store one file; `data` is bytes or a binary file-like object.

    `filename` is the client's and is only accepted, never used: the kind comes from the content
    and the stored name from `upload_path` (token and date).
    """
    limit = max_bytes()
    raw = bytes(data[: limit + 1]) if isinstance(data, bytes | bytearray) else data.read(limit + 1)
    if len(raw) > limit:
        raise FileTooLarge()
    kind = sniff(raw)
    content = _pdf_checked(raw) if kind == Upload.Kind.PDF else _image_reencoded(raw, kind)

    upload = Upload(
        token=secrets.token_urlsafe(24),
        kind=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        created_at=timezone.now(),
    )
    try:
        upload.file.save("upload", ContentFile(content), save=False)  # name from upload_path
    except OSError as error:
        if is_storage_full(error):  # the storage removed its partial file; no row was written
            logger.error("upload refused: the file storage is full (%s)", error)
            raise StorageFull() from error
        raise
    try:
        with transaction.atomic():
            upload.save()
            audit_record(
                actor=actor,
                action="upload.create",
                object_type="upload",
                object_id=upload.pk,
                data={
                    "token": upload.token,
                    "kind": kind,
                    "size": upload.size,
                    "sha256": upload.sha256,
                },
            )
    except BaseException:
        upload.file.delete(save=False)  # no file without its row
        raise
    return upload


@dataclass(frozen=True)
class FilesEncrypted:
    changed: int
    already: int
    missing: list[str]


def upload_summaries(tokens: list[str]) -> list[dict]:
    """What a form shows of the files already attached: kind and size, in the tokens' order."""
    found = Upload.objects.in_bulk(tokens, field_name="token")
    return [
        {"token": token, "kind": found[token].kind, "kb": max(found[token].size // 1024, 1)}
        for token in tokens
        if token in found
    ]


def stored_files_encrypt(names: Iterable[str], *, decrypt: bool = False) -> FilesEncrypted:
    """Encrypt the stored files that predate encryption at rest (migration 0006 and `xaso
    uploads encrypt`, e.g. after restoring an old media backup); idempotent. `decrypt`: the
    other way, for going back before migration 0006."""
    storage = encrypted_storage()
    rewrite = storage.decrypt_in_place if decrypt else storage.encrypt_in_place
    changed = already = 0
    missing = []
    for name in names:
        if not name or not storage.exists(name):
            missing.append(name)
        elif rewrite(name):
            changed += 1
        else:
            already += 1
    return FilesEncrypted(changed, already, missing)


def sniff(raw: bytes) -> str:
    """The kind, from the first bytes only."""
    for magic, kind in MAGIC:
        if raw.startswith(magic):
            return kind
    raise FileTypeRefused(_("Only PDF, JPEG or PNG files are accepted."))


def _pdf_checked(raw: bytes) -> bytes:
    """A light structural check; the PDF is stored as it is. Re-encoding (or sanitising) PDFs is
    out of scope, and so is parsing them here: a PDF parser on untrusted input in the request is
    attack surface of its own. Encrypted PDFs are not refused: bytes alone cannot tell one that
    only restricts printing (it opens everywhere) from one that needs a password."""
    if b"%%EOF" not in raw.rstrip()[-1024:]:
        raise FileCorrupt(_("The file is damaged or incomplete. Save it again and upload it."))
    return raw


def _image_reencoded(raw: bytes, kind: str) -> bytes:
    fmt = PIL_FORMAT[kind]
    max_pixels = getattr(settings, "XASO_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    try:
        with Image.open(io.BytesIO(raw), formats=[fmt]) as probe:
            _check_pixels(probe, max_pixels)
            probe.verify()  # structure and checksums, without decoding
        with Image.open(io.BytesIO(raw), formats=[fmt]) as image:
            image.load()
            clean = _pixels_only(_upright(image), kind)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own limits, far above ours (a warning becomes an error where warnings do).
        raise _too_large(max_pixels) from error
    except BROKEN as error:
        raise FileCorrupt(
            _("The image is damaged or incomplete. Take the photo again and upload it.")
        ) from error
    out = io.BytesIO()
    if kind == Upload.Kind.JPEG:
        clean.save(out, "JPEG", quality=85, optimize=True)
    else:
        clean.save(out, "PNG")
    return out.getvalue()


def _check_pixels(image: Image.Image, max_pixels: int) -> None:
    width, height = image.size
    if width * height > max_pixels:
        raise _too_large(max_pixels)


def _too_large(max_pixels: int) -> ImageTooLarge:
    return ImageTooLarge(
        _("The image is too large: at most %(mp)s megapixels.")
        % {"mp": f"{max_pixels / 1_000_000:g}"}
    )


def _upright(image: Image.Image) -> Image.Image:
    """Phone photos are stored sideways with an EXIF Orientation: turn the pixels instead."""
    try:
        return ImageOps.exif_transpose(image)
    except BROKEN:  # unreadable EXIF: keep the pixels as they are rather than refuse the photo
        return image


def _pixels_only(image: Image.Image, kind: str) -> Image.Image:
    """A copy with the pixels and nothing else: no EXIF (GPS!), XMP, ICC profile, comment or
    text chunk survives, since Pillow writes some of `info` back when saving."""
    transparency = image.info.get("transparency")
    if kind == Upload.Kind.JPEG:
        mode = "L" if image.mode == "L" else "RGB"  # CMYK and the rest: RGB
    elif image.mode in PNG_MODES:
        mode = image.mode
    else:  # e.g. PA, CMYK, I;16B
        mode = "RGBA" if transparency is not None or "A" in image.getbands() else "RGB"
    clean = image.convert(mode) if mode != image.mode else image.copy()
    clean.info = {}
    if kind == Upload.Kind.PNG and mode == image.mode and transparency is not None:
        clean.info["transparency"] = transparency
    return clean
