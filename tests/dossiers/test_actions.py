"""One descriptor per workflow action; hooks for unknown actions refused; receipt and its
default assignment in one transaction."""

import pytest

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient, submit
from xaso.core.errors import Conflict
from xaso.dossiers import actions, hooks, services, workflow
from xaso.dossiers.models import Dossier


def test_every_action_of_the_table_has_exactly_one_descriptor_and_no_other():
    slugs = [descriptor.slug for descriptor in actions.DESCRIPTORS]
    assert len(slugs) == len(set(slugs))
    assert set(slugs) == workflow.ACTIONS


def test_every_staff_descriptor_names_a_service_that_exists_and_takes_its_inputs():
    import inspect

    for descriptor in actions.DESCRIPTORS:
        if not descriptor.staff:
            continue
        parameters = inspect.signature(descriptor.function()).parameters
        assert {"actor", "dossier"} <= set(parameters), descriptor.slug
        assert {i.name for i in descriptor.inputs} <= set(parameters), descriptor.slug


def test_the_forms_and_messages_the_descriptors_name_exist():
    from xaso.dossiers.documents import FORMS
    from xaso.notify.templates import TEMPLATES

    assert set(actions.issued_after()) <= set(FORMS)
    assert set(actions.MESSAGES.values()) <= set(TEMPLATES)


def test_register_listener_and_guard_refuse_an_action_the_table_lacks():
    def listener(context):
        pass

    with pytest.raises(ValueError, match="recieve"):
        hooks.register_listener("recieve", listener)
    with pytest.raises(ValueError, match="sign"):
        hooks.register_guard("sign", listener)
    assert listener not in hooks._listeners.get("recieve", [])
    hooks.register_listener(hooks.ANY_ACTION, listener)  # "*" is every action
    hooks.unregister_listener(hooks.ANY_ACTION, listener)


class AssignmentFailed(Conflict):
    code = "assignment_failed"


@pytest.fixture
def failing_assignment():
    def crash(context):
        raise AssignmentFailed()

    hooks.register_listener("assign", crash)
    yield
    hooks.unregister_listener("assign", crash)


def test_a_failed_default_assignment_leaves_the_dossier_not_received(
    staff, demo, at, failing_assignment
):
    at(2026, 11, 30, 9, 0)
    code = submit(ApiClient(), submission())["code"]
    dossier = Dossier.objects.get(code=code)
    with pytest.raises(AssignmentFailed):
        services.dossier_receive(actor=demo["reception"], dossier=dossier)
    dossier.refresh_from_db()
    assert (dossier.state, dossier.received_at, dossier.assigned_to) == ("submitted", None, None)
    assert list(dossier.events.values_list("action", flat=True)) == ["submit"]


def test_a_failed_default_assignment_at_intake_creates_no_dossier(staff, at, failing_assignment):
    at(2026, 11, 30, 9, 0)
    response = staff["reception"].post("/api/v1/dossiers", submission("counter", receive=True))
    assert response.status_code == 409
    assert not Dossier.objects.exists()


class SubmissionRefused(Conflict):
    code = "submission_refused"


def test_creating_a_dossier_runs_the_guards_and_listeners_of_its_first_action(demo, at):
    """Submission goes through the same path as every other action: a guard of "submit" refuses
    it (nothing is created), a listener of "submit" sees the saved dossier with its files."""
    at(2026, 11, 30, 9, 0)
    seen = []

    def refuse(context):
        raise SubmissionRefused()

    def listener(context):
        seen.append((context.from_state, context.to_state, context.dossier.attachments.count()))

    hooks.register_guard("submit", refuse)
    try:
        assert ApiClient().post("/api/v1/dossiers", submission()).status_code == 409
    finally:
        hooks.unregister_guard("submit", refuse)
    assert not Dossier.objects.exists()

    hooks.register_listener("submit", listener)
    try:
        code = submit(ApiClient(), submission())["code"]
    finally:
        hooks.unregister_listener("submit", listener)
    assert seen == [(workflow.NEW, "submitted", 1)]
    assert list(Dossier.objects.get(code=code).events.values_list("action", flat=True)) == [
        "submit"
    ]
