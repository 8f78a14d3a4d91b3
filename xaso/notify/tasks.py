"""Background tasks of the outbox. Thin: each calls a service."""

try:  # Django 6 ships the Tasks API; on 5.2 it is the django-tasks package.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from .services import officer_digest_send, outbox_send, outbox_send_due


@task()
def outbox_send_task(message_id: int) -> str:
    """Send one outbox row: queued by `outbox_enqueue` when the writing transaction commits."""
    return outbox_send(message_id)


@task()
def outbox_retry_due() -> dict[str, int]:
    """Retries that are due, and rows whose task was lost: run it every minute or so."""
    return outbox_send_due()


@task()
def officer_digest_task() -> int:
    """Every working morning: the officers' digest of overdue and due-today dossiers."""
    return officer_digest_send()
