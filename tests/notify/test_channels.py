"""Each channel against a fake provider: what a success, a failure, a timeout, garbage and a
refusal turn into (sent, retried, or failed for good)."""

import smtplib

import pytest
from django.core import mail

from xaso.notify import channels
from xaso.notify.models import OutboxMessage
from xaso.notify.services import outbox_enqueue, outbox_send

State = OutboxMessage.State
DATA = {
    "commune": "Xã Phú Lộc (demo)",
    "code": "DEMO-PL-261125-0001",
    "secret": "ABCD2345",
    "procedure": "Đăng ký khai sinh",
    "name": "Y Bhiơ Niê",
    "due_at": "2026-11-27T10:00:00+00:00",
}


def enqueue(channel: str, recipient: str = "0912345678", **extra) -> OutboxMessage:
    return outbox_enqueue(
        recipient=recipient, template="dossier_received", data=DATA, channel=channel, **extra
    )


def outcome(message: OutboxMessage) -> tuple[str, str, OutboxMessage]:
    result = outbox_send(message.pk)
    message.refresh_from_db()
    return result, message.state, message


# --- SMS ---------------------------------------------------------------------------------------


def test_sms_posts_the_short_text_with_the_configured_field_names(db, sms_gateway):
    message = enqueue("sms")
    result, state, message = outcome(message)
    assert (result, state, message.provider_id) == ("sent", State.SENT, "sms-1")
    [request] = sms_gateway.delivered
    assert request["headers"]["x-api-key"] == "test-key"
    assert request["body"] == {
        "Phone": "0912345678",
        "Content": message.text,
        "Brandname": "UBND XA",
        "SmsType": "2",
    }
    assert message.text.startswith("UBND xa Phu Loc (demo): da nhan ho so DEMO-PL-261125-0001")
    assert len(message.text) <= 160


def test_sms_by_get_with_international_numbers_and_basic_auth(db, sms_gateway, settings):
    settings.XASO_NOTIFY_SMS = {
        **settings.XASO_NOTIFY_SMS, "method": "GET", "phone_format": "84",
        "username": "ubnd", "password": "s3cret",
    }  # fmt: skip
    assert outbox_send(enqueue("sms").pk) == "sent"
    [request] = sms_gateway.delivered
    assert request["method"] == "GET" and request["body"]["Phone"] == "84912345678"
    assert request["headers"]["authorization"] == "Basic dWJuZDpzM2NyZXQ="


def test_sms_as_a_form(db, sms_gateway, settings):
    settings.XASO_NOTIFY_SMS = {**settings.XASO_NOTIFY_SMS, "body": "form"}
    assert outbox_send(enqueue("sms").pk) == "sent"
    [request] = sms_gateway.delivered
    assert request["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert request["body"]["Phone"] == "0912345678"


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("fail", "answered HTTP 500"),
        ("slow", "did not answer in 1.5 s"),
        ("garbage", "not JSON"),
        ("busy", "CodeResult='99'"),
    ],
)
def test_sms_failures_that_may_pass_later_are_retried(db, sms_gateway, mode, error):
    sms_gateway.script = [mode]
    result, state, message = outcome(enqueue("sms"))
    assert (result, state) == ("retry", State.PENDING)
    assert error in message.last_error
    assert sms_gateway.delivered == []


def test_sms_invalid_number_fails_at_once(db, sms_gateway):
    sms_gateway.script = ["refuse"]
    result, state, message = outcome(enqueue("sms"))
    assert (result, state, message.attempts) == ("failed", State.FAILED, 1)
    assert "HTTP 400" in message.last_error and "invalid phone number" in message.last_error


def test_sms_listed_refusal_code_fails_at_once(db, sms_gateway, settings):
    settings.XASO_NOTIFY_SMS = {**settings.XASO_NOTIFY_SMS, "permanent_values": ["99"]}
    sms_gateway.script = ["busy"]
    assert outcome(enqueue("sms"))[:2] == ("failed", State.FAILED)


def test_sms_gateway_not_listening_is_retried(db, sms_gateway, settings):
    sms_gateway.close()
    result, state, message = outcome(enqueue("sms"))
    assert (result, state) == ("retry", State.PENDING)
    assert "cannot be reached" in message.last_error


def test_a_file_url_is_never_opened(db, settings):
    settings.XASO_NOTIFY_SMS = {"url": "file:///etc/passwd"}
    result, state, message = outcome(enqueue("sms"))
    assert (result, state) == ("failed", State.FAILED)
    assert "not http(s)" in message.last_error


# --- Zalo ------------------------------------------------------------------------------------


def test_zalo_sends_the_template_id_and_its_parameters(db, zalo, settings):
    result, state, message = outcome(enqueue("zalo", language="en"))
    assert (result, state, message.provider_id) == ("sent", State.SENT, "zns-1")
    [request] = zalo.delivered
    assert request["headers"]["access_token"] == "zalo-test-token"
    body = request["body"]
    expected_id = settings.XASO_NOTIFY_ZALO["templates"]["dossier_received"]
    assert (body["phone"], body["template_id"]) == ("84912345678", expected_id)
    assert body["tracking_id"] == f"xaso-{message.pk}"
    assert body["template_data"]["code"] == "DEMO-PL-261125-0001"
    assert body["template_data"]["due"] == "17:00 27/11/2026"
    assert body["template_data"]["procedure"] == "Đăng ký khai sinh"
    assert message.text.startswith("Dear Y Bhiơ Niê,")  # the full text, kept for the admin


@pytest.mark.parametrize("mode", ["fail", "slow", "garbage", "busy"])
def test_zalo_failures_that_may_pass_later_are_retried(db, zalo, mode):
    zalo.script = [mode]
    assert outcome(enqueue("zalo"))[:2] == ("retry", State.PENDING)


def test_zalo_invalid_phone_fails_at_once(db, zalo):
    zalo.script = ["refuse"]
    result, state, message = outcome(enqueue("zalo"))
    assert (result, state) == ("failed", State.FAILED)
    assert "error -108" in message.last_error


def test_zalo_without_a_template_id_fails_at_once(db, zalo, settings):
    settings.XASO_NOTIFY_ZALO = {**settings.XASO_NOTIFY_ZALO, "templates": {}}
    result, state, message = outcome(enqueue("zalo"))
    assert (result, state) == ("failed", State.FAILED)
    assert "no Zalo template id for 'dossier_received'" in message.last_error
    assert zalo.requests == []


def test_zalo_not_configured_fails_at_once(db, settings):
    settings.XASO_NOTIFY_ZALO = {}
    assert outcome(enqueue("zalo"))[:2] == ("failed", State.FAILED)


# --- e-mail ----------------------------------------------------------------------------------


def test_email_sends_the_subject_and_the_full_text(db, settings):
    settings.XASO_NOTIFY_EMAIL_FROM = "UBND xã Phú Lộc <motcua@phuloc.example.vn>"
    result, state, message = outcome(enqueue("email", recipient="dan@example.vn"))
    assert (result, state) == ("sent", State.SENT)
    [email] = mail.outbox
    assert email.to == ["dan@example.vn"]
    assert email.subject == "Đã tiếp nhận hồ sơ DEMO-PL-261125-0001"
    assert "UBND xã Phú Lộc (demo) đã tiếp nhận hồ sơ" in email.body
    assert message.provider_id and message.provider_id in email.extra_headers["Message-ID"]


class BrokenBackend:
    error: Exception = smtplib.SMTPServerDisconnected("connection closed")

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise BrokenBackend.error


@pytest.fixture
def broken_mail(settings):
    settings.XASO_NOTIFY_EMAIL_FROM = "motcua@phuloc.example.vn"
    settings.EMAIL_BACKEND = "tests.notify.test_channels.BrokenBackend"
    yield BrokenBackend
    BrokenBackend.error = smtplib.SMTPServerDisconnected("connection closed")


def test_a_mail_server_down_is_retried(db, broken_mail):
    result, state, message = outcome(enqueue("email", recipient="dan@example.vn"))
    assert (result, state) == ("retry", State.PENDING)
    assert "connection closed" in message.last_error


def test_a_refused_address_fails_at_once(db, broken_mail):
    broken_mail.error = smtplib.SMTPRecipientsRefused({"dan@example.vn": (550, b"no such user")})
    assert outcome(enqueue("email", recipient="dan@example.vn"))[:2] == ("failed", State.FAILED)


def test_email_not_configured_or_to_a_phone_fails_at_once(db, settings):
    settings.XASO_NOTIFY_EMAIL_FROM = ""
    assert outcome(enqueue("email", recipient="dan@example.vn"))[:2] == ("failed", State.FAILED)
    settings.XASO_NOTIFY_EMAIL_FROM = "motcua@phuloc.example.vn"
    result, state, message = outcome(enqueue("email"))
    assert (result, state) == ("failed", State.FAILED)
    assert "is not an e-mail address" in message.last_error


# --- the system check ------------------------------------------------------------------------


def check_ids() -> list[str]:
    return [error.id for error in channels.channel_setting_check()]


def test_the_system_check_names_a_misconfigured_channel(settings):
    settings.XASO_NOTIFY_SMS, settings.XASO_NOTIFY_ZALO = {}, {}
    assert check_ids() == []
    settings.XASO_NOTIFY_CHANNEL = "sms"
    assert check_ids() == ["notify.E002"]  # the default channel is not set up
    settings.XASO_NOTIFY_SMS = {"url": "ftp://gw", "method": "PUT", "fields": []}
    errors = channels.channel_setting_check()
    assert [e.id for e in errors] == ["notify.E003"] * 3
    settings.XASO_NOTIFY_CHANNEL = "zalo"
    settings.XASO_NOTIFY_SMS = {}
    settings.XASO_NOTIFY_ZALO = {"url": "https://z", "access_token": "t", "templates": {"x": "1"}}
    [error] = channels.channel_setting_check()
    assert "unknown names: ['x']" in error.msg
    settings.XASO_NOTIFY_CHANNEL = "email"
    settings.XASO_NOTIFY_ZALO = {}
    settings.XASO_NOTIFY_EMAIL_FROM = ""
    assert check_ids() == ["notify.E002"]
    settings.XASO_NOTIFY_EMAIL_FROM = "motcua@phuloc.example.vn"
    assert check_ids() == []
