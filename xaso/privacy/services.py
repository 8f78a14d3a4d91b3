"""Writes of the privacy app: a citizen's request about their personal data, and its answer.

A citizen signed in with their phone (the portal's sign-in code) asks to see, correct or delete
their data. Deleting their own application not sent, or a file no dossier uses, is carried out at
once: no law requires keeping them. Everything else goes to the officers of the commune, who
answer within the deadline of Decree 356/2025/NĐ-CP counted on the commune's working days
(DOMAIN.md §7). A dossier is never deleted: the answer gives the legal reason it is kept.
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.core.audit import audit_record
from xaso.core.errors import Conflict, InvalidInput, NotFound
from xaso.dossiers.models import Dossier, Draft, Upload
from xaso.places.models import Commune
from xaso.workdays.selectors import due_date_for_limit, time_limit

from . import selectors
from .models import ControllerContact, RetentionRule, SubjectRequest

# Decree 356/2025/NĐ-CP: the controller answers a data subject's request within 2 working days.
ANSWER_LIMIT = (2, "working_days")
MAX_TEXT = 4000
Kind, Target, State = SubjectRequest.Kind, SubjectRequest.Target, SubjectRequest.State


def _request_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
    return "DL-" + "".join(secrets.choice(alphabet) for _ in range(8))


def _text(value, *, required: bool, field: str) -> str:
    value = str(value or "").strip()
    if len(value) > MAX_TEXT:
        raise InvalidInput(details={"fields": {field: [_("At most 4000 characters.")]}})
    if required and not value:
        raise InvalidInput(
            _("Write what you want seen, corrected or deleted."), code="details_required"
        )
    return value


def _receiving_commune(code: str) -> Commune:
    commune = Commune.objects.exclude(agency_code="").filter(code=code).first()
    if commune is None:
        raise NotFound(_("Choose the commune to send the request to."), code="commune_not_found")
    return commune


def _target(user, kind: str, target: str, ref: str, commune_code: str):
    """(commune, the draft or upload to delete at once or None) for a request of `user`."""
    if target == Target.DOSSIER:
        dossier = (
            Dossier.objects.select_related("receiving_commune")
            .filter(code=ref, applicant_user=user)
            .first()
        )
        if dossier is None:
            raise NotFound(code="dossier_not_found")
        return dossier.receiving_commune, None
    if target in (Target.DRAFT, Target.UPLOAD):
        if kind != Kind.DELETION:
            raise InvalidInput(
                _("An application not sent and an unused file can only be deleted; open the "
                  "application to see or change it."),
                code="kind_not_allowed",
            )  # fmt: skip
        if target == Target.DRAFT:
            draft = Draft.objects.select_related("commune").filter(token=ref, owner=user).first()
            if draft is None:
                raise NotFound(code="draft_not_found")
            return draft.commune, draft
        upload = Upload.objects.filter(token=ref, uploaded_by=user).first()
        if upload is None:
            raise NotFound(code="upload_not_found")
        if upload.attachments.exists():
            raise Conflict(
                _("This file is part of a dossier: ask about the dossier instead."),
                code="upload_in_dossier",
            )
        return _receiving_commune(commune_code), upload
    if target == Target.ALL:
        return _receiving_commune(commune_code), None
    raise InvalidInput(_("Choose what the request is about."), code="target")


def _delete_now(thing) -> str:
    if isinstance(thing, Upload):
        file = thing.file
        thing.delete()
        transaction.on_commit(lambda: file.delete(save=False))
        return _("The file is deleted.")
    thing.delete()
    return _("The application not sent is deleted.")


def subject_request_file(
    *, user, phone: str, kind: str, target: str, target_ref: str = "", details: str = "",
    commune_code: str = "",
) -> SubjectRequest:  # fmt: skip
    """A citizen's request, by the signed-in (phone-verified) citizen `user`."""
    if kind not in Kind.values:
        raise InvalidInput(_("Choose to see, correct or delete your data."), code="kind")
    target_ref = str(target_ref or "")[:48]
    details = _text(details, required=kind == Kind.CORRECTION, field="details")
    now = timezone.now()
    with transaction.atomic():
        commune, to_delete = _target(user, kind, target, target_ref, commune_code)
        due = due_date_for_limit(
            commune=commune, received_at=now, limit=time_limit(*ANSWER_LIMIT)
        ).due_at
        request = SubjectRequest(
            code=_request_code(),
            commune=commune,
            user=user,
            phone=phone,
            kind=kind,
            target=target,
            # A draft's or an upload's token opens it: only its start is kept, to recognise it.
            target_ref=target_ref[:6] + "…" if to_delete is not None else target_ref,
            details=details,
            received_at=now,
            due_at=due,
        )
        if to_delete is not None:
            request.answer = _delete_now(to_delete)
            request.state, request.answered_at = State.CARRIED_OUT, now
        request.save()
        audit_record(
            actor=user,
            action="privacy.request",
            object_type="subject_request",
            object_id=request.code,
            commune_code=commune.code,
            data={"kind": kind, "target": target, "state": request.state},
        )
    return request


def subject_request_answer(*, actor, code: str, answer: str) -> SubjectRequest:
    """An officer's answer. A deletion asked for a dossier is answered with the legal reason the
    dossier is kept (it is never deleted); the answer is final."""
    answer = _text(answer, required=True, field="answer")
    with transaction.atomic():
        request = selectors.subject_request_for_staff(actor, code)
        request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != State.OPEN:
            raise Conflict(_("This request is already answered."), code="request_answered")
        request.state = State.ANSWERED
        if request.kind == Kind.DELETION and request.target == Target.DOSSIER:
            dossier = Dossier.objects.select_related("procedure").get(code=request.target_ref)
            answer = f"{answer}\n\n{selectors.kept_reason(dossier)}"
            request.state = State.KEPT
        request.answer = answer
        request.answered_at, request.answered_by = timezone.now(), actor
        request.save(update_fields=["state", "answer", "answered_at", "answered_by"])
        audit_record(
            actor=actor,
            action="privacy.answer",
            object_type="subject_request",
            object_id=request.code,
            commune_code=request.commune.code,
            data={"state": request.state},
        )
    return request


# --- the commune's data: its contact as the controller, the retention of each procedure ----


def controller_contact_save(*, actor, contact: ControllerContact) -> ControllerContact:
    with transaction.atomic():
        contact.full_clean()
        contact.save()
        audit_record(
            actor=actor,
            action="privacy.contact_set",
            object_type="controller_contact",
            object_id=contact.pk,
            commune_code=contact.commune.code,
        )
    return contact


def retention_rule_save(*, actor, rule: RetentionRule) -> RetentionRule:
    with transaction.atomic():
        rule.full_clean()
        rule.save()
        audit_record(
            actor=actor,
            action="privacy.retention_set",
            object_type="retention_rule",
            object_id=rule.procedure.code,
            data={"dossier_years": rule.dossier_years, "legal_basis": rule.legal_basis},
        )
    return rule


def retention_rule_delete(*, actor, rule: RetentionRule) -> None:
    with transaction.atomic():
        code = rule.procedure.code
        rule.delete()
        audit_record(
            actor=actor, action="privacy.retention_delete", object_type="retention_rule",
            object_id=code,
        )  # fmt: skip
