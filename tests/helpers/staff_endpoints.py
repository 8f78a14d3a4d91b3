"""Every staff endpoint of the API, found from the OpenAPI schema (operations tagged "staff"),
with a valid request for the test world's commune.

A later issue that adds a staff endpoint adds its sample path values and body here; the isolation
test then fails until it does, so no staff endpoint escapes the "other commune gets 404" check.
"""

import itertools
import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from xaso.api import api
from xaso.catalog.models import Procedure, ProcedureField
from xaso.core.crypto import encrypt_text
from xaso.dossiers.models import Attachment, Dossier, DossierEvent, Upload
from xaso.payments.models import BankTransaction, Payment, PaymentRequest, ReceivingAccount

from .world import World

STAFF_TAG = "staff"


def world_dossier(world: World) -> Dossier:
    """A dossier of the world's commune (made on first use, straight in the database)."""
    if getattr(world, "dossier", None) is None:
        field, _ = ProcedureField.objects.get_or_create(code="ho-tich", name="Hộ tịch")
        procedure = Procedure.objects.create(
            code="1.001193", name="Đăng ký khai sinh", field=field, limit_amount=0,
            limit_unit="same_day", online_level="full", result_type="Giấy khai sinh",
            decider="committee", document_kind="birth_extract",
            form={"fields": []}, fees={"rules": [{"kind": "free"}]},
        )  # fmt: skip
        now = timezone.now()
        world.dossier = Dossier.objects.create(
            code="T-A-261125-0001", lookup_secret="ABCDEFGH23", receiving_commune=world.commune,
            deciding_commune=world.commune, procedure=procedure, channel="counter",
            applicant={"full_name": "Nguyễn Văn A", "phone": "0912345678"},
            state="received", submitted_at=now, received_at=now, clock_started_at=now,
            due_at=now + timedelta(hours=8),
        )  # fmt: skip
        DossierEvent.objects.create(
            dossier=world.dossier, at=now, action="intake", from_state="", to_state="received"
        )
    return world.dossier


def world_subject_request(world: World):
    """A citizen's open request to see their data in the world commune."""
    from xaso.privacy.models import SubjectRequest

    now = timezone.now()
    request, _ = SubjectRequest.objects.get_or_create(
        code="DL-WORLD001",
        defaults={"commune": world.commune, "user": world.user("citizen"), "phone": "0912345678",
                  "kind": "access", "target": "all", "received_at": now,
                  "due_at": now + timedelta(days=2)},
    )  # fmt: skip
    return request


def world_payment_request(world: World) -> PaymentRequest:
    """The world dossier's fee (10.000 ₫, unpaid), paid to the world commune's account."""
    dossier = world_dossier(world)
    account, _ = ReceivingAccount.objects.get_or_create(
        commune=world.commune, bank_bin="970405", account_number="0000000000001",
        defaults={"holder_name": "UBND XA THU A", "webhook_secret": encrypt_text("world")},
    )  # fmt: skip
    now = timezone.now()
    request, _ = PaymentRequest.objects.get_or_create(
        dossier=dossier,
        defaults={"account": account, "amount": 10000, "reference": "TA2611250001",
                  "transfer_note": "XASO TA2611250001", "created_at": now, "updated_at": now},
    )  # fmt: skip
    return request


def world_transaction(world: World) -> BankTransaction:
    """An unmatched transfer to the world commune's account, for an officer to assign."""
    request = world_payment_request(world)
    row, _ = BankTransaction.objects.get_or_create(
        account=request.account, transaction_id="FT-WORLD-1",
        defaults={"amount": 10000, "description": "chuyen tien", "occurred_at": timezone.now(),
                  "recorded_at": timezone.now(), "source": "webhook", "match": "unmatched"},
    )  # fmt: skip
    return row


def world_payment(world: World) -> Payment:
    """A cash payment of the world dossier, with its receipt number."""
    request = world_payment_request(world)
    payment, _ = Payment.objects.get_or_create(
        request=request, receipt_number="T-A-2026-000001",
        defaults={"method": "cash", "amount": 10000, "at": timezone.now()},
    )  # fmt: skip
    return payment


_account_numbers = itertools.count(1000000000001)


def world_market_product(world: World):
    """A producer, a product and a lot of the world's commune (market, issue 20)."""
    from datetime import date

    from xaso.market import services as market

    if getattr(world, "market_product", None) is None:
        producer = market.producer_create(
            actor=None, commune=world.commune, kind="household", name="Hộ ông A",
            representative="Nguyễn Văn A", phone="0912345678", publish_consent=True,
        )  # fmt: skip
        world.market_product = market.product_create(
            actor=None, producer=producer, name="Mắc ca", category="food", unit="kg",
            price=250000,
        )  # fmt: skip
        world.market_lot = market.lot_create(
            actor=None, product=world.market_product, produced_on=date(2026, 11, 1), quantity=10
        )
    return world.market_product


def world_announcement(world: World):
    """A draft announcement of the world's commune, written by its administrator (news)."""
    from xaso.news import services as news

    if getattr(world, "announcement", None) is None:
        world.announcement = news.announcement_write(
            actor=world.user("commune_admin"), commune_code=world.commune.code,
            category="events", title="Họp thôn", body="Họp thôn lúc 19 giờ.",
        )  # fmt: skip
    return world.announcement


def world_bulletin(world: World):
    """Today's bulletin for the world commune's loudspeakers (news)."""
    from xaso.news import services as news

    if getattr(world, "bulletin", None) is None:
        world.bulletin = news.bulletin_create(
            actor=world.user("commune_admin"), commune_code=world.commune.code,
            title="Tiêm phòng", text="Tiêm phòng cho đàn gia súc.", priority="emergency",
        )  # fmt: skip
    return world.bulletin


def world_feedback(world: World):
    """A citizen's feedback filed in the world commune (feedback, PAKN)."""
    from xaso.feedback import services as feedback

    if getattr(world, "feedback", None) is None:
        world.feedback = feedback.feedback_file(
            actor=None, commune_code=world.commune.code, category="infrastructure",
            text="Đường vào thôn hỏng.", phone="0912345678",
        )  # fmt: skip
    return world.feedback


# Values for path parameters, by name, in the test world.
PATH_SAMPLES = {
    "code": lambda world: world.commune.code,
    "village_code": lambda world: world.village.code,
    "rule_kind": lambda world: "friday_same_day",
    "dossier_code": lambda world: world_dossier(world).code,
    "request_code": lambda world: world_subject_request(world).code,
    "action": lambda world: "withdraw",
    "form": lambda world: "receipt",
    "upload_id": lambda world: world_attachment(world).upload.token,
    "transaction_id": lambda world: world_transaction(world).transaction_id,
    "receipt_number": lambda world: world_payment(world).receipt_number,
    "result_dossier_code": lambda world: world_result(world).dossier.code,
    "team_id": lambda world: str(world_team(world).pk),
    "product_code": lambda world: world_market_product(world).code,
    "lot_code": lambda world: world_market_product(world) and world.market_lot.code,
    "announcement_code": lambda world: world_announcement(world).code,
    "announcement_action": lambda world: "submit",
    "bulletin_code": lambda world: world_bulletin(world).code,
    "feedback_code": lambda world: world_feedback(world).code,
    "feedback_action": lambda world: "classify",
}


def world_team(world: World):
    """The digital team of the world commune's village."""
    from xaso.community.models import Team

    team, _ = Team.objects.get_or_create(
        village=world.village, defaults={"commune": world.commune, "name": "Tổ CNS Lộc Tân"}
    )
    return team


_village_numbers = itertools.count(1)


def world_new_village(world: World) -> str:
    from xaso.places.models import Village

    number = next(_village_numbers)
    return Village.objects.create(
        commune=world.commune, code=f"thon-moi-{number}", name=f"Thôn Mới {number}"
    ).code


def world_result(world: World):
    """A result document of the world dossier (stored as is: no signing needed to serve it)."""
    from xaso.results.models import ResultDocument

    dossier = world_dossier(world)
    result = ResultDocument.objects.filter(dossier=dossier).first()
    if result is None:
        now = timezone.now()
        result = ResultDocument.objects.create(
            dossier=dossier, commune=world.commune, number="1/TLKS", year=now.year, sequence=1,
            kind="birth_extract", holder_name="Nguyễn Văn B", issued_at=now.date(), signed_at=now,
            signer=world.user("leader"), signer_name="Cán bộ leader", signer_title="Chủ tịch",
            sha256="0" * 64, file_sha256="0" * 64, seal="x.y", pdf=b"%PDF-1.7\n",
        )  # fmt: skip
    return result


def world_attachment(world: World) -> Attachment:
    dossier = world_dossier(world)
    if not dossier.attachments.exists():
        upload = Upload(token="world-upload-1", kind="pdf", size=9, sha256="0" * 64,
                        created_at=timezone.now())  # fmt: skip
        upload.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        upload.save()
        Attachment.objects.create(dossier=dossier, upload=upload, field_name="scan",
                                  document_key="to-khai", source="uploaded")  # fmt: skip
    return dossier.attachments.get()


# Query strings of endpoints whose commune is a query parameter.
QUERY_SAMPLES = {
    ("GET", "/api/v1/dossiers/register"): lambda world: (
        f"?commune={world.commune.code}&from=2026-11-01&to=2026-11-30"
    ),
    ("GET", "/api/v1/payments/unmatched"): lambda world: f"?commune={world.commune.code}",
    ("GET", "/api/v1/privacy/requests"): lambda world: f"?commune={world.commune.code}",
    ("GET", "/api/v1/reports/index"): lambda world: f"?commune={world.commune.code}",
    ("GET", "/api/v1/reports/kpis"): lambda world: f"?commune={world.commune.code}",
    ("GET", "/api/v1/community/teams"): lambda world: f"?commune={world.commune.code}",
    ("GET", "/api/v1/community/adoption"): lambda world: f"?commune={world.commune.code}",
    ("GET", "/api/v1/community/trainings"): lambda world: f"?commune={world.commune.code}",
    ("GET", "/api/v1/community/targets"): lambda world: (
        f"?commune={world.commune.code}&month=2026-11"
    ),
    ("GET", "/api/v1/broadcasts/script.txt"): lambda world: f"?commune={world.commune.code}",
    ("GET", "/api/v1/feedback/queue"): lambda world: f"?commune={world.commune.code}",
}

# Lists have no commune in their path: another commune's user gets an empty list, not a 404.
LISTS = {("GET", "/api/v1/dossiers")}

# Dossier actions: which role may take which action in which state is the workflow table's
# business, tested in tests/dossiers/; here the sample action (withdraw) is the desk's, so the
# commune admin is refused (403) and the generic "roles that may not write" check does not apply.
# Consent codes are the community team's (tested in tests/dossiers/test_lifecycle.py).
# Cash and assigning transfers are the desk's (tested in tests/payments/).
ADMIN_REFUSED = {
    ("POST", "/api/v1/dossiers/{dossier_code}/{action}"),
    ("POST", "/api/v1/consents/otp"),
    ("POST", "/api/v1/dossiers/{dossier_code}/payments/cash"),
    ("POST", "/api/v1/payments/transactions/{transaction_id}/assign"),
    ("POST", "/api/v1/dossiers/{dossier_code}/payments/exemption"),
    ("POST", "/api/v1/dossiers/{dossier_code}/payments/amount"),
    # Signing is the leader's (tested in tests/results/test_api.py).
    ("POST", "/api/v1/results/sign-batch"),
    # The register entry is the civil-status officer's or the leader's (tests/results/
    # test_registers.py).
    ("POST", "/api/v1/results/dossiers/{result_dossier_code}/register-entry"),
    # Approving a bulletin is the leader's or the culture officer's (tests/news/).
    ("POST", "/api/v1/broadcasts/{bulletin_code}/approve"),
    # Classifying feedback is the desk's or the leader's (tests/feedback/).
    ("POST", "/api/v1/feedback/{feedback_code}/{feedback_action}"),
}
# Personal-data requests are answered by the desk and the leader too (tested in tests/privacy/).
ROLES_TESTED_ELSEWHERE = ADMIN_REFUSED | {
    ("POST", "/api/v1/privacy/requests/{request_code}/answer"),
    # The market's writes are also the specialist's and the village team's (tests/market/).
    ("POST", "/api/v1/market/communes/{code}/producers"),
    ("POST", "/api/v1/market/communes/{code}/products"),
    ("PATCH", "/api/v1/market/communes/{code}/products/{product_code}"),
    ("POST", "/api/v1/market/communes/{code}/products/{product_code}/certificates"),
    ("POST", "/api/v1/market/communes/{code}/products/{product_code}/lots"),
    # Announcements and bulletins are written by any officer of the commune, approved by the
    # leader or the culture officer (tests/news/).
    ("POST", "/api/v1/news"),
    ("POST", "/api/v1/news/{announcement_code}/{announcement_action}"),
    ("POST", "/api/v1/broadcasts"),
    ("POST", "/api/v1/broadcasts/{bulletin_code}/play"),
    ("POST", "/api/v1/broadcasts/{bulletin_code}/approve"),
    ("POST", "/api/v1/broadcasts/{bulletin_code}/audio"),
}

# A valid body per (method, path template); a fresh one each call, so creations do not collide.
BODY_SAMPLES = {
    ("POST", "/api/v1/news"): lambda world: {
        "commune": world.commune.code,
        "category": "events",
        "title": "Họp dân",
        "body": "Họp dân tại nhà văn hoá thôn.",
    },
    ("POST", "/api/v1/news/{announcement_code}/{announcement_action}"): lambda world: {},
    ("POST", "/api/v1/broadcasts"): lambda world: {
        "commune": world.commune.code,
        "title": "Lịch cắt điện",
        "text": "Cắt điện sáng mai.",
    },
    ("POST", "/api/v1/broadcasts/{bulletin_code}/play"): lambda world: {
        "date": str(world_bulletin(world).first_day),
        "slot": "now",
    },
    ("POST", "/api/v1/broadcasts/{bulletin_code}/approve"): lambda world: {},
    ("POST", "/api/v1/broadcasts/{bulletin_code}/audio"): lambda world: {},
    ("POST", "/api/v1/feedback/{feedback_code}/{feedback_action}"): lambda world: {
        "unit": "Địa chính"
    },
    ("PATCH", "/api/v1/communes/{code}/payments/settings"): lambda world: {
        "return_requires_payment": False
    },
    ("POST", "/api/v1/dossiers/{dossier_code}/payments/amount"): lambda world: (
        world_payment_request(world) and {"amount": 5000}
    ),
    ("POST", "/api/v1/dossiers/{dossier_code}/payments/exemption"): lambda world: (
        world_payment_request(world) and {"exemption": "poor_household", "evidence": "Sổ hộ nghèo"}
    ),
    ("PATCH", "/api/v1/communes/{code}"): lambda world: {"agency_code": "000.00.12.H56"},
    ("POST", "/api/v1/communes/{code}/villages"): lambda world: {"name": "Thôn Mới"},
    ("PATCH", "/api/v1/communes/{code}/villages/{village_code}"): lambda world: {"households": 120},
    ("PUT", "/api/v1/communes/{code}/calendar/office-hours"): lambda world: {
        "regimes": [{"periods": [{"start": "07:30", "end": "11:30"}]}]
    },
    ("PATCH", "/api/v1/communes/{code}/calendar/settings"): lambda world: {
        "same_day_cutoff": "15:30"
    },
    ("PATCH", "/api/v1/communes/{code}/calendar/service-rules/{rule_kind}"): lambda world: {
        "enabled": True
    },
    ("POST", "/api/v1/dossiers/{dossier_code}/{action}"): lambda world: {"reason": "Thử"},
    ("POST", "/api/v1/consents/otp"): lambda world: (
        world_dossier(world)
        and {
            "commune": world.commune.code,
            "phone": "0912345678",
            "procedure": world_dossier(world).procedure.code,
        }
    ),
    ("POST", "/api/v1/dossiers/{dossier_code}/payments/cash"): lambda world: (
        world_payment_request(world) and {"amount": 10000}
    ),
    ("POST", "/api/v1/payments/transactions/{transaction_id}/assign"): lambda world: {
        "dossier": world_dossier(world).code
    },
    ("POST", "/api/v1/results/sign-batch"): lambda world: {"codes": [world_dossier(world).code]},
    ("POST", "/api/v1/results/dossiers/{result_dossier_code}/register-entry"): lambda world: {
        "number": "1",
        "book": "01/2026",
        "personal_id": "066226000001",
    },
    ("POST", "/api/v1/communes/{code}/payments/accounts"): lambda world: {
        "bank_bin": "970405",
        "account_number": str(next(_account_numbers)),
        "holder_name": "UBND XA THU A",
    },
    ("POST", "/api/v1/community/teams"): lambda world: {
        "commune": world.commune.code,
        "village": world_new_village(world),
        "decision": {"number": "12/QĐ-UBND", "date": "2026-11-02", "signer": "Chủ tịch UBND xã"},
    },
    ("POST", "/api/v1/community/teams/{team_id}/members"): lambda world: {
        "full_name": "Nguyễn Văn Tổ",
        "role": "member",
        "origin": "youth_union",
    },
    ("POST", "/api/v1/community/trainings"): lambda world: {
        "commune": world.commune.code,
        "team": world_team(world).pk,
        "topic": "Kích hoạt VNeID mức 2",
        "date": "2026-11-20",
        "place": "Nhà văn hóa thôn",
        "trainer": "Công an xã",
        "attendees": [{"kind": "resident", "name": "Trần Thị Ba", "course_completed": True}],
    },
    ("POST", "/api/v1/community/targets"): lambda world: {
        "team": world_team(world).pk,
        "month": "2026-11",
        "metric": "activations",
        "target": 50,
    },
    ("POST", "/api/v1/privacy/requests/{request_code}/answer"): lambda world: {
        "answer": "Dữ liệu của bạn gồm họ tên, số điện thoại và hồ sơ đã nộp."
    },
    ("POST", "/api/v1/market/communes/{code}/producers"): lambda world: {
        "kind": "household",
        "name": "Hộ bà B",
        "representative": "Trần Thị B",
        "phone": "0987654321",
    },
    ("POST", "/api/v1/market/communes/{code}/products"): lambda world: {
        "producer": world_market_product(world).producer.code,
        "name": "Bơ sáp",
        "category": "food",
        "unit": "kg",
        "price": 30000,
    },
    ("PATCH", "/api/v1/market/communes/{code}/products/{product_code}"): lambda world: {
        "price": 260000
    },
    ("POST", "/api/v1/market/communes/{code}/products/{product_code}/certificates"): (
        lambda world: {
            "kind": "ocop",
            "stars": 3,
            "number": "12/QĐ-UBND",
            "issued_on": "2025-03-01",
        }
    ),
    ("POST", "/api/v1/market/communes/{code}/products/{product_code}/lots"): lambda world: {
        "produced_on": "2026-11-20",
        "quantity": "12.5",
        "steps": [{"on": "2026-11-21", "name": "Sấy"}],
    },
}


@dataclass(frozen=True)
class StaffOperation:
    method: str
    path: str  # template, e.g. /api/v1/communes/{code}/villages

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, world: World) -> str:
        def value(match):
            name = match.group(1)
            if name not in PATH_SAMPLES:
                raise AssertionError(f"add a sample for path parameter {name!r} to PATH_SAMPLES")
            return PATH_SAMPLES[name](world)

        query = QUERY_SAMPLES.get(self.key, lambda world: "")(world)
        return re.sub(r"\{(\w+)\}", value, self.path) + query

    def body(self, world: World):
        if self.method == "GET":
            return None
        if (self.method, self.path) not in BODY_SAMPLES:
            raise AssertionError(f"add a valid body for {self} to BODY_SAMPLES")
        return BODY_SAMPLES[(self.method, self.path)](world)

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)


def staff_operations() -> list[StaffOperation]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if STAFF_TAG in operation.get("tags", []):
                operations.append(StaffOperation(method.upper(), path))
    return sorted(operations, key=str)
