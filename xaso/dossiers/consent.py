"""The resident's consent when a community team member files for them: either a one-time code
sent to the resident's phone and typed back by the member, or a photo of the signed consent
(an upload). Either is checked and recorded with the dossier."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.core.errors import InvalidInput
from xaso.places.models import Commune

from . import hooks
from .models import ConsentChallenge, Upload

CODE_MINUTES = 10
MAX_ATTEMPTS = 5


class ConsentInvalid(InvalidInput):
    code = "consent_invalid"


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def consent_code_send(*, actor, commune: Commune, phone: str) -> ConsentChallenge:
    """Send a 6-digit code to the resident's phone; returns the challenge to quote back."""
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        challenge = ConsentChallenge.objects.create(
            token=secrets.token_urlsafe(18),
            phone=phone,
            code_hash=_hash(code),
            requested_by=actor,
            commune=commune,
            created_at=now,
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        hooks.send_one_time_code(
            phone=phone, code=code, purpose="consent", commune=commune.name, minutes=CODE_MINUTES
        )
    return challenge


def consent_verified(*, actor, consent, phone: str) -> dict:
    """Check the consent of a community submission; returns what the dossier records of it.
    Call before creating the dossier, outside its transaction: a code is spent once checked."""
    consent = consent if isinstance(consent, dict) else {}
    method = consent.get("method")
    if method == "photo":
        token = str(consent.get("upload") or "")
        if not Upload.objects.filter(token=token).exists():
            raise ConsentInvalid(_("Attach the photo of the signed consent again."))
        return {"method": "photo", "upload": token}
    if method == "otp":
        # Its own transaction, committed even when the code is wrong: the failed attempt must
        # count (a rollback would let anyone try all million codes).
        error, record = None, None
        now = timezone.now()
        with transaction.atomic():
            challenge = (
                ConsentChallenge.objects.select_for_update()
                .filter(token=str(consent.get("challenge") or ""), requested_by=actor)
                .first()
            )
            if challenge is None or challenge.used_at or challenge.expires_at <= now:
                error = ConsentInvalid(
                    _("This consent code has expired or was used: send a new one.")
                )
            elif challenge.phone != phone:
                error = ConsentInvalid(_("The consent code was sent to another phone number."))
            elif challenge.attempts >= MAX_ATTEMPTS:
                error = ConsentInvalid(_("Too many wrong codes: send a new one."))
            elif not secrets.compare_digest(
                challenge.code_hash, _hash(str(consent.get("code") or ""))
            ):
                challenge.attempts += 1
                challenge.save(update_fields=["attempts"])
                error = ConsentInvalid(_("The consent code is wrong."), code="consent_code_wrong")
            else:
                challenge.used_at = now
                challenge.save(update_fields=["used_at"])
                record = {"method": "otp", "challenge": challenge.token, "at": now.isoformat()}
        if error is not None:
            raise error
        return record
    raise InvalidInput(
        _("The resident's consent is required: a code sent to their phone or a photo of the "
          "signed consent."),
        code="consent_required",
    )  # fmt: skip
