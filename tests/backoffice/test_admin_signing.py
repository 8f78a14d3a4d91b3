"""Commune administration: the leaders' signing certificates (upload a PKCS#12 file) and the
commune's issued results, revocable with a reason (the admin's commune only)."""

from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.results.conftest import awaiting_signature
from xaso.dossiers import services
from xaso.dossiers.models import Dossier
from xaso.results import pki
from xaso.results.credentials import dev_ca
from xaso.results.models import ResultDocument, SigningCredential
from xaso.results.secrets import open_secret

pytestmark = pytest.mark.django_db
URL = "/backoffice/admin/signing/"


def p12(password: str = "mat-khau-1") -> SimpleUploadedFile:  # noqa: S107 (a test file's)
    ca = dev_ca()
    issued = pki.signer_issue(ca, full_name="Nguyễn Văn Mới", organisation="UBND xã Phú Lộc")
    data = pki.pkcs12_export(issued, ca.certificate, password)
    return SimpleUploadedFile("leader.p12", data, content_type="application/x-pkcs12")


def expired_p12(password: str = "mat-khau-1") -> SimpleUploadedFile:  # noqa: S107
    """A certificate of the development CA that expired yesterday."""
    ca, key = dev_ca(), pki.new_key()
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Cũ Hết Hạn")]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=800))
        .not_valid_after(now - timedelta(days=1))
        .sign(ca.key, hashes.SHA256())
    )
    data = pki.pkcs12_export(pki.Issued(key, certificate), ca.certificate, password)
    return SimpleUploadedFile("old.p12", data, content_type="application/x-pkcs12")


def upload(client, **changes):
    body = {"operation": "upload", "leader": "leader", "signer_title": "Chủ tịch UBND xã",
            "password": "mat-khau-1", "pkcs12": p12(), **changes}  # fmt: skip
    client.cookies["django_language"] = "en"
    return client.post(URL, body, follow=True)


def active(user) -> SigningCredential:
    return SigningCredential.objects.get(user=user, is_active=True)


@pytest.fixture
def signed(demo) -> ResultDocument:
    dossier = services.dossier_approve(actor=demo["leader"], dossier=awaiting_signature(demo))
    return ResultDocument.objects.get(dossier=dossier)


def test_the_administrator_sees_the_certificates_and_the_results(clients, signed):
    page = clients["admin"].get(URL).content.decode()
    assert active(signed.signer).certificate_subject.split(",")[0] in page
    assert f'data-result="{signed.number}"' in page and 'name="reason"' in page


def test_an_uploaded_certificate_replaces_the_leaders_one_with_the_password_sealed(clients, demo):
    earlier = active(demo["leader"])
    content = upload(clients["admin"]).content.decode()
    assert 'class="success"' in content
    credential = active(demo["leader"])
    assert credential.pk != earlier.pk and "Nguyễn Văn Mới" in credential.certificate_subject
    assert credential.secret != "mat-khau-1" and open_secret(credential.secret) == "mat-khau-1"
    assert "Nguyễn Văn Mới" in content


@pytest.mark.parametrize(
    ("changes", "code_text"),
    [({"password": "wrong"}, "password is wrong"),
     ({"leader": "reception"}, "not a leader"),
     ({"leader": "other-reception"}, "Choose a leader"),
     ({"signer_title": "  "}, "title"),
     ({"pkcs12": SimpleUploadedFile("x.p12", b"not a p12")}, "not a PKCS#12")],
)  # fmt: skip
def test_a_bad_upload_is_a_message_and_changes_nothing(clients, demo, changes, code_text):
    before = SigningCredential.objects.count()
    content = upload(clients["admin"], **changes).content.decode()
    assert 'class="error"' in content and code_text in content
    assert SigningCredential.objects.count() == before


def test_an_expired_certificate_is_refused_and_the_working_one_kept(clients, demo):
    working = SigningCredential.objects.filter(is_active=True).count()
    before = SigningCredential.objects.count()
    content = upload(clients["admin"], pkcs12=expired_p12()).content.decode()
    assert "has expired" in content and 'class="success"' not in content
    assert SigningCredential.objects.count() == before
    assert SigningCredential.objects.filter(is_active=True).count() == working


def test_the_administrator_revokes_a_result_with_a_reason(clients, signed):
    missing = clients["admin"].post(
        URL, {"operation": "revoke", "result": signed.pk, "reason": " "}, follow=True
    )
    assert 'class="error"' in missing.content.decode()
    signed.refresh_from_db()
    assert signed.revoked_at is None
    clients["admin"].post(URL, {"operation": "revoke", "result": signed.pk, "reason": "Cấp nhầm"})
    signed.refresh_from_db()
    assert (signed.revoke_reason, signed.revoked_at is not None) == ("Cấp nhầm", True)
    again = clients["admin"].post(
        URL, {"operation": "revoke", "result": signed.pk, "reason": "x"}, follow=True
    )
    assert 'class="error"' in again.content.decode()


def test_other_roles_get_404_and_change_nothing(clients, signed, demo):
    before = SigningCredential.objects.count()
    for name in ("reception", "specialist", "leader", "other-reception"):
        assert clients[name].get(URL).status_code == 404
        assert upload(clients[name]).status_code == 404
        clients[name].post(URL, {"operation": "revoke", "result": signed.pk, "reason": "x"})
    signed.refresh_from_db()
    assert signed.revoked_at is None and SigningCredential.objects.count() == before


def test_another_communes_administrator_sees_and_touches_nothing_here(other_admin, signed, demo):
    page = other_admin.get(URL).content.decode()
    assert signed.number not in page and active(demo["leader"]).certificate_subject not in page
    other_admin.post(URL, {"operation": "revoke", "result": signed.pk, "reason": "x"})
    signed.refresh_from_db()
    assert signed.revoked_at is None
    before = active(demo["leader"]).pk
    upload(other_admin)
    assert active(demo["leader"]).pk == before


def test_results_follow_by_keyset_pages_at_a_fixed_query_count(clients, signed):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert clients["admin"].get(url).status_code == 200
        return len(captured)

    assert queries(URL) == 11
    dossiers = []
    for number in range(60):
        dossier = Dossier.objects.get(pk=signed.dossier_id)
        dossier.pk, dossier.code = None, f"{dossier.code}-C{number:03d}"
        dossiers.append(dossier)
    rows = []
    for number, dossier in enumerate(Dossier.objects.bulk_create(dossiers)):
        row = ResultDocument.objects.get(pk=signed.pk)
        row.pk, row.dossier = None, dossier
        row.number, row.sha256, row.sequence = f"C{number:03d}", f"{number:064d}", 100 + number
        rows.append(row)
    ResultDocument.objects.bulk_create(rows)
    assert queries(URL) == 11
    page = clients["admin"].get(URL).content.decode()
    assert 'rel="next"' in page and signed.number not in page
    after = page.split("after=")[1].split('"')[0]
    second = clients["admin"].get(f"{URL}?after={after}").content.decode()
    assert signed.number in second and 'rel="next"' not in second
    broken = clients["admin"].get(f"{URL}?after=!!").content.decode()
    assert 'class="error"' in broken
