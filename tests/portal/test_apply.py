"""Applying online without JavaScript: one page a step, errors at the top and beside the field,
nothing typed lost, save and resume, consent, and one dossier however often "send" is pressed."""

import io
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from PIL import Image

from tests.dossiers.conftest import at, demo, staff  # noqa: F401 (fixtures)
from xaso.dossiers.models import Dossier, Draft, Upload
from xaso.dossiers.submission import dossier_submit

START = "/thu-tuc/1.001193/nop/"
STEP = START + "buoc-{}/"
REVIEW = START + "xem-lai/"

APPLICANT = {
    "commune": "DEMO-PL",
    "applicant.full_name": "Y Bhiơ Niê",
    "applicant.date_of_birth.day": "2",
    "applicant.date_of_birth.month": "3",
    "applicant.date_of_birth.year": "1960",
    "applicant.sex": "male",
    "applicant.personal_id": "066060001234",
    "relationship": "grandparent",
    "phone": "0912 345 678",
}
CHILD = {
    "child.full_name": "H'Hen Niê",
    "child.date_of_birth.day": "20",
    "child.date_of_birth.month": "11",
    "child.date_of_birth.year": "2026",
    "child.sex": "female",
    "child.ethnicity": "Ê Đê",
    "child.nationality": "Việt Nam",
    "place_of_birth": "Trạm Y tế xã Phú Lộc",
}
MOTHER = {
    "mother.full_name": "H'Lan Niê",
    "mother.date_of_birth.day": "1",
    "mother.date_of_birth.month": "1",
    "mother.date_of_birth.year": "1998",
    "mother.sex": "female",
    "mother_residence.province": "66",
    "mother_residence.commune": "DEMO-PL",
    "mother_residence.village": "thon-loc-tan",
    "mother_residence.detail": "",
}


def jpeg(width=300, height=200) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 160)).save(data, "JPEG")
    data.seek(0)
    data.name = "giay-chung-sinh.jpg"
    return data


def errors_on(page: str) -> list[str]:
    """The messages of the error summary at the top of the page."""
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary)


def fill_to_documents(client):
    """Applicant, child, mother (father unknown), the birth certificate question."""
    assert client.post(STEP.format(1), APPLICANT).status_code == 302
    assert client.post(STEP.format(2), CHILD).status_code == 302
    response = client.post(STEP.format(3), MOTHER)  # father_known unticked: step 4 skipped
    assert response.status_code == 302 and response["Location"] == STEP.format(5)
    response = client.post(STEP.format(5), {"has_birth_certificate": "1"})
    assert response["Location"] == STEP.format(6)


def fill_all(client):
    fill_to_documents(client)
    assert client.post(STEP.format(6), {"birth_certificate": jpeg()}).status_code == 302
    response = client.post(STEP.format(7), {"delivery": "electronic"})
    assert response["Location"] == REVIEW


@pytest.fixture
def citizen(demo, at, client):  # noqa: F811 (fixture)
    at(2026, 11, 27, 10, 0)
    client.cookies["django_language"] = "en"  # compare the English messages
    return client


def test_the_first_step_asks_for_the_applicant_with_the_right_input_types(citizen):
    page = citizen.get(START).content.decode()
    assert "Step 1 of 6" in page
    assert 'name="applicant.full_name"' in page and 'autocomplete="name"' in page
    assert re.search(r'name="applicant.personal_id"[^>]*inputmode="numeric"', page)
    assert re.search(r'name="phone"[^>]*inputmode="numeric"', page)
    assert 'autocomplete="bday-day"' in page
    assert "<legend" in page and 'id="cccd-scan" hidden' in page  # the scan button needs JS
    assert 'name="commune"' in page  # two demo communes take online applications


def test_errors_at_the_top_and_beside_each_field_and_nothing_typed_is_lost(citizen):
    typed = {**APPLICANT, "applicant.personal_id": "1234", "phone": "", "relationship": ""}
    response = citizen.post(STEP.format(1), typed)
    page = response.content.decode()
    assert response.status_code == 400
    summary = errors_on(page)
    assert "The personal ID number has exactly 12 digits." in summary
    assert "This field is required." in summary  # the phone and the relationship
    assert '<a href="#f-applicant-personal_id">' in page and '<a href="#f-phone">' in page
    assert 'id="f-applicant-personal_id-error"' in page and 'id="f-phone-error"' in page
    assert 'value="Y Bhiơ Niê"' in page and 'value="1234"' in page and 'value="1960"' in page
    assert "<title>Error:" in page


def test_an_impossible_date_is_shown_as_typed_with_a_day_month_year_hint(citizen):
    response = citizen.post(
        STEP.format(1), {**APPLICANT, "applicant.date_of_birth.day": "31",
                         "applicant.date_of_birth.month": "2"},
    )  # fmt: skip
    page = response.content.decode()
    assert "Enter a real date, for example 27 3 1960." in errors_on(page)
    assert 'href="#f-applicant-date_of_birth-day"' in page
    assert 'name="applicant.date_of_birth.day" value="31"' in page


def test_the_steps_lead_to_the_review_and_skip_the_father_when_unknown(citizen):
    fill_all(citizen)
    page = citizen.get(REVIEW).content.decode()
    assert "Check your answers before sending" in page
    assert "Y Bhiơ Niê, born 02/03/1960, Male, ID 066060001234" in page
    assert "20/11/2026" in page and "Thôn Lộc Tân" in page and "1 file(s) attached" in page
    assert "Electronically" in page
    assert "The child&#x27;s father" not in page
    assert page.count('?from=review">Change') == 6
    assert 'name="declaration" value="1">' in page  # unticked


def test_a_change_link_returns_to_the_review(citizen):
    fill_all(citizen)
    response = citizen.post(STEP.format(2), {**CHILD, "from": "review", "hometown": "Krông Năng"})
    assert response["Location"] == REVIEW
    assert "Krông Năng" in citizen.get(REVIEW).content.decode()


def test_the_review_sends_back_to_the_first_unfinished_step(citizen):
    citizen.post(STEP.format(1), APPLICANT)
    response = citizen.get(REVIEW)
    assert response["Location"] == STEP.format(2) + "?check=1"
    page = citizen.get(response["Location"]).content.decode()
    assert errors_on(page) == ["This field is required."] * 2  # the child, the place of birth
    assert '<a href="#f-child-full_name">' in page and '<a href="#f-place_of_birth">' in page


def test_save_and_resume_on_another_phone(citizen):
    citizen.post(STEP.format(1), APPLICANT)
    response = citizen.post(STEP.format(2), {**CHILD, "_action": "save"})
    assert response["Location"] == START + "da-luu/"
    page = citizen.get(response["Location"]).content.decode()
    link = re.search(r'id="resume-link">([^<]+)<', page)[1]
    other_phone = Client()
    other_phone.cookies["django_language"] = "en"
    response = other_phone.get(link)
    assert response["Location"] == STEP.format(3)  # where it stopped, no errors shown yet
    page = other_phone.get(STEP.format(2)).content.decode()
    assert 'value="H&#x27;Hen Niê"' in page and 'value="Ê Đê"' in page
    assert other_phone.get(START)["Location"] == STEP.format(3)


def test_an_unknown_resume_link_says_so(citizen):
    response = citizen.get(START + "tiep-tuc/nope/")
    assert response.status_code == 404
    assert "does not exist any more" in response.content.decode()


def test_a_file_that_is_not_an_image_or_pdf_is_refused_with_a_clear_message(citizen):
    fill_to_documents(citizen)
    text = io.BytesIO(b"MZ\x90\x00 not a photo")
    text.name = "giay-chung-sinh.jpg"
    response = citizen.post(STEP.format(6), {"birth_certificate": text})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Only PDF, JPEG or PNG files are accepted." in errors_on(page)
    assert 'id="f-birth_certificate-error"' in page
    assert not Upload.objects.exists()


def test_an_uploaded_photo_is_kept_and_can_be_removed(citizen):
    fill_to_documents(citizen)
    response = citizen.post(STEP.format(6), {"birth_certificate": jpeg(), "_action": "save"})
    assert response.status_code == 302
    page = citizen.get(STEP.format(6)).content.decode()
    token = Upload.objects.get().token
    assert f'value="{token}"' in page and "File 1 (JPEG" in page
    citizen.post(STEP.format(6), {"birth_certificate.token": token,
                                  "birth_certificate.remove": token})  # fmt: skip
    assert f'value="{token}"' not in citizen.get(STEP.format(6)).content.decode()


def test_the_application_cannot_be_sent_without_the_declaration(citizen):
    fill_all(citizen)
    page = citizen.get(REVIEW).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page)[1]
    response = citizen.post(REVIEW, {"submission": token})
    assert response.status_code == 400
    assert errors_on(response.content.decode()) == [
        "Tick the box to declare that what you wrote is true."
    ]
    assert not Dossier.objects.exists()


def test_sending_twice_makes_one_dossier_and_shows_its_code_secret_and_fee(citizen):
    fill_all(citizen)
    page = citizen.get(REVIEW).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page)[1]
    first = citizen.post(REVIEW, {"submission": token, "declaration": "1"})
    second = citizen.post(REVIEW, {"submission": token, "declaration": "1"})
    dossier = Dossier.objects.get()
    assert first["Location"] == second["Location"] == START + f"da-nop/{dossier.code}/"
    assert dossier.channel == "online" and dossier.applicant["phone"] == "0912345678"
    assert dossier.result_delivery == "electronic"
    assert dossier.applicant["full_name"] == "Y Bhiơ Niê"
    assert dossier.attachments.count() == 1
    assert not Draft.objects.exists()
    page = citizen.get(first["Location"]).content.decode()
    assert dossier.code in page and dossier.lookup_secret in page
    assert f"/tra-cuu/?code={dossier.code}&amp;secret={dossier.lookup_secret}" in page
    assert 'src="data:image/svg+xml' in page
    assert "Free" in page  # registered within 60 days


def test_the_confirmation_is_only_for_the_browser_that_sent_it(citizen):
    fill_all(citizen)
    page = citizen.get(REVIEW).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page)[1]
    done = citizen.post(REVIEW, {"submission": token, "declaration": "1"})["Location"]
    response = Client().get(done)
    assert response.status_code == 302 and "secret" not in response["Location"]


def test_a_procedure_without_a_form_or_code_is_not_found(citizen):
    assert citizen.get("/thu-tuc/9.999999/nop/").status_code == 404
    assert citizen.get(STEP.format(99)).status_code == 404


def test_a_change_that_asks_new_questions_leads_to_them_then_back_to_the_review(citizen):
    fill_all(citizen)
    response = citizen.post(STEP.format(3), {**MOTHER, "father_known": "1", "from": "review"})
    assert response["Location"] == STEP.format(4)  # the father's page, without errors yet
    page = citizen.get(response["Location"]).content.decode()
    assert "error-summary" not in page and 'name="father.full_name"' in page
    assert citizen.get(REVIEW)["Location"] == STEP.format(4) + "?check=1"


def test_a_procedure_no_commune_takes_online_says_so(citizen):
    from xaso.catalog.models import CommuneProcedure

    CommuneProcedure.objects.filter(procedure__code="1.001193").update(offered=False)
    response = citizen.get(START)
    assert response.status_code == 404
    assert "cannot be submitted online here" in response.content.decode()


def test_a_review_page_without_its_token_asks_to_send_again(citizen):
    fill_all(citizen)
    response = citizen.post(REVIEW, {"submission": "forged", "declaration": "1"})
    assert response.status_code == 400
    assert errors_on(response.content.decode()) == [
        "This page has expired. Check your answers and send again."
    ]
    assert not Dossier.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL row locks; the in-memory SQLite test database "
    "fails on a lock instead of waiting ('database table is locked': 1 run in ~10 here)",
)
@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_make_one_dossier(demo):  # noqa: F811 (fixture)
    """A double click without JavaScript: the second POST arrives while the first is saving."""
    client = Client()
    client.cookies["django_language"] = "en"
    fill_all(client)
    page = client.get(REVIEW).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page)[1]
    started = threading.Event()

    def slow_submit(**kwargs):
        started.set()
        time.sleep(0.5)  # the other click arrives meanwhile
        return dossier_submit(**kwargs)

    def click(first: bool):
        other = Client()
        other.cookies = client.cookies
        if not first:
            started.wait(5)
        try:
            return other.post(REVIEW, {"submission": token, "declaration": "1"})
        finally:
            connection.close()

    patch = mock.patch("xaso.portal.apply_submit.dossier_submit", side_effect=slow_submit)
    with patch, ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(click, [True, False]))
    dossier = Dossier.objects.get()
    assert [answer.status_code for answer in answers] == [302, 302]
    assert {answer["Location"] for answer in answers} == {START + f"da-nop/{dossier.code}/"}


def test_without_javascript_another_province_lists_its_communes(citizen):
    from xaso.places.models import Commune

    citizen.post(STEP.format(1), APPLICANT)
    citizen.post(STEP.format(2), CHILD)
    hanoi = Commune.objects.filter(province__code="01").order_by("name").first()
    assert hanoi is not None
    moved = {**MOTHER, "mother_residence.province": "01", "_action": "refresh"}
    response = citizen.post(STEP.format(3), moved)
    assert response["Location"] == STEP.format(3)  # the same page again, nothing lost
    page = citizen.get(STEP.format(3)).content.decode()
    assert f'<option value="{hanoi.code}">' in page and 'value="H&#x27;Lan Niê"' in page
    assert 'value="DEMO-PL"' not in page  # Đắk Lắk's communes are gone
