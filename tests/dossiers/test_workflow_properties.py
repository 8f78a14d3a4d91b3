"""Random sequences of actions, by random actors, never leave the workflow table, and every
dossier's event history replays to its current state."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient
from xaso.dossiers import workflow
from xaso.dossiers.models import Dossier, State

BODIES = {
    "receive": {},
    "request-supplement": {"items": ["Bản sao giấy tờ còn thiếu"]},
    "refuse": {"reason": "Không thuộc thẩm quyền"},
    "assign": {"to": "specialist"},
    "handover": {"to": "leader"},
    "resume": {},
    "propose": {"note": "Đủ điều kiện"},
    "send-back": {"reason": "Cần sửa"},
    "approve": {},
    "deny": {"reason": "Không đủ điều kiện"},
    "return": {"channel": "counter"},
    "withdraw": {"reason": "Người dân rút"},
    "extend": {"reason": "Cần xác minh", "new_due_at": "2026-12-31T17:00:00+07:00"},
}
ACTORS = ["reception", "specialist", "leader", "admin", "other-reception"]
steps = st.lists(st.tuples(st.sampled_from(sorted(BODIES)), st.sampled_from(ACTORS)), max_size=14)


def test_the_table_only_names_known_states():
    states = set(State.values) | {workflow.NEW}
    assert all(row.source in states and row.target in states for row in workflow.TABLE)
    # Final states are final: nothing leaves them but the citizen's rating of a returned one.
    assert {row.action for row in workflow.TABLE if row.source in workflow.FINAL_STATES} == {"rate"}


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps, receive_at_desk=st.booleans())
def test_random_actions_stay_in_the_table_and_replay(staff, at, sequence, receive_at_desk):
    at(2026, 11, 30, 9, 0)
    client = staff["reception"] if receive_at_desk else ApiClient()
    body = submission("counter" if receive_at_desk else "online", receive=receive_at_desk)
    code = client.post("/api/v1/dossiers", body).json()["code"]
    for action, actor in sequence:
        before = Dossier.objects.get(code=code).state
        response = staff[actor].post(f"/api/v1/dossiers/{code}/{action}", BODIES[action])
        after = Dossier.objects.get(code=code).state
        assert response.status_code in {200, 400, 403, 404, 409}, response.content
        if response.status_code != 200:
            assert after == before  # a refused action changes nothing
        else:
            assert workflow.transition(before, action.replace("-", "_")) is not None
    dossier = Dossier.objects.get(code=code)
    assert dossier.state in State.values
    events = list(dossier.events.values_list("action", "from_state", "to_state"))
    assert all(workflow.transition(source, action) for action, source, _to in events)
    assert workflow.replay([(action, to) for action, _from, to in events]) == dossier.state
