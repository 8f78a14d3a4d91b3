"""Personal data not kept for nothing (Law 91/2025/QH15: data only as long as its purpose needs):
`expired_purge` deletes what has outlived its use, run daily by `xaso purge-expired`.

- uploads no dossier (and no draft, no consent record) uses, 24 hours after they were sent
  (ID-card photos of applications never sent);
- consent challenges and sign-in codes after 30 days (the dossier keeps its own consent record);
- what other apps register (`register_purger`): notify blanks the texts of one-time-code
  messages after 30 days.

Never a dossier, its files or its result: those follow the retention rules (`RetentionRule`),
and results are kept permanently.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from xaso.accounts.models import SignInCode
from xaso.core.audit import audit_record
from xaso.dossiers.models import ConsentChallenge, Dossier, Draft, Upload

UNATTACHED_UPLOAD_HOURS = 24
CODE_DAYS = 30
BATCH = 500

Purger = Callable[[datetime], int]  # deletes what is older than the moment given, returns a count
_purgers: dict[str, tuple[Purger, timedelta]] = {}


def register_purger(name: str, purger: Purger, *, keep: timedelta) -> None:
    """Another app's purge, run by `expired_purge` with the moment `now - keep`."""
    _purgers[name] = (purger, keep)


def _strings(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*(_strings(item) for item in value)) if value else set()
    return set()


def _tokens_in_use() -> set[str]:
    """Upload tokens a draft's answers or a dossier's consent photo refer to."""
    used = set()
    for answers in Draft.objects.values_list("answers", flat=True).iterator():
        used |= _strings(answers)
    consent_photos = Dossier.objects.filter(consent__method="photo").values_list(
        "consent", flat=True
    )
    used |= {str(consent.get("upload") or "") for consent in consent_photos}
    return used


def unattached_uploads_purge(before: datetime) -> int:
    in_use = _tokens_in_use()
    stale = Upload.objects.filter(created_at__lt=before, attachments__isnull=True)
    deleted = 0
    for upload in list(stale.exclude(token__in=in_use)[:BATCH]):
        file = upload.file
        with transaction.atomic():
            upload.delete()
            transaction.on_commit(lambda file=file: file.delete(save=False))
        deleted += 1
    return deleted


def expired_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Delete what outlived its use; returns the count of each kind (an audit row says it)."""
    now = now or timezone.now()
    codes_before = now - timedelta(days=CODE_DAYS)
    counts = {
        "uploads": unattached_uploads_purge(now - timedelta(hours=UNATTACHED_UPLOAD_HOURS)),
        "consent_challenges": ConsentChallenge.objects.filter(created_at__lt=codes_before).delete()[
            0
        ],
        "sign_in_codes": SignInCode.objects.filter(created_at__lt=codes_before).delete()[0],
    }
    for name, (purger, keep) in sorted(_purgers.items()):
        counts[name] = purger(now - keep)
    if any(counts.values()):
        audit_record(actor=None, action="privacy.purge", object_type="purge", data=counts)
    return counts
