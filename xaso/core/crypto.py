"""Keys that never live in the database, and what xaso does with them.

- Secrets xaso must read back (a bank webhook secret: verifying an HMAC needs the secret itself,
  so it cannot be hashed) are stored encrypted with Fernet, under a key of their own
  (XASO_FIELD_KEY), not SECRET_KEY: rotating the session key must not lose the bank secrets, and
  a leaked database alone reveals nothing.
- Secrets xaso only compares (the dossiers' lookup secrets) are stored as a keyed hash
  (`keyed_digest`), and the audit chain is an HMAC chain: a database reader cannot test guesses
  offline, a database writer cannot forge a row.
- Files (ID-card scans, attachments) are encrypted with AES-256-GCM (`encrypt_bytes`).

The keyed hash and file keys are derived from XASO_FIELD_KEY, one per purpose (HMAC-SHA256 of
the purpose under the field key), so that no operator has one more key to keep and lose, and a
key of one purpose reveals nothing of another's.
"""

import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

FIELD_KEY = "XASO_FIELD_KEY"

# The purposes of the derived keys: changing one's label is changing its key.
LOOKUP_SECRET = "dossier lookup secret"  # noqa: S105 (a label, not a secret)
AUDIT_CHAIN = "audit chain"
FILES = "files at rest"

# An encrypted file starts with this header (version 1: AES-256-GCM, 12-byte nonce), which also
# tells a file stored before encryption from one stored after.
FILE_HEADER = b"XASOENC1"
_NONCE_BYTES = 12


def _fernet(key_setting: str) -> Fernet:
    return Fernet(getattr(settings, key_setting).encode())


def encrypt_text(plain: str, *, key_setting: str = FIELD_KEY) -> str:
    return _fernet(key_setting).encrypt(plain.encode()).decode()


def decrypt_text(token: str, *, key_setting: str = FIELD_KEY) -> str:
    """Raises ValueError when the key is not the one the text was encrypted with."""
    try:
        return _fernet(key_setting).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError(f"cannot decrypt: {key_setting} differs from the one used") from error


@lru_cache(maxsize=16)
def _derived(field_key: str, purpose: str) -> bytes:
    return hmac.new(field_key.encode(), b"xaso:" + purpose.encode(), hashlib.sha256).digest()


def derived_key(purpose: str) -> bytes:
    """A 256-bit key for `purpose`, derived from XASO_FIELD_KEY (read each call: tests and a
    restarted process may change the setting)."""
    return _derived(settings.XASO_FIELD_KEY, purpose)


def keyed_digest(purpose: str, message: str) -> str:
    """HMAC-SHA256 (hex) of `message` under the key of `purpose`."""
    return hmac.new(derived_key(purpose), message.encode(), hashlib.sha256).hexdigest()


def digests_equal(a: str, b: str) -> bool:
    """Constant-time comparison of two digests (a wrong guess takes as long as a near one)."""
    return hmac.compare_digest(a.encode(), b.encode())


def encrypt_bytes(plain: bytes) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return FILE_HEADER + nonce + AESGCM(derived_key(FILES)).encrypt(nonce, plain, FILE_HEADER)


def is_encrypted(blob: bytes) -> bool:
    return blob.startswith(FILE_HEADER)


def decrypt_bytes(blob: bytes) -> bytes:
    """Raises ValueError when the bytes were not encrypted here, were altered, or the field key
    is not the one they were encrypted with."""
    if not is_encrypted(blob):
        raise ValueError("not an encrypted file (no xaso header)")
    nonce = blob[len(FILE_HEADER) : len(FILE_HEADER) + _NONCE_BYTES]
    sealed = blob[len(FILE_HEADER) + _NONCE_BYTES :]
    try:
        return AESGCM(derived_key(FILES)).decrypt(nonce, sealed, FILE_HEADER)
    except InvalidTag as error:
        raise ValueError(
            f"cannot decrypt: altered, or {FIELD_KEY} differs from the one used"
        ) from error
