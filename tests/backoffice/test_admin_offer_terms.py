"""Commune administration: the local terms of an offered procedure, beside the national ones
(the admin's commune only; other roles and other communes get 404)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xaso.catalog.models import CommuneProcedure
from xaso.catalog.selectors import procedure_terms_for

pytestmark = pytest.mark.django_db

THREE_DAYS = "1.004873"  # 3 working days nationally
URL = f"/backoffice/admin/procedures/{THREE_DAYS}/"


def offer() -> CommuneProcedure:
    return CommuneProcedure.objects.get(commune__code="DEMO-PL", procedure__code=THREE_DAYS)


def test_the_page_shows_the_national_terms_beside_the_form(clients):
    page = clients["admin"].get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    content = page.content.decode()
    assert "data-national-limit>3 " in content and 'name="flat_fee"' in content
    listing = clients["admin"].get("/backoffice/admin/procedures/").content.decode()
    assert f'href="{URL}"' in listing


def test_the_administrator_shortens_the_limit_and_sets_a_fee_and_contact(clients):
    response = clients["admin"].post(
        URL, {"limit_amount": "1", "limit_unit": "working_days", "contact": "Chị Lan, 0912 345 678",
              "flat_fee": "5.000"},
    )  # fmt: skip
    assert response.status_code == 302
    assert procedure_terms_for(THREE_DAYS, "DEMO-PL").limit.amount == 1
    saved = offer()
    assert saved.contact == "Chị Lan, 0912 345 678"
    assert saved.fee_override["rules"] == [{"kind": "flat", "amount": 5000}]
    page = clients["admin"].get(URL).content.decode()
    assert 'value="5000"' in page and 'value="1"' in page


def test_a_longer_limit_is_refused_with_its_reason_and_the_typing_kept(clients):
    response = clients["admin"].post(
        URL, {"limit_amount": "4", "limit_unit": "working_days", "contact": "x", "flat_fee": ""}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'data-code="limit_longer_than_national"' in content and 'value="4"' in content
    assert offer().limit_unit == ""
    bad_fee = clients["admin"].post(URL, {"limit_amount": "", "limit_unit": "", "flat_fee": "-1"})
    assert 'data-code="fee_invalid"' in bad_fee.content.decode()


def test_a_withdrawn_procedure_says_so_and_takes_nothing(clients):
    CommuneProcedure.objects.filter(pk=offer().pk).update(offered=False)
    assert 'data-code="not_offered"' in clients["admin"].get(URL).content.decode()
    response = clients["admin"].post(URL, {"flat_fee": "0"})
    assert response.status_code == 400
    assert offer().fee_override is None


def test_other_roles_and_unknown_codes_get_404(clients):
    for name in ("reception", "specialist", "leader", "other-reception"):
        assert clients[name].get(URL).status_code == 404
        assert clients[name].post(URL, {"flat_fee": "0"}).status_code == 404
    assert clients["admin"].get("/backoffice/admin/procedures/9.999999/").status_code == 404
    assert offer().fee_override is None


def test_another_communes_administrator_changes_only_their_own(other_admin):
    other_admin.post(URL, {"limit_amount": "1", "limit_unit": "working_days", "flat_fee": "0"})
    assert (offer().limit_unit, offer().fee_override) == ("", None)


def test_the_page_costs_a_fixed_number_of_queries(clients):
    with CaptureQueriesContext(connection) as captured:
        assert clients["admin"].get(URL).status_code == 200
    # …and one the authenticator that verified the administrator's session (django-otp).
    assert len(captured) == 10  # with the navigation's look for provisional calendar years
