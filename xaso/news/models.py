"""The commune speaks: announcements (portal, Atom feed, notice board, Zalo OA article) and the
loudspeaker bulletins of Circular 39/2020/TT-BTTTT (DOMAIN.md §8b)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xaso.dossiers.models import Upload
from xaso.places.models import Commune, Village


class Category(models.TextChoices):
    PROCEDURES = "procedures", _("Procedure guidance")
    POLICY = "policy", _("Policy and law")
    EMERGENCY = "emergency", _("Emergencies")
    AGRICULTURE = "agriculture", _("Agricultural extension")
    PRODUCTS = "products", _("Local products")
    EVENTS = "events", _("Events")


class Announcement(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.CharField(_("code"), max_length=24, unique=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="announcements"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("text"))
    # None: the whole commune.
    villages = models.ManyToManyField(Village, verbose_name=_("villages"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("written"))
    updated_at = models.DateTimeField(_("updated"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    image = models.ForeignKey(
        Upload, verbose_name=_("image"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    attachments = models.ManyToManyField(
        Upload, verbose_name=_("attachments"), blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title


class CultureOfficer(models.Model):
    """The commune's culture officer (công chức văn hóa – xã hội), who approves announcements
    beside the leader: a specialist named by the commune."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "user"], name="news_culture_officer_unique")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    PRIORITY = "priority", _("Priority")
    EMERGENCY = "emergency", _("Emergency")


# The playing order: emergency first, then priority, then normal (Circular 39/2020).
PRIORITY_RANK = {Priority.EMERGENCY: 0, Priority.PRIORITY: 1, Priority.NORMAL: 2}


class BroadcastSlot(models.Model):
    """A daily slot of the commune's loudspeakers; weekdays 0 = Monday … 6 = Sunday. A commune
    without any plays at the default slots (05:00 and 17:00, Monday to Saturday)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    at = models.TimeField(_("time"))
    weekdays = models.JSONField(_("weekdays"), default=list)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.at:%H:%M}"


class SpeakerCluster(models.Model):
    """A group of speakers the vendor's platform addresses as one (cụm loa)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    villages = models.ManyToManyField(Village, verbose_name=_("villages"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="news_cluster_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Bulletin(models.Model):
    code = models.CharField(_("code"), max_length=24, unique=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="bulletins"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text to read"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    # "HH:MM" of the commune's slots it plays in; empty: every slot of the day.
    slots = models.JSONField(_("slots"), default=list, blank=True)
    villages = models.ManyToManyField(Village, verbose_name=_("villages"), blank=True)
    clusters = models.ManyToManyField(
        SpeakerCluster, verbose_name=_("speaker clusters"), blank=True
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("written"))
    # Nothing plays before the leader or the culture officer approves it; an emergency, or a
    # bulletin an approver writes, is approved as it is written (it cannot wait).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    audio = models.FileField(_("audio"), upload_to="bulletins/%Y/%m/", blank=True)
    audio_seconds = models.FloatField(_("audio length (s)"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("loudspeaker bulletin")
        verbose_name_plural = _("loudspeaker bulletins")

    def __str__(self) -> str:
        return self.title


class PlayLog(models.Model):
    """The operator's tick: this bulletin was played on this day in this slot."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="plays")
    day = models.DateField()
    slot = models.CharField(max_length=5)  # "HH:MM", or "now" for an emergency played at once
    played_at = models.DateTimeField()
    played_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "day", "slot"], name="news_play_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id} {self.day} {self.slot}"
