"""The outbox: write a message in the caller's transaction, send it after commit, retry it.

Sending is at least once per row and, on xaso's side, never twice: an attempt first *claims* the
row (locked, `sending`, attempts + 1, a lease until `next_attempt_at`) and commits, then talks to
the channel outside any transaction (an SMS gateway may take seconds; on SQLite a transaction held
that long would stop every writer), then records the outcome under the lock again. A row already
sent, failed or claimed by a live attempt is skipped. A worker that dies mid-send leaves a
`sending` row whose lease lapses; `outbox_send_due` then tries it again.

Citizens' messages go through `citizen_notify`, which picks the channel and address from the
citizen's preference (selectors.route_for). The portal's sign-in codes: `sign_in_code_send`.

Settings (with their defaults): XASO_NOTIFY_CHANNEL ("log"), XASO_NOTIFY_MAX_ATTEMPTS (12),
XASO_NOTIFY_RETRY_SECONDS (60: the first retry; doubled each time), XASO_NOTIFY_RETRY_MAX_SECONDS
(3600), XASO_NOTIFY_LEASE_SECONDS (300: longer than any channel's timeout).
"""

import logging
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.core.audit import audit_record
from xaso.core.errors import InvalidInput

from . import selectors, templates
from .channels import (
    EMAIL,
    PermanentChannelError,
    channel_for,
    default_channel_name,
    is_usable,
    text_form,
)
from .models import NotificationPreference, OutboxMessage

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
    _send_after_commit(message.pk)
    return message


def _send_after_commit(message_id: int) -> None:
    # robust: the dossier is committed by then; a queue that is down must not turn the citizen's
    # request into an error. The row stays pending and `outbox_send_due` sends it.
    def queue_sending() -> None:  # a function, not a partial: Django logs a failure by its name
        from .tasks import outbox_send_task

        outbox_send_task.enqueue(message_id)

    transaction.on_commit(queue_sending, robust=True)


def citizen_notify(
    *,
    template: str,
    data: dict,
    phone: str = "",
    email: str = "",
    language: str | None = None,
    dossier=None,
    user=None,
    phone_only: bool = False,
) -> OutboxMessage | None:
    """One message to a citizen on the channel they chose (or the default), in the caller's
    transaction; None when it is not to be sent (opted out of an optional message, no address)."""
    route = selectors.route_for(
        template=template, phone=phone, email=email, user=user, phone_only=phone_only
    )
    if route is None:
        logger.info("outbox: %s for %s not written (opted out or no address)", template, phone)
        return None
    return outbox_enqueue(
        recipient=route.recipient,
        template=template,
        data=data,
        language=language,
        channel=route.channel,
        dossier=dossier,
    )


def sign_in_code_send(*, phone: str, code: str, minutes: int, language: str) -> OutboxMessage:
    """A citizen's one-time sign-in code, to their phone (SMS, Zalo or the log): written in the
    caller's transaction, sent after it commits."""
    message = citizen_notify(
        template=templates.ONE_TIME_CODE,
        data={"otp": code, "purpose": "sign_in", "minutes": minutes, "commune": ""},
        phone=phone,
        language=language,
        phone_only=True,
    )
    if message is None:
        raise InvalidInput(_("Enter the phone number to send the code to."), code="phone")
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


def outbox_retry(*, actor, messages) -> int:
    """The commune admin sends failed rows again: each goes back to pending with a fresh count of
    attempts. Rows not failed are left as they are. Returns how many were reset."""
    ids = [message.pk for message in messages]
    reset = 0
    with transaction.atomic():
        rows = (
            OutboxMessage.objects.select_for_update(of=("self",))
            .select_related("dossier__receiving_commune")
            .filter(pk__in=ids, state=State.FAILED)
            .order_by("pk")
        )
        now = timezone.now()
        for message in rows:
            message.state = State.PENDING
            message.attempts = 0
            message.next_attempt_at = now
            message.save(update_fields=["state", "attempts", "next_attempt_at"])
            dossier = message.dossier
            audit_record(
                actor=actor,
                action="notify.outbox_retry",
                object_type="outbox_message",
                object_id=message.pk,
                commune_code=dossier.receiving_commune.code if dossier else "",
                data={
                    "template": message.template,
                    "channel": message.channel,
                    "dossier": dossier.code if dossier else None,
                    "last_error": message.last_error[:200],
                },
            )
            _send_after_commit(message.pk)
            reset += 1
    return reset


# --- preferences -----------------------------------------------------------------------------


def notification_preference_set(
    *,
    phone: str,
    channels: list[str],
    opted_out: bool = False,
    email: str = "",
    user=None,
    commune_code: str = "",
) -> NotificationPreference:
    """A citizen's channels (in order of preference) and opt-out, for their phone number; linked
    to their account when they are signed in."""
    wanted = list(dict.fromkeys(channels or []))
    allowed = NotificationPreference.Channel.values
    errors: dict[str, list[str]] = {}
    if any(name not in allowed for name in wanted):
        errors["channels"] = [_("Choose among SMS, Zalo and e-mail.")]
    elif not wanted and not opted_out:
        errors["channels"] = [_("Choose at least one channel, or opt out.")]
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    elif EMAIL in wanted:
        errors["email"] = [_("Enter the e-mail address to write to.")]
    if errors:
        raise InvalidInput(details={"fields": errors})
    with transaction.atomic():
        preference, created = NotificationPreference.objects.select_for_update().get_or_create(
            phone=phone, defaults={"updated_at": timezone.now()}
        )
        preference.channels = wanted
        preference.opted_out = bool(opted_out)
        preference.email = email
        if user is not None and getattr(user, "is_authenticated", False):
            preference.user = user
        preference.updated_at = timezone.now()
        preference.save()
        audit_record(
            actor=user,
            action="notify.preference_set",
            object_type="notification_preference",
            object_id=preference.pk,
            commune_code=commune_code,
            data={
                "channels": wanted,
                "opted_out": preference.opted_out,
                "email": bool(email),
                "created": created,
            },
        )
    return preference


# --- the officers' digest --------------------------------------------------------------------


def officer_digest_send(*, now=None) -> int:
    """Every morning: one message to each officer (by e-mail when they have one, else to their
    phone) listing their commune's overdue and due-today dossiers. Run twice the same day, it
    writes nothing new. Returns how many messages were written."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    written = 0
    with transaction.atomic():
        already = set(
            OutboxMessage.objects.filter(
                template=templates.OFFICER_DIGEST, created_at__gte=start_of_day
            ).values_list("recipient", "data__commune_code")
        )
        for digest in selectors.digests(now):
            data = {
                "commune": digest.commune_name,
                "commune_code": digest.commune_code,
                "day": local.date().isoformat(),
                "overdue": digest.overdue,
                "due_today": digest.due_today,
                "overdue_total": digest.totals["overdue"],
                "due_today_total": digest.totals["due_today"],
            }
            recipients = []
            for officer in digest.officers:
                if officer.email and is_usable(EMAIL):
                    channel, recipient = EMAIL, officer.email
                elif officer.phone:
                    route = selectors.route_for(template=templates.OFFICER_DIGEST,
                                                phone=officer.phone, phone_only=True)  # fmt: skip
                    channel, recipient = route.channel, route.recipient
                else:
                    continue
                if (recipient, digest.commune_code) in already:
                    continue
                outbox_enqueue(
                    recipient=recipient,
                    template=templates.OFFICER_DIGEST,
                    data={**data, "name": officer.name},
                    language=settings.LANGUAGE_CODE,
                    channel=channel,
                )
                recipients.append(officer.user_id)
            if recipients:
                audit_record(
                    actor=None,
                    action="notify.officer_digest",
                    object_type="commune",
                    object_id=digest.commune_code,
                    commune_code=digest.commune_code,
                    data={
                        "officers": recipients,
                        "overdue": digest.totals["overdue"],
                        "due_today": digest.totals["due_today"],
                    },
                )
                written += len(recipients)
    return written


# --- personal data not kept for nothing (privacy.purge) ---------------------------------------


def one_time_code_texts_purge(before) -> int:
    """Blank the text and the code of one-time-code messages (sign-in and consent codes) written
    before `before`: the row stays as the record that a code was sent, to whom and when."""
    blanked = 0
    stale = OutboxMessage.objects.filter(
        template=templates.ONE_TIME_CODE, created_at__lt=before
    ).exclude(text="")
    for message in stale.iterator():
        kept = {name: message.data.get(name) for name in ("purpose", "procedure", "member")}
        message.text, message.subject = "", ""
        message.data = {**{k: v for k, v in kept.items() if v}, "purged": True}
        message.save(update_fields=["text", "subject", "data"])
        blanked += 1
    return blanked
