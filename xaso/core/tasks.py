"""Background tasks of the core app. Thin: each calls a function and reports."""

import logging

try:  # Django 6 ships the Tasks API; on 5.2 it is the django-tasks package.
    from django.tasks import task
except ImportError:
    from django_tasks import task

from .audit import audit_verify
from .idempotency import idempotency_prune

logger = logging.getLogger(__name__)


@task()
def audit_chain_check() -> int:
    """Nightly check of the audit trail; a break is logged as an error for the operator."""
    breaks = audit_verify()
    for chain_break in breaks:
        logger.error("audit trail broken: %s", chain_break)
    return len(breaks)


@task()
def idempotency_keys_prune() -> int:
    """Daily: forget Idempotency-Keys older than XASO_IDEMPOTENCY_HOURS."""
    deleted = idempotency_prune()
    logger.info("idempotency keys pruned: %d", deleted)
    return deleted
