from django.core.management.base import BaseCommand, CommandError

from xaso.core.audit import audit_verify
from xaso.core.models import AuditEntry


class Command(BaseCommand):
    help = "The audit trail: `xaso audit verify` walks every chain and names the first broken row."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="Check every chain; exit 1 at the first broken row.")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            breaks = audit_verify()
            if breaks:
                for chain_break in breaks:
                    self.stderr.write(f"BROKEN {chain_break}")
                raise CommandError(f"audit trail broken in {len(breaks)} chain(s)")
            self.stdout.write(f"audit trail intact: {AuditEntry.objects.count()} rows")
