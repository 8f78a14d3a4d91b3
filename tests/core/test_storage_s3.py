"""Uploads in S3-compatible object storage (XASO_FILE_STORAGE=s3), against a real S3 endpoint over
HTTP (moto's server): the bucket holds only ciphertext, the download is the original, an altered
object is refused, and nothing lands on the local disk."""
# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import hashlib

import pytest
from django.core.management import call_command

from tests.dossiers.conftest import demo, staff, submission  # noqa: F401
from tests.dossiers.test_files_at_rest import filed_with
from tests.dossiers.test_uploads import pdf, photo_with_exif, post_file, uploaded
from tests.helpers.services import s3_bucket, s3_endpoint  # noqa: F401
from xaso.core.storage import encrypted_storage
from xaso.dossiers.models import Upload

JPEG_MAGIC, PDF_MAGIC = b"\xff\xd8\xff", b"%PDF-"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def in_bucket(s3_bucket, upload: Upload) -> bytes:
    client, bucket = s3_bucket
    return client.get_object(Bucket=bucket, Key=f"media/{upload.file.name}")["Body"].read()


def test_an_upload_is_stored_encrypted_in_the_bucket_and_downloaded_as_uploaded(
    staff, s3_bucket, media
):
    upload = uploaded(post_file(photo_with_exif(), "CCCD Nguyen Van A.jpg"))
    raw = in_bucket(s3_bucket, upload)
    assert JPEG_MAGIC not in raw and b"Exif" not in raw
    assert not media.exists() or not any(media.rglob("*.*"))  # nothing on the local disk

    code = filed_with(staff, upload)
    download = staff["reception"].get(f"/api/v1/dossiers/{code}/attachments/{upload.token}")
    assert download.status_code == 200
    original = b"".join(download.streaming_content)
    assert original.startswith(JPEG_MAGIC)
    assert hashlib.sha256(original).hexdigest() == upload.sha256


def test_an_object_altered_in_the_bucket_is_refused_not_served(staff, s3_bucket):
    upload = uploaded(post_file(pdf(), "a.pdf"))
    client, bucket = s3_bucket
    raw = bytearray(in_bucket(s3_bucket, upload))
    raw[-1] ^= 1
    client.put_object(Bucket=bucket, Key=f"media/{upload.file.name}", Body=bytes(raw))
    with pytest.raises(ValueError, match="cannot decrypt"):
        Upload.objects.get(pk=upload.pk).file.open("rb")


def test_objects_stored_before_encryption_are_encrypted_in_place(staff, s3_bucket, capsys):
    upload = uploaded(post_file(pdf(), "a.pdf"))
    original = upload.file.open("rb").read()
    client, bucket = s3_bucket
    client.put_object(Bucket=bucket, Key=f"media/{upload.file.name}", Body=original)

    call_command("uploads", "encrypt")
    assert "1 file(s) encrypted, 0 already encrypted, 0 missing" in capsys.readouterr().out
    assert PDF_MAGIC not in in_bucket(s3_bucket, upload)
    assert Upload.objects.get(pk=upload.pk).file.open("rb").read() == original


def test_the_storage_follows_the_setting(settings, s3_bucket):
    assert type(encrypted_storage().backend).__name__ == "EncryptedS3Storage"
    settings.XASO_FILE_STORAGE = "filesystem"
    assert type(encrypted_storage().backend).__name__ == "EncryptedFileSystemStorage"
