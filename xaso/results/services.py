"""Issuing a signed result on `approve`, delivering it electronically, signing many at once,
revoking one. Every write writes its audit row in the same transaction.

Issuing, inside the approve transaction (a listener on the dossier hooks):
(a) render the document (documents.py), (b) the leader's PAdES signature with its visible stamp
→ revision 1, (c) the seal: Ed25519 over number, commune, kind, holder, date and the SHA-256 of
revision 1, (d) a second, incremental signature (same credential) whose appearance is the QR code
of `<XASO_PUBLIC_URL>/xac-thuc/?seal=<seal>`. The seal cannot be inside revision 1, which it
names by hash. Anything failing raises a DomainError: the approval rolls back, the dossier stays
awaiting signature, and no number of the register is used.
"""

import logging
import re
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.accounts.step_up import step_up_verify
from xaso.core.audit import audit_record
from xaso.core.counters import counter_next
from xaso.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from xaso.dossiers import hooks
from xaso.dossiers.models import ReturnChannel, State
from xaso.dossiers.selectors import staff_dossiers
from xaso.dossiers.services import dossier_approve, dossier_return

from . import documents, registers, signing
from .civil_status import civil_status_system
from .credentials import seal_key_for
from .models import RegisterEntry, ResultCounter, ResultDocument, SigningCredential
from .seal import SealFields, seal_make, sha256_hex

logger = logging.getLogger(__name__)

LEADER_FIELD = "LeaderSignature"
SEAL_FIELD = "QRSeal"
BATCH_MAX = 100


class NoSigningCredential(InvalidInput):
    code = "no_signing_credential"


class SigningFailed(Conflict):
    code = "signing_failed"


def public_base_url() -> str:
    if settings.XASO_PUBLIC_URL:
        return settings.XASO_PUBLIC_URL
    hosts = [host for host in settings.ALLOWED_HOSTS if host and host != "*"]
    return f"https://{hosts[0].lstrip('.')}" if hosts else "http://localhost"


def verify_url(seal: str) -> str:
    return f"{public_base_url()}/xac-thuc/?seal={quote(seal, safe='.-_')}"


def active_credential(user, commune) -> SigningCredential:
    credential = (
        SigningCredential.objects.filter(user=user, commune=commune, is_active=True)
        .order_by("-id")
        .first()
    )
    if credential is None:
        raise NoSigningCredential(
            _("You have no signing certificate for this commune: ask the commune administrator "
              "to add one.")
        )  # fmt: skip
    return credential


def _signed_pdf(pdf: bytes, credential: SigningCredential, *, leader_params: dict,
                commune_name: str, seal_for) -> tuple[bytes, bytes, str]:  # fmt: skip
    """(revision 1, the final file, the seal) — see the module's docstring."""
    try:
        with signing.open_signer(signing.key_of(credential)) as signer:
            revision = signing.pades_sign(
                pdf, signer, field_name=LEADER_FIELD, box=documents.SIGNATURE_BOX,
                style=signing.leader_stamp_style(), text_params=leader_params,
                reason="Phê duyệt và ký kết quả", location=commune_name,
            )  # fmt: skip
            seal = seal_for(sha256_hex(revision))
            final = signing.pades_sign(
                revision, signer, field_name=SEAL_FIELD, box=documents.SEAL_BOX,
                style=signing.seal_stamp_style(), text_params={"url": verify_url(seal)},
                reason="Dấu xác thực QR", location=commune_name,
            )  # fmt: skip
    except signing.SigningError as error:
        logger.warning("signing failed with credential %s: %s", credential.pk, error)
        raise SigningFailed(
            _("The result could not be signed: check the signing certificate and its password "
              "or PIN with the commune administrator.")
        ) from error  # fmt: skip
    return revision, final, seal


class RegisterEntryMissing(InvalidInput):
    code = "register_entry_missing"


class PersonalIdMissing(InvalidInput):
    code = "personal_id_missing"


class RegisterNumberUsed(Conflict):
    code = "register_number_used"


def _register_and_kind(dossier) -> tuple[str, registers.Register]:
    kind = documents.kind_for(dossier.procedure, dossier.outcome)
    return kind, registers.register_for(kind, dossier.procedure.code)


def result_register(dossier) -> registers.Register | None:
    """The register the dossier's result goes into (None: decided by another body)."""
    try:
        return _register_and_kind(dossier)[1]
    except documents.DecidedElsewhere:
        return None


def _recorded_entry(dossier, register: registers.Register) -> dict:
    """The civil-status system's entry of the dossier, as the connector reports it; signing
    refuses without it (and, for a birth, without the personal ID number)."""
    entry = civil_status_system().entry_for(dossier, register)
    if entry is None:
        raise RegisterEntryMissing(
            _("Record the number and book of the entry in the %(register)s (from the civil-status "
              "system) before signing.") % {"register": register.name}
        )  # fmt: skip
    if register.personal_id and not entry.personal_id:
        raise PersonalIdMissing(
            _("Record the child's personal ID number issued by the civil-status system before "
              "signing.")
        )  # fmt: skip
    return entry.as_dict()


def result_document_data(
    dossier, *, signer_name: str, signer_title: str, issued_at, number, entry: dict
) -> documents.DocumentData:
    """What the result prints: one function for the leader's preview and the signed PDF."""
    return documents.document_data_from_dossier(
        dossier, number=number, issued_at=issued_at, signer_name=signer_name,
        signer_title=signer_title, entry=entry,
    )  # fmt: skip


def result_preview_pdf(*, actor, dossier) -> bytes:
    """The result as the leader will sign it: his name and title (from his signing
    certificate), the register entry already recorded; only the number and date are to come.
    For the specialist before proposing (`actor` holds no certificate of the commune), signed by
    the leader whose certificate is the commune's latest active one."""
    commune = dossier.deciding_commune
    active = SigningCredential.objects.filter(commune=commune, is_active=True).select_related(
        "user"
    )
    credential = active.filter(user=actor).order_by("-id").first() or active.order_by("-id").first()
    signer = credential.user if credential else actor
    _kind, register = _register_and_kind(dossier)
    entry = civil_status_system().entry_for(dossier, register) if register.recorded else None
    if entry is not None:
        entry_data = entry.as_dict()
    else:  # the certification book's number is given at signing
        entry_data = {"number": "…", "book": registers.book_label(register, timezone.now().year)}
    data = result_document_data(
        dossier, signer_name=signer.get_full_name(),
        signer_title=credential.signer_title if credential else "",
        issued_at=timezone.localdate(), number="…", entry=entry_data,
    )  # fmt: skip
    return documents.render_result_pdf(data)


def result_issue(*, actor, dossier) -> ResultDocument:
    """Render, sign and seal the result of `dossier` (locked, being approved by `actor`)."""
    commune = dossier.deciding_commune
    credential = active_credential(actor, commune)
    now = timezone.now()
    issued_at = timezone.localdate(now)
    kind, register = _register_and_kind(dossier)
    entry = _recorded_entry(dossier, register) if register.recorded else {}
    sequence = counter_next(
        ResultCounter, commune=commune, register=register.slug, year=issued_at.year
    )
    copied = str((dossier.answers or {}).get("event_type") or "")
    if register.recorded:
        number = documents.number_text(kind, entry["number"], copied=copied)
        if ResultDocument.objects.filter(
            commune=commune, year=issued_at.year, number=number
        ).exists():
            raise RegisterNumberUsed(
                _("Another result already has the number %(number)s: check the number of the "
                  "entry.") % {"number": number}
            )  # fmt: skip
    else:
        number = documents.number_text(kind, sequence, copied=copied)
        if register.book_symbol:  # the certification book: its own number is the sequence
            entry = {
                "number": str(sequence),
                "book": registers.book_label(register, issued_at.year),
            }
    signer_name = actor.get_full_name()
    data = result_document_data(
        dossier, signer_name=signer_name, signer_title=credential.signer_title,
        issued_at=issued_at, number=number, entry=entry,
    )  # fmt: skip
    pdf = documents.render_result_pdf(data)
    holder = (" ".join(data.holder_name.replace("|", " ").split()) or "-")[:150]

    def seal_for(digest: str) -> str:
        _key, private = seal_key_for(commune)
        fields = SealFields(number=number, commune=commune.code, kind=kind, holder_name=holder,
                            issued_at=issued_at, sha256=digest)  # fmt: skip
        return seal_make(fields, private)

    leader_params = {
        "heading": "Ký số bởi:",
        "name": signer_name,
        "title": f"{credential.signer_title} – {commune.name}",
        "when": timezone.localtime(now).strftime("%d/%m/%Y %H:%M:%S %z"),
    }
    revision, final, seal = _signed_pdf(
        pdf, credential, leader_params=leader_params, commune_name=commune.name,
        seal_for=seal_for,
    )  # fmt: skip
    document = ResultDocument.objects.create(
        dossier=dossier, commune=commune, number=number, year=issued_at.year, sequence=sequence,
        kind=kind, holder_name=holder, issued_at=issued_at, signed_at=now, signer=actor,
        signer_name=signer_name[:150], signer_title=credential.signer_title,
        sha256=sha256_hex(revision), file_sha256=sha256_hex(final), seal=seal, pdf=final,
    )  # fmt: skip
    audit_record(
        actor=actor, action="results.issue", object_type="result", object_id=number,
        commune_code=commune.code,
        data={"dossier": dossier.code, "kind": kind, "register": register.slug,
              "sha256": document.sha256},
    )  # fmt: skip
    return document


_ENTRY_STATES = (State.PROCESSING, State.AWAITING_SIGNATURE)
_PERSONAL_ID = re.compile(r"^\d{12}$")


def register_entry_record(
    *, actor, dossier, number: str, book: str, personal_id: str = ""
) -> RegisterEntry:
    """The officer records the entry the civil-status system made for this dossier (number,
    book; for a birth the child's personal ID number), before the leader signs."""
    number, book = " ".join((number or "").split()), " ".join((book or "").split())
    personal_id = (personal_id or "").strip()
    with transaction.atomic():
        locked = (
            type(dossier).objects.select_for_update()
            .select_related("procedure", "deciding_commune").get(pk=dossier.pk)
        )  # fmt: skip
        staff_scope(actor).require(locked.deciding_commune, [Role.SPECIALIST, Role.LEADER])
        if locked.state not in _ENTRY_STATES:
            raise Conflict(
                _("The register entry is recorded while the dossier is processed, before signing."),
                code="action_not_allowed",
            )
        _kind, register = _register_and_kind(locked)
        if not register.recorded:
            raise InvalidInput(
                _("This result is numbered by xaso in the commune's own book: there is nothing to "
                  "record."), code="register_not_recorded",
            )  # fmt: skip
        if not number or len(number) > 20 or not book or len(book) > 40:
            raise InvalidInput(
                _("Enter the number (at most 20 characters) and the book (at most 40) of the "
                  "entry, as the civil-status system shows them."), code="register_entry",
            )  # fmt: skip
        if register.personal_id and not _PERSONAL_ID.match(personal_id):
            raise PersonalIdMissing(
                _("Enter the child's personal ID number (12 digits) issued by the civil-status "
                  "system.")
            )  # fmt: skip
        if not register.personal_id:
            personal_id = ""
        entry, _created = RegisterEntry.objects.update_or_create(
            dossier=locked,
            defaults={
                "register": register.slug, "number": number, "book": book,
                "personal_id": personal_id, "source": RegisterEntry.Source.MANUAL,
                "recorded_by": actor, "recorded_at": timezone.now(),
            },
        )  # fmt: skip
        audit_record(
            actor=actor, action="results.register_entry", object_type="dossier",
            object_id=locked.code, commune_code=locked.deciding_commune.code,
            data={"register": register.slug, "number": number, "book": book},
        )  # fmt: skip
    return entry


# --- hooks -----------------------------------------------------------------------------------


def on_approve(context: hooks.ActionContext) -> None:
    dossier = context.dossier
    result_issue(actor=context.actor, dossier=dossier)
    if dossier.result_delivery == ReturnChannel.ELECTRONIC:
        pk = dossier.pk
        transaction.on_commit(lambda: deliver_electronically(pk), robust=True)


def deliver_electronically(dossier_pk: int) -> None:
    """After the signed result is committed: the system returns the dossier through the
    electronic channel, which closes it. A guard refusing (e.g. a fee still due) leaves it
    result_ready for the desk."""
    from xaso.dossiers.models import Dossier

    dossier = Dossier.objects.filter(pk=dossier_pk, state=State.RESULT_READY).first()
    if dossier is None:
        return
    try:
        dossier_return(actor=None, dossier=dossier, channel=ReturnChannel.ELECTRONIC)
    except DomainError as error:
        logger.info("dossier %s not returned electronically: %s", dossier.code, error.code)


def result_contribution(dossier) -> dict | None:
    """The lookup's `result`: the number and where to download it (with the lookup secret).
    A result is issued only by the approval (`on_approve`), whose moment the dossier's facts
    record in the same transaction: before it, nothing to read."""
    if dossier.e_result_issued_at is None:
        return None
    document = hooks.joined_or_read(  # joined to the lookup's read: its number, not its PDF
        dossier,
        "result",
        lambda: ResultDocument.objects.filter(dossier=dossier).only("number").first(),
    )
    if document is None:
        return None
    return {
        "document_number": document.number,
        "download_url": f"/api/v1/results/download?code={quote(dossier.code)}",
    }


def register_hooks() -> None:
    hooks.register_listener("approve", on_approve)
    hooks.register_contributor(
        "result", result_contribution,
        joined=("result",), columns=("result__dossier", "result__number"),
    )  # fmt: skip


# --- batch and revocation ----------------------------------------------------------------------


def results_sign_batch(*, actor, codes: list[str], otp: str = "", password: str = "") -> list[dict]:
    """Approve and sign each dossier, each in its own transaction: one failure (a dossier sent
    back meanwhile, a token unplugged) does not undo the others. One outcome per code.

    The leader steps up first (`accounts.step_up`): the authenticator's current code, or the
    password without one; a wrong or missing proof signs nothing."""
    codes = list(dict.fromkeys(code.strip() for code in codes if code and code.strip()))
    if not codes:
        raise InvalidInput(_("List the codes of the dossiers to sign."), code="codes_required")
    if len(codes) > BATCH_MAX:
        raise InvalidInput(
            _("Sign at most %(count)d dossiers at once.") % {"count": BATCH_MAX},
            code="too_many_codes",
        )
    dossiers = {
        dossier.code: dossier
        for dossier in staff_dossiers(actor)
        .filter(code__in=codes)
        .select_related("deciding_commune", "procedure")
    }
    if not dossiers:  # none in the user's communes: nothing to say about them
        raise NotFound(code="dossier_not_found")
    if not staff_scope(actor).commune_ids([Role.LEADER]):
        raise Forbidden(_("Only a leader signs results."))
    step_up_verify(actor, password=password, otp=otp)
    audit_record(
        actor=actor, action="results.sign_batch", object_type="dossier_list",
        commune_code=next(iter(dossiers.values())).deciding_commune.code,
        data={"codes": codes, "step_up": "otp" if otp else "password"},
    )  # fmt: skip
    outcomes = []
    for code in codes:
        try:
            dossier = dossiers.get(code)
            if dossier is None:
                raise NotFound(code="dossier_not_found")
            dossier_approve(actor=actor, dossier=dossier)
        except DomainError as error:
            error_answer = {"code": error.code, "message": str(error.message)}
            outcomes.append({"code": code, "status": "failed", "error": error_answer})
            continue
        document = ResultDocument.objects.only("number").get(dossier=dossier)
        outcomes.append({"code": code, "status": "signed", "document_number": document.number})
    return outcomes


def result_revoke(*, actor, document: ResultDocument, reason: str) -> ResultDocument:
    """The commune administrator revokes a result (e.g. issued in error): verification then
    answers "revoked". Final."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(_("Give the reason for revoking the result."), code="reason_required")
    with transaction.atomic():
        locked = (
            ResultDocument.objects.select_for_update().select_related("commune").get(pk=document.pk)
        )
        if not actor.is_superuser:
            staff_scope(actor).require(locked.commune, [Role.COMMUNE_ADMIN])
        if locked.revoked_at is not None:
            raise Conflict(_("This result is already revoked."), code="already_revoked")
        locked.revoked_at = timezone.now()
        locked.revoke_reason = reason[:500]
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoke_reason", "revoked_by"])
        audit_record(
            actor=actor, action="results.revoke", object_type="result", object_id=locked.number,
            commune_code=locked.commune.code, data={"reason": locked.revoke_reason},
        )  # fmt: skip
    return locked
