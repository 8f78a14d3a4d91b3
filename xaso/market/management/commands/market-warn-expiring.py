from django.core.management.base import BaseCommand

from xaso.market.services import WARN_DAYS, certificates_warn_expiring


class Command(BaseCommand):
    help = (
        f"Warn producers and officers of certificates expiring within {WARN_DAYS} days (once "
        "each); run every morning."
    )

    def handle(self, *args, **options):
        count = certificates_warn_expiring()
        self.stdout.write(f"{count} certificate(s) warned")
