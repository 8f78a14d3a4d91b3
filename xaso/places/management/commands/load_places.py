from django.core.management.base import BaseCommand

from xaso.places.services import places_load


class Command(BaseCommand):
    help = "Load the provinces and communes of Viet Nam (units since July 2025)."

    def handle(self, *args, **options):
        created = places_load()
        self.stdout.write(
            f"places loaded: {created['provinces']} new provinces, "
            f"{created['communes']} new communes"
        )
