"""A team member files a dossier for a resident from the workspace, without JavaScript: the
procedure, its catalogue form on one page, the resident's consent (ticked, and recorded by a
photo or a code sent to their phone); the dossier is the community channel's, the member its
filer, listed with its state among theirs; one dossier however often "file" is pressed; no
other dossier is theirs to open (404)."""

import html
import re

import pytest
from django.test import Client

from tests.helpers.api import ApiClient, submit
from tests.portal.test_apply import APPLICANT, CHILD, MOTHER, jpeg
from xaso.dossiers.models import Dossier
from xaso.notify.models import OutboxMessage

from .conftest import submission

CHOOSE = "/to-cong-nghe-so/nop-ho-so/"
FORM = CHOOSE + "1.001193/"
ANSWERS = {
    **{key: value for key, value in APPLICANT.items() if key != "commune"},
    **CHILD,
    **MOTHER,
    "has_birth_certificate": "1",
    "delivery": "counter",
    "consent_given": "1",
}


@pytest.fixture
def member(demo, at) -> Client:
    at(2026, 11, 27, 10, 0)
    client = Client()
    client.force_login(demo["community"])
    client.cookies["django_language"] = "en"
    return client


def hidden(page: str, name: str) -> list[str]:
    return re.findall(rf'name="{re.escape(name)}" value="([^"]*)"', page)


def page_state(page: str) -> dict:
    """What the page carries from one POST to the next: the questions shown, its one-time
    token, the files already attached, the consent code's challenge."""
    state = {"_shown": hidden(page, "_shown")[0], "submission": hidden(page, "submission")[0]}
    for name in ("birth_certificate.token", "consent_photo.token", "consent_challenge"):
        if values := hidden(page, name):
            state[name] = values
    return state


def errors_on(page: str) -> list[str]:
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return [html.unescape(m) for m in re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary)]


def up_to_the_documents(member, **consent) -> str:
    """The form filled; the birth certificate is asked once the answers say there is one."""
    chosen = member.get(CHOOSE + "?q=khai+sinh").content.decode()
    assert f'href="{FORM}"' in chosen
    first = member.get(FORM).content.decode()
    assert 'name="birth_certificate"' not in first  # asked only once "has one" is ticked
    response = member.post(FORM, {**ANSWERS, **page_state(first), **consent})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your answers ask more questions" in page
    assert 'name="birth_certificate"' in page and 'value="Y Bhiơ Niê"' in page
    return page


def test_the_member_files_for_a_resident_with_a_photo_of_their_consent(member, demo):
    page = up_to_the_documents(member, consent_method="photo", consent_photo=jpeg())
    state = page_state(page)
    assert len(state["consent_photo.token"]) == 1  # kept from the first POST
    body = {**ANSWERS, **state, "consent_method": "photo", "birth_certificate": jpeg()}
    filed = member.post(FORM, body)
    assert filed.status_code == 302, errors_on(filed.content.decode())
    dossier = Dossier.objects.get()
    assert filed["Location"] == f"/to-cong-nghe-so/ho-so/{dossier.code}/"
    assert (dossier.channel, dossier.written_by, dossier.state) == (
        "community", demo["community"], "submitted"
    )  # fmt: skip
    assert dossier.consent == {"method": "photo", "upload": state["consent_photo.token"][0]}
    assert dossier.applicant["full_name"] == "Y Bhiơ Niê"
    assert (dossier.applicant["personal_id"], dossier.applicant["phone"]) == (
        "066060001234", "0912345678"
    )  # fmt: skip
    assert dossier.attachments.filter(field_name="birth_certificate").count() == 1
    # A double click: the same page sent again files nothing more.
    again = member.post(FORM, {**body, "birth_certificate": jpeg()})
    assert again["Location"] == filed["Location"] and Dossier.objects.count() == 1
    shown = member.get(filed["Location"]).content.decode()
    assert dossier.code in shown and "Submitted" in shown
    assert dossier.lookup_secret in shown  # for the resident, right after filing
    listed = member.get("/to-cong-nghe-so/ho-so/").content.decode()
    assert f'href="/to-cong-nghe-so/ho-so/{dossier.code}/"' in listed and "Submitted" in listed
    logged = member.get(f"/to-cong-nghe-so/nhat-ky/?dossier={dossier.code}").content.decode()
    assert f'value="{dossier.code}"' in logged


def test_the_consent_box_must_be_ticked_and_its_record_chosen(member):
    page = up_to_the_documents(member, consent_method="photo")
    body = {**ANSWERS, **page_state(page), "birth_certificate": jpeg()}
    del body["consent_given"]
    refused = member.post(FORM, body)
    assert refused.status_code == 400
    errors = errors_on(refused.content.decode())
    assert "Tick the box once the resident has agreed that you file for them." in errors
    assert "Choose how the resident's consent is recorded." in errors
    # The certificate sent with the refused page is kept: only the consent's photo is missing.
    kept = page_state(refused.content.decode())
    assert kept["birth_certificate.token"]
    body = {**ANSWERS, **kept, "consent_method": "photo"}
    photo = member.post(FORM, body)
    assert errors_on(photo.content.decode()) == ["Attach the photo of the consent they signed."]
    assert not Dossier.objects.exists()


def test_the_consent_by_a_code_sent_to_the_residents_phone(member, demo):
    page = up_to_the_documents(member, consent_method="otp")
    body = {**ANSWERS, **page_state(page), "consent_method": "otp", "birth_certificate": jpeg()}
    sent = member.post(FORM, body)
    page = sent.content.decode()
    assert sent.status_code == 200 and "A code was sent to 0912345678" in page
    code = OutboxMessage.objects.get(template="one_time_code").data["otp"]
    state = page_state(page)
    assert state["consent_challenge"] and 'name="consent_code"' in page
    body = {**ANSWERS, "consent_method": "otp"}  # the certificate is kept by the page now
    wrong = "000000" if code != "000000" else "111111"
    refused = member.post(FORM, {**body, **state, "consent_code": wrong})
    assert refused.status_code == 400
    assert "The consent code is wrong." in errors_on(refused.content.decode())
    state = page_state(refused.content.decode())
    right = {**body, **state, "consent_code": code}
    filed = member.post(FORM, right)
    assert filed.status_code == 302, errors_on(filed.content.decode())
    dossier = Dossier.objects.get()
    assert dossier.consent["method"] == "otp" and dossier.written_by == demo["community"]
    # The second click of a double click: the code is spent, the dossier it made is shown.
    again = member.post(FORM, right)
    assert again["Location"] == filed["Location"] and Dossier.objects.count() == 1


def test_no_other_dossier_is_the_members_and_the_pages_are_no_officers(member, demo):
    online = submit(ApiClient(), submission())["code"]
    assert member.get(f"/to-cong-nghe-so/ho-so/{online}/").status_code == 404
    assert member.get("/to-cong-nghe-so/nop-ho-so/9.999999/").status_code == 404
    officer = Client()
    officer.force_login(demo["reception"])
    assert officer.get(CHOOSE).status_code == 404
    assert officer.get(FORM).status_code == 404
    assert officer.get(f"/to-cong-nghe-so/ho-so/{online}/").status_code == 404


def test_the_procedures_are_searched_and_paged(member):
    first = member.get(CHOOSE).content.decode()
    assert 'rel="next"' in first and "page 1 of" in first
    second = member.get(CHOOSE + "?page=2").content.decode()
    assert 'rel="prev"' in second
    codes = set(re.findall(r'href="/to-cong-nghe-so/nop-ho-so/([0-9.]+)/"', first))
    assert codes and codes.isdisjoint(re.findall(r'nop-ho-so/([0-9.]+)/"', second))
    found = member.get(CHOOSE + "?q=ket+hon").content.decode()  # without accents
    assert 'href="/to-cong-nghe-so/nop-ho-so/1.000894/"' in found
