"""Uploaded files (ID card photos, attachments) are encrypted on disk and downloaded as they were
uploaded (after the upload's own cleaning)."""
# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import hashlib
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.dossiers.conftest import demo, staff, submission  # noqa: F401
from tests.dossiers.test_uploads import pdf, photo_with_exif, post_file, uploaded
from tests.helpers.api import ApiClient
from xaso.dossiers.models import Upload

JPEG_MAGIC, PDF_MAGIC = b"\xff\xd8\xff", b"%PDF-"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def on_disk(upload: Upload) -> bytes:
    return Path(upload.file.path).read_bytes()


def filed_with(staff, upload: Upload) -> str:
    """An online dossier whose birth certificate is this upload; its code."""
    body = submission()
    body["form"]["birth_certificate"] = [upload.token]
    response = ApiClient().post("/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    return response.json()["code"]


@pytest.mark.parametrize("content, magic", [(photo_with_exif, JPEG_MAGIC), (pdf, PDF_MAGIC)])
def test_the_file_on_disk_is_encrypted_and_the_download_is_the_original(staff, content, magic):
    upload = uploaded(post_file(content(), "CCCD Nguyen Van A"))
    raw = on_disk(upload)
    assert magic not in raw and b"JFIF" not in raw and b"Exif" not in raw
    code = filed_with(staff, upload)

    download = staff["reception"].get(f"/api/v1/dossiers/{code}/attachments/{upload.token}")
    assert download.status_code == 200
    original = b"".join(download.streaming_content)
    assert original.startswith(magic)
    assert hashlib.sha256(original).hexdigest() == upload.sha256


def test_a_file_altered_on_disk_is_refused_not_served(staff):
    upload = uploaded(post_file(photo_with_exif(), "a.jpg"))
    raw = bytearray(on_disk(upload))
    raw[-1] ^= 1
    Path(upload.file.path).write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="cannot decrypt"):
        upload.file.open("rb")


def test_files_stored_before_encryption_are_encrypted_by_the_command(staff, media, capsys):
    upload = uploaded(post_file(pdf(), "a.pdf"))
    original = upload.file.open("rb").read()
    Path(upload.file.path).write_bytes(original)  # as xaso stored it before encryption at rest
    upload.file.close()

    call_command("uploads", "encrypt")
    assert "1 file(s) encrypted, 0 already encrypted, 0 missing" in capsys.readouterr().out
    assert PDF_MAGIC not in on_disk(upload)
    assert Upload.objects.get(pk=upload.pk).file.open("rb").read() == original

    call_command("uploads", "encrypt")  # idempotent
    assert "0 file(s) encrypted, 1 already encrypted" in capsys.readouterr().out
