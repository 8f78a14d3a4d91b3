"""Background tasks of the dossiers app. Thin: each calls a service."""

try:  # Django 6 ships the Tasks API; on 5.2 it is the django-tasks package.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from .drafts import drafts_prune


@task()
def drafts_prune_task() -> int:
    """Daily: delete drafts nobody touched for XASO_DRAFT_DAYS."""
    return drafts_prune()
