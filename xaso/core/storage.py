"""Files encrypted at rest: a storage that writes every file AES-256-GCM encrypted with a key
derived from XASO_FIELD_KEY (core/crypto.py) and gives it back decrypted.

Models opt in per field (`FileField(storage=encrypted_storage)`); callers keep using the field as
any Django file (`field.save`, `field.open("rb")`, `field.delete`), so the bytes on disk, in a
bucket, a copied media folder or a backup are never an ID card photo. A stored file that was
altered, or stored without encryption, is refused when opened (ValueError), never served.

Where the bytes go is a setting, `XASO_FILE_STORAGE`:
- `filesystem` (the default, embedded): MEDIA_ROOT;
- `s3`: a bucket of any S3-compatible object store through django-storages' boto3 backend
  (`XASO_S3_*` settings: bucket, endpoint, region, keys, prefix). The object store sees only
  ciphertext, so its own encryption and access policies are a second layer, not the only one.

The field's storage is one object (`encrypted_storage()`) that hands each call to the backend the
settings name at that moment: the field is built once, at import, but tests and tools switch the
setting, and the backend follows.
"""

import contextlib
import errno
import os

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage
from django.core.signals import setting_changed
from django.utils.deconstruct import deconstructible

from .crypto import decrypt_bytes, encrypt_bytes, is_encrypted


class EncryptedMixin:
    """Encrypt on save, decrypt on open; raw access for upgrades and backups."""

    def _save(self, name: str, content: File) -> str:
        content.seek(0)
        return super()._save(name, ContentFile(encrypt_bytes(content.read())))

    def _open(self, name: str, mode: str = "rb") -> File:
        if "b" not in mode or any(flag in mode for flag in "wa+"):
            raise ValueError("encrypted files are opened for reading, in binary mode")
        return ContentFile(decrypt_bytes(self.raw_read(name)), name=name)

    def encrypt_in_place(self, name: str) -> bool:
        """Encrypt a file stored before encryption (the upgrade); False if it already was."""
        raw = self.raw_read(name)
        if is_encrypted(raw):
            return False
        self.raw_write(name, encrypt_bytes(raw))
        return True

    def decrypt_in_place(self, name: str) -> bool:
        """The other way (a downgrade); False if the file was not encrypted."""
        raw = self.raw_read(name)
        if not is_encrypted(raw):
            return False
        self.raw_write(name, decrypt_bytes(raw))
        return True

    def raw_read(self, name: str) -> bytes:
        """The stored bytes (ciphertext), as a backup copies them."""
        with super()._open(name, "rb") as stored:
            return stored.read()

    def raw_write(self, name: str, content: bytes) -> None:  # pragma: no cover - per backend
        raise NotImplementedError


class EncryptedFileSystemStorage(EncryptedMixin, FileSystemStorage):
    """FileSystemStorage (MEDIA_ROOT) whose files are encrypted; `size()` is the size on disk."""

    def _save(self, name: str, content: File) -> str:
        try:
            return super()._save(name, content)
        except FileExistsError:
            raise
        except OSError:
            # A full disk midway (Django's FileSystemStorage keeps what it wrote): no half a file
            # under a name nobody will ever point at. The name was free when it was chosen.
            with contextlib.suppress(FileNotFoundError):
                os.remove(self.path(name))
            raise

    def raw_write(self, name: str, content: bytes) -> None:
        """Store these bytes under exactly this name (a rewrite or a restore)."""
        path = self.path(name)  # the same name: the rows keep pointing at it
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(f"{path}.rewriting", "wb") as rewritten:
            rewritten.write(content)
            rewritten.flush()
            os.fsync(rewritten.fileno())
        os.replace(f"{path}.rewriting", path)  # never half a file, even if stopped midway


def is_storage_full(error: OSError) -> bool:
    """The disk (or the account's quota) has no room left: retryable once space is freed."""
    return error.errno in (errno.ENOSPC, errno.EDQUOT)


def _s3_class():
    from storages.backends.s3 import S3Storage

    class EncryptedS3Storage(EncryptedMixin, S3Storage):
        """An S3 bucket whose objects are encrypted by xaso before they leave the process."""

        def raw_write(self, name: str, content: bytes) -> None:
            # An S3 PUT replaces the object whole: readers see the old bytes or the new ones.
            S3Storage._save(self, name, ContentFile(content))

    return EncryptedS3Storage


def _backend_build() -> Storage:
    kind = getattr(settings, "XASO_FILE_STORAGE", "filesystem")
    if kind == "filesystem":
        return EncryptedFileSystemStorage()
    if kind == "s3":
        s3 = settings.XASO_S3
        return _s3_class()(
            bucket_name=s3["bucket"],
            endpoint_url=s3.get("endpoint_url") or None,
            region_name=s3.get("region") or None,
            access_key=s3.get("access_key") or None,
            secret_key=s3.get("secret_key") or None,
            location=s3.get("prefix", ""),
            file_overwrite=False,  # like the file system: a name is never silently replaced
            default_acl=None,
            querystring_auth=True,  # objects are private; xaso never links to them anyway
            addressing_style=s3.get("addressing_style") or None,
        )
    raise ValueError(f"XASO_FILE_STORAGE must be filesystem or s3, not {kind!r}")


@deconstructible(path="xaso.core.storage.EncryptedStorage")
class EncryptedStorage(Storage):
    """What the fields hold: every call goes to the configured backend."""

    _backend: Storage | None = None

    @property
    def backend(self) -> Storage:
        if self._backend is None:
            self._backend = _backend_build()
        return self._backend

    def reset(self) -> None:
        self._backend = None

    # Storage's public API, delegated (save/open go through the backend's own checks).
    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def size(self, name):
        return self.backend.size(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def path(self, name):
        return self.backend.path(name)

    def url(self, name):
        return self.backend.url(name)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)

    def encrypt_in_place(self, name: str) -> bool:
        return self.backend.encrypt_in_place(name)

    def decrypt_in_place(self, name: str) -> bool:
        return self.backend.decrypt_in_place(name)

    def raw_read(self, name: str) -> bytes:
        return self.backend.raw_read(name)

    def raw_write(self, name: str, content: bytes) -> None:
        self.backend.raw_write(name, content)


_storage = EncryptedStorage()

STORAGE_SETTINGS = {"XASO_FILE_STORAGE", "XASO_S3", "MEDIA_ROOT"}


def _settings_changed(*, setting, **kwargs) -> None:
    if setting in STORAGE_SETTINGS:
        _storage.reset()


setting_changed.connect(_settings_changed)


def encrypted_storage() -> EncryptedStorage:
    """For `FileField(storage=…)`: a callable, so migrations name it rather than freeze it."""
    return _storage
