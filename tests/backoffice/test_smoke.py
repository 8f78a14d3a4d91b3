import pytest

from tests.backoffice.conftest import make_dossier

pytestmark = pytest.mark.django_db


def test_pages_render(clients, demo):
    dossier = make_dossier(None)
    desk = clients["reception"]
    for url in [
        "/backoffice/queues/new/",
        "/backoffice/queues/friday_board/",
        "/backoffice/desk/",
        "/backoffice/desk/?q=khai+sinh",
        "/backoffice/desk/2.000884/",
        f"/backoffice/dossiers/{dossier.code}/",
        "/backoffice/register/",
    ]:
        response = desk.get(url)
        assert response.status_code == 200, (url, response.content[:3000])
    assert clients["leader"].get("/backoffice/leader/").status_code == 200
    assert clients["admin"].get("/backoffice/admin/villages/").status_code == 200
