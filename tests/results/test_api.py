"""The public verification API, the published keys, the citizen's download and the lookup
answer, electronic delivery, and the staff endpoints (scoped to the commune)."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.helpers.api import ApiClient, assert_error
from tests.helpers.second_factor import totp_code
from xaso.dossiers import services
from xaso.dossiers.models import Dossier
from xaso.results.models import ResultDocument
from xaso.results.seal import seal_verify
from xaso.results.services import result_revoke

VERIFY = "/api/v1/results/verify"


def post_pdf(content: bytes, name: str = "ket-qua.pdf"):
    client = Client(REMOTE_ADDR="203.0.113.20")
    return client.post(VERIFY, {"file": SimpleUploadedFile(name, content, "application/pdf")})


@pytest.fixture
def signed(ready, demo) -> ResultDocument:
    dossier = services.dossier_approve(actor=demo["leader"], dossier=ready())
    return ResultDocument.objects.select_related("dossier").get(dossier=dossier)


def test_verify_an_uploaded_pdf_and_its_seal(signed):
    answer = post_pdf(bytes(signed.pdf)).json()
    assert set(answer) == {"valid", "status", "kind", "document_title", "document_number",
                           "holder_name", "commune", "signed_at", "signer"}  # fmt: skip
    assert (answer["valid"], answer["status"], answer["document_number"]) == (
        True,
        "valid",
        "1/TLKS",
    )
    # The paper named, so that a printed copy can be matched to its QR code.
    assert (answer["kind"], answer["document_title"], answer["holder_name"]) == (
        "birth_extract",
        "Trích lục khai sinh",
        "H'Hen Niê",
    )
    by_seal = ApiClient().get(f"{VERIFY}?seal={signed.seal}").json()
    assert by_seal == answer


def test_verify_answers_tampered_for_a_changed_pdf_or_seal(signed):
    data = bytearray(signed.pdf)
    data[len(data) // 2] ^= 0x20
    assert post_pdf(bytes(data)).json()["status"] == "tampered"
    seal = signed.seal
    changed = seal[:10] + ("A" if seal[10] != "A" else "B") + seal[11:]
    assert ApiClient().get(f"{VERIFY}?seal={changed}").json()["status"] == "tampered"
    assert ApiClient().get(f"{VERIFY}?seal=not-a-seal").json()["status"] == "tampered"


def test_verify_refuses_what_is_not_a_pdf_with_a_clear_400(db):
    assert_error(post_pdf(b"GIF89a not a pdf"), 400, "not_a_pdf")
    assert_error(Client().post(VERIFY, {}), 400, "file_required")
    assert_error(ApiClient().get(VERIFY), 400, "seal_required")
    unsigned = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    assert post_pdf(unsigned).json()["status"] == "tampered"


def test_verify_refuses_a_file_past_the_cap(db, settings):
    settings.XASO_VERIFY_MAX_BYTES = 1000
    assert_error(post_pdf(b"%PDF-" + b"0" * 2000), 413, "file_too_large")


def test_verify_is_rate_limited(db, settings):
    settings.XASO_RATE_VERIFY = "2/m"
    for _ in range(2):
        ApiClient().get(f"{VERIFY}?seal=x.y")
    assert_error(ApiClient().get(f"{VERIFY}?seal=x.y"), 429, "rate_limited")


def test_the_published_key_checks_the_seal_offline(signed):
    keys = ApiClient().get("/api/v1/results/keys").json()["keys"]
    key = next(k for k in keys if k["commune"] == "DEMO-PL")
    raw = base64.urlsafe_b64decode(key["public_key"] + "=")
    fields = seal_verify(signed.seal, Ed25519PublicKey.from_public_bytes(raw))
    assert (fields.number, fields.holder_name) == ("1/TLKS", "H'Hen Niê")
    assert key["pem"].startswith("-----BEGIN PUBLIC KEY-----")


def test_the_lookup_carries_the_result_and_the_download_needs_the_secret(signed):
    dossier = signed.dossier
    lookup = (
        ApiClient()
        .get(f"/api/v1/dossiers/lookup?code={dossier.code}&secret={dossier.lookup_secret}")
        .json()
    )
    url = lookup["result"]["download_url"]
    assert lookup["result"]["document_number"] == "1/TLKS"
    assert dossier.lookup_secret not in url
    response = ApiClient().get(f"{url}&secret={dossier.lookup_secret}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(signed.pdf)
    assert_error(ApiClient().get(f"{url}&secret=WRONGSECRET"), 404, "dossier_not_found")


def test_the_lookup_says_result_null_before_approval(ready):
    dossier = ready()
    lookup = (
        ApiClient()
        .get(f"/api/v1/dossiers/lookup?code={dossier.code}&secret={dossier.lookup_secret}")
        .json()
    )
    assert lookup["result"] is None


def test_electronic_delivery_closes_the_dossier_right_after_signing(
    ready, demo, django_capture_on_commit_callbacks
):
    dossier = ready(result_delivery="electronic")
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_approve(actor=demo["leader"], dossier=dossier)
    dossier.refresh_from_db()
    assert (dossier.state, dossier.return_channel) == ("returned", "electronic")
    last = dossier.events.order_by("-id").first()
    assert (last.action, last.actor, last.actor_label) == ("return", None, "system")


def test_counter_delivery_waits_for_the_desk(ready, demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.dossier_approve(actor=demo["leader"], dossier=ready())
    assert Dossier.objects.get(pk=dossier.pk).state == "result_ready"


def test_submission_takes_the_result_delivery(demo):
    from tests.dossiers.conftest import submission

    desk = ApiClient().as_user(demo["reception"])
    created = desk.post("/api/v1/dossiers", submission("counter", result_delivery="electronic"))
    assert Dossier.objects.get(code=created.json()["code"]).result_delivery == "electronic"
    refused = desk.post("/api/v1/dossiers", submission("counter", result_delivery="pigeon"))
    assert_error(refused, 400, "result_delivery")


def test_staff_download_is_scoped_to_the_commune(signed, demo):
    url = f"/api/v1/results/dossiers/{signed.dossier.code}/pdf"
    response = ApiClient().as_user(demo["reception"]).get(url)
    assert response.status_code == 200 and response.content == bytes(signed.pdf)
    assert_error(ApiClient().as_user(demo["other-reception"]).get(url), 404, "dossier_not_found")
    assert ApiClient().get(url).status_code == 401


def test_sign_batch_gives_each_codes_outcome(ready, demo):
    first, second = ready(), ready()
    other = ready()
    services.dossier_send_back(actor=demo["leader"], dossier=other, reason="Xem lại")
    leader = ApiClient().as_user(demo["leader"])
    codes = [first.code, "NO-SUCH-CODE", other.code, second.code]
    body = {"codes": codes, "otp": totp_code(demo["leader"])}
    items = leader.post("/api/v1/results/sign-batch", body).json()["items"]
    assert [(item["code"], item["status"]) for item in items] == [
        (first.code, "signed"), ("NO-SUCH-CODE", "failed"), (other.code, "failed"),
        (second.code, "signed"),
    ]  # fmt: skip
    assert items[1]["error"]["code"] == "dossier_not_found"
    assert items[2]["error"]["code"] == "action_not_allowed"
    assert [Dossier.objects.get(code=c).state for c in (first.code, second.code)] == [
        "result_ready", "result_ready",
    ]  # fmt: skip


def test_another_communes_user_signs_nothing(ready, demo):
    dossier = ready()
    outsider = ApiClient().as_user(demo["other-reception"])
    response = outsider.post("/api/v1/results/sign-batch", {"codes": [dossier.code]})
    assert_error(response, 404, "dossier_not_found")
    desk = ApiClient().as_user(demo["reception"])
    assert_error(
        desk.post("/api/v1/results/sign-batch", {"codes": [dossier.code]}), 403, "forbidden"
    )
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_signature"


def test_sign_batch_asks_for_the_leaders_code_and_signs_nothing_without_the_right_one(ready, demo):
    first, second = ready(), ready()
    leader = ApiClient().as_user(demo["leader"])
    codes = [first.code, second.code]
    missing = leader.post("/api/v1/results/sign-batch", {"codes": codes})
    assert_error(missing, 401, "otp_required")
    right = totp_code(demo["leader"])
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    bad = leader.post("/api/v1/results/sign-batch", {"codes": codes, "otp": wrong})
    assert_error(bad, 401, "otp_invalid")
    assert set(Dossier.objects.filter(code__in=codes).values_list("state", flat=True)) == {
        "awaiting_signature"
    }
    assert not ResultDocument.objects.filter(dossier__code__in=codes).exists()


def test_only_the_commune_admin_revokes(signed, demo):
    with pytest.raises(Exception) as outsider:
        result_revoke(actor=demo["other-reception"], document=signed, reason="x")
    assert outsider.value.status == 404


def test_approving_one_through_the_api_asks_for_the_code(ready, demo):
    dossier = ready()
    leader = ApiClient().as_user(demo["leader"])
    url = f"/api/v1/dossiers/{dossier.code}/approve"
    assert_error(leader.post(url, {}), 401, "otp_required")
    assert Dossier.objects.get(pk=dossier.pk).state == "awaiting_signature"
    assert leader.post(url, {"otp": totp_code(demo["leader"])}).status_code == 200
    assert Dossier.objects.get(pk=dossier.pk).state == "result_ready"
