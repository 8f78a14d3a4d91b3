"""The reception desk: a counter dossier received in one page, from a scanned ID card, with or
without JavaScript; errors keep everything typed; the Tuesday rule decides assisted intake."""

from datetime import date

import pytest

from tests.backoffice.conftest import EXTRACT_COPY, SIGNATURE, as_post, procedure_submission
from xaso.dossiers.cccd import CccdData, format_cccd_qr
from xaso.dossiers.models import Channel, Dossier, State

pytestmark = pytest.mark.django_db

CARD = CccdData(
    personal_id="066185001234", old_id="", full_name="Nguyễn Thị Hoa",
    date_of_birth=date(1985, 4, 12), sex="female", address="Thôn Lộc Tân, xã Phú Lộc",
    issued_on=date(2022, 5, 1),
)  # fmt: skip
SIGNATURE_ANSWERS = {
    "phone": "0912345678",
    "document_title": "Giấy ủy quyền",
    "document_type": "authorization",
    "signers": "1",
    "sign_in_person": "1",
}


def test_the_card_alone_fills_the_applicant_and_the_dossier_is_received(clients):
    """Without JavaScript the scanner's text is read when the form is sent."""
    response = clients["reception"].post(
        f"/backoffice/desk/{SIGNATURE}/", {"cccd": format_cccd_qr(CARD) + "\n", **SIGNATURE_ANSWERS}
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/backoffice/dossiers/{dossier.code}/?received=1"
    assert dossier.state in (State.RECEIVED, State.PROCESSING)
    assert dossier.channel == Channel.COUNTER
    assert dossier.applicant["personal_id"] == CARD.personal_id
    assert dossier.answers["signer"]["full_name"] == CARD.full_name
    page = clients["reception"].get(response["Location"]).content.decode()
    assert f"/backoffice/dossiers/{dossier.code}/forms/receipt.pdf" in page
    receipt = clients["reception"].get(f"/backoffice/dossiers/{dossier.code}/forms/receipt.pdf")
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"


def test_the_documents_seen_at_the_desk_are_kept_on_the_intake_event(clients):
    from xaso.catalog.models import Procedure

    keys = list(Procedure.objects.get(code=SIGNATURE).documents.values_list("key", flat=True))
    assert keys, "the signature procedure lists documents to bring"
    clients["reception"].post(
        f"/backoffice/desk/{SIGNATURE}/",
        {
            "cccd": format_cccd_qr(CARD),
            **SIGNATURE_ANSWERS,
            "seen": [keys[0], "not-a-document"],
        },
    )
    intake = Dossier.objects.get().events.get(action="intake")
    assert intake.data["documents_seen"] == [keys[0]]


def test_a_refused_form_comes_back_with_everything_typed(clients):
    answers = {**SIGNATURE_ANSWERS, "signers": "0"}  # at least one signer
    response = clients["reception"].post(
        f"/backoffice/desk/{SIGNATURE}/", {"cccd": format_cccd_qr(CARD), **answers}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="signers"' in page and "invalid" in page
    assert 'value="Giấy ủy quyền"' in page
    assert f'value="{CARD.personal_id}"' in page  # read from the card, kept
    assert not Dossier.objects.exists()


def test_an_unreadable_card_is_said_and_nothing_is_made(clients):
    response = clients["reception"].post(
        f"/backoffice/desk/{SIGNATURE}/", {"cccd": "not|a|card", **SIGNATURE_ANSWERS}
    )
    assert response.status_code == 400
    assert 'value="Giấy ủy quyền"' in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_scanner_field_is_read_for_the_pages_script(clients):
    desk = clients["reception"]
    good = desk.post("/backoffice/desk/cccd/", {"text": format_cccd_qr(CARD)})
    assert good.status_code == 200
    assert good.json()["personal_id"] == CARD.personal_id
    assert good.json()["warnings"] == []
    bad = desk.post("/backoffice/desk/cccd/", {"text": "x" * 2000})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "cccd_too_long"


def test_scans_uploaded_with_a_refused_form_are_not_lost(clients, tmp_path):
    from io import BytesIO

    from PIL import Image

    image = BytesIO()
    Image.new("RGB", (40, 30), "white").save(image, "PNG")
    image.seek(0)
    image.name = "scan.png"
    response = clients["reception"].post(
        f"/backoffice/desk/{SIGNATURE}/",
        {"cccd": format_cccd_qr(CARD), "document": image},
    )
    assert response.status_code == 400
    assert 'name="document.token"' in response.content.decode()


def assisted_post(code: str) -> dict:
    payload = procedure_submission(code, "assisted")
    applicant = {f"a-{part}": value for part, value in payload["applicant"].items()}
    return {**applicant, **as_post(code, payload["form"]), "assisted": "1", "confirmed": "1"}


def test_on_tuesday_the_officer_writes_for_the_applicant(clients, demo, at):
    at(2026, 12, 1, 9, 0)  # a Tuesday (24/11 is Culture Day, a day off)
    clients["reception"].force_login(demo["reception"])  # a session of that day
    page = clients["reception"].get(f"/backoffice/desk/{EXTRACT_COPY}/").content.decode()
    assert 'id="assisted"' in page
    response = clients["reception"].post(f"/backoffice/desk/{EXTRACT_COPY}/",
                                         assisted_post(EXTRACT_COPY))  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-3000:]
    dossier = Dossier.objects.get()
    assert dossier.channel == Channel.ASSISTED
    assert dossier.written_by == demo["reception"]


def test_assisted_intake_is_refused_with_the_reason_off_the_rule(clients, demo, at):
    at(2026, 12, 2, 9, 0)  # a Wednesday
    clients["reception"].force_login(demo["reception"])
    page = clients["reception"].get(f"/backoffice/desk/{EXTRACT_COPY}/").content.decode()
    assert 'id="assisted"' not in page and 'data-allowed="no"' in page
    response = clients["reception"].post(f"/backoffice/desk/{EXTRACT_COPY}/",
                                         assisted_post(EXTRACT_COPY))  # fmt: skip
    assert response.status_code == 403
    assert not Dossier.objects.exists()


def test_a_no_proxy_procedure_is_never_written_by_an_officer(clients, demo, at):
    at(2026, 12, 1, 9, 0)  # Tuesday, yet a signature is written by its signer
    clients["reception"].force_login(demo["reception"])
    page = clients["reception"].get(f"/backoffice/desk/{SIGNATURE}/").content.decode()
    assert 'id="assisted"' not in page and 'data-allowed="no"' in page
    response = clients["reception"].post(
        f"/backoffice/desk/{SIGNATURE}/",
        {"cccd": format_cccd_qr(CARD), **SIGNATURE_ANSWERS, "assisted": "1", "confirmed": "1"},
    )
    assert response.status_code == 403
    assert not Dossier.objects.exists()


def test_only_the_desk_receives(clients):
    assert clients["specialist"].get("/backoffice/desk/").status_code == 404
    assert clients["specialist"].get(f"/backoffice/desk/{SIGNATURE}/").status_code == 404


def test_the_procedure_search_lists_what_the_commune_offers(clients):
    page = clients["reception"].get("/backoffice/desk/", {"q": "chung thuc chu ky"})
    assert f'href="/backoffice/desk/{SIGNATURE}/"' in page.content.decode()


def test_a_dossier_that_came_by_post_is_received_at_the_desk_with_its_channel(clients):
    page = clients["reception"].get(f"/backoffice/desk/{SIGNATURE}/").content.decode()
    assert 'name="by_post"' in page
    # Signature certification is handed over in person only: no other delivery is offered.
    choices = page.split('name="result_delivery"', 1)[1].split("</select>")[0]
    assert 'value="counter"' in choices and 'value="electronic"' not in choices
    clients["reception"].post(
        f"/backoffice/desk/{SIGNATURE}/",
        {"cccd": format_cccd_qr(CARD), **SIGNATURE_ANSWERS, "by_post": "1"},
    )
    dossier = Dossier.objects.get()
    assert (dossier.channel, dossier.national_channel_code) == (Channel.POST, 3)


def test_the_desk_sets_a_fee_the_catalogue_cannot_compute_before_receiving(clients):
    from xaso.catalog.models import ProvincialFeeRate
    from xaso.payments.models import PaymentRequest

    ProvincialFeeRate.objects.filter(key="marital_status_confirmation").delete()
    body = {
        "cccd": format_cccd_qr(CARD),
        **as_post("1.004873", procedure_submission("1.004873")["form"]),
    }
    refused = clients["reception"].post("/backoffice/desk/1.004873/", body)
    assert refused.status_code == 409
    assert "chưa xác định được" in refused.content.decode()
    assert not Dossier.objects.exists()
    clients["reception"].post("/backoffice/desk/1.004873/", {**body, "fee_amount": "5.000"})
    assert PaymentRequest.objects.get(dossier=Dossier.objects.get()).amount == 5000


def test_an_applicant_left_blank_at_the_desk_is_the_forms_first_person(clients):
    """One rule for who the applicant is (`dossiers.applicant`): the desk's block, left blank,
    is taken from the form's first person and phone, as an online dossier's is."""
    signer = {
        "signer.full_name": "Nguyễn Thị Hoa",
        "signer.personal_id": CARD.personal_id,
        "signer.date_of_birth.day": "12",
        "signer.date_of_birth.month": "4",
        "signer.date_of_birth.year": "1985",
        "signer.sex": "female",
    }
    response = clients["reception"].post(
        f"/backoffice/desk/{SIGNATURE}/", {**SIGNATURE_ANSWERS, **signer}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.applicant["full_name"] == "Nguyễn Thị Hoa"
    assert dossier.applicant["date_of_birth"] == "1985-04-12"
    assert dossier.applicant["phone"] == "0912345678"
    assert dossier.answers["signer"]["date_of_birth"] == "1985-04-12"


def test_the_desk_draws_the_forms_fields_under_the_portals_names(clients):
    page = clients["reception"].get("/backoffice/desk/1.001193/").content.decode()
    for name in ("child.full_name", "child.date_of_birth.day", "mother_residence.village",
                 "place_of_birth", "birth_certificate"):  # fmt: skip
        assert f'name="{name}"' in page, name
