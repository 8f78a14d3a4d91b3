"""Producers, their products, certificates and lots (docs/market.md; DOMAIN.md §8a).

Public identifiers are codes (producer, product and lot codes), never database ids.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xaso.core.storage import encrypted_storage
from xaso.places.models import Commune, Village


class Producer(models.Model):
    """A household, cooperative or company of the commune that sells what it grows or makes."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        COOPERATIVE = "cooperative", _("Cooperative")
        COMPANY = "company", _("Company")

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        ZALO = "zalo", _("Zalo")

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    name = models.CharField(_("name"), max_length=160)
    representative = models.CharField(_("representative"), max_length=120)
    phone = models.CharField(_("phone"), max_length=10)
    contact_channel = models.CharField(
        _("buyers' messages by"), max_length=4, choices=Channel, default=Channel.SMS
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    tax_code = models.CharField(_("tax or business code"), max_length=20, blank=True)
    # Law 91/2025: a household's name, village and phone are published only with its consent.
    publish_consent = models.BooleanField(_("agrees to be published"), default=False)
    publish_consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="market_producer_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """One product as buyers and marketplaces see it."""

    class Category(models.TextChoices):
        # The six OCOP product groups (Decision 148/QĐ-TTg of 24/02/2023).
        FOOD = "food", _("Food")
        BEVERAGE = "beverage", _("Beverages")
        HERB = "herb", _("Herbs and medicinal products")
        HANDICRAFT = "handicraft", _("Handicrafts and household goods")
        ORNAMENTAL = "ornamental", _("Flowers, ornamental plants and animals")
        TOURISM = "tourism", _("Community tourism services")

    class Unit(models.TextChoices):
        KG = "kg", _("kg")
        BOX = "hop", _("box")
        BOTTLE = "chai", _("bottle")
        BAG = "tui", _("bag")
        PACKET = "goi", _("packet")
        JAR = "lo", _("jar")
        PIECE = "cai", _("piece")
        LITRE = "lit", _("litre")
        TRIP = "luot", _("visit")

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="products"
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )  # the producer's, kept here for scoping and the catalogue's one query
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=160)
    category = models.CharField(_("category"), max_length=12, choices=Category)
    unit = models.CharField(_("unit"), max_length=6, choices=Unit)
    price = models.PositiveBigIntegerField(_("price per unit (đồng)"))
    min_order = models.PositiveIntegerField(_("minimum order (units)"), default=1)
    season = models.CharField(_("season"), max_length=80, blank=True)
    net_weight_g = models.PositiveIntegerField(_("net weight (g)"), null=True, blank=True)
    packed_weight_g = models.PositiveIntegerField(_("packed weight (g)"), null=True, blank=True)
    length_cm = models.PositiveIntegerField(_("length (cm)"), null=True, blank=True)
    width_cm = models.PositiveIntegerField(_("width (cm)"), null=True, blank=True)
    height_cm = models.PositiveIntegerField(_("height (cm)"), null=True, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    gtin = models.CharField(_("GTIN"), max_length=14, blank=True)
    listed = models.BooleanField(_("listed"), default=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="market_product_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def size_text(self) -> str:
        sizes = [self.length_cm, self.width_cm, self.height_cm]
        return " × ".join(str(s) for s in sizes) + " cm" if all(sizes) else ""


def photo_path(instance, filename: str) -> str:
    return f"market/{instance.token}-{filename}"


class ProductPhoto(models.Model):
    """A product's photo: the upload pipeline's clean copy, downscaled for the web."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos"
    )
    token = models.CharField(_("token"), max_length=40, unique=True)
    upload = models.ForeignKey(
        "dossiers.Upload", verbose_name=_("upload"), on_delete=models.PROTECT, related_name="+"
    )
    image = models.FileField(
        _("image"), upload_to=photo_path, storage=encrypted_storage, max_length=200
    )
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=photo_path, storage=encrypted_storage, max_length=200
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["product", "position", "pk"]

    def __str__(self) -> str:
        return self.token


class Certificate(models.Model):
    """OCOP stars, VietGAP, organic or food safety: each valid from its date to its expiry."""

    class Kind(models.TextChoices):
        OCOP = "ocop", _("OCOP")
        VIETGAP = "vietgap", _("VietGAP")
        ORGANIC = "organic", _("Organic")
        FOOD_SAFETY = "food_safety", _("Food safety")

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    stars = models.PositiveSmallIntegerField(_("OCOP stars"), null=True, blank=True)
    number = models.CharField(_("decision or certificate number"), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=160, blank=True)
    issued_on = models.DateField(_("date of decision or issue"))
    valid_until = models.DateField(_("valid until"))
    # When the "expires in 60 days" warning went out (once per certificate).
    warned_at = models.DateTimeField(_("expiry warning sent"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["product", "kind", "-valid_until"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, day) -> bool:
        return self.issued_on <= day <= self.valid_until


class Lot(models.Model):
    """A lot (lô hàng): one harvest or production run, identified by its code on the label."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="lots"
    )
    code = models.CharField(_("lot code"), max_length=20, unique=True)
    produced_on = models.DateField(_("harvest or production date"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    plot = models.CharField(_("plot or farm"), max_length=200, blank=True)
    expires_on = models.DateField(_("use by"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-produced_on", "code"]

    def __str__(self) -> str:
        return self.code


class LotStep(models.Model):
    """A processing step of a lot with its date (a capture event of TCVN 12850:2019)."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="steps"
    )
    on = models.DateField(_("date"))
    name = models.CharField(_("step"), max_length=120)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        ordering = ["lot", "on", "pk"]

    def __str__(self) -> str:
        return self.name


class Inquiry(models.Model):
    """A buyer's message to a producer from the catalogue, sent through the outbox once."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="inquiries"
    )
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=10)
    message = models.CharField(_("message"), max_length=500)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    message_id = models.PositiveBigIntegerField(_("outbox message"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.product} ← {self.name}"
