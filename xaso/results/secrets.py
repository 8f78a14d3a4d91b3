"""The signing secrets (a PKCS#12 password, a token PIN, a commune's Ed25519 seal key) encrypted
with Fernet under XASO_SIGNING_KEY, as xaso.core.crypto does under XASO_FIELD_KEY: the leader
approves with `approve {}`, and the database alone does not let anyone sign."""

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    return Fernet(settings.XASO_SIGNING_KEY.encode())


def seal_secret(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def open_secret(token: str) -> str:
    """Raises ValueError when XASO_SIGNING_KEY is not the key the secret was stored with."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("cannot decrypt: XASO_SIGNING_KEY differs from the one used") from error
