"""`xaso pki init-dev`: a development CA and a signing certificate for every demo leader."""

from django.core.management.base import BaseCommand

from xaso.results.credentials import pki_init_dev


class Command(BaseCommand):
    help = "Development PKI: `xaso pki init-dev` (idempotent; never for real signatures)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "init-dev",
            help="Create the development CA (trusted) and a PKCS#12 credential for each leader of "
            "the demo communes that has none.",
        )

    def handle(self, *args, action: str, **options):
        if action == "init-dev":
            made = pki_init_dev()
            for credential in made:
                self.stdout.write(
                    f"  signing certificate for {credential.user.get_username()} "
                    f"({credential.commune.code}): {credential.certificate_subject}"
                )
            self.stdout.write(
                f"Development PKI ready ({len(made)} new credential(s)); its CA is trusted for "
                "verification. Not for real signatures."
            )
