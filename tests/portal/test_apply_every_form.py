"""Every procedure of the seed catalogue can be applied for online through the pages: each step
answers bad input with errors (never a 500), and a complete draft reaches a dossier."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.dossiers.conftest import at, demo, upload  # noqa: F401 (fixtures)
from tests.helpers.forms import valid_answers
from xaso.catalog.models import Procedure
from xaso.catalog.web_forms import form_steps
from xaso.dossiers import drafts
from xaso.dossiers.models import Dossier, Upload
from xaso.portal.apply import DRAFTS_KEY


@pytest.fixture
def codes(demo, at):  # noqa: F811 (fixtures)
    at(2026, 11, 25, 10, 0)
    return list(Procedure.objects.exclude(form={}).order_by("code").values_list("code", flat=True))


def test_every_step_of_every_form_refuses_nonsense_with_a_400(codes):
    nonsense = {"commune": "NOWHERE", "phone": "x" * 5000, "applicant.date_of_birth.day": "99"}
    for code in codes:
        client = Client()
        steps = form_steps(Procedure.objects.get(code=code).form)
        assert client.get(f"/thu-tuc/{code}/nop/").status_code == 200, code
        for step in steps[:1]:
            response = client.post(f"/thu-tuc/{code}/nop/buoc-{step.number}/", nonsense)
            assert response.status_code == 400, code
            assert 'id="error-summary"' in response.content.decode(), code


def complete_answers(form: dict) -> dict:
    """Valid answers, with every address in the demo commune and a fresh upload per file."""
    answers = valid_answers(form, today=timezone.localdate())
    for spec in form["fields"]:
        if spec["type"] == "address" and spec["name"] in answers:
            answers[spec["name"]] = {"province": "66", "commune": "DEMO-PL",
                                     "village": "thon-loc-tan"}  # fmt: skip
        if spec["type"] == "file" and spec["name"] in answers:
            answers[spec["name"]] = [upload(f"{spec['name']}-{Upload.objects.count()}")]
    return answers


def test_a_complete_draft_of_every_form_is_reviewed_and_sent(codes, settings):
    # One client address sends every form of the catalogue (70 and more) within a minute or so:
    # the anonymous submission limit is not what this test is about.
    settings.XASO_RATE_ANON_SUBMIT = "1000/m"
    for code in codes:
        answers = complete_answers(Procedure.objects.get(code=code).form)
        draft = drafts.draft_create(
            actor=None, commune_code="DEMO-PL", procedure_code=code,
            applicant={"commune": "DEMO-PL", "delivery": "counter"}, answers=answers,
        )  # fmt: skip
        client = Client()
        session = client.session
        session[DRAFTS_KEY] = {code: draft.token}
        session.save()
        for step in form_steps(Procedure.objects.get(code=code).form):
            page = client.get(f"/thu-tuc/{code}/nop/buoc-{step.number}/")
            assert page.status_code in (200, 302), (code, step)  # 302: a step not asked
        review = client.get(f"/thu-tuc/{code}/nop/xem-lai/")
        assert review.status_code == 200, (code, review.get("Location"))
        token = re.search(r'name="submission" value="([^"]+)"', review.content.decode())[1]
        sent = client.post(
            f"/thu-tuc/{code}/nop/xem-lai/", {"submission": token, "declaration": "1"}
        )
        assert "/da-nop/" in sent["Location"], code
        assert client.get(sent["Location"]).status_code == 200, code
    assert Dossier.objects.count() == len(codes)
