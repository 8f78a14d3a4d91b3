"""A citizen chooses how they hear from the commune, or opts out of what the law lets them."""

from datetime import timedelta

import pytest

from tests.helpers.api import ApiClient, assert_error
from tests.notify.conftest import PHONE, staff, submit_at_desk
from xaso.core.errors import InvalidInput
from xaso.core.models import AuditEntry
from xaso.dossiers import services
from xaso.notify import templates
from xaso.notify.models import NotificationPreference, OutboxMessage
from xaso.notify.selectors import route_for
from xaso.notify.services import notification_preference_set, sign_in_code_send

URL = "/api/v1/notifications/preferences"


def prefer(*channels, opted_out=False, email=""):
    return notification_preference_set(
        phone=PHONE, channels=list(channels), opted_out=opted_out, email=email
    )


@pytest.fixture
def channels_up(settings):
    """SMS, Zalo and e-mail all configured (nothing is sent in these tests)."""
    settings.XASO_NOTIFY_SMS = {"url": "http://127.0.0.1:9/sms"}
    settings.XASO_NOTIFY_ZALO = {"url": "http://127.0.0.1:9/zns", "access_token": "t",
                                 "templates": {"dossier_received": "1"}}  # fmt: skip
    settings.XASO_NOTIFY_EMAIL_FROM = "motcua@phuloc.example.vn"


def route(template=templates.DOSSIER_RECEIVED, **kwargs):
    found = route_for(template=template, phone=PHONE, **kwargs)
    return (found.channel, found.recipient) if found else None


def test_without_a_preference_the_default_channel_is_used(db, channels_up, settings):
    assert route() == ("log", PHONE)
    settings.XASO_NOTIFY_CHANNEL = "sms"
    assert route() == ("sms", PHONE)
    settings.XASO_NOTIFY_CHANNEL = "email"
    assert route(email="dan@example.vn") == ("email", "dan@example.vn")
    settings.XASO_NOTIFY_EMAIL_FROM = ""  # e-mail not set up: the phone still gets it
    assert route(email="dan@example.vn") == ("sms", PHONE)


def test_the_citizens_channels_come_first_in_their_order(db, channels_up, settings):
    prefer("email", "zalo", email="dan@example.vn")
    assert route() == ("email", "dan@example.vn")
    assert route(phone_only=True) == ("zalo", PHONE)  # a sign-in code goes to the phone
    settings.XASO_NOTIFY_EMAIL_FROM = ""
    assert route() == ("zalo", PHONE)
    settings.XASO_NOTIFY_ZALO = {}
    assert route() == ("log", PHONE)  # neither is set up: the default


def test_opt_out_stops_optional_messages_not_the_required_notices(db, channels_up):
    prefer(opted_out=True)
    for template in (templates.RESULT_READY, templates.PAYMENT_RECEIVED):
        assert route(template) is None
    for template in (templates.DOSSIER_RECEIVED, templates.SUPPLEMENT_REQUESTED,
                     templates.DOSSIER_REFUSED, templates.DOSSIER_EXTENDED):  # fmt: skip
        assert route(template) == ("sms", PHONE)  # the cheapest channel


def test_bad_preferences_are_refused_with_the_field(db):
    cases = [
        ({"channels": ["fax"]}, "channels"),
        ({"channels": []}, "channels"),
        ({"channels": ["email"]}, "email"),
        ({"channels": ["sms"], "email": "not-an-address"}, "email"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInput) as caught:
            notification_preference_set(phone=PHONE, **kwargs)
        assert field in caught.value.details["fields"]
    assert not NotificationPreference.objects.exists()


def test_the_dossier_flow_honours_the_opt_out_for_optional_messages_only(
    demo, without_signing, django_capture_on_commit_callbacks
):
    prefer(opted_out=True)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit_at_desk()
        dossier = services.dossier_extend(
            actor=staff("specialist"), dossier=dossier, reason="Chờ xác minh",
            new_due_at=dossier.due_at + timedelta(days=2),
        )  # fmt: skip
        dossier = services.dossier_propose(actor=staff("specialist"), dossier=dossier)
        dossier = services.dossier_approve(actor=staff("leader"), dossier=dossier)
    sent = list(OutboxMessage.objects.order_by("id").values_list("template", "channel"))
    # No SMS gateway in this deployment: the required notices go to the default channel.
    assert sent == [("dossier_received", "log"), ("dossier_extended", "log")]


# --- the API ---------------------------------------------------------------------------------


def test_the_citizen_sets_and_reads_the_preference_with_code_and_secret(demo):
    dossier = submit_at_desk()
    client = ApiClient()
    body = {"code": dossier.code, "secret": dossier.lookup_secret, "channels": ["zalo", "sms"]}
    response = client.request("PUT", URL, body)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "phone": "091****678", "channels": ["zalo", "sms"], "opt_out": False, "email": "",
        "required_still_sent": True,
    }  # fmt: skip
    preference = NotificationPreference.objects.get(phone=PHONE)
    assert preference.channels == ["zalo", "sms"] and preference.user is None
    assert AuditEntry.objects.filter(action="notify.preference_set").count() == 1
    query = f"{URL}?code={dossier.code}&secret={dossier.lookup_secret}"
    assert client.get(query).json()["channels"] == ["zalo", "sms"]
    body = {"code": dossier.code, "secret": dossier.lookup_secret, "opt_out": True}
    assert client.request("PUT", URL, body).json()["opt_out"] is True


def test_a_signed_in_citizen_is_linked_to_the_preference(demo):
    from xaso.accounts.models import User

    dossier = submit_at_desk()
    citizen = User.objects.create(username="dan", phone=PHONE)
    body = {"code": dossier.code, "secret": dossier.lookup_secret, "channels": ["sms"]}
    assert ApiClient().as_user(citizen).request("PUT", URL, body).status_code == 200
    assert NotificationPreference.objects.get().user == citizen
    # An officer helping at the desk sets it for the citizen, and is not linked.
    ApiClient().as_user(staff("reception")).request("PUT", URL, body)
    assert NotificationPreference.objects.get().user == citizen


def test_a_wrong_secret_or_bad_input_gets_a_clear_error(demo):
    dossier = submit_at_desk()
    client = ApiClient()
    wrong = {"code": dossier.code, "secret": "WRONG", "channels": ["sms"]}
    assert_error(client.request("PUT", URL, wrong), 404, "dossier_not_found")
    bad = {"code": dossier.code, "secret": dossier.lookup_secret, "channels": ["fax"]}
    error = assert_error(client.request("PUT", URL, bad), 400, "invalid")
    assert "channels" in error["details"]["fields"]
    assert_error(client.request("PUT", URL, "{not json"), 400, "invalid")
    assert_error(client.request("PUT", URL, {"code": dossier.code}), 400, "invalid")
    assert not NotificationPreference.objects.exists()


def test_a_dossier_without_a_phone_has_no_preference(demo):
    dossier = submit_at_desk(phone="")
    body = {"code": dossier.code, "secret": dossier.lookup_secret, "channels": ["sms"]}
    assert_error(ApiClient().request("PUT", URL, body), 400, "no_phone")


# --- sign-in codes ---------------------------------------------------------------------------


def test_a_sign_in_code_goes_to_the_phone_after_commit(
    db, channels_up, settings, django_capture_on_commit_callbacks
):
    prefer("email", "sms", email="dan@example.vn")
    settings.XASO_NOTIFY_CHANNEL = "log"
    settings.XASO_NOTIFY_SMS = {}  # not set up here: the code goes to the default (the log)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = sign_in_code_send(phone=PHONE, code="482913", minutes=5, language="en")
    assert len(callbacks) == 1
    assert (message.channel, message.recipient, message.template) == ("log", PHONE, "one_time_code")
    assert message.text == ("xaso: your code is 482913, valid 5 minutes. Never give it to anyone.")
    assert message.state == OutboxMessage.State.PENDING
    callbacks[0]()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
