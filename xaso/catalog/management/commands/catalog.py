from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xaso.catalog.exchange import (
    UnreadableFile,
    catalog_export_data,
    read_catalog_file,
    write_catalog_file,
)
from xaso.catalog.services import CatalogInvalid, catalog_import, procedure_versions_apply


class Command(BaseCommand):
    help = "Import or export the procedure catalogue (JSON, or Excel .xlsx)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="All or nothing: any error imports nothing.")
        importing.add_argument("file", type=Path)
        exporting = actions.add_parser("export", help="Write the whole catalogue to a file.")
        exporting.add_argument("file", type=Path)
        actions.add_parser(
            "apply-versions",
            help="Daily: each procedure takes the version in force today (e.g. from 2027-03-01).",
        )

    def handle(self, *args, action: str, file: Path | None = None, **options):
        if action == "apply-versions":
            switched = procedure_versions_apply(actor=None, today=timezone.localdate())
            self.stdout.write(
                f"switched to the version in force: {', '.join(switched)}"
                if switched
                else "every procedure is at the version in force"
            )
            return
        if action == "export":
            data = catalog_export_data()
            write_catalog_file(data, file)
            self.stdout.write(f"exported {len(data['procedures'])} procedures to {file}")
            return
        try:
            catalog_file = read_catalog_file(file)
            report = catalog_import(
                actor=None,
                data=catalog_file.data,
                unreadable=catalog_file.errors,
                locate=catalog_file.locate,
            )
        except UnreadableFile as error:
            raise CommandError(f"cannot read the file: {error}") from error
        except CatalogInvalid as invalid:
            for error in invalid.errors:
                cell = catalog_file.locate(error.path)
                self.stderr.write(f"  {cell + ': ' if cell else ''}{error}")
            raise CommandError(
                f"{len(invalid.errors)} error(s) in {file}; nothing was imported"
            ) from invalid
        self.stdout.write(
            f"imported {file}: {len(report.created)} new, {len(report.updated)} updated procedures"
        )
