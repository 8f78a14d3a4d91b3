"""The online form offers only the ways of receiving the result the procedure allows: a marriage
is registered and handed over in person (DOMAIN.md §3)."""

from django.test import Client

from tests.dossiers.conftest import at, demo, upload  # noqa: F401 (fixtures)
from tests.portal.test_apply_every_form import complete_answers
from xaso.catalog.models import Procedure
from xaso.catalog.web_forms import DELIVERY, form_steps
from xaso.dossiers import drafts
from xaso.portal.apply import DRAFTS_KEY


def delivery_step(code: str) -> tuple[Client, str]:
    procedure = Procedure.objects.get(code=code)
    draft = drafts.draft_create(
        actor=None, commune_code="DEMO-PL", procedure_code=code,
        applicant={"commune": "DEMO-PL"}, answers=complete_answers(procedure.form),
    )  # fmt: skip
    client = Client()
    session = client.session
    session[DRAFTS_KEY] = {code: draft.token}
    session.save()
    step = next(step for step in form_steps(procedure.form) if step.kind == DELIVERY)
    return client, f"/thu-tuc/{code}/nop/buoc-{step.number}/"


def test_marriage_offers_the_desk_only_and_refuses_electronic_delivery(demo, at):  # noqa: F811
    at(2026, 11, 25, 10, 0)
    client, url = delivery_step("1.000894")
    page = client.get(url).content.decode()
    assert 'value="counter"' in page and 'value="electronic"' not in page
    assert client.post(url, {"delivery": "electronic"}).status_code == 400
    assert client.post(url, {"delivery": "counter"}).status_code == 302


def test_birth_registration_still_offers_electronic_delivery(demo, at):  # noqa: F811
    at(2026, 11, 25, 10, 0)
    client, url = delivery_step("1.001193")
    assert 'value="electronic"' in client.get(url).content.decode()
