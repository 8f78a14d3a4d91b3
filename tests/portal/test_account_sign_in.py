"""Citizen sign-in by phone number and one-time code, and "Hồ sơ của tôi" (my dossiers)."""
# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.dossiers.conftest import at, demo, staff, submission  # noqa: F401
from xaso.accounts import citizen_login
from xaso.accounts.citizen_login import sign_in_code_issue, sign_in_code_verify
from xaso.accounts.models import CitizenProfile, SignInCode, User
from xaso.core.errors import InvalidInput, Throttled
from xaso.core.models import AuditEntry
from xaso.dossiers.submission import dossier_submit
from xaso.portal import account

PHONE = "0912345678"
IP = "203.0.113.7"


@pytest.fixture
def sent(monkeypatch):
    """The codes the portal sent, instead of the SMS (or the server log)."""
    codes: list[tuple[str, str]] = []
    monkeypatch.setattr(
        account, "_deliver_code", lambda *, phone, code: codes.append((phone, code))
    )
    return codes


def test_a_code_signs_the_citizen_in_once_and_only_its_hash_is_stored(db):
    code = sign_in_code_issue(phone="+84 912 345 678", client_ip=IP)
    row = SignInCode.objects.get()
    assert row.phone == PHONE and code not in row.code_hash and len(code) == 6
    user = sign_in_code_verify(phone=PHONE, code=code, client_ip=IP)
    assert user.username == "citizen-0912345678" and not user.has_usable_password()
    assert CitizenProfile.objects.get(user=user).phone == PHONE
    assert not user.is_staff
    with pytest.raises(InvalidInput):  # used once
        sign_in_code_verify(phone=PHONE, code=code, client_ip=IP)
    # The second sign-in finds the same account.
    again = sign_in_code_issue(phone=PHONE, client_ip=IP)
    assert sign_in_code_verify(phone=PHONE, code=again, client_ip=IP) == user
    assert User.objects.filter(phone=PHONE).count() == 1
    assert AuditEntry.objects.filter(action="citizen.sign_in").count() == 2


def test_wrong_codes_are_counted_and_the_code_dies_after_five(db):
    code = sign_in_code_issue(phone=PHONE, client_ip=IP)
    wrong = "000000" if code != "000000" else "111111"
    for attempt in range(1, citizen_login.MAX_ATTEMPTS + 1):
        with pytest.raises(InvalidInput) as error:
            sign_in_code_verify(phone=PHONE, code=wrong, client_ip=IP)
        assert error.value.code == "sign_in_code_invalid"
        assert SignInCode.objects.get().attempts == attempt
    with pytest.raises(InvalidInput):  # even the right code: ask for a new one
        sign_in_code_verify(phone=PHONE, code=code, client_ip=IP)
    assert not User.objects.filter(phone=PHONE).exists()


def test_a_code_expires_after_five_minutes(db, at):
    at(2026, 11, 30, 9, 0)
    code = sign_in_code_issue(phone=PHONE, client_ip=IP)
    at(2026, 11, 30, 9, 5, 1)
    with pytest.raises(InvalidInput):
        sign_in_code_verify(phone=PHONE, code=code, client_ip=IP)


def test_a_new_code_replaces_the_earlier_one(db):
    first = sign_in_code_issue(phone=PHONE, client_ip=IP)
    second = sign_in_code_issue(phone=PHONE, client_ip=IP)
    if first != second:
        with pytest.raises(InvalidInput):
            sign_in_code_verify(phone=PHONE, code=first, client_ip=IP)
    assert sign_in_code_verify(phone=PHONE, code=second, client_ip=IP)


def test_issuing_is_rate_limited_per_phone_and_per_address(db, settings):
    settings.XASO_RATE_SIGN_IN_PHONE = "2/15m"
    settings.XASO_RATE_SIGN_IN_ADDRESS = "3/h"
    sign_in_code_issue(phone=PHONE, client_ip="198.51.100.1")
    sign_in_code_issue(phone=PHONE, client_ip="198.51.100.2")
    with pytest.raises(Throttled):  # a third SMS to one phone, from anywhere
        sign_in_code_issue(phone=PHONE, client_ip="198.51.100.3")
    sign_in_code_issue(phone="0987000001", client_ip=IP)
    sign_in_code_issue(phone="0987000002", client_ip=IP)
    sign_in_code_issue(phone="0987000003", client_ip=IP)
    with pytest.raises(Throttled):  # one address asking for many phones
        sign_in_code_issue(phone="0987000004", client_ip=IP)


def test_guessing_is_rate_limited_across_new_codes(db, settings):
    settings.XASO_RATE_SIGN_IN_VERIFY = "3/15m"
    for _ in range(3):
        code = sign_in_code_issue(phone=PHONE, client_ip=f"198.51.100.{_ + 1}")
        with pytest.raises(InvalidInput):
            sign_in_code_verify(
                phone=PHONE, code="999999" if code != "999999" else "0", client_ip=IP
            )
    with pytest.raises(Throttled):
        sign_in_code_verify(phone=PHONE, code=code, client_ip=IP)


def test_a_bad_phone_number_is_a_clear_error(db, client):
    with pytest.raises(InvalidInput) as error:
        sign_in_code_issue(phone="12345", client_ip=IP)
    assert error.value.code == "phone"
    response = client.post("/dang-nhap/", {"phone": "12345"}, HTTP_COOKIE="django_language=en")
    assert response.status_code == 400
    assert "10 digits starting with 0" in response.content.decode()


def test_staff_cannot_use_the_citizen_sign_in(demo):
    demo["reception"].phone = PHONE
    demo["reception"].username = "citizen-" + PHONE  # even with a look-alike username
    demo["reception"].save()
    code = sign_in_code_issue(phone=PHONE, client_ip=IP)
    with pytest.raises(InvalidInput) as error:
        sign_in_code_verify(phone=PHONE, code=code, client_ip=IP)
    assert error.value.code == "staff_account"


def sign_in_with_pages(client: Client, sent, phone: str) -> None:
    response = client.post("/dang-nhap/", {"phone": phone})
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/ma/")
    assert sent[-1][0] == phone
    assert client.get(response["Location"]).status_code == 200
    response = client.post("/dang-nhap/ma/", {"code": sent[-1][1]})
    assert response.status_code == 302 and response["Location"] == "/ho-so-cua-toi/"


def submitted_by(user, phone=PHONE, channel="online", actor=None):
    body = submission(channel)
    return dossier_submit(
        actor=actor or user,
        procedure_code=body["procedure"],
        commune_code=body["commune"],
        channel=channel,
        applicant={**body["applicant"], "phone": phone},
        answers=body["form"],
        uses={"reuse_documents": True},  # the papers may be offered again (asked on review)
    ).dossier


def test_my_dossiers_lists_every_dossier_filed_with_my_verified_phone(demo, sent):
    mine, theirs = Client(), Client()
    sign_in_with_pages(mine, sent, PHONE)
    sign_in_with_pages(theirs, sent, "0987654321")
    me = User.objects.get(username="citizen-" + PHONE)
    other = User.objects.get(username="citizen-0987654321")
    my_dossier = submitted_by(me)
    # Filed with my number before I had an account, and at the desk: mine too (issue 16 item 3).
    anonymous = submitted_by(None)
    at_the_desk = submitted_by(None, channel="counter", actor=demo["reception"])
    their_dossier = submitted_by(other, phone="0987654321")
    page = mine.get("/ho-so-cua-toi/").content.decode()
    for dossier in (my_dossier, anonymous, at_the_desk):
        assert dossier.code in page and f"secret={dossier.lookup_secret}" in page
    assert their_dossier.code not in page and their_dossier.lookup_secret not in page
    page = theirs.get("/ho-so-cua-toi/").content.decode()
    assert their_dossier.code in page
    assert not any(d.code in page for d in (my_dossier, anonymous, at_the_desk))
    assert [a.dossier_id for a in account.my_documents_of(me)] == [my_dossier.pk]


def test_my_dossiers_asks_to_sign_in_and_sign_out_ends_it(demo, sent, client):
    response = client.get("/ho-so-cua-toi/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    client.force_login(demo["reception"])  # a staff session is not a citizen's
    assert client.get("/ho-so-cua-toi/").status_code == 302
    client.logout()
    sign_in_with_pages(client, sent, PHONE)
    assert client.get("/ho-so-cua-toi/").status_code == 200
    client.post("/dang-xuat/")
    assert client.get("/ho-so-cua-toi/").status_code == 302


def test_a_wrong_code_on_the_page_says_so_and_keeps_the_phone(db, sent, client):
    client.post("/dang-nhap/", {"phone": PHONE})
    response = client.post("/dang-nhap/ma/", {"code": "abc"})
    assert response.status_code == 400
    assert "sign_in_code_invalid" not in response.content.decode()  # words, not codes
    assert client.get("/dang-nhap/ma/").status_code == 200  # may try again


def test_the_code_page_without_a_phone_goes_back_to_step_one(db, client):
    assert client.get("/dang-nhap/ma/")["Location"] == "/dang-nhap/"


def test_the_next_address_never_leaves_the_site(db, sent, client):
    response = client.post("/dang-nhap/", {"phone": PHONE, "next": "//evil.example/"})
    response = client.post("/dang-nhap/ma/", {"code": sent[-1][1], "next": "https://evil.example"})
    assert response["Location"] == "/ho-so-cua-toi/"


def test_in_the_demo_the_code_goes_to_the_server_log(
    db, client, caplog, django_capture_on_commit_callbacks
):
    # The demo's notify channel is `log`: the code must reach the operator's terminal.
    with (
        caplog.at_level("INFO", logger="xaso.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post("/dang-nhap/", {"phone": PHONE})
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("notify ")]
    assert lines and re.search(r"\b\d{6}\b", lines[-1])


def test_my_dossiers_runs_the_same_queries_however_many_dossiers(
    demo, sent, client, django_assert_max_num_queries
):
    sign_in_with_pages(client, sent, PHONE)
    me = User.objects.get(username="citizen-" + PHONE)
    submitted_by(me)
    with CaptureQueriesContext(connection) as one:
        client.get("/ho-so-cua-toi/")
    submitted_by(me)
    submitted_by(me)
    with django_assert_max_num_queries(len(one)):
        page = client.get("/ho-so-cua-toi/").content.decode()
    assert page.count('class="result-name"') == 3
