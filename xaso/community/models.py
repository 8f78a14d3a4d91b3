"""Village community digital technology teams (Tổ công nghệ số cộng đồng, DOMAIN.md §8): the team
of each village, its members, their field log, trainings and the commune's monthly targets."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xaso.accounts.models import phone_validator
from xaso.places.models import Commune, Village


class Team(models.Model):
    """One team per village, set up by the commune chairman's decision."""

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.OneToOneField(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="digital_team"
    )
    name = models.CharField(_("name"), max_length=150)
    decision_number = models.CharField(_("decision number"), max_length=40, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_signer = models.CharField(_("decision signed by"), max_length=150, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("community digital team")
        verbose_name_plural = _("community digital teams")

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    class TeamRole(models.TextChoices):
        LEADER = "leader", _("Team leader")
        DEPUTY = "deputy", _("Deputy leader")
        MEMBER = "member", _("Member")

    class Origin(models.TextChoices):
        YOUTH_UNION = "youth_union", _("Youth Union")
        VILLAGE_HEAD = "village_head", _("Village head")
        POLICE = "police", _("Police")
        TEACHER = "teacher", _("Teacher")
        TELECOM = "telecom", _("Telecom staff")
        WOMEN_UNION = "women_union", _("Women's Union")
        VOLUNTEER = "volunteer", _("Volunteer")
        OTHER = "other", _("Other")

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=10, blank=True, validators=[phone_validator])
    team_role = models.CharField(
        _("role in the team"), max_length=10, choices=TeamRole, default=TeamRole.MEMBER
    )
    origin = models.CharField(_("comes from"), max_length=16, choices=Origin, default=Origin.OTHER)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active to"), null=True, blank=True)
    # The member's own sign-in (role community_member in the team's commune), when they have one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
    )
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(user__isnull=False, active_to__isnull=True),
                name="community_member_one_active_team",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class Skill(models.TextChoices):
    """The five basic digital skills and the areas of Decision 757/QĐ-BKHCN (DOMAIN.md §8)."""

    VNEID = "vneid", _("VNeID level-2 account")
    PAYMENT = "payment", _("E-wallet / QR payment")
    PUBLIC_SERVICES = "public_services", _("Online public services")
    VSSID = "vssid", _("VssID (social insurance)")
    ECOMMERCE = "ecommerce", _("E-commerce shop")
    SAFETY = "safety", _("Staying safe online")
    LOCAL_PLATFORMS = "local_platforms", _("Local digital platforms")
    DIGITAL_SKILLS_COURSE = "skills_course", _("Basic digital skills course (Bình dân học vụ số)")


class Outcome(models.TextChoices):
    ACCOUNT_ACTIVATED = "account_activated", _("Account activated")
    DOSSIER_FILED = "dossier_filed", _("Dossier filed")
    PAYMENT_SET_UP = "payment_set_up", _("Payment set up")
    SHOP_OPENED = "shop_opened", _("Shop opened")
    COURSE_COMPLETED = "course_completed", _("Digital skills course completed")
    ADVICE = "advice", _("Advice only")


class Activity(models.Model):
    """One entry of the field log: a resident helped. `uid` is made on the member's phone, so an
    entry sent twice (offline, then again when the signal returns) is recorded once."""

    uid = models.UUIDField(_("entry id"), unique=True)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="activities"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    resident_name = models.CharField(_("resident"), max_length=150)
    resident_phone = models.CharField(_("resident's phone"), max_length=10, blank=True)
    resident_household = models.CharField(_("household"), max_length=150, blank=True)
    consent = models.BooleanField(_("the resident agreed to be recorded"))
    skill = models.CharField(_("skill or platform"), max_length=16, choices=Skill)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    dossier_code = models.CharField(_("dossier filed"), max_length=48, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes spent"), default=0)
    at = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    photo = models.ForeignKey(
        "dossiers.Upload",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"))
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        verbose_name = _("field log entry")
        verbose_name_plural = _("field log entries")
        indexes = [models.Index(fields=["team", "at"])]
        constraints = [models.CheckConstraint(name="activity_consent", condition=Q(consent=True))]

    def __str__(self) -> str:
        return f"{self.at} {self.resident_name}"


class TrainingSession(models.Model):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings",
    )
    topic = models.CharField(_("topic"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    trainer = models.CharField(_("trainer"), max_length=150)
    materials = models.TextField(_("materials"), blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"


class Attendance(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Team member")
        OFFICIAL = "official", _("Official")
        RESIDENT = "resident", _("Resident")

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="attendees",
    )
    kind = models.CharField(_("attendee"), max_length=10, choices=Kind)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=150)
    present = models.BooleanField(_("present"), default=True)
    # The national basic digital-skills course (Bình dân học vụ số) completed: an outcome.
    course_completed = models.BooleanField(_("digital skills course completed"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return self.name


class Metric(models.TextChoices):
    """What a monthly target counts (of the team's field log, or its trainings)."""

    RESIDENTS = "residents", _("Residents helped")
    ACTIVATIONS = "activations", _("Accounts activated")
    PAYMENTS = "payments", _("Payments set up")
    DOSSIERS = "dossiers", _("Dossiers filed")
    SHOPS = "shops", _("Shops opened")
    TRAININGS = "trainings", _("Trainings held")


class MonthlyTarget(models.Model):
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="targets"
    )
    month = models.DateField(_("month"))  # the first day of the month
    metric = models.CharField(_("what"), max_length=12, choices=Metric)
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        verbose_name = _("monthly target")
        verbose_name_plural = _("monthly targets")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "month", "metric"], name="community_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%m/%Y} {self.metric}"
