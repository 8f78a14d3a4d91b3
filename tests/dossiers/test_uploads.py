"""POST /api/v1/uploads and `upload_create`: size cap, sniffed type, images re-encoded upright and
without metadata, random stored names (DESIGN.md §5, ASVS V5)."""

import hashlib
import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from tests.helpers.api import assert_error
from xaso.accounts.services import token_issue
from xaso.core.errors import DomainError
from xaso.core.models import AuditEntry
from xaso.dossiers import uploads, uploads_api
from xaso.dossiers.models import Upload
from xaso.dossiers.uploads import upload_create

URL = "/api/v1/uploads"
RED, BLUE = (255, 0, 0), (0, 0, 255)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Files go to a temporary MEDIA_ROOT, never into the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def post_file(content: bytes, name: str = "file.bin", *, token: str = "", field: str = "file"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    client = Client(REMOTE_ADDR="203.0.113.10")
    return client.post(URL, {field: SimpleUploadedFile(name, content, "image/jpeg")}, **headers)


def stored(upload: Upload) -> bytes:
    with upload.file.open("rb") as handle:
        return handle.read()


def uploaded(response) -> Upload:
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "kind", "size", "sha256"}
    return Upload.objects.get(token=body["id"])


# --- Sample files ------------------------------------------------------------------------------


def photo_with_exif() -> bytes:
    """A 40×20 photo stored sideways (Orientation 6), left half red, right half blue, with GPS."""
    image = Image.new("RGB", (40, 20), BLUE)
    image.paste(RED, (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (21.0, 1.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 51.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"Nguyen Van A", quality=95)
    return out.getvalue()


def png(mode: str = "RGBA", size=(30, 10), **params) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG", **params)
    return out.getvalue()


def pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Giấy khai sinh</p>").write_pdf()


def png_shaped(width: int, height: int) -> bytes:
    """A 1-bit PNG of any size, small on disk: all zero rows compress to almost nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    idat = b"".join(compressor.compress(row * 1000) for _ in range(height // 1000))
    idat += compressor.compress(row * (height % 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


# --- Images ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_photo_is_turned_upright_and_loses_all_its_metadata():
    original = photo_with_exif()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # GPS is there

    upload = uploaded(post_file(original, "photo.jpg"))
    content = stored(upload)
    image = Image.open(io.BytesIO(content))

    assert upload.kind == "jpeg" and image.format == "JPEG"
    assert image.size == (20, 40)  # width and height swapped: upright
    assert image.getpixel((10, 5))[0] > 200 and image.getpixel((10, 35))[2] > 200  # red on top
    assert not image.getexif()
    assert "exif" not in image.info and "comment" not in image.info
    assert b"Exif" not in content and b"\xff\xe1" not in content  # no APP1 segment at all
    assert b"PhoneMaker" not in content and b"Nguyen" not in content


@pytest.mark.django_db
def test_a_png_is_re_saved_without_its_text_chunks():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Nguyen Van A")
    upload = uploaded(post_file(png("RGBA", pnginfo=info), "scan.png"))
    content = stored(upload)
    image = Image.open(io.BytesIO(content))

    assert upload.kind == "png" and image.format == "PNG"
    assert image.mode == "RGBA" and image.size == (30, 10)
    assert b"Nguyen" not in content and b"tEXt" not in content


@pytest.mark.django_db
def test_a_palette_png_keeps_its_transparency():
    source = Image.new("P", (8, 8))
    source.putpalette([0, 0, 0, 255, 255, 255])
    out = io.BytesIO()
    source.save(out, "PNG", transparency=0)

    image = Image.open(io.BytesIO(stored(uploaded(post_file(out.getvalue(), "a.png")))))

    assert image.mode == "P" and image.info["transparency"] == 0


@pytest.mark.django_db
def test_a_cmyk_jpeg_is_stored_as_rgb():
    out = io.BytesIO()
    Image.new("CMYK", (10, 10), (0, 255, 255, 0)).save(out, "JPEG")

    image = Image.open(io.BytesIO(stored(uploaded(post_file(out.getvalue(), "a.jpg")))))

    assert image.mode == "RGB"


@pytest.mark.django_db
def test_a_png_header_followed_by_garbage_is_corrupt():
    content = b"\x89PNG\r\n\x1a\n" + b"garbage" * 100
    assert_error(post_file(content, "a.png"), 400, "file_corrupt")
    assert not Upload.objects.exists()


@pytest.mark.django_db
def test_a_truncated_jpeg_is_corrupt():
    out = io.BytesIO()
    Image.new("RGB", (200, 200), RED).save(out, "JPEG")
    assert_error(post_file(out.getvalue()[:300], "a.jpg"), 400, "file_corrupt")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "size",
    [(20_000, 20_000), (10_000, 10_000)],  # past Pillow's bomb error; past its bomb warning
    ids=["400MP", "100MP"],
)
def test_a_decompression_bomb_is_refused_before_decoding(size):
    content = png_shaped(*size)
    assert len(content) < 200_000
    assert_error(post_file(content, "bomb.png"), 400, "image_too_large")
    assert not Upload.objects.exists()


@pytest.mark.django_db
def test_the_pixel_limit_is_a_setting(settings):
    settings.XASO_UPLOAD_MAX_PIXELS = 1_000
    error = assert_error(post_file(png(size=(50, 50)), "a.png"), 400, "image_too_large")
    assert "0.001" in error["message"]
    settings.XASO_UPLOAD_MAX_PIXELS = 2_500
    uploaded(post_file(png(size=(50, 50)), "a.png"))


# --- PDF and other types -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_pdf_is_stored_as_it_is():
    content = pdf()
    upload = uploaded(post_file(content, "form.pdf"))
    assert upload.kind == "pdf"
    assert stored(upload) == content
    assert upload.file.name.endswith(".pdf")


@pytest.mark.django_db
def test_a_truncated_pdf_is_corrupt():
    content = pdf()
    assert_error(post_file(content[: len(content) // 2], "form.pdf"), 400, "file_corrupt")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"GIF89a" + b"\x00" * 20,
        b"PK\x03\x04 a zip or a .docx",
        b"",
    ],
    ids=["html", "gif", "zip", "empty"],
)
def test_anything_else_is_refused_whatever_its_name(content):
    assert_error(post_file(content, "photo.jpg"), 415, "file_type")
    assert not Upload.objects.exists()


# --- Size --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_size_limit_is_exact(settings):
    settings.XASO_UPLOAD_MAX_BYTES = 2048
    content = b"%PDF-1.7\n" + b" " * (2048 - 9 - 6) + b"%%EOF\n"
    assert len(content) == 2048
    uploaded(post_file(content, "a.pdf"))

    assert_error(post_file(content + b"\n", "a.pdf"), 413, "file_too_large")


@pytest.mark.django_db
def test_a_declared_size_past_the_limit_is_refused_unread(settings, monkeypatch):
    def not_reached(**kwargs):
        raise AssertionError("the body should not have been read")

    settings.XASO_UPLOAD_MAX_BYTES = 1024
    monkeypatch.setattr(uploads_api, "upload_create", not_reached)
    assert_error(post_file(b"%PDF-" + b"0" * 200_000, "a.pdf"), 413, "file_too_large")


@pytest.mark.django_db
def test_ten_megabytes_and_one_byte_is_too_large_at_the_default(settings):
    assert settings.XASO_UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    content = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024 - 9 - 6) + b"%%EOF\n"
    response = post_file(content + b"\n", "big.pdf")
    error = assert_error(response, 413, "file_too_large")
    assert "10 MB" in error["message"]


# --- Names, hashes, tokens, audit ------------------------------------------------------------


@pytest.mark.django_db
def test_the_stored_name_is_random_and_the_client_name_is_not_kept(media):
    upload = uploaded(post_file(photo_with_exif(), "../../etc/passwd.jpg"))
    name = upload.file.name
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/[A-Za-z0-9_-]{32}\.jpg", name), name
    assert upload.token in name and "passwd" not in name and ".." not in name
    assert Path(upload.file.path).resolve().is_relative_to(Path(media).resolve())
    entry = AuditEntry.objects.get(action="upload.create")
    assert "passwd" not in str(entry.data)


@pytest.mark.django_db
def test_the_hash_and_size_are_those_of_the_stored_bytes():
    response = post_file(photo_with_exif(), "a.jpg")
    upload = uploaded(response)
    content = stored(upload)
    assert response.json()["sha256"] == upload.sha256 == hashlib.sha256(content).hexdigest()
    assert response.json()["size"] == upload.size == len(content)


@pytest.mark.django_db
def test_the_same_file_twice_is_two_uploads():
    content = png()
    first = uploaded(post_file(content, "a.png"))
    second = uploaded(post_file(content, "a.png"))
    assert first.token != second.token and first.file.name != second.file.name
    assert first.sha256 == second.sha256


@pytest.mark.django_db
def test_the_upload_is_audited_without_personal_data():
    upload = uploaded(post_file(photo_with_exif(), "CCCD Nguyen Van A.jpg"))
    entry = AuditEntry.objects.get(action="upload.create")
    assert entry.actor is None and entry.object_type == "upload"
    assert entry.data == {
        "token": upload.token,
        "kind": "jpeg",
        "size": upload.size,
        "sha256": upload.sha256,
    }


# --- Who uploads -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_upload_works():
    upload = uploaded(post_file(png(), "a.png"))
    assert upload.uploaded_by is None


def test_a_staff_upload_records_the_uploader(world):
    raw, _token = token_issue(user=world.user("reception"))
    upload = uploaded(post_file(png(), "a.png", token=raw))
    assert upload.uploaded_by == world.user("reception")


@pytest.mark.django_db
def test_a_wrong_token_is_refused_rather_than_made_anonymous():
    assert_error(post_file(png(), "a.png", token="xaso_not-a-token"), 401, "unauthenticated")
    assert not Upload.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_field_is_an_error():
    assert_error(post_file(png(), "a.png", field="document"), 400, "file_required")
    assert_error(Client().post(URL), 400, "file_required")


def test_anonymous_uploads_are_rate_limited_but_staff_uploads_are_not(world, settings):
    settings.XASO_RATE_ANON_SUBMIT = "2/m"
    for _ in range(2):
        uploaded(post_file(png(), "a.png"))
    error = assert_error(post_file(png(), "a.png"), 429, "rate_limited")
    assert error["details"]["retry_after"] >= 1

    raw, _token = token_issue(user=world.user("reception"))
    for _ in range(3):
        uploaded(post_file(png(), "a.png", token=raw))


# --- The service -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_service_takes_bytes_or_a_file():
    content = png()
    from_bytes = upload_create(actor=None, data=content)
    from_file = upload_create(actor=None, data=io.BytesIO(content), filename="x.png")
    assert from_bytes.sha256 == from_file.sha256 and from_bytes.kind == "png"


@pytest.mark.django_db
def test_no_file_is_left_behind_when_the_row_cannot_be_written(media, monkeypatch):
    def broken_audit(**kwargs):
        raise DomainError("audit down")

    monkeypatch.setattr(uploads, "audit_record", broken_audit)
    with pytest.raises(DomainError):
        upload_create(actor=None, data=png())
    assert not Upload.objects.exists()
    assert not [path for path in Path(media).rglob("*") if path.is_file()]


def test_a_signed_in_page_is_the_uploader_only_with_the_csrf_token(world):
    user = world.user("reception")
    client = Client(REMOTE_ADDR="203.0.113.10", enforce_csrf_checks=True)
    client.force_login(user)

    forged = client.post(URL, {"file": SimpleUploadedFile("a.png", png())})
    assert uploaded(forged).uploaded_by is None  # a cross-site form: accepted, but anonymous

    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    same_site = client.post(
        URL, {"file": SimpleUploadedFile("a.png", png())}, HTTP_X_CSRFTOKEN=secret
    )
    assert uploaded(same_site).uploaded_by == user
