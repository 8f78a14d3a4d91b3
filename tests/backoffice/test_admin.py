"""Commune administration: staff and roles, the Tuesday and Friday rules (the admin's commune
only; any other role gets 404)."""

import pytest

from xaso.accounts.models import Membership, User
from xaso.workdays.models import ServiceRule

pytestmark = pytest.mark.django_db


def test_the_administrator_creates_an_account_with_a_role(clients):
    response = clients["admin"].post(
        "/backoffice/admin/staff/",
        {"username": "tuphap2", "full_name": "Lê Thị Tư", "password": "a-long-pass-phrase-77",
         "role": "specialist"},
    )  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(username="tuphap2")
    assert Membership.objects.filter(user=user, role="specialist", commune__code="DEMO-PL").exists()
    page = clients["admin"].get("/backoffice/admin/staff/").content.decode()
    assert "tuphap2" in page and "other-reception" not in page


def test_a_weak_password_or_unknown_role_is_refused(clients):
    weak = clients["admin"].post(
        "/backoffice/admin/staff/",
        {"username": "weak", "password": "123", "role": "specialist"},
        follow=True,
    )
    assert 'class="error"' in weak.content.decode()
    assert not User.objects.filter(username="weak").exists()
    clients["admin"].post("/backoffice/admin/staff/", {"username": "x", "role": "god"})
    assert not User.objects.filter(username="x").exists()


def test_the_administrator_turns_the_tuesday_rule_off(clients):
    response = clients["admin"].post(
        "/backoffice/admin/rules/", {"kind": "tuesday_assisted", "weekday": "1", "cutoff": ""}
    )
    assert response.status_code == 302
    rule = ServiceRule.objects.get(commune__code="DEMO-PL", kind="tuesday_assisted")
    assert rule.enabled is False


def test_a_bad_cut_off_is_a_message(clients):
    response = clients["admin"].post(
        "/backoffice/admin/rules/",
        {"kind": "friday_same_day", "weekday": "4", "cutoff": "25:99", "enabled": "1"},
        follow=True,
    )
    assert 'class="error"' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/backoffice/admin/staff/",
        "/backoffice/admin/rules/",
        "/backoffice/admin/procedures/",
        "/backoffice/admin/accounts/",
    ],
)
def test_only_the_administrator_reaches_administration(clients, url):
    assert clients["admin"].get(url).status_code == 200
    for other in ("reception", "leader", "other-reception"):
        assert clients[other].get(url).status_code == 404


def test_the_administrator_withdraws_and_reoffers_a_procedure(clients):
    from xaso.catalog.models import CommuneProcedure

    def offered() -> bool:
        return CommuneProcedure.objects.get(
            commune__code="DEMO-PL", procedure__code="2.000884"
        ).offered

    url = "/backoffice/admin/procedures/"
    clients["admin"].post(url, {"codes": ["2.000884"], "operation": "withdraw"})
    assert offered() is False
    assert clients["reception"].get("/backoffice/desk/2.000884/").status_code == 404
    clients["admin"].post(url, {"codes": ["2.000884"], "operation": "offer"})
    assert offered() is True


def test_the_administrator_names_the_default_specialist(clients, demo):
    from xaso.catalog.models import CommuneProcedure

    url = "/backoffice/admin/procedures/"
    clients["admin"].post(url, {"codes": ["2.000884"], "operation": "specialist",
                                "specialist": "specialist"})  # fmt: skip
    offer = CommuneProcedure.objects.get(commune__code="DEMO-PL", procedure__code="2.000884")
    assert offer.default_specialist == demo["specialist"]
    response = clients["admin"].post(url, {"codes": ["2.000884"], "operation": "specialist",
                                           "specialist": "leader"}, follow=True)  # fmt: skip
    assert 'class="error"' in response.content.decode()


def test_the_administrator_adds_a_receiving_account_and_sees_its_secret_once(clients):
    from xaso.payments.models import ReceivingAccount

    url = "/backoffice/admin/accounts/"
    response = clients["admin"].post(
        url, {"bank_bin": "970436", "account_number": "0123 456 789", "holder_name": "UBND XA"}
    )
    assert response.status_code == 200
    assert "data-secret" in response.content.decode()
    assert ReceivingAccount.objects.filter(account_number="0123456789").exists()
    assert "data-secret" not in clients["admin"].get(url).content.decode()
    again = clients["admin"].post(
        url, {"bank_bin": "970436", "account_number": "0123456789", "holder_name": "UBND XA"}
    )
    assert again.status_code == 409
    bad = clients["admin"].post(url, {"bank_bin": "1", "account_number": "?", "holder_name": ""})
    assert bad.status_code == 400
    assert bad.content.decode().count('role="alert"') == 3
