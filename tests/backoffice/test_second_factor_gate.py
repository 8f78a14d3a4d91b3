"""Every back-office URL, walked, with an administrator's and a leader's password-only session:
each one sends to the second factor and changes nothing."""

import pytest
from django.test import Client

from tests.backoffice.test_isolation import OPEN, dossier, every_url  # noqa: F401
from xaso.dossiers.models import Dossier, DossierEvent

pytestmark = pytest.mark.django_db
SECOND_FACTOR = {"second_factor_verify", "second_factor_enrol"}


@pytest.mark.parametrize("username", ["admin", "leader"])
def test_a_password_only_session_reaches_no_back_office_page(username, demo, dossier):  # noqa: F811
    client = Client()
    client.force_login(demo[username])
    events = DossierEvent.objects.count()
    for name, url in every_url(dossier):
        if name in OPEN | SECOND_FACTOR:
            continue
        for response in (client.get(url), client.post(url, {"codes": [dossier.code]})):
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"].startswith("/backoffice/second-factor/"), name
    for url in ("/admin/", "/admin/results/resultdocument/"):
        assert client.get(url)["Location"].startswith("/backoffice/second-factor/"), url
    assert DossierEvent.objects.count() == events
    assert Dossier.objects.get(pk=dossier.pk).state == dossier.state
