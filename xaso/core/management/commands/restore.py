from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xaso.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `xaso backup` onto an empty database and storage; checks every "
        "checksum before and every row count and file after. Then run `xaso migrate` and "
        "`xaso audit verify`."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            report = backup_restore(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for difference in report.differences:
            self.stderr.write(f"DIFFERS {difference}")
        if report.differences:
            raise CommandError(f"{len(report.differences)} table(s) differ from the backup")
        self.stdout.write(
            f"restored: {report.tables} tables, {report.rows} rows, {report.files} file(s); "
            "every checksum and row count matches"
        )
