"""The leader's desk: proposals with a preview, signed many at once after a confirmation that
lists them and asks for the authenticator's code; a failure is said per code."""

import pytest

from tests.backoffice.conftest import EXTRACT_COPY, make_dossier
from tests.helpers.registers import entered
from tests.helpers.second_factor import totp_code
from tests.results.test_documents import pdf_text
from xaso.dossiers import services
from xaso.dossiers.models import Dossier, State
from xaso.results.models import RegisterEntry

pytestmark = pytest.mark.django_db


def proposed(demo) -> Dossier:
    dossier = make_dossier(demo["reception"], code=EXTRACT_COPY, channel="counter", receive=True)
    dossier = Dossier.objects.get(pk=dossier.pk)
    if dossier.assigned_to is None:
        dossier = services.dossier_assign(actor=demo["reception"], dossier=dossier, to="specialist")
    return entered(services.dossier_propose(actor=demo["specialist"], dossier=dossier))


def sign(client, leader, codes: list[str]):
    """Tick, then confirm with the authenticator's code."""
    form = {"codes": codes, "confirm": "1", "otp": totp_code(leader)}
    return client.post("/backoffice/leader/sign/", form, follow=True)


def test_the_leader_sees_the_proposals_and_signs_two_at_once(clients, demo):
    first, second, kept = proposed(demo), proposed(demo), proposed(demo)
    page = clients["leader"].get("/backoffice/leader/").content.decode()
    assert all(d.code in page for d in (first, second, kept))
    response = sign(clients["leader"], demo["leader"], [first.code, second.code])
    states = dict(Dossier.objects.values_list("code", "state"))
    assert (states[first.code], states[second.code]) == (State.RESULT_READY, State.RESULT_READY)
    assert states[kept.code] == State.AWAITING_SIGNATURE
    assert 'class="success"' in response.content.decode()


def test_a_dossier_already_signed_is_reported_and_the_others_signed(clients, demo):
    first, second = proposed(demo), proposed(demo)
    services.dossier_approve(actor=demo["leader"], dossier=first)  # signed meanwhile
    response = sign(clients["leader"], demo["leader"], [first.code, second.code])
    page = response.content.decode()
    assert f"{first.code}:" in page  # the error names the dossier
    assert Dossier.objects.get(pk=second.pk).state == State.RESULT_READY


def test_nothing_ticked_is_a_message(clients):
    response = clients["leader"].post("/backoffice/leader/sign/", {}, follow=True)
    assert 'class="error"' in response.content.decode()


def test_the_draft_preview_is_a_pdf_while_awaiting_signature(clients, demo):
    dossier = proposed(demo)
    response = clients["leader"].get(f"/backoffice/leader/drafts/{dossier.code}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_preview_reads_as_the_signed_result_but_for_number_and_signature(clients, demo):
    """One renderer: the leader previews what he signs — same title, signature block (his title
    from his certificate), register entry; only the number is still to come."""
    dossier = proposed(demo)
    preview = clients["leader"].get(f"/backoffice/leader/drafts/{dossier.code}.pdf").content
    step_up = {"confirm": "1", "otp": totp_code(demo["leader"])}
    clients["leader"].post("/backoffice/leader/sign/", {"codes": [dossier.code], **step_up})
    signed = bytes(Dossier.objects.get(pk=dossier.pk).result.pdf)
    number = Dossier.objects.get(pk=dossier.pk).result.number
    draft_text, signed_text = pdf_text(preview), pdf_text(signed)
    sequence, symbol = number.split("/", 1)
    assert f"Số: …/{symbol}" in draft_text and f"Số: {number}" in signed_text
    assert "NGƯỜI KÝ TRÍCH LỤC" in draft_text
    assert draft_text.replace("Số: …", f"Số: {sequence}") == signed_text


def test_the_leader_sends_back_with_a_reason(clients, demo):
    dossier = proposed(demo)
    url = f"/backoffice/dossiers/{dossier.code}/actions/send-back/"
    clients["leader"].post(url, {"reason": ""})
    assert Dossier.objects.get(pk=dossier.pk).state == State.AWAITING_SIGNATURE
    clients["leader"].post(url, {"reason": "Sai tên cha mẹ"})
    assert Dossier.objects.get(pk=dossier.pk).state == State.PROCESSING


def test_the_previews_are_recorded_as_a_look_at_personal_data(clients, demo):
    from xaso.core.models import AuditEntry

    dossier = proposed(demo)
    clients["leader"].get("/backoffice/leader/")
    entry = AuditEntry.objects.filter(action="personal_data.view").latest("id")
    assert entry.actor == demo["leader"]
    assert dossier.code in entry.data["dossiers"]


def test_the_card_of_a_birth_shows_the_whole_declaration_with_the_parents(clients, demo):
    dossier = make_dossier(demo["reception"], code="1.001193", channel="counter", receive=True)
    dossier = Dossier.objects.get(pk=dossier.pk)
    if dossier.assigned_to is None:
        dossier = services.dossier_assign(actor=demo["reception"], dossier=dossier, to="specialist")
    services.dossier_propose(actor=demo["specialist"], dossier=dossier)
    page = clients["leader"].get("/backoffice/leader/").content.decode()
    card = page.split(f'data-code="{dossier.code}"')[1].split("</article>")[0]
    for label in ("Trẻ được đăng ký khai sinh", "Mẹ của trẻ", "Nơi cư trú của mẹ"):
        assert label in card
    assert dossier.answers["mother"]["full_name"] in card


def test_the_officer_records_the_register_entry_on_the_dossier_page(clients, demo):
    dossier = make_dossier(demo["reception"], code=EXTRACT_COPY, channel="counter", receive=True)
    dossier = Dossier.objects.get(pk=dossier.pk)
    if dossier.assigned_to is None:
        dossier = services.dossier_assign(actor=demo["reception"], dossier=dossier, to="specialist")
    page = clients["specialist"].get(f"/backoffice/dossiers/{dossier.code}/").content.decode()
    assert 'data-form="register-entry"' in page
    url = f"/backoffice/dossiers/{dossier.code}/register-entry/"
    body = {"number": "58", "book": "01/2026"}
    # Another commune's officer finds no such dossier; the desk may not record it.
    assert clients["other-reception"].post(url, body).status_code == 404
    clients["reception"].post(url, body)
    assert not RegisterEntry.objects.filter(dossier=dossier).exists()
    assert (
        'data-form="register-entry"'
        not in clients["reception"].get(f"/backoffice/dossiers/{dossier.code}/").content.decode()
    )
    clients["specialist"].post(url, body)
    entry = RegisterEntry.objects.get(dossier=dossier)
    assert (entry.register, entry.number, entry.book) == ("extract_copies", "58", "01/2026")
    assert entry.recorded_by == demo["specialist"]


def test_ticking_asks_for_the_code_and_lists_what_will_be_signed(clients, demo):
    first, second, kept = proposed(demo), proposed(demo), proposed(demo)
    response = clients["leader"].post(
        "/backoffice/leader/sign/", {"codes": [first.code, second.code]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bạn sắp ký 2 văn bản" in page  # "you are about to sign 2 documents"
    assert first.code in page and second.code in page and kept.code not in page
    assert 'name="otp"' in page and 'name="password"' not in page
    assert Dossier.objects.filter(state=State.AWAITING_SIGNATURE).count() == 3  # nothing yet


def test_a_wrong_code_signs_nothing(clients, demo):
    first, second = proposed(demo), proposed(demo)
    right = totp_code(demo["leader"])
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    form = {"codes": [first.code, second.code], "confirm": "1", "otp": wrong}
    response = clients["leader"].post("/backoffice/leader/sign/", form)
    assert response.status_code == 401
    assert 'role="alert"' in response.content.decode()
    assert 'name="otp"' in response.content.decode()  # asked again
    states = set(
        Dossier.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)
    )
    assert states == {State.AWAITING_SIGNATURE}
    missing = {"codes": [first.code], "confirm": "1", "otp": ""}
    assert clients["leader"].post("/backoffice/leader/sign/", missing).status_code == 401
    assert Dossier.objects.get(pk=first.pk).state == State.AWAITING_SIGNATURE


def test_signing_one_on_the_dossier_page_asks_for_the_code_too(clients, demo):
    dossier = proposed(demo)
    page = clients["leader"].get(f"/backoffice/dossiers/{dossier.code}/").content.decode()
    form = page.split('data-action="approve"')[1].split("</form>")[0]
    assert 'name="otp"' in form
    url = f"/backoffice/dossiers/{dossier.code}/actions/approve/"
    clients["leader"].post(url, {})
    assert Dossier.objects.get(pk=dossier.pk).state == State.AWAITING_SIGNATURE
    clients["leader"].post(url, {"otp": totp_code(demo["leader"])})
    assert Dossier.objects.get(pk=dossier.pk).state == State.RESULT_READY


def test_sign_every_result_shown_selects_all_and_still_confirms(clients, demo):
    first, second, third = proposed(demo), proposed(demo), proposed(demo)
    page = clients["leader"].get("/backoffice/leader/").content.decode()
    assert 'name="all"' in page and "(3)" in page.split('name="all"')[1].split("</button>")[0]
    shown = [first.code, second.code, third.code]
    response = clients["leader"].post("/backoffice/leader/sign/", {"all": "1", "shown": shown})
    confirm = response.content.decode()
    assert "Bạn sắp ký 3 văn bản" in confirm
    assert all(code in confirm for code in shown)
    assert Dossier.objects.filter(state=State.AWAITING_SIGNATURE).count() == 3  # not yet
    sign(clients["leader"], demo["leader"], shown)
    assert Dossier.objects.filter(state=State.RESULT_READY).count() == 3
