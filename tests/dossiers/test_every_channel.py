"""One birth registration walked through every state, on each channel, with its documents."""

import pytest

from tests.dossiers.conftest import submission, upload
from tests.helpers.api import ApiClient
from tests.helpers.registers import entered
from tests.helpers.second_factor import totp_code
from xaso.accounts.models import User
from xaso.dossiers import workflow
from xaso.dossiers.models import Dossier

CHANNELS = {
    # channel: (who submits, extra fields, moment) — assisted intake only on the Tuesday rule.
    "online": (None, {}, (2026, 12, 1, 9, 0)),
    "counter": ("reception", {"receive": True}, (2026, 12, 1, 9, 0)),
    "assisted": ("reception", {"receive": True, "applicant_confirmed": True}, (2026, 12, 1, 9, 0)),
    "community": ("community", {}, (2026, 12, 1, 9, 0)),
}


def document(client, code, form):
    response = client.get(f"/api/v1/dossiers/{code}/documents/{form}")
    return response.status_code, response.content[:4]


@pytest.mark.parametrize("channel", CHANNELS)
def test_birth_registration_through_every_state(staff, at, channel):
    who, extra, moment = CHANNELS[channel]
    at(*moment)  # Tuesday 1 December 2026, 09:00
    body = submission(channel, **extra)
    if channel == "community":
        body["consent"] = {"method": "photo", "upload": upload("consent-photo", by="community")}
    client = staff[who] if who else ApiClient()
    created = client.post("/api/v1/dossiers", body)
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    desk, specialist, leader = staff["reception"], staff["specialist"], staff["leader"]
    if created.json()["state"] == "submitted":
        assert document(desk, code, "receipt")[0] == 404  # no receipt before reception
        assert desk.post(f"/api/v1/dossiers/{code}/receive", {}).status_code == 200
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == "processing" and dossier.assigned_to.username == "specialist"
    assert dossier.due_at.isoformat() == "2026-12-01T10:00:00+00:00"  # 17:00 the same day, +07
    assert document(desk, code, "receipt") == (200, b"%PDF")
    at(2026, 12, 1, 10, 0)
    assert specialist.post(f"/api/v1/dossiers/{code}/propose", {}).status_code == 200
    entered(code)
    at(2026, 12, 1, 11, 0)
    approve = {"otp": totp_code(User.objects.get(username="leader"))}  # the leader's step-up
    assert leader.post(f"/api/v1/dossiers/{code}/approve", approve).status_code == 200
    at(2026, 12, 1, 14, 0)
    returned = desk.post(f"/api/v1/dossiers/{code}/return", {"channel": "counter"})
    assert returned.json()["state"] == "returned"
    assert document(desk, code, "control-slip") == (200, b"%PDF")
    history = list(Dossier.objects.get(code=code).events.values_list("action", "to_state"))
    assert [to for _action, to in history][-4:] == [
        "processing", "awaiting_signature", "result_ready", "returned",
    ]  # fmt: skip
    assert workflow.replay(history) == "returned"
    assert Dossier.objects.get(code=code).channel == channel


@pytest.mark.parametrize(
    "action, body, form",
    [
        ("refuse", {"reason": "Không thuộc thẩm quyền"}, "refusal"),
        ("withdraw", {"reason": "Người dân xin rút"}, "stop-notice"),
        ("request-supplement", {"items": ["Giấy chứng sinh bản rõ nét"]}, "supplement-request"),
    ],
)
def test_the_letters_of_each_path_out(staff, at, action, body, form):
    at(2026, 12, 1, 9, 0)
    code = ApiClient().post("/api/v1/dossiers", submission()).json()["code"]
    assert staff["reception"].post(f"/api/v1/dossiers/{code}/{action}", body).status_code == 200
    assert document(staff["reception"], code, form) == (200, b"%PDF")
