"""Certificates for development and tests: a CA, and a leader's signing certificate issued by
it, as a PKCS#12 file. Pure (no database): `xaso pki init-dev` (services.pki_init_dev) stores them.

EC P-256 keys: generated in microseconds, so the test suite and `seed-demo` can make them freely.
Never for real use: a commune signs with a certificate from a licensed CA (in Vietnam, the
Government Cipher Committee's CA for public agencies), uploaded as PKCS#12 or held on a token.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEV_CA_NAME = "xaso development CA (not for real use)"
# Development certificates are valid from 2000 and for decades: whatever moment a demo or a test
# runs at (its clock set back, frozen in the past, or moved years ahead) they are in force, so a
# result signs and verifies. A real certificate's window is the licensed CA's business.
DEV_VALID_FROM = datetime(2000, 1, 1, tzinfo=UTC)
DEV_CA_YEARS = 50
DEV_SIGNER_YEARS = 40


@dataclass(frozen=True)
class Issued:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def _name(common_name: str, organisation: str = "xaso (development)") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def ca_create(common_name: str = DEV_CA_NAME, *, years: int = DEV_CA_YEARS) -> Issued:
    key = new_key()
    now = datetime.now(UTC)
    name = _name(common_name)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(DEV_VALID_FROM)
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, certificate)


def signer_issue(
    ca: Issued, *, full_name: str, organisation: str, years: int = DEV_SIGNER_YEARS
) -> Issued:
    """A signing certificate (digital signature + non-repudiation) for a person."""
    key = new_key()
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(full_name, organisation))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(DEV_VALID_FROM)
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
            critical=False,
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(key, certificate)


def pkcs12_export(issued: Issued, ca_certificate: x509.Certificate, password: str) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name=issued.certificate.subject.rfc4514_string().encode(),
        key=issued.key,
        cert=issued.certificate,
        cas=[ca_certificate],
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )


def key_pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def key_from_pem(text: str):
    return serialization.load_pem_private_key(text.encode(), password=None)


def der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def fingerprint(certificate_der: bytes) -> str:
    return hashlib.sha256(certificate_der).hexdigest()


def certificate_load(data: bytes) -> x509.Certificate:
    """A certificate in DER or PEM; ValueError otherwise."""
    if data.lstrip().startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)
