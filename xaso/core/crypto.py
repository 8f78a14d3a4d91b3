"""Secrets that xaso must read back (a bank webhook secret: verifying an HMAC needs the secret
itself, so it cannot be hashed) are stored encrypted with Fernet, under a key of their own
(XASO_FIELD_KEY), not SECRET_KEY: rotating the session key must not lose the bank secrets, and a
leaked database alone reveals nothing."""

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    return Fernet(settings.XASO_FIELD_KEY.encode())


def encrypt_text(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt_text(token: str) -> str:
    """Raises ValueError when the key is not the one the text was encrypted with."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("cannot decrypt: XASO_FIELD_KEY differs from the one used") from error
