"""Signing with a key on a PKCS#11 token (SoftHSM2 standing in for the leader's USB token)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from xaso.dossiers import services
from xaso.results import pki
from xaso.results.credentials import credential_add_pkcs11, trust_anchor_add
from xaso.results.models import SigningCredential
from xaso.results.verification import verify_pdf

MODULE_PATHS = [
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
]
TOKEN, PIN, SO_PIN, KEY_LABEL, KEY_ID = "xaso-test", "123456", "654321", "leader", "0a01"


def _module() -> str | None:
    return next((path for path in MODULE_PATHS if Path(path).exists()), None)


@pytest.fixture(scope="session")
def token(tmp_path_factory):
    """A SoftHSM2 token (its own config and folder) holding a leader's key and certificate issued
    by a CA of its own: (module path, CA certificate, leader certificate)."""
    module = _module()
    if shutil.which("softhsm2-util") is None or module is None:
        message = "softhsm2 is not installed (Debian package softhsm2): PKCS#11 not tested"
        if os.environ.get("XASO_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(config)

    def run(*arguments):
        subprocess.run(["softhsm2-util", *arguments], check=True, capture_output=True)

    run("--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN)
    ca = pki.ca_create("Token test CA")
    leader = pki.signer_issue(ca, full_name="Chủ tịch có token", organisation="UBND xã")
    key_file = folder / "leader.pem"
    key_file.write_text(pki.key_pem(leader.key))
    run("--import", str(key_file), "--token", TOKEN, "--label", KEY_LABEL, "--id", KEY_ID,
        "--pin", PIN)  # fmt: skip
    key_file.unlink()
    _store_certificate(module, leader.certificate)
    return module, ca.certificate, leader.certificate


def _store_certificate(module: str, certificate) -> None:
    """softhsm2-util imports keys only: the certificate goes in through PKCS#11 itself."""
    import pkcs11
    from cryptography.hazmat.primitives.serialization import Encoding
    from pkcs11 import Attribute, CertificateType, ObjectClass

    token = pkcs11.lib(module).get_token(token_label=TOKEN)
    with token.open(user_pin=PIN, rw=True) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.LABEL: KEY_LABEL,
            Attribute.ID: bytes.fromhex(KEY_ID),
            Attribute.SUBJECT: certificate.subject.public_bytes(),
            Attribute.VALUE: certificate.public_bytes(Encoding.DER),
        })  # fmt: skip


def test_a_leader_signs_with_a_key_on_a_token(token, ready, demo):
    module, ca_certificate, certificate = token
    commune = demo["leader"].memberships.get().commune
    trust_anchor_add(actor=None, name="Token test CA", certificate_data=pki.der(ca_certificate))
    credential_add_pkcs11(
        actor=demo["admin"], user=demo["leader"], commune=commune, module_path=module,
        token_label=TOKEN, pin=PIN, key_label=KEY_LABEL, signer_title="Chủ tịch UBND xã",
        certificate=certificate,
    )  # fmt: skip
    active = SigningCredential.objects.get(user=demo["leader"], is_active=True)
    assert active.backend == "pkcs11" and active.secret != PIN  # the PIN is stored encrypted
    dossier = services.dossier_approve(actor=demo["leader"], dossier=ready())
    answer = verify_pdf(bytes(dossier.result.pdf))
    assert (answer.status, answer.document_number) == ("valid", dossier.result.number)


def test_a_wrong_pin_leaves_the_dossier_awaiting_signature(token, ready, demo):
    module, _ca, _certificate = token
    commune = demo["leader"].memberships.get().commune
    credential_add_pkcs11(
        actor=demo["admin"], user=demo["leader"], commune=commune, module_path=module,
        token_label=TOKEN, pin="000000", key_label=KEY_LABEL, signer_title="Chủ tịch",
    )  # fmt: skip
    dossier = ready()
    with pytest.raises(Exception) as refused:
        services.dossier_approve(actor=demo["leader"], dossier=dossier)
    assert refused.value.code == "signing_failed"
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_signature"
