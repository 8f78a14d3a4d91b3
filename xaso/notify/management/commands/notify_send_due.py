from django.core.management.base import BaseCommand

from xaso.notify.services import outbox_send_due


class Command(BaseCommand):
    help = "Send the outbox messages whose next attempt is due (retries, lost tasks): for cron."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="at most this many messages")

    def handle(self, *args, limit: int, **options):
        outcomes = outbox_send_due(limit=limit)
        summary = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(summary or "nothing due")
