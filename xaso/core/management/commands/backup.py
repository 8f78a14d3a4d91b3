from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xaso.core.backup import BackupError, backup_create, backup_verify


class Command(BaseCommand):
    help = (
        "Back up the database and the stored files into DIR (new or empty), with a manifest of "
        "checksums and row counts; `--verify DIR` checks a backup's checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--verify", action="store_true", help="check an existing backup's checksums"
        )

    def handle(self, *args, directory: Path, verify: bool, **options):
        try:
            if verify:
                manifest = backup_verify(directory)
                self.stdout.write(
                    f"backup intact: database and {len(manifest['files'])} file(s) match"
                )
                return
            report = backup_create(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"backup in {report.directory}: {report.tables} tables, {report.rows} rows, "
            f"{report.files} file(s)"
        )
        for name in report.missing_files:
            self.stderr.write(f"MISSING a row points to {name}, not in the storage")
