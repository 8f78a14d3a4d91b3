"""Is this result genuine? From the PDF (every signature checked) or from its QR seal.

Statuses: "valid"; "tampered" (a signature broken, the file changed after signing, a seal that
does not hold, a PDF without signatures or that cannot be read); "unknown_signer" (signed, intact,
but not by a certificate chaining to one of our trust anchors, or not a result we issued);
"revoked" (ours, intact, revoked by the commune). Input that is not a PDF at all, or an empty
seal, is refused with a 400 by the callers (`NotAPdf`), so a wrong file gets a clear message
rather than "tampered".

The answer names the paper so that a printed copy can be matched to its QR code: the kind of
document (its printed title), its number, the holder's name as printed, the issuing commune, the
signing time and the signer. Nothing else personal: whoever checks holds the document or its QR
seal, which carry the same name.
"""

import io
import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from asn1crypto import x509 as asn1_x509
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from xaso.core.errors import InvalidInput

from .documents import KINDS
from .models import ResultDocument, SealKey, TrustAnchor
from .seal import SealInvalid, public_key_from_text, seal_read, seal_verify, sha256_hex

# pyHanko logs every untrusted chain with a traceback at WARNING: an expected answer here.
logging.getLogger("pyhanko").setLevel(logging.ERROR)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)

VALID, TAMPERED, UNKNOWN_SIGNER, REVOKED = "valid", "tampered", "unknown_signer", "revoked"


class NotAPdf(InvalidInput):
    code = "not_a_pdf"
    default_message = _("This file is not a PDF.")


class SealMissing(InvalidInput):
    code = "seal_required"
    default_message = _("Give the text of the QR seal.")


@dataclass(frozen=True)
class Verification:
    status: str
    kind: str | None = None  # the document kind's slug, e.g. "birth_extract"
    document_title: str | None = None  # as printed: "Trích lục khai sinh"
    document_number: str | None = None
    holder_name: str | None = None
    commune: dict | None = None  # {"code", "name"}
    signed_at: datetime | None = None
    signer: dict | None = None  # {"name", "title"}
    revoked_at: datetime | None = None
    revoke_reason: str | None = None

    @property
    def valid(self) -> bool:
        return self.status == VALID

    def as_dict(self) -> dict:
        data = asdict(self)
        data["valid"] = self.valid
        for name in ("signed_at", "revoked_at"):
            if data[name] is not None:
                data[name] = timezone.localtime(data[name]).isoformat()
        if self.status != REVOKED:
            data.pop("revoked_at")
            data.pop("revoke_reason")
        return {"valid": data.pop("valid"), **data}


def _about(document: ResultDocument, status: str) -> Verification:
    return Verification(
        status=REVOKED if document.revoked_at is not None else status,
        kind=document.kind,
        document_title=document_title(document.kind),
        document_number=document.number,
        holder_name=document.holder_name,
        commune={"code": document.commune.code, "name": document.commune.name},
        signed_at=document.signed_at,
        signer={"name": document.signer_name, "title": document.signer_title},
        revoked_at=document.revoked_at,
        revoke_reason=document.revoke_reason or None,
    )


def document_title(kind: str) -> str | None:
    """The kind's title as the document prints it, in sentence case ("TRÍCH LỤC KHAI SINH" →
    "Trích lục khai sinh"); None for a kind without a printed title."""
    printed = KINDS.get(kind)
    return printed[0].capitalize() if printed else None


def trust_roots() -> list[asn1_x509.Certificate]:
    return [
        asn1_x509.Certificate.load(bytes(der))
        for der in TrustAnchor.objects.values_list("certificate", flat=True)
    ]


def _signature_verdict(signature, roots) -> str:
    # No network: revocation data of the chain is not fetched (soft-fail); the commune's own
    # revocation of a result is what "revoked" reports.
    context = ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
    )
    status = validate_pdf_signature(signature, context)
    if not (status.intact and status.valid):
        return TAMPERED
    if status.modification_level not in (ModificationLevel.NONE, ModificationLevel.FORM_FILLING):
        return TAMPERED
    if not status.docmdp_ok:
        return TAMPERED
    return VALID if status.trusted else UNKNOWN_SIGNER


def _contents_canonical(data: bytes, signature) -> bool:
    """The signature's /Contents (the one part of the file no byte range covers) holds exactly
    its CMS blob in hex, then zero padding: a change to the padding, or to the case of a hex
    digit, leaves the signature valid but is still a change to the file we issued."""
    _start, first_length, second_start, _length = signature.byte_range
    text = data[first_length:second_start]
    if len(text) < 4 or text[:1] != b"<" or text[-1:] != b">":
        return False
    hex_digits = text[1:-1]
    try:
        raw = bytes.fromhex(hex_digits.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return False
    if hex_digits not in (raw.hex().encode(), raw.hex().upper().encode()):
        return False
    if len(raw) < 2 or raw[0] != 0x30:
        return False
    size = raw[1]
    header = 2
    if size & 0x80:
        count = size & 0x7F
        size = int.from_bytes(raw[2 : 2 + count], "big")
        header += count
    return not any(raw[header + size :])


def verify_pdf(data: bytes) -> Verification:
    """The verdict on an uploaded PDF. Raises NotAPdf when it is not a PDF at all."""
    if not data.lstrip()[:1024].startswith(b"%PDF-"):
        raise NotAPdf()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception:  # any unreadable structure: a changed file, never a 500
        return Verification(status=TAMPERED)
    if not signatures:
        return Verification(status=TAMPERED)
    _start, _length, last_start, last_length = signatures[-1].byte_range
    if last_start + last_length != len(data):  # bytes added after the last signature
        return Verification(status=TAMPERED)
    roots = trust_roots()
    verdicts = []
    for signature in signatures:
        try:
            if not _contents_canonical(data, signature):
                verdicts.append(TAMPERED)
                continue
            verdicts.append(_signature_verdict(signature, roots))
        except Exception:  # a malformed signature dictionary or CMS: broken
            verdicts.append(TAMPERED)
    if TAMPERED in verdicts:
        return Verification(status=TAMPERED)
    if verdicts[0] != VALID:  # the leader's signature: not by a certificate we trust
        return Verification(status=UNKNOWN_SIGNER)
    if UNKNOWN_SIGNER in verdicts:  # someone else signed something onto our result
        return Verification(status=TAMPERED)
    _start, _length, first_start, first_length = signatures[0].byte_range
    revision = data[: first_start + first_length]
    document = (
        ResultDocument.objects.select_related("commune").filter(sha256=sha256_hex(revision)).first()
    )
    if document is None:  # trusted and intact, but no result of this deployment
        return Verification(status=UNKNOWN_SIGNER)
    # Ours: then it must be the very file we issued. Some bytes of the seal signature's CMS (its
    # SignedData digest list, the outer lengths) can change without breaking any signature.
    if bytes(document.pdf) != data:
        return Verification(status=TAMPERED)
    return _about(document, VALID)


def verify_seal(text: str) -> Verification:
    """The verdict on a QR seal's text (what the QR's URL carries)."""
    text = (text or "").strip()
    if not text:
        raise SealMissing()
    try:
        fields, _payload, _signature = seal_read(text)
    except SealInvalid:
        return Verification(status=TAMPERED)
    keys = SealKey.objects.filter(commune__code=fields.commune).values_list("public_key", flat=True)
    if not keys:
        return Verification(status=UNKNOWN_SIGNER)
    for key in keys:
        try:
            seal_verify(text, public_key_from_text(key))
        except (SealInvalid, ValueError):
            continue
        break
    else:
        return Verification(status=TAMPERED)
    document = (
        ResultDocument.objects.select_related("commune")
        .filter(commune__code=fields.commune, number=fields.number, issued_at=fields.issued_at)
        .first()
    )
    if document is None:
        return Verification(status=UNKNOWN_SIGNER)
    if (document.sha256, document.kind, document.holder_name) != (
        fields.sha256,
        fields.kind,
        fields.holder_name,
    ):
        return Verification(status=TAMPERED)
    return _about(document, VALID)


def published_keys() -> list[dict]:
    """The communes' seal public keys, for offline checking."""
    from cryptography.hazmat.primitives import serialization

    keys = []
    for key in SealKey.objects.select_related("commune").order_by("commune__code", "id"):
        pem = (
            public_key_from_text(key.public_key)
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        keys.append({"commune": key.commune.code, "commune_name": key.commune.name,
                     "algorithm": "Ed25519", "public_key": key.public_key, "pem": pem,
                     "active": key.is_active})  # fmt: skip
    return keys
