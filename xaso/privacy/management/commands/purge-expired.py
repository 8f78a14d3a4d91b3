from django.core.management.base import BaseCommand

from xaso.privacy.purge import expired_purge


class Command(BaseCommand):
    help = (
        "Delete personal data that outlived its use: uploads no dossier uses (after 24 hours), "
        "consent challenges, sign-in codes and one-time-code message texts (after 30 days). "
        "Run daily."
    )

    def handle(self, *args, **options):
        counts = expired_purge()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
