"""Every write of the market (DESIGN.md §3): producers, products and their photos, certificates,
lots, buyers' inquiries and the certificates' expiry warnings. Each runs in one transaction with
its audit row (`core.audit`); messages go through the outbox, sent after commit."""

import io
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from xaso.accounts.models import Membership, Role
from xaso.core.audit import audit_record
from xaso.core.errors import Conflict, InvalidInput
from xaso.core.text import code_from_name, phone_digits
from xaso.core.validation import apply_changes, validated
from xaso.notify.channels import PHONE_CHANNELS, default_channel_name, is_usable
from xaso.notify.services import outbox_enqueue
from xaso.places.models import Commune, Village

from . import messages
from .gtin import LOT_CODE, gtin_clean
from .models import Certificate, Inquiry, Lot, LotStep, Producer, Product, ProductPhoto

OCOP_MONTHS = 36  # a 3–5★ OCOP recognition lasts 36 months (Decision 148/QĐ-TTg)
VIETGAP_MAX_YEARS = 2  # a VietGAP certificate is valid at most 2 years
WARN_DAYS = 60  # officer and producer are warned 60 days before a certificate expires
PHOTO_SIZE = 960  # px, the longer side of the web copy
THUMB_SIZE = 240
PHOTOS_MAX = 6
# Who hears that a certificate expires: the commune's officers who help producers.
WARNED_ROLES = (Role.COMMUNE_ADMIN, Role.SPECIALIST)
LOT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off a label

PRODUCER_FIELDS = [
    "kind",
    "name",
    "representative",
    "phone",
    "contact_channel",
    "address",
    "tax_code",
    "publish_consent",
    "village",
]
PRODUCT_FIELDS = [
    "name",
    "category",
    "unit",
    "price",
    "min_order",
    "season",
    "net_weight_g",
    "packed_weight_g",
    "length_cm",
    "width_cm",
    "height_cm",
    "shelf_life_days",
    "description",
    "gtin",
    "listed",
]


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def _phone(text: str) -> str:
    phone = phone_digits(text or "")
    if len(phone) != 10 or not phone.isdigit() or not phone.startswith("0"):
        raise InvalidInput(
            _("Enter a Vietnamese phone number of 10 digits, e.g. 0912345678."), code="phone"
        )
    return phone


def _audit_value(value):
    if isinstance(value, Village):
        return value.code
    return value


def _free_code(model, commune: Commune, name: str, wanted: str = "") -> str:
    base = (wanted or code_from_name(name))[:50] or "sp"
    taken = set(
        model.objects.filter(commune=commune, code__startswith=base).values_list("code", flat=True)
    )
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    return code


# --- producers ---------------------------------------------------------------------------------


def _village_of(commune: Commune, village) -> Village | None:
    if village is None or village == "":
        return None
    if isinstance(village, Village):
        found = village if village.commune_id == commune.pk else None
    else:
        found = Village.objects.filter(commune=commune, code=village).first()
    if found is None:
        raise InvalidInput(_("This village is not one of the commune's."), code="village")
    return found


def producer_create(
    *,
    actor,
    commune: Commune,
    kind: str,
    name: str,
    representative: str,
    phone: str,
    village=None,
    contact_channel: str = Producer.Channel.SMS,
    address: str = "",
    tax_code: str = "",
    publish_consent: bool = False,
    code: str = "",
    is_demo: bool = False,
) -> Producer:
    now = timezone.now()
    producer = Producer(
        commune=commune,
        village=_village_of(commune, village),
        kind=kind,
        name=" ".join(name.split()),
        representative=representative.strip(),
        phone=_phone(phone),
        contact_channel=contact_channel,
        address=address.strip(),
        tax_code=tax_code.strip(),
        publish_consent=publish_consent,
        publish_consent_at=now if publish_consent else None,
        is_demo=is_demo,
        created_at=now,
        updated_at=now,
    )
    with transaction.atomic():
        producer.code = _free_code(Producer, commune, producer.name, code)
        validated(producer, validate_unique=False)
        producer.save()
        audit_record(
            actor=actor,
            action="market.producer.create",
            object_type="producer",
            object_id=f"{commune.code}/{producer.code}",
            commune_code=commune.code,
            data={field: _audit_value(getattr(producer, field)) for field in PRODUCER_FIELDS},
        )
    return producer


def producer_update(*, actor, producer: Producer, **changes) -> Producer:
    if "phone" in changes:
        changes["phone"] = _phone(changes["phone"])
    if "village" in changes:
        changes["village"] = _village_of(producer.commune, changes["village"])
    consent_before = producer.publish_consent
    with transaction.atomic():
        diff = apply_changes(producer, changes, fields=PRODUCER_FIELDS)
        if producer.publish_consent != consent_before:
            producer.publish_consent_at = timezone.now() if producer.publish_consent else None
        producer.updated_at = timezone.now()
        producer.save()
        audit_record(
            actor=actor,
            action="market.producer.update",
            object_type="producer",
            object_id=f"{producer.commune.code}/{producer.code}",
            commune_code=producer.commune.code,
            data={
                side: {k: _audit_value(v) for k, v in values.items()}
                for side, values in diff.items()
            },
        )
    return producer


# --- products ----------------------------------------------------------------------------------


def _product_checked(product: Product) -> None:
    product.gtin = gtin_clean(product.gtin)
    if product.gtin and (Product.objects.filter(gtin=product.gtin).exclude(pk=product.pk).exists()):
        raise Conflict(
            _("Another product already has the GTIN %(gtin)s.") % {"gtin": product.gtin},
            code="gtin_taken",
        )
    if (
        product.net_weight_g
        and product.packed_weight_g
        and product.packed_weight_g < product.net_weight_g
    ):
        raise InvalidInput(
            _("The packed weight cannot be less than the net weight."), code="weights"
        )
    if product.min_order < 1:
        raise InvalidInput(_("The minimum order is at least 1."), code="min_order")


def product_create(
    *,
    actor,
    producer: Producer,
    name: str,
    category: str,
    unit: str,
    price: int,
    code: str = "",
    is_demo: bool = False,
    **fields,
) -> Product:
    """`fields`: the rest of PRODUCT_FIELDS (GTIN checked by its check digit)."""
    now = timezone.now()
    product = Product(
        producer=producer,
        commune_id=producer.commune_id,
        name=" ".join(name.split()),
        category=category,
        unit=unit,
        price=price,
        is_demo=is_demo,
        created_at=now,
        updated_at=now,
    )
    apply_changes(product, fields, fields=PRODUCT_FIELDS, exclude=["code"], validate_unique=False)
    _product_checked(product)
    with transaction.atomic():
        product.code = _free_code(Product, producer.commune, product.name, code)
        product.save()
        audit_record(
            actor=actor,
            action="market.product.create",
            object_type="product",
            object_id=f"{producer.commune.code}/{product.code}",
            commune_code=producer.commune.code,
            data={field: getattr(product, field) for field in PRODUCT_FIELDS},
        )
    return product


def product_update(*, actor, product: Product, **changes) -> Product:
    diff = apply_changes(product, changes, fields=PRODUCT_FIELDS, validate_unique=False)
    _product_checked(product)
    with transaction.atomic():
        product.updated_at = timezone.now()
        product.save()
        audit_record(
            actor=actor,
            action="market.product.update",
            object_type="product",
            object_id=f"{product.commune.code}/{product.code}",
            commune_code=product.commune.code,
            data=diff,
        )
    return product


def _jpeg(image: Image.Image, size: int) -> tuple[bytes, int, int]:
    copy = image.convert("RGB")
    copy.thumbnail((size, size))
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=80, optimize=True, progressive=True)
    return out.getvalue(), copy.width, copy.height


def product_photo_add(*, actor, product: Product, data) -> ProductPhoto:
    """A photo through the upload pipeline (size capped, type sniffed, re-encoded without its
    metadata, encrypted at rest), then downscaled for the catalogue: a web copy and a thumbnail."""
    from xaso.dossiers.uploads import upload_create

    if product.photos.count() >= PHOTOS_MAX:
        raise InvalidInput(
            _("A product has at most %(n)d photos.") % {"n": PHOTOS_MAX}, code="photos_max"
        )
    upload = upload_create(actor=actor, data=data)
    if upload.kind == "pdf":
        upload.file.delete(save=False)
        upload.delete()
        raise InvalidInput(_("A product photo is a JPEG or PNG image."), code="file_type")
    with upload.file.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        image.load()
        web, width, height = _jpeg(image, PHOTO_SIZE)
        thumb, _w, _h = _jpeg(image, THUMB_SIZE)
    photo = ProductPhoto(
        product=product,
        token=secrets.token_hex(16),
        upload=upload,
        width=width,
        height=height,
        position=product.photos.count(),
        created_at=timezone.now(),
    )
    photo.image.save("web.jpg", ContentFile(web), save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(thumb), save=False)
    try:
        with transaction.atomic():
            photo.save()
            audit_record(
                actor=actor,
                action="market.photo.add",
                object_type="product",
                object_id=f"{product.commune.code}/{product.code}",
                commune_code=product.commune.code,
                data={"photo": photo.token, "upload": upload.token},
            )
    except BaseException:
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
        raise
    return photo


def product_photo_remove(*, actor, photo: ProductPhoto) -> None:
    product = photo.product
    with transaction.atomic():
        photo.delete()
        audit_record(
            actor=actor,
            action="market.photo.remove",
            object_type="product",
            object_id=f"{product.commune.code}/{product.code}",
            commune_code=product.commune.code,
            data={"photo": photo.token},
        )
    transaction.on_commit(
        lambda: (photo.image.delete(save=False), photo.thumbnail.delete(save=False))
    )


# --- certificates ------------------------------------------------------------------------------


def certificate_validity(
    kind: str, issued_on: date, valid_until: date | None, stars: int | None
) -> date:
    """The certificate's expiry, checked against what the rules allow (docs/market.md)."""
    if kind == Certificate.Kind.OCOP:
        if stars not in (3, 4, 5):
            raise InvalidInput(_("An OCOP recognition has 3, 4 or 5 stars."), code="stars")
        latest = add_months(issued_on, OCOP_MONTHS)
        if valid_until is None:
            return latest
        if valid_until > latest:
            raise InvalidInput(
                _("An OCOP recognition lasts 36 months from its decision: at most until %(day)s.")
                % {"day": latest.strftime("%d/%m/%Y")},
                code="valid_until",
            )
    elif stars is not None:
        raise InvalidInput(_("Only an OCOP recognition has stars."), code="stars")
    if kind == Certificate.Kind.VIETGAP:
        latest = add_months(issued_on, 12 * VIETGAP_MAX_YEARS)
        if valid_until is None or valid_until > latest:
            raise InvalidInput(
                _(
                    "A VietGAP certificate is valid at most 2 years: enter its expiry, at most "
                    "%(day)s."
                )
                % {"day": latest.strftime("%d/%m/%Y")},
                code="valid_until",
            )
    if valid_until is None:
        raise InvalidInput(_("Enter the date the certificate is valid until."), code="valid_until")
    if valid_until < issued_on:
        raise InvalidInput(
            _("A certificate cannot expire before it is issued."), code="valid_until"
        )
    return valid_until


def certificate_add(
    *,
    actor,
    product: Product,
    kind: str,
    number: str,
    issued_on: date,
    valid_until: date | None = None,
    stars: int | None = None,
    issuer: str = "",
    is_demo: bool = False,
) -> Certificate:
    if kind not in Certificate.Kind.values:
        raise InvalidInput(_("Unknown kind of certificate."), code="kind")
    if not (number or "").strip():
        raise InvalidInput(_("Enter the decision or certificate number."), code="number")
    certificate = Certificate(
        product=product,
        kind=kind,
        stars=stars,
        number=number.strip(),
        issuer=issuer.strip(),
        issued_on=issued_on,
        valid_until=certificate_validity(kind, issued_on, valid_until, stars),
        is_demo=is_demo,
        created_at=timezone.now(),
    )
    validated(certificate)
    with transaction.atomic():
        certificate.save()
        audit_record(
            actor=actor,
            action="market.certificate.add",
            object_type="product",
            object_id=f"{product.commune.code}/{product.code}",
            commune_code=product.commune.code,
            data={
                "kind": kind,
                "stars": stars,
                "number": certificate.number,
                "issued_on": issued_on,
                "valid_until": certificate.valid_until,
            },
        )
    return certificate


def _officer_phones(commune_ids) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    rows = (
        Membership.objects.filter(
            commune_id__in=commune_ids, role__in=WARNED_ROLES, user__is_active=True
        )
        .exclude(user__phone="")
        .values_list("commune_id", "user__phone")
    )
    for commune_id, phone in rows:
        found.setdefault(commune_id, set()).add(phone)
    return found


def _phone_channel(preferred: str) -> str:
    if preferred and is_usable(preferred):
        return preferred
    default = default_channel_name()
    return default if default in PHONE_CHANNELS else "sms"


def certificates_warn_expiring(*, today: date | None = None) -> int:
    """Warn the producer and the commune's officers, once, of each certificate that expires
    within WARN_DAYS days (run daily: `xaso market-warn-expiring`). Returns how many."""
    today = today or timezone.localdate()
    due = list(
        Certificate.objects.filter(
            warned_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=WARN_DAYS),
        )
        .select_related("product__producer", "product__commune")
        .order_by("valid_until", "pk")
    )
    officers = _officer_phones({c.product.commune_id for c in due})
    for certificate in due:
        product = certificate.product
        producer = product.producer
        data = {
            "product": product.name,
            "producer": producer.name,
            "certificate": certificate.get_kind_display(),
            "number": certificate.number,
            "valid_until": certificate.valid_until.isoformat(),
            "commune": product.commune.name,
        }
        with transaction.atomic():
            claimed = Certificate.objects.filter(pk=certificate.pk, warned_at__isnull=True).update(
                warned_at=timezone.now()
            )
            if not claimed:
                continue  # another run warned it meanwhile
            recipients = {producer.phone: _phone_channel(producer.contact_channel)}
            for phone in sorted(officers.get(product.commune_id, ())):
                recipients.setdefault(phone, _phone_channel(""))
            for phone, channel in recipients.items():
                outbox_enqueue(
                    recipient=phone,
                    template=messages.CERTIFICATE_EXPIRING,
                    data=data,
                    channel=channel,
                )
            audit_record(
                actor=None,
                action="market.certificate.warn",
                object_type="product",
                object_id=f"{product.commune.code}/{product.code}",
                commune_code=product.commune.code,
                data={
                    "number": certificate.number,
                    "valid_until": certificate.valid_until,
                    "recipients": len(recipients),
                },
            )
    return len(due)


# --- lots --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepIn:
    on: date
    name: str
    note: str = ""


def _lot_code(produced_on: date) -> str:
    tail = "".join(secrets.choice(LOT_ALPHABET) for _ in range(4))
    return f"{produced_on:%y%m%d}-{tail}"


def lot_create(
    *,
    actor,
    product: Product,
    produced_on: date,
    quantity,
    plot: str = "",
    expires_on: date | None = None,
    steps=(),
    code: str = "",
    is_demo: bool = False,
) -> Lot:
    """A lot and its processing steps; the code is made here (date + 4 characters) unless given.
    With no `expires_on`, the product's shelf life counts from the production date."""
    if produced_on > timezone.localdate():
        raise InvalidInput(
            _("The harvest or production date cannot be in the future."), code="produced_on"
        )
    if expires_on is None and product.shelf_life_days:
        expires_on = produced_on + timedelta(days=product.shelf_life_days)
    if expires_on is not None and expires_on < produced_on:
        raise InvalidInput(_("A lot cannot expire before it is produced."), code="expires_on")
    steps = [step if isinstance(step, StepIn) else StepIn(**step) for step in steps]
    for step in steps:
        if not step.name.strip():
            raise InvalidInput(_("Name each processing step."), code="steps")
        if step.on < produced_on or step.on > timezone.localdate():
            raise InvalidInput(
                _("A processing step happens between the harvest or production date and today."),
                code="steps",
            )
    if code and not LOT_CODE.match(code):
        raise InvalidInput(
            _("A lot code has up to 20 capital letters, digits and hyphens."), code="code"
        )
    lot = Lot(
        product=product,
        produced_on=produced_on,
        quantity=quantity,
        plot=plot.strip(),
        expires_on=expires_on,
        is_demo=is_demo,
        created_at=timezone.now(),
    )
    validated(lot, exclude=["code"], validate_unique=False)
    for attempt in range(5):
        lot.code = code or _lot_code(produced_on)
        try:
            with transaction.atomic():
                lot.save()
                LotStep.objects.bulk_create(
                    LotStep(lot=lot, on=s.on, name=s.name.strip(), note=s.note.strip())
                    for s in steps
                )
                audit_record(
                    actor=actor,
                    action="market.lot.create",
                    object_type="lot",
                    object_id=lot.code,
                    commune_code=product.commune.code,
                    data={
                        "product": product.code,
                        "produced_on": produced_on,
                        "quantity": str(quantity),
                        "steps": len(steps),
                    },
                )
        except IntegrityError as error:
            lot.pk = None
            if code or attempt == 4:
                raise Conflict(
                    _("A lot with this code exists already."), code="lot_taken"
                ) from error
            continue
        return lot
    raise AssertionError("unreachable")


# --- buyers' inquiries -------------------------------------------------------------------------


def inquiry_send(
    *,
    product: Product,
    name: str,
    phone: str,
    message: str,
    quantity: int | None = None,
    language: str | None = None,
) -> Inquiry:
    """A buyer's message from the catalogue: logged, and sent to the producer's phone (SMS or
    Zalo, as the producer chose) through the outbox, once. The caller rate-limits it."""
    name, message = " ".join((name or "").split()), " ".join((message or "").split())
    if not name:
        raise InvalidInput(_("Enter your name."), code="name")
    if not message:
        raise InvalidInput(_("Write your message to the producer."), code="message")
    if len(name) > 120 or len(message) > 500:
        raise InvalidInput(_("The message is too long: at most 500 characters."), code="message")
    if quantity is not None and not 1 <= quantity <= 1_000_000:
        raise InvalidInput(_("Enter a quantity between 1 and 1,000,000."), code="quantity")
    if not product.listed or not product.producer.publish_consent:
        raise InvalidInput(_("This product is not listed."), code="not_listed")
    buyer_phone = _phone(phone)
    producer = product.producer
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            product=product,
            name=name,
            phone=buyer_phone,
            message=message,
            quantity=quantity,
            created_at=timezone.now(),
        )
        sent = outbox_enqueue(
            recipient=producer.phone,
            template=messages.INQUIRY,
            data={
                "product": product.name,
                "buyer": name,
                "phone": buyer_phone,
                "message": message,
                "quantity": quantity or "",
                "unit": product.get_unit_display(),
            },
            language=language or settings.LANGUAGE_CODE,
            channel=_phone_channel(producer.contact_channel),
        )
        inquiry.message_id = sent.pk
        inquiry.save(update_fields=["message_id"])
        audit_record(
            actor=None,
            action="market.inquiry.send",
            object_type="product",
            object_id=f"{product.commune.code}/{product.code}",
            commune_code=product.commune.code,
            data={"inquiry": inquiry.pk, "message": sent.pk, "channel": sent.channel},
        )
    return inquiry
