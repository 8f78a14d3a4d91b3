"""The specialist sees the draft before proposing (issue 16 item 8): while processing, the
assigned specialist previews the result exactly as the leader will sign it (one renderer for
the preview and the signed PDF); nobody else does before the proposal."""

import pytest

from tests.backoffice.conftest import EXTRACT_COPY, make_dossier
from tests.helpers.registers import entered
from tests.helpers.second_factor import totp_code
from tests.results.test_documents import pdf_text
from xaso.core.models import AuditEntry
from xaso.dossiers import services
from xaso.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def processing(demo) -> Dossier:
    dossier = make_dossier(demo["reception"], code=EXTRACT_COPY, channel="counter", receive=True)
    dossier = Dossier.objects.get(pk=dossier.pk)
    if dossier.assigned_to is None:
        dossier = services.dossier_assign(actor=demo["reception"], dossier=dossier, to="specialist")
    return entered(Dossier.objects.get(pk=dossier.pk))


def test_the_dossier_page_offers_the_draft_to_the_assigned_specialist(clients, demo):
    dossier = processing(demo)
    page = clients["specialist"].get(f"/backoffice/dossiers/{dossier.code}/").content.decode()
    assert f'href="/backoffice/dossiers/{dossier.code}/draft.pdf"' in page
    desk = clients["reception"].get(f"/backoffice/dossiers/{dossier.code}/").content.decode()
    assert "draft.pdf" not in desk  # not the desk's to check


def test_the_specialists_draft_is_what_the_leader_signs_but_for_the_number(clients, demo):
    dossier = processing(demo)
    response = clients["specialist"].get(f"/backoffice/dossiers/{dossier.code}/draft.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    entry = AuditEntry.objects.filter(action="personal_data.view").latest("id")
    assert entry.actor == demo["specialist"]
    assert entry.data["purpose"] == "backoffice_draft_preview"
    services.dossier_propose(actor=demo["specialist"], dossier=Dossier.objects.get(pk=dossier.pk))
    step_up = {"confirm": "1", "otp": totp_code(demo["leader"])}
    clients["leader"].post("/backoffice/leader/sign/", {"codes": [dossier.code], **step_up})
    result = Dossier.objects.get(pk=dossier.pk).result
    draft_text, signed_text = pdf_text(response.content), pdf_text(bytes(result.pdf))
    sequence = result.number.split("/", 1)[0]
    assert demo["leader"].get_full_name() in draft_text  # the leader's signature block
    assert draft_text.replace("Số: …", f"Số: {sequence}") == signed_text


def test_nobody_else_previews_before_the_proposal(clients, demo):
    dossier = processing(demo)
    url = f"/backoffice/dossiers/{dossier.code}/draft.pdf"
    assert clients["reception"].get(url).status_code == 404
    assert clients["other-reception"].get(url).status_code == 404
    services.dossier_handover(actor=demo["specialist"], dossier=dossier, to="leader")
    assert clients["specialist"].get(url).status_code == 404  # no longer theirs
