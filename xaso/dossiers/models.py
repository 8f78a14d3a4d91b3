from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xaso.catalog.models import Procedure, ProcedureVersion
from xaso.core.storage import encrypted_storage
from xaso.places.models import Commune

from . import secret_store


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    PAUSED = "paused", _("Paused for a supplement")
    AWAITING_SIGNATURE = "awaiting_signature", _("Awaiting signature")
    RESULT_READY = "result_ready", _("Result ready")
    RETURNED = "returned", _("Returned")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the desk")
    ASSISTED = "assisted", _("Written by an officer")
    COMMUNITY = "community", _("Through the community digital team")
    POST = "post", _("By post")


# The National Public Service Portal's channel codes (DOMAIN.md §2): 1 in person, 2 online,
# 3 by post. A dossier an officer or a team member wrote with the resident counts as in person.
NATIONAL_CHANNEL_CODES = {
    Channel.COUNTER: 1,
    Channel.ASSISTED: 1,
    Channel.COMMUNITY: 1,
    Channel.ONLINE: 2,
    Channel.POST: 3,
}


class Outcome(models.TextChoices):
    NONE = "", _("Not decided")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class ReturnChannel(models.TextChoices):
    COUNTER = "counter", _("At the desk")
    POST = "post", _("By post")
    ELECTRONIC = "electronic", _("Electronically")


class IdentityCheck(models.TextChoices):
    """How the applicant's identity was checked when the dossier was filed (Decision 766 counts
    the dossiers using the population database's data): the chip ID card's QR code read at the
    desk, a signed-in citizen account, or nothing. VNeID is ready for the day it is connected."""

    NONE = "", _("Not checked")
    CCCD_QR = "cccd_qr", _("Chip ID card's QR code read at the desk")
    ACCOUNT = "account", _("Signed-in citizen account")
    VNEID = "vneid", _("VNeID electronic identity")


class NationalSync(models.TextChoices):
    """Whether the dossier has been sent to the National Public Service Portal (dossiers/
    national_portal.py holds the connector; none is connected yet)."""

    PENDING = "pending", _("Not yet synchronised")
    SYNCED = "synced", _("Synchronised")
    FAILED = "failed", _("Synchronisation failed")


class Dossier(models.Model):
    """Hồ sơ: one application, from submission to the returned result.

    State, due time and outcome change only through `dossiers.services` (the workflow table);
    "overdue" and "due today" are derived from `due_at`, never stored.
    """

    code = models.CharField(_("code"), max_length=48, unique=True)
    # The code as the lookups match it (codes.code_key): typed in any case, with or without dashes.
    code_key = models.CharField(_("code for lookups"), max_length=48, db_index=True, editable=False)
    # The applicant as the staff search matches them (search.applicant_search_text): the name
    # lower-case without diacritics, the phone and the personal ID; set on every save. On
    # PostgreSQL a trigram index (migration 0012) serves "contains" on it.
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    # The lookup secret is kept as a keyed hash (to check it) and encrypted (to print it again):
    # `lookup_secret` below and dossiers/secret_store.py.
    lookup_secret_digest = models.CharField(_("lookup secret (keyed hash)"), max_length=64)
    lookup_secret_sealed = models.TextField(_("lookup secret (encrypted)"))
    receiving_commune = models.ForeignKey(
        Commune, verbose_name=_("receiving commune"), on_delete=models.PROTECT, related_name="+"
    )
    deciding_commune = models.ForeignKey(
        Commune, verbose_name=_("deciding commune"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="+"
    )
    # The version of the procedure in force when the dossier was received (at submission until
    # then): its legal bases and fees are the dossier's, whatever is imported later.
    procedure_version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A snapshot: what the applicant declared at submission, whatever their account says later.
    applicant = models.JSONField(_("applicant"))
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent = models.JSONField(_("consent"), default=dict, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    state = models.CharField(_("state"), max_length=24, choices=State, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("clock started"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    due_rule = models.CharField(_("due time rule"), max_length=32, blank=True)
    # Chosen at receipt, with its reason: the procedure's statutory limit with verification is
    # the dossier's limit (DOMAIN.md §6); neither an extension nor late.
    with_verification = models.BooleanField(_("received with verification"), default=False)
    verification_reason = models.CharField(_("why verification"), max_length=500, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_channel = models.CharField(
        _("returned through"), max_length=12, choices=ReturnChannel, blank=True
    )
    # How the applicant wants the result: "electronic" returns it as soon as it is signed.
    result_delivery = models.CharField(
        _("result delivery"), max_length=12, choices=ReturnChannel, default=ReturnChannel.COUNTER
    )
    supplement_rounds = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    # The open supplement request and the citizen's answer to it, for the desk's queues "waiting
    # for the citizen" and "supplement received" (the request itself is its event).
    supplement_requested_at = models.DateTimeField(_("supplement requested"), null=True, blank=True)
    supplement_answered_at = models.DateTimeField(_("supplement answered"), null=True, blank=True)
    extended = models.BooleanField(_("apologised and extended"), default=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    # Facts for the Decision 766 index (dossiers/facts.py records them; docs/index-766.md).
    # The due time before the apology and extension: lateness is measured against it.
    original_due_at = models.DateTimeField(_("original due time"), null=True, blank=True)
    identity_check = models.CharField(
        _("identity checked by"), max_length=10, choices=IdentityCheck, blank=True, default=""
    )
    # Per document component (thành phần hồ sơ): "attached", "reused", "store" or "none".
    components = models.JSONField(_("document components"), default=dict, blank=True)
    components_total = models.PositiveSmallIntegerField(_("components"), default=0)
    components_with_file = models.PositiveSmallIntegerField(_("components with a file"), default=0)
    components_reused = models.PositiveSmallIntegerField(_("components reused"), default=0)
    components_from_store = models.PositiveSmallIntegerField(
        _("components from the citizen's store"), default=0
    )
    e_result_issued_at = models.DateTimeField(_("electronic result issued"), null=True, blank=True)
    e_result_delivered_at = models.DateTimeField(
        _("electronic result delivered"), null=True, blank=True
    )
    # The fee fixed at receipt (None: not yet fixed), whether it could be paid online (VietQR),
    # and when and how it was paid.
    fee_amount = models.PositiveBigIntegerField(_("fee (đồng)"), null=True, blank=True)
    fee_online_offered = models.BooleanField(_("online payment offered"), default=False)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_online = models.BooleanField(_("paid online"), default=False)
    national_sync = models.CharField(
        _("National Portal"), max_length=8, choices=NationalSync, default=NationalSync.PENDING
    )
    national_synced_at = models.DateTimeField(_("synchronised"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            models.Index(fields=["receiving_commune", "state", "due_at"]),
            models.Index(fields=["deciding_commune", "state", "due_at"]),
            # The reports' period queries (reports/counters.py).
            models.Index(fields=["receiving_commune", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        from .codes import code_key  # codes imports the models
        from .search import applicant_search_text

        self.code_key = code_key(self.code)
        self.search_text = applicant_search_text(self.applicant)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "code_key", "search_text"}
        super().save(*args, **kwargs)

    @property
    def lookup_secret(self) -> str:
        """The secret as the receipt prints it, decrypted from its sealed copy."""
        return secret_store.opened(self.lookup_secret_sealed)

    @lookup_secret.setter
    def lookup_secret(self, secret: str) -> None:
        self.lookup_secret_digest = secret_store.digest(secret)
        self.lookup_secret_sealed = secret_store.sealed(secret)

    def lookup_secret_matches(self, given: str) -> bool:
        return secret_store.matches(self.lookup_secret_digest, given)

    @property
    def national_channel_code(self) -> int:
        return NATIONAL_CHANNEL_CODES[self.channel]


class DossierEvent(models.Model):
    """Append-only history: every action, who took it, from which state to which."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from"), max_length=24, blank=True)
    to_state = models.CharField(_("to"), max_length=24)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Dossier events are append-only.")
        super().save(*args, **kwargs)


class DossierCounter(models.Model):
    """The last number given to a dossier of a commune on a day: locked to number without gaps."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "day"], name="dossier_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.day}: {self.last}"


def upload_path(instance, filename: str) -> str:
    # A random name: the stored file never carries the name (or the path) the client sent.
    return f"uploads/{instance.created_at:%Y/%m}/{instance.token}.{instance.extension}"


class Upload(models.Model):
    """A file sent before the dossier exists (POST /api/v1/uploads), referenced by its token from
    the form's file fields. Knowing the unguessable token is what allows using it."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    token = models.CharField(_("token"), max_length=40, unique=True)
    # Encrypted on disk (ID card photos are sensitive personal data): core/storage.py.
    file = models.FileField(
        _("file"), upload_to=upload_path, storage=encrypted_storage, max_length=200
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self) -> str:
        return self.token

    @property
    def extension(self) -> str:
        return {"jpeg": "jpg"}.get(self.kind, self.kind)


class Attachment(models.Model):
    """A file of a dossier's component (thành phần hồ sơ): uploaded, scanned at the desk, or
    reused from an earlier dossier of the same citizen (Decision 766 counts each)."""

    class Source(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded by the applicant")
        SCANNED = "scanned", _("Scanned at the desk")
        REUSED = "reused", _("Reused from an earlier dossier")
        STORE = "store", _("Taken from the citizen's document store")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="attachments"
    )
    upload = models.ForeignKey(
        Upload, verbose_name=_("file"), on_delete=models.PROTECT, related_name="attachments"
    )
    field_name = models.CharField(_("form field"), max_length=40)
    document_key = models.CharField(_("document"), max_length=40)
    source = models.CharField(_("source"), max_length=10, choices=Source)
    reused_from = models.ForeignKey(
        "self",
        verbose_name=_("reused from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "field_name", "upload"], name="attachment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}/{self.field_name}"


class Draft(models.Model):
    """A form being filled in, saved to finish later (on the phone, or at the desk while the
    citizen fetches a paper). Opened with its token; deleted when submitted or after a while."""

    token = models.CharField(_("token"), max_length=40, unique=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    applicant = models.JSONField(_("applicant"), default=dict, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return self.token


class ConsentChallenge(models.Model):
    """A one-time code sent to a resident's phone: typing it back proves the resident agreed that
    a community team member files a dossier for them (Law 91/2025: explicit consent)."""

    token = models.CharField(_("token"), max_length=40, unique=True)
    phone = models.CharField(_("phone"), max_length=10)
    code_hash = models.CharField(_("code hash"), max_length=64)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    # What the resident agreed to (named in the SMS): a code serves only this procedure's dossier.
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), null=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent code")
        verbose_name_plural = _("consent codes")

    def __str__(self) -> str:
        return self.token
