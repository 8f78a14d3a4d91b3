"""Two officers press the same button on the same dossier at the same moment."""

import threading

import pytest
from django.db import connection

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient
from xaso.dossiers.models import Dossier, DossierEvent

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (select_for_update) exist on PostgreSQL only; SQLite serialises "
        "whole transactions instead",
    ),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action, body", [("receive", {}), ("refuse", {"reason": "Trùng hồ sơ"})])
def test_same_action_twice_at_once_one_succeeds_one_gets_409(demo, action, body):
    code = ApiClient().post("/api/v1/dossiers", submission()).json()["code"]
    clients = [ApiClient().as_user(demo["reception"]) for _ in range(2)]
    barrier = threading.Barrier(2)
    statuses = []

    def press(client):
        try:
            barrier.wait()
            statuses.append(client.post(f"/api/v1/dossiers/{code}/{action}", body).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    dossier = Dossier.objects.get(code=code)
    assert DossierEvent.objects.filter(dossier=dossier, action=action).count() == 1
