"""`xaso reports-rollup`: refresh the index's monthly roll-up (what the daily task does), or
rebuild it for a period on demand (`--from 2026-01 --to 2026-11`)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from xaso.reports.rollup import rollup_rebuild, rollup_refresh


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01" if len(text) == 7 else text).replace(day=1)
    except ValueError as error:
        raise CommandError(f"not a month (YYYY-MM): {text}") from error


class Command(BaseCommand):
    help = "Refresh the reports' monthly roll-up, or rebuild it from one month to another."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="first month, YYYY-MM")
        parser.add_argument("--to", dest="last", help="last month, YYYY-MM (default: --from)")

    def handle(self, *args, first=None, last=None, **options):
        if first:
            rows = rollup_rebuild(first=_month(first), last=_month(last or first))
            self.stdout.write(f"rebuilt: {rows} rows")
        else:
            self.stdout.write(f"refreshed: {rollup_refresh()} commune-months")
