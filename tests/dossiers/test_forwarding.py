"""Procedures another body decides (liên thông): the centre receives, forwards, records the
answer and returns it; the commune issues no result of its own."""

from tests.dossiers.conftest import procedure_submission
from tests.dossiers.test_lifecycle import act, assert_replays, history, submit
from tests.helpers.api import assert_error
from xaso.dossiers.models import Dossier
from xaso.results.models import ResultDocument


def received_residence(staff, code: str = "1.004222") -> tuple[str, int]:
    """(dossier code, its fee) of a dossier received at the desk."""
    created = submit(staff["reception"], procedure_submission(code, "counter", receive=True))
    return created["code"], created["fee"]["amount"] or 0


def test_a_residence_dossier_is_forwarded_to_the_police_and_closed_with_their_answer(staff, at):
    at(2026, 11, 30, 9, 0)
    code, fee = received_residence(staff)
    # The commune does not decide residence: no proposal, no UBND decision to sign.
    if Dossier.objects.get(code=code).state == "received":
        act(staff["reception"], code, "assign", {"to": "specialist"})
    refused = staff["specialist"].post(f"/api/v1/dossiers/{code}/propose", {"note": "Đủ"})
    assert_error(refused, 409, "decided_elsewhere")
    answer = {"outcome": "approved", "reference": "Thông báo số 15/TB-CAX"}
    early = staff["specialist"].post(f"/api/v1/dossiers/{code}/record-answer", answer)
    assert_error(early, 409, "not_forwarded")

    body = act(staff["reception"], code, "forward", {"to": "Công an xã Phú Lộc, Đại úy Y Kô"})
    assert body["state"] == "processing"
    assert_error(
        staff["reception"].post(f"/api/v1/dossiers/{code}/forward", {}), 409, "already_forwarded"
    )
    at(2026, 12, 2, 14, 0)
    body = act(staff["specialist"], code, "record-answer", answer)
    assert (body["state"], body["outcome"]) == ("result_ready", "approved")
    if fee:
        paid = staff["reception"].post(f"/api/v1/dossiers/{code}/payments/cash", {"amount": fee})
        assert paid.status_code == 201, paid.content
    assert act(staff["reception"], code, "return", {"channel": "counter"})["state"] == "returned"

    assert not ResultDocument.objects.filter(dossier__code=code).exists()
    events = {event.action: event for event in Dossier.objects.get(code=code).events.all()}
    assert events["forward"].data["to"] == "Công an xã Phú Lộc, Đại úy Y Kô"
    assert events["forward"].data["body"] == "commune_police"
    assert events["record_answer"].data["reference"] == "Thông báo số 15/TB-CAX"
    assert events["record_answer"].actor.username == "specialist"
    assert [action for action, _ in history(code)][-3:] == ["forward", "record_answer", "return"]
    assert_replays(code)


def test_a_refusal_by_the_police_needs_their_reasons_and_a_commune_procedure_is_not_forwarded(
    staff, at
):
    at(2026, 11, 30, 9, 0)
    code, _fee = received_residence(staff, "1.003677")
    leader = staff["leader"].post(f"/api/v1/dossiers/{code}/forward", {})
    assert_error(leader, 403, "forbidden")  # the desk or the officer hands over, not the leader
    act(staff["reception"], code, "forward")
    refusal = {"outcome": "denied", "reference": "Văn bản số 3/CAX"}
    assert_error(
        staff["reception"].post(f"/api/v1/dossiers/{code}/record-answer", refusal),
        400,
        "reason_required",
    )
    body = act(
        staff["reception"], code, "record-answer", {**refusal, "note": "Không có chỗ ở hợp pháp"}
    )
    assert body["outcome"] == "denied"
    # Another commune's desk sees nothing of it.
    other = staff["other-reception"].post(f"/api/v1/dossiers/{code}/forward", {})
    assert_error(other, 404, "dossier_not_found")

    birth = submit(staff["reception"], procedure_submission("1.001193", "counter", receive=True))
    assert_error(
        staff["reception"].post(f"/api/v1/dossiers/{birth['code']}/forward", {}),
        409,
        "not_forwarded_procedure",
    )
