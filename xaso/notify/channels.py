"""The ways a message leaves xaso, behind one interface.

A channel sends one outbox row and returns the provider's id for it, or raises `ChannelError`
(the attempt failed and may succeed later: the row is retried) or `PermanentChannelError` (it
never will: the row fails at once and the commune admin sees it).

Channels and their settings (environment variables in brackets; see xaso/settings.py):

- `log`: writes the message to the `xaso.notify` logger (demo and tests: secrets included).
- `email`: Django's mail backend (EMAIL_BACKEND, EMAIL_HOST…); the subject and the full text.
  Configured when XASO_NOTIFY_EMAIL_FROM is set [XASO_NOTIFY_EMAIL_FROM].
- `sms`: an HTTP gateway, as Vietnamese brandname SMS gateways work [XASO_NOTIFY_SMS, JSON]:
      {"url": "https://gw.example.vn/send", "method": "POST", "body": "json" | "form",
       "headers": {"X-Api-Key": "..."}, "username": "...", "password": "..." (HTTP Basic),
       "sender": "UBND XA", "fields": {"phone": "Phone", "text": "Content", "sender": "Brandname"},
       "params": {"SmsType": "2"} (constant fields), "phone_format": "0" | "84",
       "success_field": "CodeResult", "success_values": ["100"], "id_field": "SMSID",
       "permanent_values": ["101"]}
  `fields` may also name `request_id`: each request then carries the row's own id
  ("xaso-<id>", the same on every attempt), so a gateway that deduplicates by it sends one SMS
  even when a worker died after the gateway took the message and before xaso recorded it (the
  outbox is at least once; only the gateway can make that exactly once).
  Paths in the answer may be dotted ("data.id"). Without `success_field`, any JSON answer with
  HTTP 2xx is a success. A non-success answer is retried, unless its value is listed in
  `permanent_values` (an invalid number, say).
- `zalo`: Zalo ZNS [XASO_NOTIFY_ZALO, JSON]:
      {"url": "https://business.openapi.zalo.me/message/template", "access_token": "...",
       "templates": {"dossier_received": "231456", ...}, "permanent_errors": [-108, -118]}
  POST {phone: 84…, template_id, template_data, tracking_id} with an `access_token` header;
  the answer {"error": 0, "data": {"msg_id": …}} is a success; another `error` is retried
  unless listed in `permanent_errors`.

HTTP channels wait XASO_NOTIFY_HTTP_TIMEOUT seconds (10) for an answer. HTTP 5xx, 408, 429,
a timeout, a refused connection and an answer that is not JSON are retried; another 4xx, a
channel not configured and a template without a Zalo id fail the row at once.

XASO_NOTIFY_CHANNEL chooses the channel of new messages when the recipient has no preference.
"""

import logging
from email.utils import make_msgid

from django.conf import settings
from django.core import checks
from django.core.mail import EmailMessage

from . import templates
from .base import Channel, ChannelError, PermanentChannelError
from .gateways import SmsGatewayChannel, ZaloChannel

logger = logging.getLogger("xaso.notify")

DEFAULT_CHANNEL = "log"
LOG, SMS, ZALO, EMAIL = "log", "sms", "zalo", "email"
# The text form each channel carries: one short SMS, or the full text.
TEXT_FORMS = {
    LOG: templates.LONG,
    SMS: templates.SMS,
    ZALO: templates.LONG,
    EMAIL: templates.LONG,
}
# Channels that reach a phone number (the others reach an e-mail address).
PHONE_CHANNELS = frozenset({LOG, SMS, ZALO})


class LogChannel(Channel):
    """Prints the message to the server log: the demo and test channel.

    The log then holds what the citizen reads (lookup secrets, one-time codes): a production
    deployment configures a real channel."""

    name = LOG

    def send(self, message) -> str:
        code = (message.data or {}).get("code", "")
        logger.info(
            "notify %s to %s%s: %s",
            message.template,
            message.recipient,
            f" (dossier {code})" if code else "",
            " | ".join(message.text.splitlines()),  # one line per message in the log
        )
        return f"log-{message.pk}"


def email_sender() -> str:
    return getattr(settings, "XASO_NOTIFY_EMAIL_FROM", "") or ""


class EmailChannel(Channel):
    """Django's mail backend: the row's subject and full text, from XASO_NOTIFY_EMAIL_FROM."""

    name = EMAIL

    @classmethod
    def configured(cls) -> bool:
        return bool(email_sender())

    def send(self, message) -> str:
        import smtplib

        if not self.configured():
            raise PermanentChannelError("e-mail is not configured (XASO_NOTIFY_EMAIL_FROM)")
        if "@" not in message.recipient:
            raise PermanentChannelError(f"{message.recipient!r} is not an e-mail address")
        sender = email_sender()
        message_id = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
        email = EmailMessage(
            subject=message.subject,
            body=message.text,
            from_email=sender,
            to=[message.recipient],
            headers={"Message-ID": message_id},
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentChannelError(f"the mail server refused the address: {error}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise ChannelError(f"the mail server failed: {error!r}") from error
        return message_id.strip("<>")


CHANNELS: dict[str, type[Channel]] = {
    LOG: LogChannel,
    EMAIL: EmailChannel,
    SMS: SmsGatewayChannel,
    ZALO: ZaloChannel,
}
__all__ = ["CHANNELS", "Channel", "ChannelError", "PermanentChannelError", "channel_for"]


def default_channel_name() -> str:
    return getattr(settings, "XASO_NOTIFY_CHANNEL", DEFAULT_CHANNEL) or DEFAULT_CHANNEL


def text_form(name: str) -> str:
    return TEXT_FORMS.get(name, templates.LONG)


def channel_for(name: str) -> Channel:
    try:
        return CHANNELS[name]()
    except KeyError:
        raise PermanentChannelError(f"channel {name!r} is not available") from None


def is_usable(name: str) -> bool:
    """A channel messages may be routed to: known and configured."""
    return name in CHANNELS and CHANNELS[name].configured()


def channel_setting_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    name = default_channel_name()
    if name not in CHANNELS:
        return [
            checks.Error(
                f"XASO_NOTIFY_CHANNEL is {name!r}; the channels available are {sorted(CHANNELS)}.",
                id="notify.E001",
            )
        ]
    errors: list[checks.CheckMessage] = []
    if not CHANNELS[name].configured():
        errors.append(
            checks.Error(
                f"XASO_NOTIFY_CHANNEL is {name!r} but that channel is not configured.",
                hint="See the settings at the top of xaso/notify/channels.py.",
                id="notify.E002",
            )
        )
    for channel_name in sorted(CHANNELS):
        for problem in CHANNELS[channel_name].problems():
            errors.append(checks.Error(f"{channel_name}: {problem}", id="notify.E003"))
    return errors


def log_channel_deploy_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: the log channel writes one-time codes and lookup secrets to the log."""
    if default_channel_name() != "log":
        return []
    return [
        checks.Warning(
            "XASO_NOTIFY_CHANNEL is 'log': citizens' one-time codes and lookup secrets are "
            "written to the server log instead of being sent.",
            hint="Set XASO_NOTIFY_CHANNEL to sms, zalo or email (docs/OPERATIONS.md §2).",
            id="notify.W001",
        )
    ]
