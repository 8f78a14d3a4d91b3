"""A farmer on weak 3G taps "Nộp" again and again: still one dossier."""

import threading
import uuid

import pytest
from django.db import connection

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient, assert_error
from xaso.dossiers.models import Dossier


def post(client, body, key):
    return client.post("/api/v1/dossiers", body, HTTP_IDEMPOTENCY_KEY=key)


def test_200_submissions_with_the_same_key_make_one_dossier(demo, at):
    at(2026, 11, 30, 9, 0)
    client, body, key = ApiClient(), submission(), str(uuid.uuid4())
    answers = [post(client, body, key) for _ in range(200)]
    assert {response.status_code for response in answers} == {201}
    assert len({response.content for response in answers}) == 1
    assert answers[1]["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(demo, at):
    at(2026, 11, 30, 9, 0)
    client, key = ApiClient(), str(uuid.uuid4())
    assert post(client, submission(), key).status_code == 201
    other = submission()
    other["applicant"]["phone"] = "0987654321"
    assert_error(post(client, other, key), 422, "idempotency_key_reused")
    assert Dossier.objects.count() == 1


def test_anonymous_submissions_are_rate_limited_but_replays_are_free(demo, at, settings):
    at(2026, 11, 30, 9, 0)
    settings.XASO_RATE_ANON_SUBMIT = "3/m"
    client = ApiClient()
    for _ in range(3):
        assert client.post("/api/v1/dossiers", submission()).status_code == 201
    throttled = client.post("/api/v1/dossiers", submission())
    assert_error(throttled, 429, "rate_limited")
    assert throttled["Retry-After"]
    assert Dossier.objects.count() == 3


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL row locks; the in-memory SQLite test database "
    "fails on a lock instead of waiting",
)
@pytest.mark.django_db(transaction=True)
def test_200_concurrent_submissions_with_one_key_make_one_dossier(demo):
    # The real clock: the key's age decides whether a dead request's key may be taken over, and
    # a frozen clock would make every key look minutes old or days old.
    body, key = submission(), str(uuid.uuid4())
    statuses, bodies = [], set()

    def tap():
        client = ApiClient()
        try:
            for _ in range(10):
                response = post(client, body, key)
                statuses.append(response.status_code)
                if response.status_code == 201:
                    bodies.add(response.content)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 200
    assert set(statuses) <= {201, 409}
    assert Dossier.objects.count() == 1
    assert len(bodies) == 1, bodies
