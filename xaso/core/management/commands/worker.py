import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections


class Command(BaseCommand):
    help = "Run the background task worker of the configured backend (database or Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--queue-name", default="*", help="Queue(s) to serve, comma-separated.")
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="Redis backend: run each task in the worker's own process (rq's SimpleWorker) "
            "instead of a forked child per task.",
        )

    def handle(self, *args, batch: bool, queue_name: str, in_process: bool, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_rq"):
            self._rq(queue_name, batch=batch, in_process=in_process)
            return
        arguments = ["--queue-name", queue_name, "--no-startup-delay", "--no-reload"]
        if batch:
            arguments.append("--batch")
        call_command("db_worker", *arguments)

    def _rq(self, queue_name: str, *, batch: bool, in_process: bool) -> None:
        import django_rq

        queues = ["default"] if queue_name == "*" else queue_name.split(",")
        # django-tasks-rq's Job runs the Task (and checks that the job names one).
        worker = django_rq.get_worker(
            *queues,
            job_class="django_tasks_rq.Job",
            worker_class="rq.SimpleWorker" if in_process else None,
        )
        for connection in connections.all():  # never share a database socket with a fork
            connection.close()
        # The scheduler moves deferred tasks (run_after) to the queue when they are due; a task
        # whose worker died (kill -9) is put back by rq's cleanup of abandoned jobs.
        worker.work(
            burst=batch,
            with_scheduler=not batch,
            logging_level=logging.getLevelName(logging.getLogger().getEffectiveLevel()),
        )
