"""Legal bases as structured data printed in the Decree 30/2020 form, and procedure versions: an
import may carry a version that starts on a later day, and a dossier keeps the version in force on
the day it was received (Decree 120/2025/NĐ-CP ceases on 2027-03-01, DOMAIN.md §3)."""

# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import copy
import json
from datetime import date

from tests.catalog.conftest import SEED_CATALOG
from tests.dossiers.conftest import at, demo, procedure_submission, staff, upload  # noqa: F401 (fixtures)
from tests.helpers.api import ApiClient
from xaso.catalog.legal import legal_basis_item_errors, legal_basis_lines
from xaso.catalog.models import Procedure
from xaso.catalog.records import catalog_errors
from xaso.catalog.services import catalog_import, procedure_versions_apply
from xaso.dossiers.models import Dossier
from xaso.payments.models import PaymentRequest

SOCIAL_AID = {
    "kind": "Nghị định", "number": "20/2021/NĐ-CP", "date": "2021-03-15", "issuer": "Chính phủ",
    "title": "quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội",
}  # fmt: skip
CIVIL_STATUS_LAW = {
    "kind": "Luật", "number": "60/2014/QH13", "date": "2014-11-20", "issuer": "Quốc hội",
    "title": "Hộ tịch",
}  # fmt: skip
COMPETENCE = {
    "kind": "Nghị định", "number": "120/2025/NĐ-CP", "date": "2025-06-11", "issuer": "Chính phủ",
    "title": "quy định về phân định thẩm quyền …", "valid_from": "2025-07-01",
    "valid_to": "2027-03-01",
}  # fmt: skip
MARITAL_STATUS = "1.004873"
SWITCH = "2027-03-01"


def test_legal_bases_are_printed_in_the_decree_30_form():
    assert legal_basis_lines([CIVIL_STATUS_LAW, SOCIAL_AID], on=date(2026, 12, 2)) == [
        "Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014;",
        "Căn cứ Nghị định số 20/2021/NĐ-CP ngày 15 tháng 3 năm 2021 của Chính phủ quy định "
        "chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội;",
    ]


def test_a_text_that_ceases_is_no_longer_cited_from_that_day():
    assert len(legal_basis_lines([COMPETENCE], on=date(2027, 2, 28))) == 1
    assert legal_basis_lines([COMPETENCE], on=date(2027, 3, 1)) == []
    assert legal_basis_lines([COMPETENCE], on=date(2025, 6, 30)) == []


def test_a_legal_basis_needs_number_date_issuer_and_title():
    assert legal_basis_item_errors(SOCIAL_AID) == []
    broken = {**SOCIAL_AID, "date": "15/3/2021", "number": "", "valid_from": "2027-01-01",
              "valid_to": "2026-01-01"}  # fmt: skip
    assert legal_basis_item_errors(broken) == [
        "number: is required",
        "date: the signing date as YYYY-MM-DD",
        "valid_to: must be after valid_from",
    ]
    assert legal_basis_item_errors({**SOCIAL_AID, "kind": "Công văn"})[0].startswith("kind:")


def the_seed() -> dict:
    return json.loads(SEED_CATALOG.read_text(encoding="utf-8"))


def two_versions(seed: dict) -> dict:
    """The marital-status certificate in two versions: the one of today until 2027-03-01, and
    one from that day on (no more Decree 120/2025, a national fee of 7.000 ₫ for the test)."""
    old = next(record for record in seed["procedures"] if record["code"] == MARITAL_STATUS)
    old = {**copy.deepcopy(old), "version": 1, "valid_to": SWITCH}
    new = copy.deepcopy(old)
    new.update(version=2, valid_from=SWITCH, valid_to=None)
    new["legal_basis"] = [item for item in new["legal_basis"] if item["number"] != "120/2025/NĐ-CP"]
    new["fees"] = {"rules": [{"kind": "flat", "amount": 7000}], "exemptions": []}
    return {**seed, "procedures": [old, new]}


def test_versions_of_one_code_may_not_overlap():
    data = two_versions(the_seed())
    assert catalog_errors(data) == []
    data["procedures"][1]["valid_from"] = "2027-02-01"
    assert [str(error) for error in catalog_errors(data)] == [
        "procedures[1].valid_from: overlaps another version of this code"
    ]


def received_on(demo, at, day: int, month: int) -> Dossier:
    at(2027, month, day, 9, 0)
    body = procedure_submission(MARITAL_STATUS, receive=True)
    desk = ApiClient().as_user(demo["reception"])  # signed in that day
    response = desk.post("/api/v1/dossiers", body)
    assert response.status_code == 201, response.content
    return Dossier.objects.get(code=response.json()["code"])


def test_a_dossier_keeps_the_version_in_force_when_it_was_received(staff, demo, at):
    report = catalog_import(actor=None, data=two_versions(the_seed()))
    assert report.updated == [MARITAL_STATUS]
    procedure = Procedure.objects.get(code=MARITAL_STATUS)
    assert (procedure.version, procedure.versions.count()) == (1, 2)  # today is 2026-11-25

    before = received_on(demo, at, 28, 2)
    on_the_day = received_on(demo, at, 1, 3)
    assert before.procedure_version.number == 1
    assert on_the_day.procedure_version.number == 2
    # The fee follows the version: the province's rate (demo: 5.000 ₫), then the new 7.000 ₫.
    assert PaymentRequest.objects.get(dossier=before).amount == 5000
    assert PaymentRequest.objects.get(dossier=on_the_day).amount == 7000
    detail = ApiClient().as_user(demo["reception"]).get(f"/api/v1/dossiers/{before.code}").json()
    assert detail["procedure_version"] == 1


def test_the_daily_switch_makes_the_new_version_the_procedures_row(staff, demo):
    catalog_import(actor=None, data=two_versions(the_seed()))
    assert procedure_versions_apply(actor=None, today=date(2027, 2, 28)) == []
    assert procedure_versions_apply(actor=None, today=date(2027, 3, 1)) == [MARITAL_STATUS]
    procedure = Procedure.objects.get(code=MARITAL_STATUS)
    assert procedure.version == 2 and procedure.fees["rules"][0]["amount"] == 7000
    numbers = [item.get("number") for item in procedure.legal_basis]
    assert "120/2025/NĐ-CP" not in numbers
