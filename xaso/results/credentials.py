"""The keys results are signed with: the leaders' credentials (PKCS#12 or PKCS#11), the CA
certificates the deployment trusts, the communes' seal keys, and the development PKI
(`xaso pki init-dev`). Every write here writes its audit row in the same transaction."""

import secrets as random

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Membership, Role
from xaso.accounts.scoping import staff_scope
from xaso.core.audit import audit_record
from xaso.core.errors import InvalidInput
from xaso.places.models import Commune

from . import pki
from .models import SealKey, SigningCredential, TrustAnchor
from .seal import b64url
from .secrets import open_secret, seal_secret

DEV_LEADER_TITLE = "Chủ tịch UBND xã"
DEV_VICE_LEADER_TITLE = "Phó Chủ tịch UBND xã"


class CredentialInvalid(InvalidInput):
    code = "credential_invalid"


def _certificate_facts(certificate: x509.Certificate) -> dict:
    return {
        "certificate_subject": certificate.subject.rfc4514_string()[:300],
        "certificate_expires": certificate.not_valid_after_utc,
    }


def _require_current(certificate: x509.Certificate) -> None:
    """An expired (or not yet valid) certificate would replace the leader's working one and stop
    every signature: refuse it at the upload instead."""
    now = timezone.now()
    if certificate.not_valid_after_utc <= now:
        raise CredentialInvalid(
            _("This certificate has expired: the leader cannot sign with it. Upload a valid one."),
            code="certificate_expired",
        )
    if certificate.not_valid_before_utc > now:
        raise CredentialInvalid(
            _("This certificate is not valid yet: upload it on or after its start date."),
            code="certificate_not_yet_valid",
        )


def _require_admin(actor, commune: Commune) -> None:
    if actor is not None and not actor.is_superuser:
        staff_scope(actor).require(commune, [Role.COMMUNE_ADMIN])


def _require_leader(user, commune: Commune) -> None:
    if not Membership.objects.filter(user=user, commune=commune, role=Role.LEADER).exists():
        raise InvalidInput(
            _("%(user)s is not a leader of this commune.") % {"user": user.get_username()},
            code="not_a_leader",
        )


def _replace_active(*, user, commune: Commune, **fields) -> SigningCredential:
    SigningCredential.objects.filter(user=user, commune=commune, is_active=True).update(
        is_active=False
    )
    return SigningCredential.objects.create(
        user=user, commune=commune, is_active=True, created_at=timezone.now(), **fields
    )


def credential_add_pkcs12(
    *, actor, user, commune: Commune, data: bytes, password: str, signer_title: str
) -> SigningCredential:
    """The commune administrator uploads a leader's PKCS#12 file and its password; it replaces
    the leader's active credential in this commune."""
    _require_admin(actor, commune)
    _require_leader(user, commune)
    try:
        _key, certificate, _others = pkcs12.load_key_and_certificates(data, password.encode())
    except (ValueError, TypeError) as error:
        raise CredentialInvalid(
            _("This is not a PKCS#12 file, or the password is wrong.")
        ) from error
    if certificate is None:
        raise CredentialInvalid(_("The PKCS#12 file holds no certificate."))
    _require_current(certificate)
    title = " ".join((signer_title or "").split())
    if not title:
        raise InvalidInput(_("Enter the title printed with the signature."), code="signer_title")
    with transaction.atomic():
        credential = _replace_active(
            user=user,
            commune=commune,
            backend=SigningCredential.Backend.PKCS12,
            signer_title=title[:100],
            pkcs12=data,
            secret=seal_secret(password),
            **_certificate_facts(certificate),
        )
        audit_record(
            actor=actor, action="results.credential_add", object_type="signing_credential",
            object_id=credential.pk, commune_code=commune.code,
            data={"user": user.get_username(), "backend": "pkcs12",
                  "certificate": credential.certificate_subject},
        )  # fmt: skip
    return credential


def credential_add_pkcs11(
    *, actor, user, commune: Commune, module_path: str, token_label: str, pin: str,
    key_label: str = "", key_id: str = "", signer_title: str,
    certificate: x509.Certificate | None = None,
) -> SigningCredential:  # fmt: skip
    """A leader's key on a token or HSM, found by token label and key label or id (hex)."""
    _require_admin(actor, commune)
    _require_leader(user, commune)
    if not module_path or not token_label or not (key_label or key_id):
        raise InvalidInput(
            _("Give the PKCS#11 module, the token label and the key label or id."),
            code="pkcs11_incomplete",
        )
    if key_id:
        try:
            bytes.fromhex(key_id)
        except ValueError:
            raise InvalidInput(_("The key id is hexadecimal."), code="pkcs11_key_id") from None
    with transaction.atomic():
        credential = _replace_active(
            user=user,
            commune=commune,
            backend=SigningCredential.Backend.PKCS11,
            signer_title=" ".join(signer_title.split())[:100],
            secret=seal_secret(pin),
            module_path=module_path,
            token_label=token_label,
            key_label=key_label,
            key_id=key_id.lower(),
            **(_certificate_facts(certificate) if certificate is not None else {}),
        )
        audit_record(
            actor=actor, action="results.credential_add", object_type="signing_credential",
            object_id=credential.pk, commune_code=commune.code,
            data={"user": user.get_username(), "backend": "pkcs11", "token": token_label},
        )  # fmt: skip
    return credential


def trust_anchor_add(
    *, actor, name: str, certificate_data: bytes, commune: Commune | None = None,
    dev_issuer_key: str = "",
) -> TrustAnchor:  # fmt: skip
    """Trust a CA certificate (DER or PEM) for the results of the whole deployment. The same
    certificate twice is the same anchor."""
    if commune is not None:
        _require_admin(actor, commune)
    try:
        certificate = pki.certificate_load(certificate_data)
    except ValueError as error:
        raise CredentialInvalid(_("This is not an X.509 certificate.")) from error
    der = pki.der(certificate)
    name = " ".join((name or "").split())[:200] or certificate.subject.rfc4514_string()[:200]
    with transaction.atomic():
        anchor, created = TrustAnchor.objects.get_or_create(
            fingerprint=pki.fingerprint(der),
            defaults={"name": name, "commune": commune, "certificate": der,
                      "dev_issuer_key": dev_issuer_key, "created_at": timezone.now()},
        )  # fmt: skip
        if created:
            audit_record(
                actor=actor, action="results.trust_anchor_add", object_type="trust_anchor",
                object_id=anchor.pk, commune_code=commune.code if commune else "",
                data={"name": name, "fingerprint": anchor.fingerprint},
            )  # fmt: skip
    return anchor


def seal_key_for(commune: Commune) -> tuple[SealKey, Ed25519PrivateKey]:
    """The commune's active seal key, made on first use (inside the caller's transaction)."""
    key = SealKey.objects.filter(commune=commune, is_active=True).order_by("-id").first()
    if key is None:
        private = Ed25519PrivateKey.generate()
        public = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        raw = private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        key = SealKey.objects.create(
            commune=commune,
            public_key=b64url(public),
            private_key=seal_secret(b64url(raw)),
            created_at=timezone.now(),
        )
        audit_record(
            actor=None, action="results.seal_key_create", object_type="seal_key",
            object_id=key.pk, commune_code=commune.code, data={"public_key": key.public_key},
        )  # fmt: skip
        return key, private
    from .seal import b64url_decode

    return key, Ed25519PrivateKey.from_private_bytes(b64url_decode(open_secret(key.private_key)))


# --- the development PKI ---------------------------------------------------------------------


def dev_ca() -> pki.Issued:
    """The development CA (key and certificate), made and trusted on first use."""
    anchor = TrustAnchor.objects.exclude(dev_issuer_key="").order_by("id").first()
    if anchor is not None:
        try:
            key = pki.key_from_pem(open_secret(anchor.dev_issuer_key))
        except ValueError:  # XASO_SIGNING_KEY changed: make a new development CA
            anchor = None
        else:
            return pki.Issued(key, x509.load_der_x509_certificate(bytes(anchor.certificate)))
    ca = pki.ca_create()
    trust_anchor_add(
        actor=None,
        name=pki.DEV_CA_NAME,
        certificate_data=pki.der(ca.certificate),
        dev_issuer_key=seal_secret(pki.key_pem(ca.key)),
    )
    return ca


def _usable(credential: SigningCredential | None) -> bool:
    if credential is None or credential.backend != SigningCredential.Backend.PKCS12:
        return credential is not None
    try:
        open_secret(credential.secret)
    except ValueError:
        return False
    expires = credential.certificate_expires
    return expires is None or expires > timezone.now()


def pki_init_dev(*, communes=None) -> list[SigningCredential]:
    """A development CA (trusted) and a PKCS#12 credential for every leader of the demo
    communes (or of `communes`) who has none that works. Idempotent; returns what it made."""
    if communes is None:
        communes = Commune.objects.filter(is_demo=True)
    made = []
    with transaction.atomic():
        ca = dev_ca()
        leaders = Membership.objects.filter(role=Role.LEADER, commune__in=communes).select_related(
            "user", "commune"
        )
        for membership in leaders:
            user, commune = membership.user, membership.commune
            current = SigningCredential.objects.filter(
                user=user, commune=commune, is_active=True
            ).first()
            if _usable(current):
                continue
            name = user.get_full_name()
            issued = pki.signer_issue(ca, full_name=name, organisation=f"UBND {commune.name}")
            password = random.token_urlsafe(16)
            title = DEV_VICE_LEADER_TITLE if name.startswith("Phó") else DEV_LEADER_TITLE
            made.append(
                credential_add_pkcs12(
                    actor=None,
                    user=user,
                    commune=commune,
                    data=pki.pkcs12_export(issued, ca.certificate, password),
                    password=password,
                    signer_title=title,
                )
            )
            seal_key_for(commune)
    return made


def dev_ca_certificate() -> x509.Certificate | None:
    anchor = TrustAnchor.objects.exclude(dev_issuer_key="").order_by("id").first()
    return x509.load_der_x509_certificate(bytes(anchor.certificate)) if anchor else None
