"""The results screens in the admin: scoped to the commune, revocation with a reason by the
commune administrator, a leader's PKCS#12 uploaded with its password."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.helpers.second_factor import verified_client
from xaso.dossiers import services
from xaso.results import pki
from xaso.results.models import ResultDocument, SigningCredential, TrustAnchor
from xaso.results.verification import verify_pdf

RESULTS = "/admin/results/resultdocument/"


def client_for(user) -> Client:
    return verified_client(user)  # administrators pass the second factor


@pytest.fixture
def signed(ready, demo) -> ResultDocument:
    dossier = services.dossier_approve(actor=demo["leader"], dossier=ready())
    return ResultDocument.objects.get(dossier=dossier)


def test_the_list_is_the_communes_own_and_each_pdf_downloads(signed, demo):
    admin = client_for(demo["admin"])
    page = admin.get(RESULTS)
    assert page.status_code == 200 and signed.number in page.content.decode()
    pdf = admin.get(f"{RESULTS}{signed.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content == bytes(signed.pdf)
    outsider = client_for(demo["other-reception"])
    assert signed.number not in outsider.get(RESULTS).content.decode()
    assert outsider.get(f"{RESULTS}{signed.pk}/pdf/").status_code == 404


def test_the_commune_admin_revokes_with_a_reason(signed, demo):
    admin = client_for(demo["admin"])
    action = {"action": "revoke", "_selected_action": [signed.pk], "index": 0}
    admin.post(RESULTS, {**action, "reason": ""})
    signed.refresh_from_db()
    assert signed.revoked_at is None  # no reason, no revocation
    admin.post(RESULTS, {**action, "reason": "Cấp nhầm người"})
    signed.refresh_from_db()
    assert (signed.revoke_reason, signed.revoked_by) == ("Cấp nhầm người", demo["admin"])
    assert verify_pdf(bytes(signed.pdf)).status == "revoked"


def test_a_leader_cannot_revoke(signed, demo):
    leader = client_for(demo["leader"])
    leader.post(RESULTS, {"action": "revoke", "_selected_action": [signed.pk], "index": 0,
                          "reason": "x"})  # fmt: skip
    signed.refresh_from_db()
    assert signed.revoked_at is None


def test_the_commune_admin_uploads_a_leaders_pkcs12(demo):
    ca = pki.ca_create("Upload test CA")
    issued = pki.signer_issue(ca, full_name="Trần Văn Chủ", organisation="UBND")
    data = pki.pkcs12_export(issued, ca.certificate, "mật-khẩu")
    admin = client_for(demo["admin"])
    url = "/admin/results/signingcredential/upload/"
    form = admin.get(url)
    assert form.status_code == 200
    commune = demo["leader"].memberships.get().commune
    body = {"commune": commune.pk, "leader": demo["leader"].pk, "signer_title": "Chủ tịch UBND xã",
            "password": "wrong"}  # fmt: skip
    refused = admin.post(url, {**body, "file": SimpleUploadedFile("a.p12", data)})
    assert refused.status_code == 200  # the form again, with the error
    assert SigningCredential.objects.filter(user=demo["leader"]).count() == 1
    saved = admin.post(
        url, {**body, "password": "mật-khẩu", "file": SimpleUploadedFile("a.p12", data)}
    )
    assert saved.status_code == 302
    active = SigningCredential.objects.get(user=demo["leader"], is_active=True)
    assert "Trần Văn Chủ" in active.certificate_subject
    assert "mật-khẩu" not in active.secret
    assert client_for(demo["reception"]).get(url).status_code == 404

    anchor_url = "/admin/results/trustanchor/upload/"
    pem = pki.der(ca.certificate)
    admin.post(anchor_url, {"commune": commune.pk, "name": "Upload test CA",
                            "file": SimpleUploadedFile("ca.cer", pem)})  # fmt: skip
    assert TrustAnchor.objects.filter(name="Upload test CA").exists()


def test_keys_are_the_commune_admins_screens_only(demo):
    for name, status in (("admin", 200), ("leader", 403), ("reception", 403)):
        client = client_for(demo[name])
        assert client.get("/admin/results/signingcredential/").status_code == status, name
        assert client.get("/admin/results/trustanchor/").status_code == status, name
