"""A signed-in citizen ticks a document from an earlier dossier instead of uploading the paper
again; the new dossier records it as reused. Nobody else is offered it."""

import re

from django.test import Client

from tests.dossiers.conftest import at, demo, staff, submission  # noqa: F401 (fixtures)
from tests.portal.test_apply import REVIEW, STEP, fill_to_documents
from xaso.accounts.models import CitizenProfile, User
from xaso.dossiers.consent import optional_use_withdraw
from xaso.dossiers.models import Attachment, Dossier
from xaso.dossiers.submission import dossier_submit


def citizen_client(phone: str) -> tuple[Client, User]:
    user = User.objects.create(username=f"citizen-{phone}")
    CitizenProfile.objects.create(user=user, phone=phone)
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client, user


def earlier_dossier_of(user, *, reuse=True) -> Dossier:
    """An earlier dossier of the citizen, who said yes (or no) to offering its papers again."""
    body = submission("online")
    return dossier_submit(
        actor=user,
        procedure_code=body["procedure"],
        commune_code=body["commune"],
        channel="online",
        applicant=body["applicant"],
        answers=body["form"],
        uses={"reuse_documents": reuse},
    ).dossier


def test_a_signed_in_citizen_reuses_an_earlier_document(demo, at):  # noqa: F811 (fixtures)
    at(2026, 11, 27, 10, 0)
    client, me = citizen_client("0912345678")
    earlier = earlier_dossier_of(me)
    token = earlier.attachments.get().upload.token
    fill_to_documents(client)
    page = client.get(STEP.format(6)).content.decode()
    assert f'name="birth_certificate.token" value="{token}"' in page
    assert f"from dossier {earlier.code}" in page
    client.post(STEP.format(6), {"birth_certificate.token": token})
    assert client.post(STEP.format(7), {"delivery": "counter"})["Location"] == REVIEW
    review = client.get(REVIEW).content.decode()
    submission_token = re.search(r'name="submission" value="([^"]+)"', review)[1]
    client.post(REVIEW, {"submission": submission_token, "declaration": "1"})
    dossier = Dossier.objects.exclude(pk=earlier.pk).get()
    attachment = dossier.attachments.get()
    assert attachment.upload.token == token
    assert attachment.source == Attachment.Source.REUSED


def test_papers_are_not_offered_again_without_the_citizens_yes_or_after_they_take_it_back(
    demo,  # noqa: F811 (fixtures)
    at,  # noqa: F811 (fixtures)
):
    at(2026, 11, 27, 10, 0)
    client, me = citizen_client("0912345678")
    refused = earlier_dossier_of(me, reuse=False).attachments.get().upload.token
    agreed = earlier_dossier_of(me)
    fill_to_documents(client)
    page = client.get(STEP.format(6)).content.decode()
    assert refused not in page and agreed.attachments.get().upload.token in page
    optional_use_withdraw(user=me, dossier_code=agreed.code, use="reuse_documents")
    page = client.get(STEP.format(6)).content.decode()
    assert agreed.attachments.get().upload.token not in page


def test_another_citizen_is_not_offered_my_documents(demo, at):  # noqa: F811 (fixtures)
    at(2026, 11, 27, 10, 0)
    _mine, me = citizen_client("0912345678")
    token = earlier_dossier_of(me).attachments.get().upload.token
    other, _user = citizen_client("0987654321")
    fill_to_documents(other)
    assert token not in other.get(STEP.format(6)).content.decode()
    anonymous = Client()
    fill_to_documents(anonymous)
    assert token not in anonymous.get(STEP.format(6)).content.decode()
