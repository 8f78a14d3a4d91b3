from datetime import timedelta

from django.utils import timezone

from tests.helpers.api import ApiClient, assert_error
from xaso.dossiers.drafts import drafts_prune
from xaso.dossiers.models import Draft


def test_save_resume_update_and_delete_a_draft(demo):
    client = ApiClient()
    created = client.post(
        "/api/v1/drafts",
        {"procedure": "1.001193", "commune": "DEMO-PL", "form": {"phone": "0912"}},
    )
    assert created.status_code == 201
    token = created.json()["id"]
    assert len(token) >= 30
    assert client.get(f"/api/v1/drafts/{token}").json()["form"] == {"phone": "0912"}
    updated = client.request("PUT", f"/api/v1/drafts/{token}", {"form": {"phone": "0912345678"}})
    assert updated.json()["form"] == {"phone": "0912345678"}
    assert client.request("DELETE", f"/api/v1/drafts/{token}").status_code == 204
    assert_error(client.get(f"/api/v1/drafts/{token}"), 404, "draft_not_found")


def test_bad_drafts_are_refused_and_nothing_is_kept(demo):
    client = ApiClient()
    assert_error(
        client.post("/api/v1/drafts", {"procedure": "9.999999", "commune": "DEMO-PL"}),
        404,
        "procedure_not_found",
    )
    huge = {"procedure": "1.001193", "commune": "DEMO-PL", "form": {"x": "a" * 250_000}}
    assert_error(client.post("/api/v1/drafts", huge), 400, "draft_too_large")
    assert not Draft.objects.exists()


def test_old_drafts_are_pruned(demo):
    client = ApiClient()
    body = {"procedure": "1.001193", "commune": "DEMO-PL"}
    old = client.post("/api/v1/drafts", body).json()["id"]
    fresh = client.post("/api/v1/drafts", body).json()["id"]
    Draft.objects.filter(token=old).update(updated_at=timezone.now() - timedelta(days=31))
    assert drafts_prune() == 1
    assert list(Draft.objects.values_list("token", flat=True)) == [fresh]
