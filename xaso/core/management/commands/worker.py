from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker of the configured backend (database or Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--queue-name", default="*", help="Queue(s) to serve, comma-separated.")

    def handle(self, *args, batch: bool, queue_name: str, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_rq"):
            queues = [] if queue_name == "*" else queue_name.split(",")
            # django-tasks-rq's Job runs the Task (and checks the job names one); the scheduler
            # moves deferred tasks (run_after) to the queue when due.
            call_command(
                "rqworker",
                *(queues or ["default"]),
                burst=batch,
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
            )
            return
        arguments = ["--queue-name", queue_name, "--no-startup-delay", "--no-reload"]
        if batch:
            arguments.append("--batch")
        call_command("db_worker", *arguments)
