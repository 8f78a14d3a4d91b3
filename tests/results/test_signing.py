"""Sign on approve, then verify: valid, tampered, unknown signer, revoked."""

import pytest

from tests.helpers.api import ApiClient, assert_error
from tests.helpers.second_factor import totp_code
from xaso.core.audit import audit_verify
from xaso.dossiers import services
from xaso.results import pki
from xaso.results.credentials import credential_add_pkcs12
from xaso.results.models import ResultCounter, ResultDocument, SigningCredential
from xaso.results.secrets import seal_secret
from xaso.results.services import result_revoke
from xaso.results.verification import verify_pdf, verify_seal


@pytest.fixture
def signed(ready, demo):
    dossier = services.dossier_approve(actor=demo["leader"], dossier=ready())
    return ResultDocument.objects.select_related("commune").get(dossier=dossier)


def test_the_approved_result_is_signed_numbered_and_verifies(signed, demo):
    pdf = bytes(signed.pdf)
    assert signed.dossier.state == "result_ready"
    assert signed.number == "1/TLKS" and signed.kind == "birth_extract"
    assert signed.holder_name == "H'Hen Niê"
    answer = verify_pdf(pdf).as_dict()
    assert answer["valid"] is True and answer["status"] == "valid"
    assert answer["document_number"] == "1/TLKS"
    assert answer["commune"]["code"] == "DEMO-PL"
    assert answer["signer"]["name"] == demo["leader"].get_full_name()
    assert answer["signed_at"]
    assert answer["holder_name"] == "H'Hen Niê"  # as printed: a copy is matched to its QR
    assert "Y Bhiơ" not in str(answer)  # nothing else personal: not the applicant
    assert verify_seal(signed.seal).status == "valid"
    assert audit_verify() == []


def test_the_pdf_holds_the_leaders_signature_then_the_qr_seal(signed):
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(bytes(signed.pdf)))
    names = [signature.field_name for signature in reader.embedded_signatures]
    assert names == ["LeaderSignature", "QRSeal"]
    assert (
        b"/xac-thuc/?seal=" not in bytes(signed.pdf)[: reader.embedded_signatures[0].byte_range[3]]
    )


@pytest.mark.parametrize("where", [0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_flipping_one_byte_anywhere_makes_it_tampered(signed, where):
    data = bytearray(signed.pdf)
    position = int(len(data) * where)
    data[position] ^= 0x01
    assert verify_pdf(bytes(data)).status == "tampered"


def test_a_change_the_seal_signature_tolerates_is_still_tampering(signed):
    # Found by flipping every byte: the outer DER lengths and the SignedData digest list of the
    # last signature's CMS can change while every signature still validates.
    original = bytes(signed.pdf)
    hex_start = original.rfind(b"/Contents <") + len(b"/Contents <")
    for offset in (5, 6, 50, 51, 52, 53, 56, 57, 58):
        data = bytearray(original)
        data[hex_start + offset] ^= 0x01
        assert verify_pdf(bytes(data)).status == "tampered", offset


def test_no_single_byte_change_goes_unnoticed(signed):
    import random

    original = bytes(signed.pdf)
    for position in random.Random(7).sample(range(len(original)), 25):
        data = bytearray(original)
        data[position] ^= 0x04
        assert verify_pdf(bytes(data)).status == "tampered", position


def test_a_change_in_the_last_signatures_padding_is_noticed_too(signed):
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    original = bytes(signed.pdf)
    last = PdfFileReader(BytesIO(original)).embedded_signatures[-1]
    _start, end_of_first, start_of_second, _length = last.byte_range
    padding = end_of_first + len(original[end_of_first:start_of_second].rstrip(b"0>")) + 10
    for position, change in ((padding, 0x04), (end_of_first + 5, 0x20)):  # padding, hex case
        data = bytearray(original)
        data[position] ^= change
        assert verify_pdf(bytes(data)).status == "tampered", position


def test_anything_added_after_the_last_signature_is_noticed(signed):
    assert verify_pdf(bytes(signed.pdf) + b"\n% appended\n").status == "tampered"


def test_a_certificate_from_another_ca_is_an_unknown_signer(ready, demo):
    stranger_ca = pki.ca_create("Some other CA")
    issued = pki.signer_issue(stranger_ca, full_name="Kẻ Lạ", organisation="Nowhere")
    commune = demo["leader"].memberships.first().commune
    credential_add_pkcs12(
        actor=None, user=demo["leader"], commune=commune, password="pw",
        data=pki.pkcs12_export(issued, stranger_ca.certificate, "pw"), signer_title="Chủ tịch",
    )  # fmt: skip
    dossier = services.dossier_approve(actor=demo["leader"], dossier=ready())
    answer = verify_pdf(bytes(dossier.result.pdf))
    assert (answer.status, answer.valid, answer.document_number) == ("unknown_signer", False, None)


def test_revoked_results_say_so_on_every_verification(signed, demo):
    with pytest.raises(Exception) as refused:
        result_revoke(actor=demo["leader"], document=signed, reason="Cấp nhầm")
    assert getattr(refused.value, "status", None) == 403
    result_revoke(actor=demo["admin"], document=signed, reason="Cấp nhầm")
    for answer in (verify_pdf(bytes(signed.pdf)), verify_seal(signed.seal)):
        assert (answer.status, answer.valid) == ("revoked", False)
        assert answer.as_dict()["revoke_reason"] == "Cấp nhầm"
    with pytest.raises(Exception) as twice:
        result_revoke(actor=demo["admin"], document=signed, reason="again")
    assert twice.value.code == "already_revoked"


def test_a_wrong_password_leaves_the_dossier_awaiting_signature(ready, demo):
    dossier = ready()
    SigningCredential.objects.filter(user=demo["leader"]).update(secret=seal_secret("wrong"))
    leader = ApiClient().as_user(demo["leader"])
    step_up = {"otp": totp_code(demo["leader"])}
    response = leader.post(f"/api/v1/dossiers/{dossier.code}/approve", step_up)
    assert_error(response, 409, "signing_failed")
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_signature"
    assert not ResultDocument.objects.exists()
    assert not ResultCounter.objects.filter(last__gt=0).exists()  # no number used up


def test_a_leader_without_a_credential_is_told_so(ready, demo):
    dossier = ready()
    SigningCredential.objects.filter(user=demo["leader"]).delete()
    leader = ApiClient().as_user(demo["leader"])
    step_up = {"otp": totp_code(demo["leader"])}
    response = leader.post(f"/api/v1/dossiers/{dossier.code}/approve", step_up)
    assert_error(response, 400, "no_signing_credential")
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_signature"


def test_a_denied_dossier_gets_the_signed_denial_reply(ready, demo):
    dossier = services.dossier_approve(actor=demo["leader"], dossier=ready(deny=True))
    assert (dossier.state, dossier.outcome) == ("result_ready", "denied")
    assert dossier.result.kind == "denial"
    assert verify_pdf(bytes(dossier.result.pdf)).status == "valid"


def test_results_are_numbered_without_gaps(ready, demo):
    numbers = [
        services.dossier_approve(actor=demo["leader"], dossier=ready()).result.number
        for _ in range(2)
    ]
    assert numbers == ["1/TLKS", "2/TLKS"]
