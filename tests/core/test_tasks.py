from django.core.management import call_command
from django_tasks import TaskResultStatus as ResultStatus

from xaso.core.audit import audit_record
from xaso.core.tasks import audit_chain_check


def test_the_worker_runs_queued_tasks(transactional_db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    audit_record(actor=None, action="test")
    result = audit_chain_check.enqueue()
    assert result.status == ResultStatus.READY
    call_command("worker", batch=True)
    result.refresh()
    assert result.status == ResultStatus.SUCCESSFUL
    assert result.return_value == 0
