"""Reads of the privacy app: a procedure's retention, the legal reason a dossier is kept, the
controller's contact, the citizen's own data and requests, and the officers' scoped requests."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.core.errors import NotFound
from xaso.dossiers.models import Dossier, Draft, Upload
from xaso.dossiers.workflow import OPEN_STATES
from xaso.places.models import Commune

from .models import ControllerContact, RetentionRule, SubjectRequest

# Who answers a citizen's request about their data: the desk, the leader, the commune admin.
ANSWER_ROLES = frozenset({Role.RECEPTION, Role.LEADER, Role.COMMUNE_ADMIN})
# The law the commune keeps a dossier under when no rule of the procedure names one.
DEFAULT_LEGAL_BASIS = "Luật Lưu trữ năm 2024"


@dataclass(frozen=True)
class Retention:
    dossier_years: int | None  # None: permanently (or until the archive term is set)
    legal_basis: str


def retention_for(procedure) -> Retention:
    """How long the procedure's dossiers are kept. Its results are always kept permanently."""
    rule = RetentionRule.objects.filter(procedure=procedure).first()
    if rule is None:
        return Retention(None, DEFAULT_LEGAL_BASIS)
    return Retention(rule.dossier_years, rule.legal_basis)


def kept_reason(dossier: Dossier) -> str:
    """Why a dossier is not deleted at its applicant's request: the legal reason of the answer."""
    if dossier.state in OPEN_STATES:
        return _(
            "Dossier %(code)s is being handled: the commune must keep what was submitted until "
            "it is decided. You may withdraw it at the one-stop desk; it is then kept as a "
            "withdrawn dossier."
        ) % {"code": dossier.code}
    retention = retention_for(dossier.procedure)
    if retention.dossier_years is None:
        term = _("permanently")
    else:
        term = _("for %(years)d years after it ended") % {"years": retention.dossier_years}
    return _(
        "Dossier %(code)s was decided and is an archive record of the commune: it is kept "
        "%(term)s under %(basis)s, and its result is kept permanently. Law 91/2025/QH15 does not "
        "allow deleting personal data that another law requires to be kept; the data is used "
        "for nothing else, and you may still ask to see or correct it."
    ) % {"code": dossier.code, "term": term, "basis": retention.legal_basis}


def controller_contact(commune: Commune | None) -> ControllerContact | None:
    if commune is None:
        return None
    return ControllerContact.objects.filter(commune=commune).first()


def citizen_dossiers(user) -> list[Dossier]:
    """The dossiers the citizen filed from their account (as "my dossiers": a phone number on
    someone else's dossier opens nothing)."""
    return list(
        Dossier.objects.filter(applicant_user=user)
        .select_related("procedure", "receiving_commune")
        .order_by("-submitted_at", "-id")[:100]
    )


def citizen_drafts(user) -> list[Draft]:
    return list(
        Draft.objects.filter(owner=user).select_related("procedure").order_by("-updated_at")[:50]
    )


def citizen_unattached_uploads(user) -> list[Upload]:
    """Files the citizen uploaded that no dossier uses (yet)."""
    return list(
        Upload.objects.filter(uploaded_by=user, attachments__isnull=True).order_by("-created_at")[
            :50
        ]
    )


def citizen_requests(user) -> list[SubjectRequest]:
    return list(
        SubjectRequest.objects.filter(user=user).select_related("commune").order_by("-id")[:50]
    )


def staff_subject_requests(user, *, roles=ANSWER_ROLES) -> QuerySet:
    """The requests of the communes where the user may answer them, open ones first."""
    return (
        staff_scope(user)
        .filter(SubjectRequest.objects.all(), roles=roles)
        .select_related("commune")
        .order_by("answered_at", "due_at", "id")
    )


def commune_subject_requests(user, commune_code: str) -> list[SubjectRequest]:
    """One commune's requests: another commune → 404, a role that may not answer → 403."""
    commune = staff_scope(user).commune(commune_code, roles=ANSWER_ROLES)
    return list(staff_subject_requests(user).filter(commune=commune)[:200])


def subject_request_for_staff(user, code: str) -> SubjectRequest:
    """One request, for an officer who may answer it. Another commune's (or an unknown code)
    → 404 `request_not_found`, alike; a role of its commune that may not answer → 403."""
    found = SubjectRequest.objects.select_related("commune").filter(code=code).first()
    try:
        if found is None:
            raise NotFound()
        staff_scope(user).require(found.commune, ANSWER_ROLES)
    except NotFound:
        raise NotFound(code="request_not_found") from None
    return found
