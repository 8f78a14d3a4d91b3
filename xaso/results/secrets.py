"""The signing secrets (a PKCS#12 password, a token PIN, a commune's Ed25519 seal key) encrypted
with Fernet under XASO_SIGNING_KEY, as xaso.core.crypto does under XASO_FIELD_KEY: the leader
approves with `approve {}`, and the database alone does not let anyone sign."""

from xaso.core.crypto import decrypt_text, encrypt_text

SIGNING_KEY = "XASO_SIGNING_KEY"


def seal_secret(plain: str) -> str:
    return encrypt_text(plain, key_setting=SIGNING_KEY)


def open_secret(token: str) -> str:
    """Raises ValueError when XASO_SIGNING_KEY is not the key the secret was stored with."""
    return decrypt_text(token, key_setting=SIGNING_KEY)
