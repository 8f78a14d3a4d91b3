"""F2: a write of the API that only a session cookie authenticates needs the page's CSRF token;
a bearer token needs none."""

import json

import pytest
from django.test import Client

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient, assert_error
from xaso.dossiers.models import Dossier, Draft


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", ["/api/v1/dossiers", "/api/v1/drafts"])
def test_f2_a_cross_site_post_with_only_the_session_cookie_is_refused(demo, path):
    client = signed_in(demo["reception"])
    body = json.dumps(submission("counter") if path.endswith("dossiers") else {
        "procedure": "1.001193", "commune": "DEMO-PL"})  # fmt: skip
    # What a hostile page can send without a preflight: text/plain, the cookie, no token.
    answer = client.post(path, body, content_type="text/plain")
    assert_error(answer, 403, "csrf_failed")
    answer = client.post(path, body, content_type="application/json")
    assert_error(answer, 403, "csrf_failed")
    assert not Dossier.objects.exists() and not Draft.objects.exists()


def test_f2_the_same_site_page_with_its_token_and_a_bearer_token_still_work(demo):
    client = signed_in(demo["reception"])
    client.get("/backoffice/desk/1.001193/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    answer = client.post("/api/v1/dossiers", json.dumps(submission("counter")),
                         content_type="application/json", HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert answer.status_code == 201, answer.content
    answer = ApiClient().as_user(demo["reception"]).post("/api/v1/dossiers", submission("counter"))
    assert answer.status_code == 201, answer.content
    assert Dossier.objects.filter(channel="counter").count() == 2
