from django.core.management.base import BaseCommand

from xaso.notify.services import officer_digest_send


class Command(BaseCommand):
    help = (
        "Write the officers' daily digest of overdue and due-today dossiers (one message per "
        "officer with an e-mail or a phone): for cron, every working morning."
    )

    def handle(self, *args, **options):
        written = officer_digest_send()
        self.stdout.write(f"digest messages: {written}")
