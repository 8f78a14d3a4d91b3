"""A tiny test-only API on the core helpers, with the project API's error handlers. Tests mount it
with `@pytest.mark.urls("tests.core.fake_api")`.

POST /things creates one audit row per run of its handler (so the tests count runs), behind the
anonymous-submission rate limit; GET /lookup is only rate-limited.
"""

import time

from django.conf import settings
from django.urls import path
from ninja import NinjaAPI, Schema, Status

from xaso.api import api as project_api
from xaso.core.audit import audit_record
from xaso.core.errors import Conflict
from xaso.core.idempotency import idempotent
from xaso.core.ratelimit import rate_limit

ACTION = "test.thing"
# Callables a test puts here run inside the handler, while the key is in flight.
DURING_HANDLER: list = []

api = NinjaAPI(urls_namespace="core-test-api", docs_url=None, openapi_url=None)
for exception_class, exception_handler in project_api._exception_handlers.items():
    api.add_exception_handler(exception_class, exception_handler)


class ThingIn(Schema):
    name: str
    fail: str = ""  # "conflict" (a DomainError) or "crash" (an unexpected exception)
    slow: bool = False


@api.post("/things")
def thing_create(request, payload: ThingIn):
    def handler():
        entry = audit_record(actor=None, action=ACTION, data={"name": payload.name})
        for hook in DURING_HANDLER:
            hook()
        if payload.slow:
            time.sleep(0.2)  # let duplicates arrive while the first is in flight
        if payload.fail == "conflict":
            raise Conflict(code="thing_exists")
        if payload.fail == "crash":
            raise RuntimeError("boom")
        return Status(201, {"id": entry.pk, "name": payload.name, "hash": entry.hash})

    return idempotent(
        request,
        scope="thing_create",
        guard=lambda: rate_limit(request, "thing_create", settings.XASO_RATE_ANON_SUBMIT),
        handler=handler,
    )


@api.get("/lookup")
def lookup(request):
    rate_limit(request, "lookup", settings.XASO_RATE_LOOKUP)
    return {"ok": True}


urlpatterns = [path("api/test/", api.urls)]
