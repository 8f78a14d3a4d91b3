"""Background tasks of the reports. Thin: each calls a service and reports."""

import logging

try:  # Django 6 ships the Tasks API; on 5.2 it is the django-tasks package.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from .rollup import rollup_refresh

logger = logging.getLogger(__name__)


@task()
def rollup_refresh_task() -> int:
    """Daily (at night): roll up the ended months whose dossiers changed (docs/index-766.md)."""
    rebuilt = rollup_refresh()
    logger.info("reports roll-up: %d commune-months rebuilt", rebuilt)
    return rebuilt
