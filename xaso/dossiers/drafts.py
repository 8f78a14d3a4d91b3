"""Drafts: a form saved half-filled and resumed later, on the phone or at the desk.

A draft is not a dossier: no code, no state, no check of the answers beyond their size. Whoever
holds its token may read, change or delete it (the portal keeps the token in the citizen's
browser, or shows it as a short link). Drafts untouched for XASO_DRAFT_DAYS are deleted.
"""

import json
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.catalog.models import Procedure
from xaso.core.errors import InvalidInput, NotFound
from xaso.places.models import Commune

from .models import Draft

MAX_DRAFT_BYTES = 200_000  # a long form with every answer is a few kilobytes


def _checked(applicant, answers) -> tuple[dict, dict]:
    if not isinstance(applicant, dict) or not isinstance(answers, dict):
        raise InvalidInput(_("A draft holds the applicant and the answers as objects."))
    if len(json.dumps([applicant, answers], ensure_ascii=False)) > MAX_DRAFT_BYTES:
        raise InvalidInput(_("This draft is too large."), code="draft_too_large")
    return applicant, answers


def draft_by_token(token: str) -> Draft:
    draft = Draft.objects.select_related("procedure", "commune").filter(token=token).first()
    if draft is None:
        raise NotFound(_("This draft does not exist any more."), code="draft_not_found")
    return draft


def draft_create(*, actor, commune_code: str, procedure_code: str, applicant, answers) -> Draft:
    applicant, answers = _checked(applicant, answers)
    commune = Commune.objects.filter(code=commune_code).first()
    procedure = Procedure.objects.filter(code=procedure_code, is_active=True).first()
    if commune is None or procedure is None:
        raise NotFound(code="commune_not_found" if commune is None else "procedure_not_found")
    return Draft.objects.create(
        token=secrets.token_urlsafe(24),
        commune=commune,
        procedure=procedure,
        owner=actor if actor is not None and actor.is_authenticated else None,
        applicant=applicant,
        answers=answers,
        updated_at=timezone.now(),
    )


def draft_update(*, token: str, applicant, answers) -> Draft:
    applicant, answers = _checked(applicant, answers)
    with transaction.atomic():
        draft = draft_by_token(token)
        draft.applicant, draft.answers, draft.updated_at = applicant, answers, timezone.now()
        draft.save(update_fields=["applicant", "answers", "updated_at"])
    return draft


def draft_delete(*, token: str) -> None:
    draft_by_token(token).delete()


def drafts_prune() -> int:
    """Delete drafts nobody touched for XASO_DRAFT_DAYS (personal data is not kept for nothing)."""
    cutoff = timezone.now() - timedelta(days=settings.XASO_DRAFT_DAYS)
    deleted, _by_model = Draft.objects.filter(updated_at__lt=cutoff).delete()
    return deleted
