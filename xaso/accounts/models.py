from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xaso.places.models import Commune, Province, Village

personal_id_validator = RegexValidator(
    r"^\d{12}$", _("The personal ID number (số định danh cá nhân) has exactly 12 digits.")
)
phone_validator = RegexValidator(
    r"^0\d{9}$", _("Enter a Vietnamese phone number of 10 digits starting with 0.")
)


class User(AbstractUser):
    """Staff and citizens alike. Citizens have a CitizenProfile; staff have Memberships."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=10, blank=True, validators=[phone_validator])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def save(self, *args, **kwargs):
        # `set_password` keeps the new raw password in `_password` until the save: whatever the
        # path (a page, the Django admin, `changepassword`), a new password ends every API token.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from .services import tokens_revoke_on_password_change

            tokens_revoke_on_password_change(user=self)


class Role(models.TextChoices):
    RECEPTION = "reception", _("Reception officer")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")
    COMMUNE_ADMIN = "commune_admin", _("Commune administrator")
    COMMUNITY_MEMBER = "community_member", _("Community digital team member")
    PROVINCE_VIEWER = "province_viewer", _("Province viewer")


COMMUNE_ROLES = frozenset(Role) - {Role.PROVINCE_VIEWER}


class Membership(models.Model):
    """A staff role in one commune, or (province_viewer only) read access to a whole province."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role="province_viewer", province__isnull=False, commune__isnull=True)
                    | (~Q(role="province_viewer") & Q(commune__isnull=False, province__isnull=True))
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "commune"],
                condition=Q(commune__isnull=False),
                name="membership_unique_commune_role",
            ),
            models.UniqueConstraint(
                fields=["user", "province"],
                condition=Q(province__isnull=False),
                name="membership_unique_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.commune or self.province}"


class CitizenProfile(models.Model):
    class Sex(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="citizen_profile"
    )
    # A citizen who signed in by phone has only the phone until they fill in the rest.
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    personal_id = models.CharField(
        _("personal ID number"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[personal_id_validator],
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=10, validators=[phone_validator])
    village = models.ForeignKey(
        Village, verbose_name=_("village"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self) -> str:
        return self.full_name or self.phone


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=12)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class SignInCode(models.Model):
    """A one-time code a citizen asked for to sign in with a phone number. Only a keyed hash of the
    code is stored (six digits are too few for a plain hash); a code serves once, for a few minutes
    and a few tries."""

    phone = models.CharField(_("phone"), max_length=10, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")

    def __str__(self) -> str:
        return f"{self.phone[:3]}…{self.phone[-3:]} {self.created_at:%Y-%m-%d %H:%M}"


class SecondFactorPolicy(models.Model):
    """A commune's choice to require the second factor of every officer, not only of its leaders
    and administrators (who always need it)."""

    commune = models.OneToOneField(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        related_name="second_factor_policy",
    )
    required_for_all = models.BooleanField(_("second factor required for every officer"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("second-factor policy")
        verbose_name_plural = _("second-factor policies")

    def __str__(self) -> str:
        return str(self.commune)


class StaffSession(models.Model):
    """A signed-in staff session, so that its owner can see it and sign it out from elsewhere.
    The session itself lives in Django's session store under `session_key`."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(_("signed in"))
    last_seen_at = models.DateTimeField(_("last seen"))
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=45, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff session")
        verbose_name_plural = _("staff sessions")
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"
