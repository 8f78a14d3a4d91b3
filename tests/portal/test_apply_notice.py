"""The review step's personal-data notice (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): complete,
the declaration of truth separate from it, consent asked only for the optional uses."""

import re

from tests.dossiers.conftest import at, demo, staff  # noqa: F401 (fixtures)
from tests.portal.test_apply import REVIEW, citizen, fill_all  # noqa: F401 (fixtures)
from xaso.catalog.models import Procedure
from xaso.dossiers.models import Dossier
from xaso.notify.models import NotificationPreference
from xaso.places.models import Commune
from xaso.privacy.models import ControllerContact, RetentionRule


def notice_of(page: str) -> str:
    return page.split('id="personal-data-notice"', 1)[1].split("</div>", 1)[0]


def test_the_notice_names_recipients_sensitive_data_retention_rights_contact_and_the_law(
    citizen,  # noqa: F811
):
    ControllerContact.objects.filter(commune=Commune.objects.get(code="DEMO-PL")).update(
        address="Trụ sở UBND xã Phú Lộc (demo)", phone="0262 3000 000",
        email="dulieu@phuloc.example.vn", officer="Văn phòng UBND xã",
    )  # fmt: skip
    RetentionRule.objects.create(
        procedure=Procedure.objects.get(code="1.001193"), dossier_years=None,
        legal_basis="Luật Hộ tịch 2014",
    )  # fmt: skip
    fill_all(citizen)
    notice = notice_of(citizen.get(REVIEW).content.decode())
    for recipient in ("commune police", "Ministry of Justice's civil-status database",
                      "National Public Service Portal", "SMS, Zalo and e-mail providers",
                      "the bank"):  # fmt: skip
        assert recipient in notice, recipient
    assert "photos of ID cards" in notice and "sensitive personal data" in notice
    assert "the dossier is kept permanently, as Luật Hộ tịch 2014 requires" in notice
    assert "its result (the signed document) is kept permanently" in notice
    assert "after 30 days" in notice and "after 24 hours" in notice
    assert "to see it, to have it corrected, to have it deleted" in notice
    assert 'href="/du-lieu-ca-nhan/"' in notice
    assert "Trụ sở UBND xã Phú Lộc (demo), phone 0262 3000 000" in notice
    assert "Law 91/2025/QH15" in notice and "Decree 356/2025/NĐ-CP" in notice
    assert "needs no consent of yours" in notice
    assert "withdraw" not in notice.lower()  # nothing the law requires is offered for withdrawal


def test_without_a_contact_the_notice_names_the_communes_desk(citizen):  # noqa: F811
    ControllerContact.objects.all().delete()
    fill_all(citizen)
    notice = notice_of(citizen.get(REVIEW).content.decode())
    assert "the one-stop desk of Xã Phú Lộc" in notice
    assert "the dossier is kept permanently, as Luật Lưu trữ năm 2024 requires" in notice


def test_the_declaration_is_its_own_box_and_the_optional_uses_are_unticked(citizen):  # noqa: F811
    fill_all(citizen)
    page = citizen.get(REVIEW).content.decode()
    form = page.split('id="review-form"', 1)[1]
    box = r'<input type="checkbox" id="([^"]+)" name="([^"]+)" value="1"([^>]*)>'
    boxes = re.findall(box, form)
    assert [(box, name) for box, name, _rest in boxes] == [
        ("f-declaration", "declaration"), ("f-use-zalo", "use_zalo"), ("f-use-reuse", "use_reuse")
    ]  # fmt: skip
    assert all("checked" not in rest for _box, _name, rest in boxes)
    assert "I declare that what I wrote in this application" in form
    assert "Optional: only if you agree" in form


def test_the_answers_to_the_optional_uses_are_kept_and_zalo_is_set(citizen):  # noqa: F811
    fill_all(citizen)
    page = citizen.get(REVIEW).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page)[1]
    citizen.post(REVIEW, {"submission": token, "declaration": "1", "use_zalo": "1"})
    uses = Dossier.objects.get().consent["uses"]
    assert (uses["zalo"], uses["reuse_documents"]) == (True, False)
    assert NotificationPreference.objects.get(phone="0912345678").channels == ["zalo", "sms"]


def test_nothing_ticked_but_the_declaration_means_no_to_each_use(citizen):  # noqa: F811
    fill_all(citizen)
    page = citizen.get(REVIEW).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page)[1]
    citizen.post(REVIEW, {"submission": token, "declaration": "1"})
    uses = Dossier.objects.get().consent["uses"]
    assert (uses["zalo"], uses["reuse_documents"]) == (False, False)
    assert not NotificationPreference.objects.exists()
