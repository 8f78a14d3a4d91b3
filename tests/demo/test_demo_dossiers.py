"""The demo's working desk: right after `xaso demo`, every state has a dossier and some are late."""

from tests.dossiers.conftest import demo, staff  # noqa: F401 (fixtures)
from xaso.demo.dossiers import PLAN, seed_demo_dossiers
from xaso.dossiers.models import Dossier, State


def test_the_desk_has_a_dossier_in_every_state_and_an_overdue_queue(staff):  # noqa: F811
    assert seed_demo_dossiers() == len(PLAN) >= 35
    reception = staff["reception"]
    for state in State.values:
        listed = reception.get(f"/api/v1/dossiers?state={state}").json()["items"]
        assert listed, f"no demo dossier in state {state}"
        assert {item["state"] for item in listed} == {state}
    assert reception.get("/api/v1/dossiers?queue=overdue").json()["items"]
    returned = Dossier.objects.filter(state=State.RETURNED)
    assert returned.filter(rating__isnull=False).exists()
    assert returned.filter(result__isnull=False).exists()  # signed for real
    assert seed_demo_dossiers() == 0  # once
