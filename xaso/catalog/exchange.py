"""Reading and writing catalogue files. JSON is the exchange format itself."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Prefetch

from .models import ExemptionCategory, Procedure, ProcedureField, ProcessStep, RequiredDocument
from .records import FORMAT, RecordError, procedure_record

SEED_CATALOG = Path(__file__).resolve().parent / "data" / "catalog.json"


class UnreadableFile(ValueError):
    pass


@dataclass(frozen=True)
class CatalogFile:
    """A catalogue read from a file, and how to name the place in the file of a record path
    (`procedures[3].name` -> `Thủ tục!B5` for a spreadsheet).

    `errors` are the cells that could not be read at all (path: the cell, like `Thủ tục!P5`);
    their values are left out of `data` (at most guessed), and such a file must import nothing."""

    data: dict
    cells: dict[str, str] = field(default_factory=dict)
    errors: list[RecordError] = field(default_factory=list)

    def locate(self, path: str) -> str:
        """The most precise cell known for this path or one of its parents."""
        while path:
            if path in self.cells:
                return self.cells[path]
            path = path.rpartition("[")[0] if path.endswith("]") else path.rpartition(".")[0]
        return ""


def catalog_export_data() -> dict:
    procedures = (
        Procedure.objects.filter(is_active=True)
        .select_related("field")
        .prefetch_related(
            Prefetch("documents", queryset=RequiredDocument.objects.order_by("position")),
            Prefetch("steps", queryset=ProcessStep.objects.order_by("position")),
        )
        .order_by("code")
    )
    return {
        "format": FORMAT,
        "fields": [
            {"code": f.code, "name": f.name} for f in ProcedureField.objects.order_by("code")
        ],
        "exemption_categories": [
            {
                "code": c.code,
                "name": c.name,
                "evidence": c.evidence,
                "legal_reference": c.legal_reference,
            }
            for c in ExemptionCategory.objects.order_by("code")
        ],
        "procedures": [procedure_record(procedure) for procedure in procedures],
    }


def read_catalog_file(path: Path) -> CatalogFile:
    if path.suffix.lower() == ".xlsx":
        from .spreadsheet import read_workbook

        return read_workbook(path)
    try:
        return CatalogFile(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableFile(f"{path}: {error}") from error


def write_catalog_file(data: dict, path: Path) -> None:
    if path.suffix.lower() == ".xlsx":
        from .spreadsheet import write_workbook

        write_workbook(data, path)
        return
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
