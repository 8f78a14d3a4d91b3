from django.core.management.base import BaseCommand

from xaso.dossiers.models import Upload
from xaso.dossiers.uploads import stored_files_encrypt


class Command(BaseCommand):
    help = (
        "Uploaded files: `xaso uploads encrypt` encrypts at rest any stored file that is not yet "
        "(migration dossiers 0006 does it on upgrade; run it after restoring an old media backup)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("encrypt", help="Encrypt every stored upload not yet encrypted.")

    def handle(self, *args, action: str, **options):
        if action == "encrypt":
            names = Upload.objects.values_list("file", flat=True).iterator()
            done = stored_files_encrypt(names)
            for name in done.missing:
                self.stderr.write(f"MISSING {name or '(no file name)'}")
            self.stdout.write(
                f"{done.changed} file(s) encrypted, {done.already} already encrypted, "
                f"{len(done.missing)} missing"
            )
