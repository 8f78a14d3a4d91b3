"""How a dossier's lookup secret is kept: never in plain text.

The database holds a keyed hash of it (HMAC-SHA256 under a key derived from XASO_FIELD_KEY, which
is not in the database), so that a reader of the database or of a backup can neither use a
secret nor test guesses offline; and a copy encrypted with the field key, because xaso must print
it again (the receipt, the messages that name it, the citizen's own list of dossiers).
"""

from xaso.core.crypto import LOOKUP_SECRET, decrypt_text, digests_equal, encrypt_text, keyed_digest


def normalized(secret: str) -> str:
    """As typed: surrounding spaces and the case do not matter (the slip prints capitals)."""
    return secret.strip().upper()


def digest(secret: str) -> str:
    return keyed_digest(LOOKUP_SECRET, normalized(secret))


def sealed(secret: str) -> str:
    return encrypt_text(secret)


def opened(sealed_secret: str) -> str:
    return decrypt_text(sealed_secret)


def matches(stored_digest: str, given: str) -> bool:
    """Whether `given` is the secret of `stored_digest`: one HMAC, compared in constant time."""
    return bool(given) and bool(stored_digest) and digests_equal(stored_digest, digest(given))
