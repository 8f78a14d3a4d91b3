"""Idempotency-Key semantics (Stripe's), through the test-only API of tests/core/fake_api.py."""

import json
import threading
import uuid
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.client import encode_multipart
from django.utils import timezone

from tests.core import fake_api
from tests.helpers.api import assert_error
from xaso.core.idempotency import (
    CLAIM_GRACE,
    REPLAYED_HEADER,
    STALE_AFTER,
    idempotency_prune,
    request_fingerprint,
)
from xaso.core.models import AuditEntry, IdempotencyKey
from xaso.core.tasks import idempotency_keys_prune

pytestmark = pytest.mark.urls("tests.core.fake_api")

URL = "/api/test/things"
BODY = {"name": "Thôn Lộc Tân", "slow": False}


def post(client, body=BODY, key=None, raw=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    data = raw if raw is not None else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", **headers)


def runs() -> int:
    """How many times the handler ran to completion (its row survived)."""
    return AuditEntry.objects.filter(action=fake_api.ACTION).count()


@pytest.fixture
def key() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def hooks():
    yield fake_api.DURING_HANDLER
    fake_api.DURING_HANDLER.clear()


def test_without_a_key_every_request_runs(db, client):
    first, second = post(client), post(client)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert REPLAYED_HEADER not in second
    assert runs() == 2 and not IdempotencyKey.objects.exists()


def test_the_same_key_and_body_replay_the_first_answer_exactly(db, client, key):
    first = post(client, key=key)
    assert first.status_code == 201 and REPLAYED_HEADER not in first
    for _ in range(3):
        again = post(client, key=key)
        assert again.status_code == 201
        assert again.content == first.content
        assert again[REPLAYED_HEADER] == "true"
    assert runs() == 1
    row = IdempotencyKey.objects.get()
    assert (row.state, row.status_code, row.scope) == ("done", 201, "thing_create:anonymous")


def test_the_body_is_compared_as_json_not_as_bytes(db, client, key):
    post(client, key=key)
    reordered = '{ "slow": false,\n  "name": "Th\\u00f4n L\\u1ed9c T\\u00e2n" }'
    again = post(client, key=key, raw=reordered)
    assert again.status_code == 201 and again[REPLAYED_HEADER] == "true"
    assert runs() == 1


def test_the_same_key_with_another_body_is_refused(db, client, key):
    post(client, key=key)
    other = post(client, {**BODY, "name": "Thôn khác"}, key=key)
    assert_error(other, 422, "idempotency_key_reused")
    assert runs() == 1


def test_a_duplicate_while_the_first_is_in_flight_gets_409(db, client, key, hooks):
    answers = []
    hooks.append(lambda: answers.append(post(Client(), key=key)))
    first = post(client, key=key)
    assert first.status_code == 201
    [duplicate] = answers
    assert_error(duplicate, 409, "idempotency_in_flight")
    assert duplicate["Retry-After"] == "1"
    assert runs() == 1


def test_a_domain_error_is_stored_and_replayed(db, client, key):
    body = {**BODY, "fail": "conflict"}
    first = post(client, body, key=key)
    assert_error(first, 409, "thing_exists")
    again = post(client, body, key=key)
    assert (again.status_code, again.content) == (409, first.content)
    assert again[REPLAYED_HEADER] == "true"
    assert runs() == 0  # the handler's writes rolled back with the error


def test_an_unexpected_exception_forgets_the_key(db, key):
    with pytest.raises(RuntimeError):
        post(Client(), {**BODY, "fail": "crash"}, key=key)
    assert not IdempotencyKey.objects.exists()
    assert runs() == 0


def test_after_a_crash_the_same_request_can_be_retried_with_the_same_key(db, key, hooks):
    crashes = [RuntimeError("worker lost")]

    def crash_once():
        if crashes:
            raise crashes.pop()

    hooks.append(crash_once)
    client = Client()
    with pytest.raises(RuntimeError):
        post(client, key=key)
    retry = post(client, key=key)
    assert retry.status_code == 201 and REPLAYED_HEADER not in retry
    assert runs() == 1


def test_keys_are_matched_only_within_the_users_scope(db, key):
    user = get_user_model().objects.create_user("thu-tuc", password="x")
    signed_in = Client()
    signed_in.force_login(user)
    anonymous = post(Client(), key=key)
    theirs = post(signed_in, key=key)
    assert anonymous.status_code == theirs.status_code == 201
    assert REPLAYED_HEADER not in theirs
    assert anonymous.json()["id"] != theirs.json()["id"]
    assert set(IdempotencyKey.objects.values_list("scope", flat=True)) == {
        "thing_create:anonymous",
        f"thing_create:{user.pk}",
    }


@pytest.mark.parametrize(
    "bad_key", ["short", "x" * 256, "khóa-có-dấu-tiếng-việt", "with space in the key 123"]
)
def test_a_malformed_key_is_refused(db, client, bad_key):
    assert_error(post(client, key=bad_key), 400, "invalid_idempotency_key")
    assert runs() == 0


def test_a_key_stuck_in_flight_by_a_dead_process_is_taken_over(db, client, key):
    stuck_marker(key, age=STALE_AFTER + timedelta(seconds=1))
    answer = post(client, key=key)
    assert answer.status_code == 201
    assert IdempotencyKey.objects.get().state == "done"
    assert runs() == 1


def stuck_marker(key: str, *, age: timedelta) -> IdempotencyKey:
    """The key row a request left in flight when it died (it could not even forget it)."""
    request = RequestFactory().post(URL, data=json.dumps(BODY), content_type="application/json")
    return IdempotencyKey.objects.create(
        scope="thing_create:anonymous",
        key=key,
        fingerprint=request_fingerprint(request),
        created_at=timezone.now() - age,
    )


def test_a_fresh_marker_is_in_flight_for_its_retries(db, client, key):
    stuck_marker(key, age=timedelta(0))
    answer = post(client, key=key)
    assert_error(answer, 409, "idempotency_in_flight")
    assert answer["Retry-After"] == "1"
    assert runs() == 0


on_postgres = pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="row locks (SELECT … FOR UPDATE SKIP LOCKED) are PostgreSQL's",
)


@pytest.mark.postgres_only
@on_postgres
def test_a_marker_whose_transaction_died_is_taken_over_at_once(transactional_db, key):
    """A web process killed (or PostgreSQL restarted) mid-request: its transaction is gone, its
    marker stays in flight. Past the claim's few seconds of grace, no live transaction holds it:
    the retry runs the request, without waiting for STALE_AFTER."""
    stuck_marker(key, age=CLAIM_GRACE + timedelta(seconds=1))
    answer = post(Client(), key=key)
    assert answer.status_code == 201 and REPLAYED_HEADER not in answer
    assert IdempotencyKey.objects.get().state == "done"
    assert runs() == 1
    assert post(Client(), key=key)[REPLAYED_HEADER] == "true"
    assert runs() == 1


@pytest.mark.postgres_only
@on_postgres
def test_a_marker_held_by_a_live_transaction_is_never_taken_over(transactional_db, key):
    """However old the marker, while its request's transaction lives (holds the row lock) the
    retries get 409; once that transaction ends without an answer, the next retry runs it."""
    marker = stuck_marker(key, age=timedelta(hours=1))
    holding, release = threading.Event(), threading.Event()

    def live_request():  # another process's request, its handler still running
        try:
            with transaction.atomic():
                IdempotencyKey.objects.select_for_update().get(pk=marker.pk)
                holding.set()
                release.wait(10)
                raise RuntimeError("killed")  # its transaction dies without an answer
        except RuntimeError:
            pass
        finally:
            connection.close()

    thread = threading.Thread(target=live_request)
    thread.start()
    assert holding.wait(10)
    assert_error(post(Client(), key=key), 409, "idempotency_in_flight")
    release.set()
    thread.join()
    answer = post(Client(), key=key)
    assert answer.status_code == 201
    assert runs() == 1


def test_a_multipart_fingerprint_ignores_the_boundary():
    def multipart(boundary):
        upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.7 test", content_type="application/pdf")
        data = encode_multipart(boundary, {"note": "giấy khai sinh", "file": upload})
        return RequestFactory().post(
            "/api/v1/uploads", data=data, content_type=f"multipart/form-data; boundary={boundary}"
        )

    assert request_fingerprint(multipart("aaaa1111")) == request_fingerprint(multipart("bbbb22"))


def test_prune_forgets_keys_older_than_the_setting(db, settings):
    settings.XASO_IDEMPOTENCY_HOURS = 48
    now = timezone.now()
    for hours in (1, 47, 49, 100):
        IdempotencyKey.objects.create(
            scope="s", key=f"key-{hours}", fingerprint="f", created_at=now - timedelta(hours=hours)
        )
    assert idempotency_prune(now=now) == 2
    assert sorted(IdempotencyKey.objects.values_list("key", flat=True)) == ["key-1", "key-47"]


def test_the_prune_task_keeps_a_day_by_default(db):
    assert django_settings.XASO_IDEMPOTENCY_HOURS == 24
    now = timezone.now()
    IdempotencyKey.objects.create(
        scope="s", key="old", fingerprint="f", created_at=now - timedelta(hours=25)
    )
    IdempotencyKey.objects.create(
        scope="s", key="new", fingerprint="f", created_at=now - timedelta(hours=23)
    )
    result = idempotency_keys_prune.enqueue()
    assert result.return_value == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite's in-memory test database (shared cache) fails on a lock instead of waiting",
)
def test_200_concurrent_submissions_with_one_key_make_one_row(transactional_db, key):
    body = {**BODY, "slow": True}
    answers, errors = [], []
    start = threading.Barrier(20)

    def submit():
        try:
            client = Client()
            start.wait()
            for _ in range(10):
                response = post(client, body, key=key)
                answers.append(
                    (response.status_code, response.content, response.get(REPLAYED_HEADER))
                )
        except Exception as error:  # reported below; a thread's exception would be lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [] and len(answers) == 200
    assert runs() == 1
    created = [content for status, content, replayed in answers if status == 201 and not replayed]
    assert len(created) == 1
    for status, content, _replayed in answers:
        if status == 201:
            assert content == created[0]
        else:
            assert status == 409, (status, content)
            assert json.loads(content)["error"]["code"] == "idempotency_in_flight"
    assert any(status == 409 for status, _content, _replayed in answers)
