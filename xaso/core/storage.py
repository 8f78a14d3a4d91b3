"""Files encrypted at rest: a file storage that writes every file AES-256-GCM encrypted with a key
derived from XASO_FIELD_KEY (core/crypto.py) and gives it back decrypted.

Models opt in per field (`FileField(storage=encrypted_storage)`); callers keep using the field as
any Django file (`field.save`, `field.open("rb")`, `field.delete`), so the bytes on disk, in a
copied media folder or a backup are never an ID card photo. A file on disk that was altered, or
stored without encryption, is refused when opened (ValueError), never served.
"""

import os

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from .crypto import decrypt_bytes, encrypt_bytes, is_encrypted


class EncryptedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage (MEDIA_ROOT) whose files are encrypted; `size()` is the size on disk."""

    def _save(self, name: str, content: File) -> str:
        content.seek(0)
        return super()._save(name, ContentFile(encrypt_bytes(content.read())))

    def _open(self, name: str, mode: str = "rb") -> File:
        if "b" not in mode or any(flag in mode for flag in "wa+"):
            raise ValueError("encrypted files are opened for reading, in binary mode")
        with super()._open(name, "rb") as stored:
            return ContentFile(decrypt_bytes(stored.read()), name=name)

    def encrypt_in_place(self, name: str) -> bool:
        """Encrypt a file stored before encryption (the upgrade); False if it already was."""
        raw = self._raw(name)
        if is_encrypted(raw):
            return False
        self._rewrite(name, encrypt_bytes(raw))
        return True

    def decrypt_in_place(self, name: str) -> bool:
        """The other way (a downgrade); False if the file was not encrypted."""
        raw = self._raw(name)
        if not is_encrypted(raw):
            return False
        self._rewrite(name, decrypt_bytes(raw))
        return True

    def _raw(self, name: str) -> bytes:
        with super()._open(name, "rb") as stored:
            return stored.read()

    def _rewrite(self, name: str, content: bytes) -> None:
        path = self.path(name)  # the same name: the rows keep pointing at it
        with open(f"{path}.rewriting", "wb") as rewritten:
            rewritten.write(content)
        os.replace(f"{path}.rewriting", path)  # never half a file, even if stopped midway


# MEDIA_ROOT is read when first needed (and again after a settings change in tests).
_storage = EncryptedFileSystemStorage()


def encrypted_storage() -> EncryptedFileSystemStorage:
    """For `FileField(storage=…)`: a callable, so migrations name it rather than freeze it."""
    return _storage
