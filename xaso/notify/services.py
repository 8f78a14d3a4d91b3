"""The outbox: write a message in the caller's transaction, send it after commit, retry it.

Sending is at least once per row and, on xaso's side, never twice: an attempt first *claims* the
row (locked, `sending`, attempts + 1, a lease until `next_attempt_at`) and commits, then talks to
the channel outside any transaction (an SMS gateway may take seconds; on SQLite a transaction held
that long would stop every writer), then records the outcome under the lock again. A row already
sent, failed or claimed by a live attempt is skipped. A worker that dies mid-send leaves a
`sending` row whose lease lapses; `outbox_send_due` then tries it again.

Settings (with their defaults): XASO_NOTIFY_CHANNEL ("log"), XASO_NOTIFY_MAX_ATTEMPTS (12),
XASO_NOTIFY_RETRY_SECONDS (60: the first retry; doubled each time), XASO_NOTIFY_RETRY_MAX_SECONDS
(3600), XASO_NOTIFY_LEASE_SECONDS (300: longer than any channel's timeout).
"""

import logging
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import templates
from .channels import PermanentChannelError, channel_for, default_channel_name, text_form
from .models import OutboxMessage

logger = logging.getLogger("xaso.notify")

State = OutboxMessage.State

SENT = "sent"
RETRY = "retry"
FAILED = "failed"
SKIPPED = "skipped"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_attempts() -> int:
    return _setting("XASO_NOTIFY_MAX_ATTEMPTS", 12)


def retry_delay(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failed attempt: 1, 2, 4, 8… minutes, at most an hour."""
    base = _setting("XASO_NOTIFY_RETRY_SECONDS", 60)
    cap = _setting("XASO_NOTIFY_RETRY_MAX_SECONDS", 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _lease() -> timedelta:
    return timedelta(seconds=_setting("XASO_NOTIFY_LEASE_SECONDS", 300))


def _language(language: str | None) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    return language if language in known else settings.LANGUAGE_CODE


def outbox_enqueue(
    *,
    recipient: str,
    template: str,
    data: dict,
    language: str | None = None,
    channel: str | None = None,
    dossier=None,
) -> OutboxMessage:
    """Write one message, rendered now, and queue its sending for when the caller's transaction
    commits (a rollback takes the row and the sending with it)."""
    channel = channel or default_channel_name()
    language = _language(language)
    try:
        rendered = templates.render(template, data, language=language, form=text_form(channel))
    except Exception:
        # A broken template (or translation) must not refuse the citizen's dossier: the row is
        # kept without text, and sending renders it again (and fails it if still broken).
        logger.exception("outbox: template %s could not be rendered", template)
        rendered = templates.Rendered(subject="", text="")
    now = timezone.now()
    message = OutboxMessage.objects.create(
        recipient=recipient,
        channel=channel,
        template=template,
        language=language,
        data=data,
        subject=rendered.subject[:200],
        text=rendered.text,
        state=State.PENDING,
        next_attempt_at=now,
        dossier=dossier,
        created_at=now,
    )
    # robust: the dossier is committed by then; a queue that is down must not turn the citizen's
    # request into an error. The row stays pending and `outbox_send_due` sends it.
    message_id = message.pk

    def queue_sending() -> None:  # a function, not a partial: Django logs a failure by its name
        from .tasks import outbox_send_task

        outbox_send_task.enqueue(message_id)

    transaction.on_commit(queue_sending, robust=True)
    return message


def _claim(message_id: int) -> OutboxMessage | None:
    """Lock the row and take it for one attempt, or None when there is nothing to do."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        now = timezone.now()  # after the lock: on SQLite, waiting for it may take a while
        if message is None:
            logger.warning("outbox message %s does not exist", message_id)
            return None
        if message.state in (State.SENT, State.FAILED):
            return None
        if message.state == State.SENDING:
            if message.next_attempt_at and message.next_attempt_at > now:
                return None  # another worker is sending it now
            if message.attempts >= max_attempts():
                _give_up(message, "the last attempt was interrupted")
                return None
        message.state = State.SENDING
        message.attempts += 1
        message.next_attempt_at = now + _lease()
        message.save(update_fields=["state", "attempts", "next_attempt_at"])
    return message


def _give_up(message: OutboxMessage, error: str) -> None:
    message.state = State.FAILED
    message.last_error = error[:2000]
    message.next_attempt_at = None
    message.save(update_fields=["state", "last_error", "next_attempt_at"])
    logger.error(
        "outbox message %s to %s failed after %d attempts: %s",
        message.pk,
        message.recipient,
        message.attempts,
        error,
    )


def _record(message_id: int, attempt: int, *, provider_id: str = "", error=None) -> str:
    """The outcome of attempt number `attempt`, under the lock again."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        now = timezone.now()
        if message.state == State.SENT:
            return SKIPPED  # an attempt that outlived its lease: the newer one got there first
        if error is None:
            message.state = State.SENT
            message.provider_id = str(provider_id or "")[:100]
            message.sent_at = now
            message.next_attempt_at = None
            message.save(update_fields=["state", "provider_id", "sent_at", "next_attempt_at"])
            return SENT
        if message.attempts != attempt or message.state != State.SENDING:
            return SKIPPED  # a newer attempt owns the row
        description = f"{type(error).__name__}: {error}"
        if getattr(error, "permanent", False) or message.attempts >= max_attempts():
            _give_up(message, description)
            return FAILED
        message.state = State.PENDING
        message.last_error = description[:2000]
        message.next_attempt_at = now + retry_delay(message.attempts)
        message.save(update_fields=["state", "last_error", "next_attempt_at"])
    logger.warning(
        "outbox message %s, attempt %d failed (%s); next at %s",
        message_id,
        attempt,
        description,
        message.next_attempt_at.isoformat(),
    )
    return RETRY


def _render_again(message: OutboxMessage) -> None:
    try:
        rendered = templates.render(
            message.template,
            message.data,
            language=message.language,
            form=text_form(message.channel),
        )
    except Exception as error:
        raise PermanentChannelError(f"the template cannot be rendered: {error!r}") from error
    message.subject, message.text = rendered.subject[:200], rendered.text
    OutboxMessage.objects.filter(pk=message.pk).update(subject=message.subject, text=message.text)


def outbox_send(message_id: int) -> str:
    """One attempt at sending the row: "sent", "retry", "failed", or "skipped" when it was
    already sent, failed or being sent. Calling it again after "sent" sends nothing."""
    message = _claim(message_id)
    if message is None:
        return SKIPPED
    try:
        if not message.text:
            _render_again(message)
        provider_id = channel_for(message.channel).send(message)
    except Exception as error:  # any failure of a channel is an attempt to retry, never a crash
        return _record(message_id, message.attempts, error=error)
    return _record(message_id, message.attempts, provider_id=provider_id)


def outbox_send_due(*, limit: int = 200) -> dict[str, int]:
    """Try the rows whose next attempt is due: retries, rows whose task was lost, and rows whose
    sending worker died (lapsed lease). Run by a periodic task or `xaso notify-send-due`."""
    due = (
        OutboxMessage.objects.filter(
            state__in=[State.PENDING, State.SENDING], next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return dict(Counter(outbox_send(message_id) for message_id in list(due)))
