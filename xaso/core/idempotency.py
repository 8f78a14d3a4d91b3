"""Idempotent POSTs with Stripe's semantics: a client sends `Idempotency-Key: <uuid>`; a retry of
the same request gets the first answer again (same status, same bytes, plus
`Idempotent-Replayed: true`) and never runs the handler twice.

    @router.post("/dossiers", auth=None, response={201: DossierOut})
    def dossier_submit(request, payload: DossierIn):
        return idempotent(
            request,
            scope="dossier_submit",
            guard=lambda: rate_limit(request, "dossier_submit", settings.XASO_RATE_ANON_SUBMIT),
            handler=lambda: Status(201, DossierOut.from_dossier(services.dossier_submit(...))),
        )

- no header: the guard and the handler run, nothing is stored;
- a new key: a row is inserted `in_flight` in its own short transaction (the unique index on
  (scope, key) is what serialises duplicates), then the handler runs in one transaction together
  with storing its answer, so a crash cannot leave the work done and the key unanswered;
- the handler raises a DomainError (4xx): that answer is stored too, as Stripe does, unless the
  error is `retryable` (a 429): then the key is forgotten, as after an unexpected exception;
- the same key and request again: the stored answer; a different request: 422
  `idempotency_key_reused`; the first still running: 409 `idempotency_in_flight` (Retry-After: a
  client retries it like a 5xx, with the same key);
- a key left in flight by a request that died (its process killed, the database restarted under
  it, so it could not even forget the key) never blocks its retries for long. The handler's
  transaction holds the marker's row lock: where the database has row locks (PostgreSQL), a
  marker older than CLAIM_GRACE that no live transaction holds is taken over at once; elsewhere
  (SQLite: one machine, requests ended by gunicorn's 30 s timeout) after STALE_AFTER. Whoever
  takes a marker over gives it a new `created_at`, and the handler runs only under the lock of the
  marker it claimed: two requests never both run it.

The handler takes no argument and returns `Status(code, data)`, `(code, data)` or `data` (200);
data is JSON data or a ninja Schema (answers are JSON only). It runs inside one transaction:
queue slow work with `transaction.on_commit`, as the services do.

The guard (e.g. the rate limit) runs only when the handler is about to run: replays and 409s do
not count. Call `idempotent` outside any transaction (ATOMIC_REQUESTS is off), or the key row
would not be visible to the duplicates until the outer transaction commits.
"""

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.responses import NinjaJSONEncoder, Status

from .errors import Conflict, DomainError, InvalidInput
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# At least 16 characters: anonymous clients share one scope, so a key must be hard to guess
# (a UUID is 36). Visible ASCII only, as HTTP headers are.
_KEY = re.compile(r"[\x21-\x7e]{16,255}")
# Between the commit of a new marker and its lock by the handler's transaction, nothing holds it:
# an unlocked marker younger than this is taken for a request about to run, not for a dead one.
CLAIM_GRACE = timedelta(seconds=2)
# Without row locks (SQLite), a marker still in flight after this long belongs to a request that
# died (gunicorn ends a request after 30 s): its transaction rolled back, a retry may claim it.
STALE_AFTER = timedelta(minutes=1)

Handler = Callable[[], Any]  # returns Status(code, data), (code, data) or data (200)


class InvalidIdempotencyKey(InvalidInput):
    code = "invalid_idempotency_key"
    default_message = _(
        "The Idempotency-Key header must be 16 to 255 visible ASCII characters, e.g. a UUID."
    )


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 422
    default_message = _(
        "This Idempotency-Key was already used for a different request. "
        "Use a new key for a new request."
    )


class IdempotencyInFlight(Conflict):
    code = "idempotency_in_flight"
    default_message = _(
        "A request with this Idempotency-Key is still being processed. Retry shortly."
    )
    retryable = True

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": "1"}


def idempotent(
    request: HttpRequest,
    *,
    scope: str,
    handler: Handler,
    guard: Callable[[], None] | None = None,
) -> HttpResponse:
    """Run `handler` at most once per Idempotency-Key; see the module's docstring."""
    raw_key = request.headers.get(HEADER)
    if raw_key is None:
        if guard is not None:
            guard()
        return _response(*_rendered(handler()))
    if not _KEY.fullmatch(raw_key):
        raise InvalidIdempotencyKey()
    claimed = _claim(request, scope, raw_key, guard)
    if isinstance(claimed, HttpResponse):
        return claimed
    return _run(claimed, handler)


def request_fingerprint(request: HttpRequest) -> str:
    """SHA-256 of the method, the path with its sorted query, and the canonical body."""
    digest = hashlib.sha256()
    query = sorted((name, request.GET.getlist(name)) for name in request.GET)
    digest.update(json.dumps([request.method, request.path, query]).encode())
    digest.update(b"\n")
    digest.update(_canonical_body(request))
    return digest.hexdigest()


def idempotency_prune(*, now=None) -> int:
    """Forget keys older than XASO_IDEMPOTENCY_HOURS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.XASO_IDEMPOTENCY_HOURS)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _claim(request, scope: str, key: str, guard) -> IdempotencyKey | HttpResponse:
    """Own the key (a new row, or a stale one taken over), or answer from the row that is there."""
    scope = _scoped(request, scope)
    fingerprint = request_fingerprint(request)
    existing = IdempotencyKey.objects.filter(scope=scope, key=key).first()
    if existing is not None:
        answer = _answer(existing, fingerprint)
        if answer is not None:
            return answer
        if not _maybe_abandoned(existing):
            raise IdempotencyInFlight()
    if guard is not None:
        guard()
    if existing is not None:  # its request died: take it over, unless it lives or a retry just did
        if _take_over(existing):
            return existing
        raise IdempotencyInFlight()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(scope=scope, key=key, fingerprint=fingerprint)
    except IntegrityError:
        # A duplicate inserted the key between our read and our insert: the unique index decided.
        existing = IdempotencyKey.objects.filter(scope=scope, key=key).first()
        answer = _answer(existing, fingerprint) if existing is not None else None
        if answer is None:  # it is running, or has just failed and let the key go
            raise IdempotencyInFlight() from None
        return answer


def _answer(row: IdempotencyKey, fingerprint: str) -> HttpResponse | None:
    """The stored answer, or an error; None when the row is still in flight."""
    if row.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    if row.state == IdempotencyKey.State.DONE:
        return _response(row.status_code, row.response_body, replayed=True)
    return None


def _row_locks() -> bool:
    return connection.features.has_select_for_update_skip_locked


def _maybe_abandoned(row: IdempotencyKey) -> bool:
    """Old enough that its request may have died (whether it did is decided under the lock)."""
    age = timezone.now() - row.created_at
    return age >= (CLAIM_GRACE if _row_locks() else STALE_AFTER)


def _marker(row: IdempotencyKey):
    # created_at is the claim's token: whoever takes a marker over gives it a new one.
    return IdempotencyKey.objects.filter(
        pk=row.pk, state=IdempotencyKey.State.IN_FLIGHT, created_at=row.created_at
    )


def _take_over(row: IdempotencyKey) -> bool:
    """Claim a marker whose request died: not locked by a live transaction (where there are row
    locks), still in flight with the token read; of two retries, only one updates the row."""
    now = timezone.now()
    with transaction.atomic():
        if _row_locks() and not list(
            _marker(row).select_for_update(skip_locked=True).values_list("pk", flat=True)
        ):
            return False  # its request is alive (it holds the lock), answered, or taken over
        taken = _marker(row).update(created_at=now)
    row.created_at = now
    return taken == 1


def _hold(row: IdempotencyKey) -> bool:
    """Lock the marker for the handler's transaction: retries see it held while the handler runs,
    and free the moment the transaction dies with its process. False: it was taken over."""
    return bool(list(_marker(row).select_for_update().values_list("pk", flat=True)))


def _run(row: IdempotencyKey, handler: Handler) -> HttpResponse:
    try:
        # The handler's writes and the stored answer commit together.
        with transaction.atomic():
            if not _hold(row):  # this request was too slow to start: a retry runs it instead
                raise IdempotencyInFlight()
            status, text = _rendered(handler())
            _store(row, status, text)
    except DomainError as error:
        error.after_rollback()
        if error.retryable:
            _release(row)
            raise
        status, text = error.status, _json(error.as_dict())
        _store(row, status, text)
    except BaseException:
        _release(row)  # not an answer: let the client retry with the same key
        raise
    return _response(status, text)


def _store(row: IdempotencyKey, status: int, text: str) -> None:
    _marker(row).update(state=IdempotencyKey.State.DONE, status_code=status, response_body=text)


def _release(row: IdempotencyKey) -> None:
    _marker(row).delete()  # only our own claim: not one a retry has taken over since


def _scoped(request, scope: str) -> str:
    # A key matches only within its endpoint and user: two clients never see each other's answers.
    user = getattr(request, "user", None)
    who = str(user.pk) if user is not None and user.is_authenticated else "anonymous"
    scoped = f"{scope}:{who}"
    if len(scoped) > IdempotencyKey._meta.get_field("scope").max_length:
        raise ValueError(f"idempotency scope too long: {scope!r}")
    return scoped


def _canonical_body(request) -> bytes:
    if request.content_type == "multipart/form-data":
        # The boundary differs between two sends of one form: hash the fields and the files' bytes.
        fields = sorted((name, request.POST.getlist(name)) for name in request.POST)
        files = sorted(
            (name, upload.name, _file_sha256(upload))
            for name in request.FILES
            for upload in request.FILES.getlist(name)
        )
        return _json([fields, files], sort_keys=True).encode()
    try:
        return _json(json.loads(request.body), sort_keys=True).encode()
    except ValueError:  # not JSON: the bytes as sent
        return request.body


def _file_sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _rendered(result) -> tuple[int, str]:
    if isinstance(result, HttpResponse):
        raise TypeError("an idempotent handler returns Status(code, data) or data, not a response")
    if isinstance(result, Status):
        status, body = result.status_code, result.value
    elif isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], int):
        status, body = result
    else:
        status, body = 200, result
    return status, _json(body)


def _json(data, *, sort_keys: bool = False) -> str:
    # The encoder django-ninja uses, so an answer reads the same with or without a key.
    return json.dumps(data, cls=NinjaJSONEncoder, sort_keys=sort_keys)


def _response(status: int, text: str, *, replayed: bool = False) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="application/json; charset=utf-8")
    if replayed:
        response[REPLAYED_HEADER] = "true"
    return response
