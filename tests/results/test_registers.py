"""Registers: a number series per register and year; the civil-status entry (number, book, the
child's personal ID number) is recorded from the Ministry's system before signing, printed, and
never invented."""

import pytest

from tests.dossiers.conftest import procedure_submission
from tests.helpers.api import ApiClient, assert_error
from tests.helpers.registers import entered
from tests.results.conftest import awaiting_signature
from tests.results.test_documents import pdf_text
from xaso.core.errors import DomainError
from xaso.dossiers import services
from xaso.dossiers.models import Dossier, State
from xaso.dossiers.submission import dossier_submit
from xaso.results.models import ResultCounter


def entry_url(dossier) -> str:
    return f"/api/v1/results/dossiers/{dossier.code}/register-entry"


def proposed(demo, code: str) -> Dossier:
    body = procedure_submission(code)
    dossier = dossier_submit(
        actor=demo["reception"], procedure_code=code, commune_code="DEMO-PL", channel="counter",
        applicant=body["applicant"], answers=body["form"], receive=True,
    ).dossier  # fmt: skip
    dossier = Dossier.objects.get(pk=dossier.pk)
    if dossier.assigned_to is None:
        dossier = services.dossier_assign(actor=demo["reception"], dossier=dossier, to="specialist")
    return services.dossier_propose(actor=demo["specialist"], dossier=dossier)


def test_signing_a_birth_refuses_without_the_entry_and_the_personal_id(demo):
    dossier = awaiting_signature(demo, entry=False)
    with pytest.raises(DomainError) as refused:
        services.dossier_approve(actor=demo["leader"], dossier=dossier)
    assert refused.value.code == "register_entry_missing"
    assert Dossier.objects.get(pk=dossier.pk).state == State.AWAITING_SIGNATURE
    specialist = ApiClient().as_user(demo["specialist"])
    no_id = specialist.post(entry_url(dossier), {"number": "125", "book": "01/2026"})
    assert_error(no_id, 400, "personal_id_missing")
    recorded = specialist.post(
        entry_url(dossier), {"number": "125", "book": "01/2026", "personal_id": "066226001234"}
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["register"] == "births"
    signed = services.dossier_approve(actor=demo["leader"], dossier=dossier).result
    assert signed.number == "125/TLKS"  # the register's number, not one xaso made up
    text = " ".join(pdf_text(bytes(signed.pdf)).split())
    assert "Số: 125/TLKS" in text and "Số đăng ký: 125 Quyển số: 01/2026" in text
    assert "Số định danh cá nhân: 066226001234" in text


def test_the_same_register_number_twice_is_refused_not_a_crash(demo):
    first, second = awaiting_signature(demo, entry=False), awaiting_signature(demo, entry=False)
    specialist = ApiClient().as_user(demo["specialist"])
    for dossier in (first, second):
        body = {"number": "7", "book": "01/2026", "personal_id": f"06622600000{dossier.pk % 10}"}
        assert specialist.post(entry_url(dossier), body).status_code == 200
    services.dossier_approve(actor=demo["leader"], dossier=first)
    with pytest.raises(DomainError) as refused:
        services.dossier_approve(actor=demo["leader"], dossier=second)
    assert refused.value.code == "register_number_used"


def test_each_register_has_its_own_series_per_year(demo):
    births = [entered(awaiting_signature(demo)) for _ in range(2)]
    copy = entered(proposed(demo, "2.000635"))
    certification = proposed(demo, "2.000815")  # the commune's own book: nothing to record
    assert_error(
        ApiClient()
        .as_user(demo["specialist"])
        .post(entry_url(certification), {"number": "1", "book": "x"}),
        400,
        "register_not_recorded",
    )
    for dossier in (*births, copy, certification):
        services.dossier_approve(actor=demo["leader"], dossier=dossier)
    series = dict(
        ResultCounter.objects.filter(commune__code="DEMO-PL", year=2026).values_list(
            "register", "last"
        )
    )
    assert series["births"] == 2 and series["extract_copies"] == 1
    assert series["certification_copies"] == 1
    result = Dossier.objects.get(pk=certification.pk).result
    assert result.number == "1/SCT"
    text = " ".join(pdf_text(bytes(result.pdf)).split())
    assert "Chứng thực bản sao này đúng với bản chính" in text
    assert "Số chứng thực: 1, quyển số 01/2026-SCT/BS" in text
    copy_text = " ".join(pdf_text(bytes(Dossier.objects.get(pk=copy.pk).result.pdf)).split())
    assert "(BẢN SAO)" in copy_text and "QUYẾT ĐỊNH" not in copy_text


def test_only_the_deciding_communes_officers_record_an_entry(demo, staff):
    dossier = awaiting_signature(demo, entry=False)
    body = {"number": "9", "book": "01/2026", "personal_id": "066226009999"}
    assert_error(staff["other-reception"].post(entry_url(dossier), body), 404, "dossier_not_found")
    assert_error(staff["reception"].post(entry_url(dossier), body), 403, "forbidden")
    assert_error(
        staff["specialist"].post(entry_url(dossier), {"number": ""}), 400, "register_entry"
    )
    assert staff["leader"].post(entry_url(dossier), body).status_code == 200
