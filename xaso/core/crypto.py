"""Secrets that xaso must read back (a bank webhook secret: verifying an HMAC needs the secret
itself, so it cannot be hashed) are stored encrypted with Fernet, under a key of their own
(XASO_FIELD_KEY), not SECRET_KEY: rotating the session key must not lose the bank secrets, and a
leaked database alone reveals nothing."""

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

FIELD_KEY = "XASO_FIELD_KEY"


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
