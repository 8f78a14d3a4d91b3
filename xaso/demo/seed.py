"""The demo commune, modelled on the Phú Lộc pilot (shared/seed/phu-loc-article.vi.txt).

Phú Lộc was merged in the 2025 reorganisation and is no longer a unit, so the demo commune carries a
code no national unit can have and the demo flag. Idempotent: running it again changes nothing but
the demo password (so the README stays true when XASO_DEMO_PASSWORD changes).
"""

import binascii
import os
from base64 import b32decode
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from xaso.accounts.models import Role, User
from xaso.accounts.second_factor import SECOND_FACTOR_ROLES
from xaso.accounts.services import membership_grant, staff_user_create, totp_enrol_with_secret
from xaso.catalog.exchange import SEED_CATALOG, read_catalog_file
from xaso.catalog.models import CommuneProcedure, Procedure, ProvincialFeeRate
from xaso.catalog.services import (
    catalog_import,
    commune_offer_default_specialist_set,
    commune_procedures_offer,
    provincial_rate_save,
)
from xaso.core.crypto import decrypt_text, encrypt_text
from xaso.demo.community import seed_demo_community
from xaso.payments.models import ReceivingAccount
from xaso.places.models import Commune, Province, Village
from xaso.places.services import places_load, village_create
from xaso.privacy.models import ControllerContact
from xaso.privacy.selectors import controller_contact
from xaso.privacy.services import controller_contact_save
from xaso.results.credentials import pki_init_dev
from xaso.workdays.services import demo_calendar_seed

from .feedback import seed_demo_feedback
from .market import seed_demo_market
from .news import seed_demo_news

DAK_LAK = "66"
DEMO_COMMUNE = "DEMO-PL"
OTHER_DEMO_COMMUNE = "DEMO-TN"

# Lộc Tân and Lộc Tài are named in the article; the other thirteen are labelled demo data.
DEMO_VILLAGES = (
    [("Thôn Lộc Tân", Village.Kind.THON), ("Thôn Lộc Tài", Village.Kind.THON)]
    + [(f"Thôn {number} (demo)", Village.Kind.THON) for number in range(1, 12)]
    + [("Buôn 1 (demo)", Village.Kind.BUON), ("Buôn 2 (demo)", Village.Kind.BUON)]
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    commune: str | None = None
    province: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("reception", "Cán bộ Một cửa (demo)", Role.RECEPTION, DEMO_COMMUNE),
    DemoAccount("specialist", "Công chức Tư pháp – Hộ tịch (demo)", Role.SPECIALIST, DEMO_COMMUNE),
    DemoAccount("leader", "Phó Chủ tịch UBND xã (demo)", Role.LEADER, DEMO_COMMUNE),
    DemoAccount("admin", "Quản trị xã (demo)", Role.COMMUNE_ADMIN, DEMO_COMMUNE),
    DemoAccount(
        "community", "Tổ công nghệ số thôn Lộc Tân (demo)", Role.COMMUNITY_MEMBER, DEMO_COMMUNE
    ),
    DemoAccount(
        "other-reception", "Cán bộ Một cửa xã khác (demo)", Role.RECEPTION, OTHER_DEMO_COMMUNE
    ),
    DemoAccount("province", "Cán bộ tỉnh Đắk Lắk (demo)", Role.PROVINCE_VIEWER, province=DAK_LAK),
]


def _demo_commune(code: str, name: str, province: Province) -> Commune:
    commune, _created = Commune.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "division_type": "xã",
            "province": province,
            "agency_code": code,
            "is_demo": True,
        },
    )
    return commune


# The demo commune's fee account: a number no bank issues, a holder name that says "demo".
DEMO_BANK_BIN = "970405"  # Agribank
DEMO_ACCOUNT_NUMBER = "0000000000000"
DEMO_ACCOUNT_HOLDER = "UBND XA PHU LOC (DEMO)"


def demo_webhook_secret() -> str:
    return os.environ.get("XASO_DEMO_WEBHOOK_SECRET", "xaso-demo-webhook")


def _demo_receiving_account(commune: Commune) -> ReceivingAccount:
    """Idempotent; the secret follows XASO_DEMO_WEBHOOK_SECRET (like the demo password)."""
    secret = demo_webhook_secret()
    account = ReceivingAccount.objects.filter(
        bank_bin=DEMO_BANK_BIN, account_number=DEMO_ACCOUNT_NUMBER
    ).first()
    if account is None:
        return ReceivingAccount.objects.create(
            commune=commune,
            bank_bin=DEMO_BANK_BIN,
            account_number=DEMO_ACCOUNT_NUMBER,
            holder_name=DEMO_ACCOUNT_HOLDER,
            webhook_secret=encrypt_text(secret),
        )
    try:
        current = decrypt_text(account.webhook_secret)
    except ValueError:  # XASO_FIELD_KEY changed since the last seed
        current = None
    if current != secret:
        account.webhook_secret = encrypt_text(secret)
        account.save(update_fields=["webhook_secret"])
    return account


# Provincial rates (keys of the seed catalogue's `provincial` fee rules) for the demo province,
# so that no demo dossier stops at return on a fee nobody entered. They are NOT Đắk Lắk's
# People's Council figures (not checked): stored unverified and saying so, for the administrator
# to replace with the resolution's figures (admin: provincial fee rates).
DEMO_RATE_REFERENCE = (
    "Mức minh họa của bản demo, chưa đối chiếu Nghị quyết của HĐND tỉnh Đắk Lắk về phí, lệ phí:"
    " quản trị phải nhập mức thật"
)
DEMO_PROVINCIAL_RATES = {
    "late_birth_registration": 5_000,
    "late_death_registration": 5_000,
    "re_registration_birth": 5_000,
    "re_registration_death": 5_000,
    "parent_child_recognition": 15_000,
    "marital_status_confirmation": 5_000,
    "foreign_birth_registration": 75_000,
    "foreign_marriage_registration": 1_000_000,
    "household_business_change": 50_000,
    "household_business_reissue": 50_000,
    "construction_permit": 75_000,
    "civil_status_change": 10_000,
    "re_registration_marriage": 10_000,
    "household_business_registration": 100_000,
}


def _demo_provincial_rates(province: Province) -> None:
    """Idempotent: a rate the administrator entered or corrected is kept."""
    present = set(ProvincialFeeRate.objects.filter(province=province).values_list("key", flat=True))
    for key, amount in DEMO_PROVINCIAL_RATES.items():
        if key not in present:
            rate = ProvincialFeeRate(
                province=province, key=key, amount=amount,
                legal_reference=DEMO_RATE_REFERENCE, verified=False,
            )  # fmt: skip
            provincial_rate_save(actor=None, rate=rate)


def demo_totp_key() -> str:
    """XASO_DEMO_TOTP_SECRET (base32, as authenticator apps take it) as django-otp's hex key."""
    secret = "".join(settings.XASO_DEMO_TOTP_SECRET.split()).upper()
    try:
        key = b32decode(secret + "=" * (-len(secret) % 8))
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured("XASO_DEMO_TOTP_SECRET must be base32 (A–Z, 2–7).") from error
    if len(key) < 10:
        raise ImproperlyConfigured("XASO_DEMO_TOTP_SECRET must be at least 16 base32 letters.")
    return key.hex()


def seed_demo() -> list[DemoAccount]:
    if not Province.objects.filter(code=DAK_LAK).exists():
        places_load()
    with transaction.atomic():
        dak_lak = Province.objects.get(code=DAK_LAK)
        communes = {
            DEMO_COMMUNE: _demo_commune(DEMO_COMMUNE, "Xã Phú Lộc (demo)", dak_lak),
            OTHER_DEMO_COMMUNE: _demo_commune(OTHER_DEMO_COMMUNE, "Xã Thử Nghiệm (demo)", dak_lak),
        }
        existing = set(communes[DEMO_COMMUNE].villages.values_list("name", flat=True))
        for name, kind in DEMO_VILLAGES:
            if name not in existing:
                village_create(actor=None, commune=communes[DEMO_COMMUNE], name=name, kind=kind)
        if not communes[OTHER_DEMO_COMMUNE].villages.exists():
            village_create(actor=None, commune=communes[OTHER_DEMO_COMMUNE], name="Thôn 1 (demo)")
        # Tuesday "không viết" and Friday "không hẹn" (until the close of office hours), as in
        # the Phú Lộc pilot.
        demo_calendar_seed(commune=communes[DEMO_COMMUNE])
        if not Procedure.objects.exists():
            catalog_import(actor=None, data=read_catalog_file(SEED_CATALOG).data)
        _demo_provincial_rates(dak_lak)
        for commune in communes.values():
            commune_procedures_offer(actor=None, commune=commune)
            if controller_contact(commune) is None:  # the personal-data notice names it
                controller_contact_save(
                    actor=None,
                    contact=ControllerContact(
                        commune=commune,
                        address=f"Bộ phận Một cửa, trụ sở UBND {commune.name}",
                        officer="Văn phòng HĐND và UBND xã",
                    ),
                )
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is None:
                user = staff_user_create(
                    actor=None,
                    username=account.username,
                    password=settings.XASO_DEMO_PASSWORD,
                    full_name=account.full_name,
                )
            else:
                user.set_password(settings.XASO_DEMO_PASSWORD)
                user.save(update_fields=["password"])
            membership_grant(
                actor=None,
                user=user,
                role=account.role,
                commune=communes.get(account.commune),
                province=dak_lak if account.province else None,
            )
            # Leaders and administrators need a second factor: the demo's is the printed secret.
            if account.role in SECOND_FACTOR_ROLES:
                totp_enrol_with_secret(user=user, secret_hex=demo_totp_key())
        # The civil-status officer gets the commune's civil-status dossiers on receipt.
        demo_commune = communes[DEMO_COMMUNE]
        _demo_receiving_account(demo_commune)
        specialist = User.objects.get(username="specialist")
        civil_status = list(
            Procedure.objects.filter(field__code="ho-tich").values_list("code", flat=True)
        )
        if not CommuneProcedure.objects.filter(
            commune=demo_commune, procedure__code__in=civil_status, default_specialist=specialist
        ).exists():
            commune_offer_default_specialist_set(
                actor=None, commune=demo_commune, codes=civil_status, specialist=specialist
            )
        # The village digital teams (xaso/demo/community.py).
        seed_demo_community(DEMO_COMMUNE)
        # The demo signs for real: a development CA and a certificate for each demo leader.
        pki_init_dev()
        seed_demo_news()
        seed_demo_feedback()
        seed_demo_market(DEMO_COMMUNE)  # producers, products, certificates, lots (issue 20)
    return DEMO_ACCOUNTS
