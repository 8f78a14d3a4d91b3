"""The resident's consent when a community team member files for them: either a one-time code
sent to the resident's phone and typed back by the member, or a photo of the signed consent
(an upload). Either is checked and recorded with the dossier.

Consent must be informed (Law 91/2025/QH15, Decree 356/2025/NĐ-CP; DOMAIN.md §7): the message
names the procedure, the data the member will send and the member, and a code serves only a
dossier of that procedure. The record kept on the dossier says all of it, so it outlives the
challenge row (purged after 30 days, `xaso purge-expired`)."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.catalog.models import Procedure
from xaso.core.audit import audit_record
from xaso.core.errors import InvalidInput, NotFound
from xaso.places.models import Commune

from . import hooks
from .models import ConsentChallenge, Dossier, Upload

CODE_MINUTES = 10
MAX_ATTEMPTS = 5
# What a team member sends of the resident (the applicant block, the form, the document photos);
# the message reads it out. ID-card photos are sensitive personal data (Decree 356/2025).
DATA_SENT = ("full_name", "personal_id", "phone", "address", "document_photos")


class ConsentInvalid(InvalidInput):
    code = "consent_invalid"


class ConsentCodeWrong(ConsentInvalid):
    code = "consent_code_wrong"

    def __init__(self, challenge: ConsentChallenge):
        super().__init__(_("The consent code is wrong."))
        self.challenge_pk, self.attempts = challenge.pk, challenge.attempts

    def after_rollback(self) -> None:
        # Inside an idempotent request the attempt counted below is rolled back with it: count
        # it again (at least this many; counting twice is harmless).
        ConsentChallenge.objects.filter(pk=self.challenge_pk, attempts__lt=self.attempts).update(
            attempts=self.attempts
        )


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


# Uses of one's data the law does not require, each asked separately on the review step and
# never pre-ticked: Zalo messages instead of SMS, and offering one's documents again in later
# dossiers. Everything else is processed because the procedure's law requires it: no consent.
OPTIONAL_USES = ("zalo", "reuse_documents")


def optional_uses_record(uses: dict, *, at) -> dict:
    """What the dossier keeps of the applicant's answers to the optional uses."""
    uses = uses if isinstance(uses, dict) else {}
    return {**{name: uses.get(name) is True for name in OPTIONAL_USES}, "at": at.isoformat()}


def member_name(actor) -> str:
    return actor.get_full_name() if actor is not None else ""


def consent_code_send(
    *, actor, commune: Commune, phone: str, procedure_code: str
) -> ConsentChallenge:
    """Send a 6-digit code to the resident's phone, with what they agree to (the procedure, the
    data, the member); returns the challenge to quote back."""
    procedure = Procedure.objects.filter(code=procedure_code, is_active=True).first()
    if procedure is None:
        raise InvalidInput(
            _("Name the procedure the resident agrees to file."), code="procedure_not_found"
        )
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        challenge = ConsentChallenge.objects.create(
            token=secrets.token_urlsafe(18),
            phone=phone,
            code_hash=_hash(code),
            requested_by=actor,
            commune=commune,
            procedure=procedure,
            created_at=now,
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        hooks.send_one_time_code(
            phone=phone,
            code=code,
            purpose="consent",
            commune=commune.name,
            minutes=CODE_MINUTES,
            procedure=procedure.name,
            member=member_name(actor),
            data=list(DATA_SENT),
        )
    return challenge


def consent_verified(*, actor, consent, phone: str, procedure_code: str) -> dict:
    """Check the consent of a community submission; returns what the dossier records of it.
    Call before creating the dossier, outside its transaction: a code is spent once checked."""
    consent = consent if isinstance(consent, dict) else {}
    method = consent.get("method")
    if method == "photo":
        token = str(consent.get("upload") or "")
        if not Upload.objects.filter(token=token, uploaded_by=actor).exists():
            raise ConsentInvalid(_("Attach the photo of the signed consent again."))
        return {"method": "photo", "upload": token}
    if method == "otp":
        # Its own transaction, committed even when the code is wrong: the failed attempt must
        # count (a rollback would let anyone try all million codes).
        error, record = None, None
        now = timezone.now()
        with transaction.atomic():
            challenge = (
                ConsentChallenge.objects.select_for_update(of=("self",))
                .select_related("procedure")
                .filter(token=str(consent.get("challenge") or ""), requested_by=actor)
                .first()
            )
            if challenge is None or challenge.used_at or challenge.expires_at <= now:
                error = ConsentInvalid(
                    _("This consent code has expired or was used: send a new one.")
                )
            elif challenge.phone != phone:
                error = ConsentInvalid(_("The consent code was sent to another phone number."))
            elif challenge.procedure is not None and challenge.procedure.code != procedure_code:
                error = ConsentInvalid(
                    _("The resident agreed to another procedure: send a new code for this one."),
                    code="consent_other_procedure",
                )
            elif challenge.attempts >= MAX_ATTEMPTS:
                error = ConsentInvalid(_("Too many wrong codes: send a new one."))
            elif not secrets.compare_digest(
                challenge.code_hash, _hash(str(consent.get("code") or ""))
            ):
                challenge.attempts += 1
                challenge.save(update_fields=["attempts"])
                error = ConsentCodeWrong(challenge)
            else:
                challenge.used_at = now
                challenge.save(update_fields=["used_at"])
                record = {
                    "method": "otp",
                    "challenge": challenge.token,
                    "at": now.isoformat(),
                    "phone": challenge.phone,
                    "procedure": procedure_code,
                    "member": member_name(actor),
                    "data": list(DATA_SENT),
                }
        if error is not None:
            raise error
        return record
    raise InvalidInput(
        _("The resident's consent is required: a code sent to their phone or a photo of the "
          "signed consent."),
        code="consent_required",
    )  # fmt: skip


def optional_use_withdraw(*, user, dossier_code: str, use: str):
    """The applicant takes back an optional use of their data (`OPTIONAL_USES`) for one of the
    dossiers they filed from their account. Withdrawn, it stays withdrawn; the dossier is not
    affected (what the law requires is not a consent, and is not withdrawn)."""
    if use not in OPTIONAL_USES:
        raise InvalidInput(_("This use of your data cannot be withdrawn here."), code="use")
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update()
            .select_related("receiving_commune")
            .filter(code=dossier_code, applicant_user=user)
            .first()
        )
        if dossier is None:
            raise NotFound(code="dossier_not_found")
        uses = dict((dossier.consent or {}).get("uses") or {})
        uses[use], uses[f"{use}_withdrawn_at"] = False, timezone.now().isoformat()
        dossier.consent = {**(dossier.consent or {}), "uses": uses}
        dossier.save(update_fields=["consent", "updated_at"])
        audit_record(
            actor=user,
            action="dossier.use_withdraw",
            object_type="dossier",
            object_id=dossier.code,
            commune_code=dossier.receiving_commune.code,
            data={"use": use},
        )
    return dossier
