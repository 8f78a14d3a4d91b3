from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xaso.dossiers.models import Dossier
from xaso.places.models import Commune


class ResultCounter(models.Model):
    """One register of the commune for a year (births, certification copies, decisions …, see
    `registers.REGISTERS`): its numbers without gaps (locked row)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    register = models.SlugField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "register", "year"], name="result_counter_register_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.register} {self.year}: {self.last}"


class RegisterEntry(models.Model):
    """A dossier's entry in a civil-status register, as the Ministry of Justice's civil-status
    system made it: recorded by the officer before signing (`source` manual) or, later, by the
    connector. xaso prints these numbers; it never makes them up."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("entered by the officer")
        CONNECTOR = "connector", _("from the civil-status system")

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="register_entry"
    )
    register = models.SlugField(_("register"), max_length=40)
    number = models.CharField(_("number in the register"), max_length=20)
    book = models.CharField(_("book"), max_length=40)
    personal_id = models.CharField(_("personal ID number"), max_length=12, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")

    def __str__(self) -> str:
        return f"{self.register} {self.number}/{self.book}"


class ResultDocument(models.Model):
    """The signed result of a dossier (or the signed reply denying it).

    `sha256` is the hash of the leader's signed revision (what the QR seal names); `pdf` is the
    final file, that revision plus the seal's incremental signature carrying the QR code. The PDF
    is kept in the database so that it commits or rolls back with the approval."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="result"
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the register"))
    kind = models.CharField(_("kind"), max_length=40)
    holder_name = models.CharField(_("holder"), max_length=150)
    issued_at = models.DateField(_("issued"))
    signed_at = models.DateTimeField(_("signed"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signer"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    signer_name = models.CharField(_("signer's name"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=100)
    sha256 = models.CharField(_("SHA-256 of the signed revision"), max_length=64, unique=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    seal = models.TextField(_("seal"))
    pdf = models.BinaryField(_("PDF"))
    electronic = models.BooleanField(_("electronic result"), default=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("result document")
        verbose_name_plural = _("result documents")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year", "number"], name="result_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number


def result_delete_refused(sender, instance, **kwargs):
    """A result is kept permanently (DOMAIN.md §7; the registers' law): a wrong one is revoked
    (`revoked_at`), never deleted. Connected to `pre_delete`, so it also stops a queryset's
    delete and a cascade."""
    raise TypeError(f"Result {instance.number} is kept permanently: revoke it, never delete it.")


class SigningCredential(models.Model):
    """How a leader signs for a commune: a PKCS#12 file, or a key on a PKCS#11 token or HSM.
    The password or PIN is encrypted (results.secrets)."""

    class Backend(models.TextChoices):
        PKCS12 = "pkcs12", _("PKCS#12 file")
        PKCS11 = "pkcs11", _("PKCS#11 token or HSM")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    backend = models.CharField(_("backend"), max_length=8, choices=Backend)
    signer_title = models.CharField(_("title on the signature"), max_length=100)
    pkcs12 = models.BinaryField(_("PKCS#12 file"), blank=True, default=b"")
    secret = models.TextField(_("password or PIN (encrypted)"), editable=False)
    module_path = models.CharField(_("PKCS#11 module"), max_length=300, blank=True)
    token_label = models.CharField(_("token label"), max_length=64, blank=True)
    key_label = models.CharField(_("key label"), max_length=64, blank=True)
    key_id = models.CharField(_("key id (hex)"), max_length=128, blank=True)
    certificate_subject = models.CharField(_("certificate"), max_length=300, blank=True)
    certificate_expires = models.DateTimeField(_("certificate expires"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("signing credential")
        verbose_name_plural = _("signing credentials")
        indexes = [models.Index(fields=["user", "commune", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_backend_display()})"


class TrustAnchor(models.Model):
    """A CA certificate whose chains the deployment accepts on results (the development CA is
    one; the national root CA of the Government Cipher Committee is another)."""

    name = models.CharField(_("name"), max_length=200)
    commune = models.ForeignKey(
        Commune, verbose_name=_("added by commune"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )  # fmt: skip
    certificate = models.BinaryField(_("certificate (DER)"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    # Only the development CA made by `xaso pki init-dev` keeps its key, to issue demo certificates.
    dev_issuer_key = models.TextField(
        _("issuer key (development only)"), blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("trust anchor")
        verbose_name_plural = _("trust anchors")

    def __str__(self) -> str:
        return self.name


class SealKey(models.Model):
    """A commune's Ed25519 key for the QR seals; the public key is published
    (GET /api/v1/results/keys) so anyone can check a seal offline."""

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    public_key = models.CharField(_("public key (base64url)"), max_length=64)
    private_key = models.TextField(_("private key (encrypted)"), editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("seal key")
        verbose_name_plural = _("seal keys")

    def __str__(self) -> str:
        return f"{self.commune_id} {self.public_key[:12]}…"
