"""Background tasks of the privacy app. Thin: each calls a service."""

try:  # Django 6 ships the Tasks API; on 5.2 it is the django-tasks package.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from .purge import expired_purge


@task()
def expired_purge_task() -> dict:
    """Daily: what `xaso purge-expired` does."""
    return expired_purge()
