"""Every back-office URL, walked: another commune's officer gets 404 or a page with nothing of
this commune; someone signed out is sent to the login page; nothing changes."""

import re

import pytest
from django.urls import URLPattern, reverse

from tests.backoffice.conftest import EXTRACT_COPY, make_dossier
from xaso.accounts.models import StaffSession
from xaso.backoffice.urls import urlpatterns
from xaso.core.models import AuditEntry
from xaso.dossiers.models import Dossier, DossierEvent
from xaso.places.models import Village

pytestmark = pytest.mark.django_db
OPEN = {"login", "logout"}


@pytest.fixture
def dossier(demo):
    return make_dossier(demo["reception"], code=EXTRACT_COPY, channel="counter", receive=True)


def samples(dossier: Dossier) -> dict:
    # A session of this commune's leader (`clients` signed them in): not another's to end.
    session = StaffSession.objects.filter(user__username="leader").first()
    return {
        "pk": session.pk if session else 1,
        "queue": "due_today",
        "code": dossier.code,
        "token": dossier.attachments.first().upload.token,
        "procedure_code": EXTRACT_COPY,
        "commune_code": dossier.receiving_commune.code,
        "file_format": "pdf",
        "action": "withdraw",
        "operation": "cash",
        "form": "receipt",
    }


def every_url(dossier: Dossier) -> list[tuple[str, str]]:
    values = samples(dossier)
    urls = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
        missing = set(names) - set(values)
        assert not missing, f"add a sample for {missing} of {pattern.name}"
        url = reverse(f"backoffice:{pattern.name}", kwargs={n: values[n] for n in names})
        urls.append((pattern.name, url))
    return urls


def test_another_communes_officer_gets_nothing_anywhere(clients, dossier):
    before = (Dossier.objects.values_list("state", flat=True).get(pk=dossier.pk),
              DossierEvent.objects.count(), Village.objects.count(),
              StaffSession.objects.filter(ended_at__isnull=True).count())  # fmt: skip
    # The outsider's own commune's register is theirs to read (and logged there), not this one.
    chain = dossier.receiving_commune.code
    logged = AuditEntry.objects.filter(action="personal_data.view", chain=chain)
    views_logged = logged.count()
    outsider = clients["other-reception"]
    body = {"reason": "x", "amount": "1000", "name": "Thôn Lạ", "codes": [dossier.code],
            "text": "", "items": "x"}  # fmt: skip
    for name, url in every_url(dossier):
        if name in OPEN:
            continue
        for method in ("get", "post"):
            response = outsider.post(url, body) if method == "post" else outsider.get(url)
            content = response.content.decode(errors="replace")
            assert response.status_code in (302, 400, 404, 405) or (
                response.status_code == 200 and dossier.code not in content
            ), (name, method, response.status_code)
            if response.status_code != 404:  # the 404 page repeats the path asked for
                assert dossier.code not in content, (name, method)
            assert dossier.applicant["full_name"] not in content, (name, method)
            if response.status_code == 302:
                assert dossier.code not in response["Location"], (name, method)
    after = (Dossier.objects.values_list("state", flat=True).get(pk=dossier.pk),
             DossierEvent.objects.count(), Village.objects.count(),
             StaffSession.objects.filter(ended_at__isnull=True).count())  # fmt: skip
    assert after == before
    assert logged.count() == views_logged


def test_the_signed_out_are_sent_to_the_login_page(clients, dossier):
    for name, url in every_url(dossier):
        if name in OPEN:
            continue
        response = clients["anonymous"].get(url)
        if response.status_code == 405:  # a form's target: try it as the form does
            response = clients["anonymous"].post(url, {})
        assert response.status_code == 302, name
        assert response["Location"].startswith("/backoffice/login/"), name


def test_a_user_without_any_staff_role_gets_404(dossier, django_user_model, client):
    citizen = django_user_model.objects.create_user(username="citizen-x", password="x" * 12)
    client.force_login(citizen)
    for name, url in every_url(dossier):
        if name not in OPEN:
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url, {})
            assert response.status_code == 404, name
