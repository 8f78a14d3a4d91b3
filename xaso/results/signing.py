"""One way to sign a PDF, two places the key can live: a PKCS#12 file (uploaded by the commune
administrator) or a PKCS#11 token / HSM (how Vietnamese agencies hold official certificates).

`open_signer(credential)` gives a pyHanko `Signer` for either; `pades_sign` adds one PAdES
signature (an incremental revision) with a visible appearance: the leader's text stamp, or the QR
stamp of the seal. The password or PIN comes decrypted from the credential: `approve {}` carries
no secret.
"""

import contextlib
import logging
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from pyhanko import stamp
from pyhanko.pdf_utils import text
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from xaso.core.pdf import FONT_FILES

from .secrets import open_secret


class SigningError(Exception):
    """The key could not be used (wrong password or PIN, token missing, broken file)."""


@dataclass(frozen=True)
class Pkcs12Key:
    data: bytes
    password: str


@dataclass(frozen=True)
class Pkcs11Key:
    module_path: str
    token_label: str
    pin: str
    key_label: str = ""
    key_id: bytes | None = None


def key_of(credential) -> Pkcs12Key | Pkcs11Key:
    """The key material a stored SigningCredential names, its secret decrypted."""
    try:
        secret = open_secret(credential.secret)
    except ValueError as error:
        raise SigningError(str(error)) from error
    if credential.backend == "pkcs12":
        return Pkcs12Key(data=bytes(credential.pkcs12), password=secret)
    return Pkcs11Key(
        module_path=credential.module_path,
        token_label=credential.token_label,
        pin=secret,
        key_label=credential.key_label,
        key_id=bytes.fromhex(credential.key_id) if credential.key_id else None,
    )


@contextlib.contextmanager
def open_signer(key: Pkcs12Key | Pkcs11Key) -> Iterator[signers.Signer]:
    if isinstance(key, Pkcs12Key):
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(
                key.data, other_certs=(), passphrase=key.password.encode()
            )
        except ValueError as error:
            raise SigningError("the PKCS#12 file or its password is not valid") from error
        yield signer
        return
    yield from _pkcs11_signer(key)


def _pkcs11_signer(key: Pkcs11Key) -> Iterator[signers.Signer]:
    # Imported here: python-pkcs11 loads a native module, needed only by token users.
    from pkcs11.exceptions import PKCS11Error
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as hanko_pkcs11

    try:
        session = hanko_pkcs11.open_pkcs11_session(
            key.module_path,
            token_criteria=TokenCriteria(label=key.token_label),
            user_pin=key.pin,
        )
    except (PKCS11Error, OSError, RuntimeError, hanko_pkcs11.PKCS11Error) as error:
        raise SigningError(f"the token cannot be opened: {error!r}") from error
    try:
        yield hanko_pkcs11.PKCS11Signer(
            session,
            key_label=key.key_label or None,
            key_id=key.key_id,
            cert_label=key.key_label or None,
            cert_id=key.key_id,
            # Hash here, let the token sign the digest (CKM_ECDSA / CKM_RSA_PKCS): every token
            # has those, not every one the combined hash-and-sign mechanisms.
            use_raw_mechanism=True,
        )
    finally:
        session.close()


# Latin, Vietnamese (precomposed: stamp texts are NFC-normalised) and common punctuation.
_STAMP_CHARACTERS = [
    *range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x310), *range(0x1EA0, 0x1EFA),
    0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026,
]  # fmt: skip


@cache
def _font() -> GlyphAccumulatorFactory:
    """The bundled font for the stamps, cut once per process to the characters above and without
    its layout tables: pyHanko subsets the font at every signature, and the full Source Sans Pro
    takes 0.4 s each time, the cut one a few milliseconds."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs every glyph at INFO

    font = TTFont(str(FONT_FILES["regular"]))
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GPOS", "GSUB", "GDEF"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_STAMP_CHARACTERS)
    subsetter.subset(font)
    path = Path(tempfile.mkdtemp(prefix="xaso-stamp-font-")) / "stamp.ttf"
    font.save(str(path))
    return GlyphAccumulatorFactory(str(path), font_size=8)


def stamp_text(value: str) -> str:
    return unicodedata.normalize("NFC", str(value))


def leader_stamp_style() -> stamp.TextStampStyle:
    return stamp.TextStampStyle(
        stamp_text="%(heading)s\n%(name)s\n%(title)s\n%(when)s",
        text_box_style=text.TextBoxStyle(font=_font(), font_size=8, leading=10),
        border_width=1,
        background=None,
    )


def seal_stamp_style() -> stamp.QRStampStyle:
    """The QR code alone: the document prints its caption ("scan to verify") under SEAL_BOX."""
    return stamp.QRStampStyle(
        stamp_text=" ",  # pyHanko needs some text beside the code; a space takes no room
        text_box_style=text.TextBoxStyle(font_size=1),
        border_width=0,
        background=None,
        innsep=0,
    )


def pades_sign(
    pdf: bytes,
    signer: signers.Signer,
    *,
    field_name: str,
    box: tuple[float, float, float, float],
    style: stamp.TextStampStyle,
    text_params: dict,
    reason: str,
    location: str,
) -> bytes:
    """`pdf` with one more PAdES signature (an incremental update), its visible appearance in
    `box` on the last page."""
    text_params = {name: stamp_text(value) for name, value in text_params.items()}
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=field_name, on_page=-1, box=tuple(int(v) for v in box)
        ),
    )
    output = BytesIO()
    try:
        pdf_signer.sign_pdf(writer, appearance_text_params=text_params, output=output)
    except SigningError:
        raise
    except Exception as error:  # pyHanko, the token or the key: all mean "not signed"
        raise SigningError(f"signing failed: {error!r}") from error
    return output.getvalue()
