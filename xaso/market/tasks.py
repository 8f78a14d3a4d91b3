"""Thin background tasks calling the market's services (schedule daily)."""

try:
    from django.tasks import task
except ImportError:  # Django 5.2: the django-tasks backport
    from django_tasks import task


@task()
def certificates_warn_task() -> int:
    from .services import certificates_warn_expiring

    return certificates_warn_expiring()
