"""`xaso verify FILE.pdf` (exit 0 only when valid) and `xaso pki init-dev` (idempotent)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xaso.dossiers import services
from xaso.results.models import SigningCredential, TrustAnchor


def verify(*arguments) -> tuple[int, dict | None]:
    out = io.StringIO()
    try:
        call_command("verify", *arguments, stdout=out)
    except CommandError as error:
        code = error.returncode
    else:
        code = 0
    text = out.getvalue()
    return code, json.loads(text) if text else None


@pytest.fixture
def pdf_file(ready, demo, tmp_path):
    dossier = services.dossier_approve(actor=demo["leader"], dossier=ready())
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(bytes(dossier.result.pdf))
    return path, dossier.result


def test_verify_exits_0_for_a_valid_result(pdf_file):
    path, document = pdf_file
    code, answer = verify(str(path))
    assert code == 0
    assert (answer["status"], answer["document_number"]) == ("valid", document.number)
    assert verify("--seal", document.seal)[0] == 0


def test_verify_exits_1_for_a_tampered_result(pdf_file):
    path, _document = pdf_file
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))
    code, answer = verify(str(path))
    assert (code, answer["status"]) == (1, "tampered")


def test_verify_exits_1_for_what_cannot_be_verified(db, tmp_path):
    (tmp_path / "note.txt").write_text("hello")
    assert verify(str(tmp_path / "note.txt")) == (1, None)
    assert verify(str(tmp_path / "missing.pdf")) == (1, None)
    with pytest.raises(CommandError):
        call_command("verify")


def test_pki_init_dev_is_idempotent(demo):
    before = (TrustAnchor.objects.count(), SigningCredential.objects.count())
    assert before == (1, 1)  # seed-demo ran it: the dev CA, the demo leader's certificate
    out = io.StringIO()
    call_command("pki", "init-dev", stdout=out)
    assert (TrustAnchor.objects.count(), SigningCredential.objects.count()) == before
    assert "0 new credential" in out.getvalue()
