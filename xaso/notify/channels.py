"""The ways a message leaves xaso, behind one interface.

A channel sends one outbox row and returns the provider's id for it, or raises `ChannelError`
(the attempt failed and may succeed later: the row is retried) or `PermanentChannelError` (it
never will: the row fails at once). Only the `log` channel exists yet: it writes the message to
the `xaso.notify` logger, for the demo and the tests. The SMS gateway, Zalo ZNS and e-mail come
with the notifications issue; `XASO_NOTIFY_CHANNEL` chooses the channel of new messages.
"""

import logging

from django.conf import settings
from django.core import checks

from . import templates

logger = logging.getLogger("xaso.notify")

DEFAULT_CHANNEL = "log"
# The text form each channel carries: one short SMS, or the full text.
TEXT_FORMS = {
    "log": templates.LONG,
    "sms": templates.SMS,
    "zalo": templates.LONG,
    "email": templates.LONG,
}


class ChannelError(Exception):
    """The attempt failed; a later one may succeed (gateway down, timeout, garbage answer)."""

    permanent = False


class PermanentChannelError(ChannelError):
    """No attempt will ever succeed (number refused by the gateway, channel not configured)."""

    permanent = True


class Channel:
    name: str = ""

    def send(self, message) -> str:
        """Send one OutboxMessage; return the provider's id for it."""
        raise NotImplementedError


class LogChannel(Channel):
    """Prints the message to the server log: the demo and test channel.

    The log then holds what the citizen reads (lookup secrets, one-time codes): a production
    deployment configures a real channel."""

    name = "log"

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


CHANNELS: dict[str, type[Channel]] = {"log": LogChannel}


def default_channel_name() -> str:
    return getattr(settings, "XASO_NOTIFY_CHANNEL", DEFAULT_CHANNEL) or DEFAULT_CHANNEL


def text_form(name: str) -> str:
    return TEXT_FORMS.get(name, templates.LONG)


def channel_for(name: str) -> Channel:
    try:
        return CHANNELS[name]()
    except KeyError:
        raise PermanentChannelError(f"channel {name!r} is not available") from None


def channel_setting_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    name = default_channel_name()
    if name in CHANNELS:
        return []
    return [
        checks.Error(
            f"XASO_NOTIFY_CHANNEL is {name!r}; the channels available are {sorted(CHANNELS)}.",
            id="notify.E001",
        )
    ]
