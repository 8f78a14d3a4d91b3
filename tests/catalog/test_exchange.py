import copy
import json

import pytest
from django.core.management import CommandError, call_command

from xaso.catalog.exchange import catalog_export_data
from xaso.catalog.models import Procedure
from xaso.catalog.services import CatalogInvalid, catalog_import
from xaso.core.models import AuditEntry


def test_export_then_import_is_identical(catalog, tmp_path):
    first = catalog_export_data()
    path = tmp_path / "catalog.json"
    call_command("catalog", "export", str(path))
    call_command("catalog", "import", str(path))
    assert catalog_export_data() == first == json.loads(path.read_text())


def test_a_broken_file_imports_nothing_and_reports_every_error(catalog, seed_data):
    before = catalog_export_data()
    audit_rows = AuditEntry.objects.count()
    broken = copy.deepcopy(seed_data)
    broken["procedures"][0]["name"] = "Tên đã sửa"  # a valid change that must not land either
    broken["procedures"][0]["time_limit"]["unit"] = "fortnights"
    broken["procedures"][0]["documents"][1]["requirement"] = "conditional"
    broken["procedures"][0]["documents"][1]["condition"] = ""
    broken["procedures"][0]["form"]["fields"][0]["type"] = "colour"
    broken["procedures"].append({"code": "9.99"})
    with pytest.raises(CatalogInvalid) as raised:
        catalog_import(actor=None, data=broken)
    where = {error.path for error in raised.value.errors}
    last = len(broken["procedures"]) - 1
    assert {
        "procedures[0].time_limit.unit",
        "procedures[0].documents[1].condition",
        "procedures[0].form",
        f"procedures[{last}].code",
        f"procedures[{last}].name",
    } <= where
    assert catalog_export_data() == before
    assert AuditEntry.objects.count() == audit_rows


def test_the_command_reports_errors_and_exits_non_zero(db, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "xaso-catalog/1", "procedures": [{"code": "x"}]}')
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("catalog", "import", str(path))
    assert "procedures[0].code" in capsys.readouterr().err
    path.write_text("{not json")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("catalog", "import", str(path))
    assert not Procedure.objects.exists()


def test_search_text_and_children_are_written(catalog):
    birth = Procedure.objects.get(code="1.001193")
    assert "dang ky khai sinh" in birth.search_text
    assert birth.documents.count() == 5
    assert sum(step.budget for step in birth.steps.all()) == 100


def test_texts_too_long_for_the_database_and_unknown_roles_are_record_errors(db, seed_data):
    broken = copy.deepcopy(seed_data)
    broken["procedures"][0]["source"] = "x" * 301
    broken["procedures"][0]["time_limit"]["note"] = "x" * 301
    broken["procedures"][0]["process"][0]["role"] = "janitor"
    with pytest.raises(CatalogInvalid) as raised:
        catalog_import(actor=None, data=broken)
    assert {error.path for error in raised.value.errors} == {
        "procedures[0].source",
        "procedures[0].time_limit.note",
        "procedures[0].process[0].role",
    }


def test_a_limit_with_verification_is_checked_imported_and_removed(catalog, seed_data):
    data = copy.deepcopy(seed_data)
    position = next(i for i, p in enumerate(data["procedures"]) if p["code"] == "1.000689")
    limit = data["procedures"][position]["time_limit"]
    limit["with_verification"] = {"amount": 0, "unit": "same_day", "reason": " "}
    with pytest.raises(CatalogInvalid) as raised:
        catalog_import(actor=None, data=data)
    path = f"procedures[{position}].time_limit.with_verification"
    assert {f"{path}.amount", f"{path}.unit", f"{path}.reason"} <= {
        error.path for error in raised.value.errors
    }
    limit["with_verification"] = {"amount": 10, "unit": "working_days", "reason": "Xác minh"}
    catalog_import(actor=None, data=data)
    parentage = Procedure.objects.get(code="1.000689")
    assert (parentage.verification_limit_amount, parentage.verification_limit_unit) == (
        10,
        "working_days",
    )
    del limit["with_verification"]  # a newer catalogue without it: the procedure loses it
    catalog_import(actor=None, data=data)
    parentage.refresh_from_db()
    assert (parentage.verification_limit_unit, parentage.verification_reason) == ("", "")


def test_a_procedure_without_a_known_decider_or_document_kind_is_refused(db, seed_data):
    broken = copy.deepcopy(seed_data)
    del broken["procedures"][0]["document_kind"]
    broken["procedures"][1]["decider"] = "mayor"
    residence = next(p for p in broken["procedures"] if p["code"] == "1.004222")
    residence["document_kind"] = "decision"  # the police decide: the commune issues nothing
    with pytest.raises(CatalogInvalid) as raised:
        catalog_import(actor=None, data=broken)
    where = {error.path for error in raised.value.errors}
    position = broken["procedures"].index(residence)
    assert {
        "procedures[0].document_kind",
        "procedures[1].decider",
        f"procedures[{position}].document_kind",
    } <= where
    assert not Procedure.objects.exists()


def test_residence_is_forwarded_to_the_commune_police_and_a_copy_of_an_extract_is_a_copy(catalog):
    residence = Procedure.objects.get(code="1.004222")
    assert (residence.decider, residence.document_kind) == ("commune_police", "forwarded")
    assert residence.is_forwarded
    copy_of_extract = Procedure.objects.get(code="2.000635")
    assert copy_of_extract.document_kind == "extract_copy"
    assert not copy_of_extract.is_forwarded
