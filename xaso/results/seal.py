"""The QR seal: a compact, signed statement of a result, checkable offline with the commune's
published Ed25519 public key (GET /api/v1/results/keys).

Text: `<payload>.<signature>`, both base64url without padding. The payload is the UTF-8 of
`x1|<number>|<commune code>|<kind>|<holder name>|<issue date>|<SHA-256 of the signed revision,
base64url>`; the signature is Ed25519 over the payload's bytes. Pure: no database.
"""

import base64
import hashlib
from dataclasses import dataclass
from datetime import date

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VERSION = "x1"
MAX_SEAL_LENGTH = 1000


class SealInvalid(ValueError):
    """The text is not a seal, or its signature does not hold."""


@dataclass(frozen=True)
class SealFields:
    number: str
    commune: str
    kind: str
    holder_name: str
    issued_at: date
    sha256: str  # hex, of the leader's signed revision


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def b64url_decode(text: str) -> bytes:
    if not text or any(c not in _B64URL for c in text) or len(text) % 4 == 1:
        raise SealInvalid("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _payload(fields: SealFields) -> bytes:
    parts = [
        VERSION,
        fields.number,
        fields.commune,
        fields.kind,
        fields.holder_name,
        fields.issued_at.isoformat(),
        b64url(bytes.fromhex(fields.sha256)),
    ]
    for part in parts:
        if "|" in part or not part:
            raise ValueError(f"a seal field is empty or holds '|': {part!r}")
    return "|".join(parts).encode()


def seal_make(fields: SealFields, private_key: Ed25519PrivateKey) -> str:
    payload = _payload(fields)
    return f"{b64url(payload)}.{b64url(private_key.sign(payload))}"


def seal_read(text: str) -> tuple[SealFields, bytes, bytes]:
    """The fields as written, the payload and the signature, without checking the signature
    (to find which commune's key to check it with). Raises SealInvalid."""
    text = (text or "").strip()
    if len(text) > MAX_SEAL_LENGTH or text.count(".") != 1:
        raise SealInvalid("not a seal")
    encoded_payload, encoded_signature = text.split(".")
    payload, signature = b64url_decode(encoded_payload), b64url_decode(encoded_signature)
    # Only the canonical encoding is accepted: one seal, one text.
    if b64url(payload) != encoded_payload or b64url(signature) != encoded_signature:
        raise SealInvalid("not canonical base64url")
    try:
        parts = payload.decode().split("|")
    except UnicodeDecodeError as error:
        raise SealInvalid("not UTF-8") from error
    if len(parts) != 7 or parts[0] != VERSION or len(signature) != 64:
        raise SealInvalid("not a seal of this version")
    _version, number, commune, kind, holder, issued, digest = parts
    try:
        fields = SealFields(
            number=number,
            commune=commune,
            kind=kind,
            holder_name=holder,
            issued_at=date.fromisoformat(issued),
            sha256=b64url_decode(digest).hex(),
        )
    except ValueError as error:
        raise SealInvalid("a field is malformed") from error
    if len(fields.sha256) != 64 or _payload(fields) != payload:
        raise SealInvalid("a field is malformed")
    return fields, payload, signature


def seal_verify(text: str, public_key: Ed25519PublicKey) -> SealFields:
    """The seal's fields if it was signed with `public_key`'s private key; else SealInvalid."""
    fields, payload, signature = seal_read(text)
    try:
        public_key.verify(signature, payload)
    except InvalidSignature as error:
        raise SealInvalid("signature does not hold") from error
    return fields


def public_key_from_text(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(b64url_decode(text))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
