"""The demo's working desk: dossiers in every state of the workflow, so that a newcomer opening the
back office sees queues, an overdue list, the Friday board and the leader's signing desk at once.

Every dossier is made by the real services (submission, each workflow action, cash at the desk,
the leader's signature, the citizen's rating), so its events, audit rows, forms and signed result
are real. A dossier's history happened over the past weeks: each step runs with Django's clock
set to its moment (`demo_clock`, demo only: never used in a request). Idempotent: nothing is made
when the demo commune already has dossiers. The people are invented and marked "(demo)".
"""

import io
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.utils import timezone
from PIL import Image, ImageDraw

from xaso.accounts.models import User
from xaso.core.errors import Forbidden
from xaso.dossiers import services
from xaso.dossiers.models import Dossier
from xaso.dossiers.submission import dossier_submit
from xaso.dossiers.uploads import upload_create
from xaso.payments.models import PaymentRequest
from xaso.payments.services import cash_record
from xaso.places.models import Village
from xaso.results.services import register_entry_record

from .seed import DEMO_COMMUNE, OTHER_DEMO_COMMUNE

# Invented names (a name on an ID card has no digits nor brackets: the demo marks the address).
MOTHERS = ["H'Lan Niê", "Nguyễn Thị Hoa", "Trần Thị Mai", "H'Duyên Mlô", "Lê Thị Thu",
           "Phạm Thị Lan", "H'Bia Êban", "Võ Thị Hằng"]  # fmt: skip
CHILDREN = ["Y Minh Niê", "Nguyễn Gia Bảo", "Trần Khánh An", "H'Linh Mlô", "Lê Minh Khang",
            "Phạm Ngọc Hân", "Y Tin Êban", "Võ Đức Huy"]  # fmt: skip
MEN = ["Nguyễn Văn Bình", "Trần Văn Hùng", "Y Bhiơ Niê", "Lê Văn Tâm", "Phạm Văn Lộc"]

BIRTH = "1.001193"  # same day, free on time
EXTRACT_COPY = "2.000635"  # same day, 8.000 ₫ a copy
MARITAL_STATUS = "1.004873"  # 3 working days, the province's rate


@contextmanager
def demo_clock(moment: datetime):
    """Django's clock says `moment` (the services date what they write by it)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _scan(label: str, actor=None) -> str:
    """A photographed paper (an image the upload check re-encodes like any other), sent by
    `actor` (None: the citizen)."""
    image = Image.new("RGB", (900, 1200), (245, 242, 235))
    draw = ImageDraw.Draw(image)
    for y in range(150, 1100, 60):
        draw.line((80, y, 820, y), fill=(90, 90, 90), width=3)
    draw.text((80, 60), label, fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return upload_create(actor=actor, data=buffer.getvalue(), filename="scan.jpg").token


def _person(number: int, name: str, sex: str = "female", born: str = "1990-04-12") -> dict:
    year = int(born[:4])
    # A personal ID number's 4th digit: century and sex (0/1 for 1900s, 2/3 for 2000s).
    digit = (0 if year < 2000 else 2) + (1 if sex == "female" else 0)
    personal_id = f"066{digit}{year % 100:02d}{number:06d}"
    ethnicity = "Ê Đê" if number % 3 == 0 else "Kinh"
    return {"full_name": name, "date_of_birth": born, "sex": sex, "personal_id": personal_id,
            "ethnicity": ethnicity, "nationality": "Việt Nam"}  # fmt: skip


def _applicant(person: dict, village: str, number: int) -> dict:
    return {key: person[key] for key in ("full_name", "personal_id", "date_of_birth", "sex")} | {
        "phone": f"09123{number:05d}",
        "address": f"{village}, xã Phú Lộc (demo)",
        "village": "thon-loc-tan",
    }


def _birth(number: int, today) -> tuple[dict, dict]:
    mother = _person(number, MOTHERS[number % len(MOTHERS)])
    born = (today - timedelta(days=5 + number % 20)).isoformat()
    child = _person(number + 500, CHILDREN[number % len(CHILDREN)], "male", born)
    residence = {"province": "66", "commune": DEMO_COMMUNE, "village": "thon-loc-tan",
                 "detail": f"Nhà số {number}, thôn Lộc Tân"}  # fmt: skip
    answers = {
        "applicant": mother, "relationship": "mother", "phone": f"09123{number:05d}",
        "child": child, "place_of_birth": "Trạm Y tế xã Phú Lộc", "hometown": "Đắk Lắk",
        "mother": mother, "mother_residence": residence, "father_known": False,
        "has_birth_certificate": True, "birth_certificate": [_scan("Giấy chứng sinh (demo)")],
        "extract_copies": 1,
    }  # fmt: skip
    return _applicant(mother, "Thôn Lộc Tân", number), answers


def _extract_copy(number: int, today) -> tuple[dict, dict]:
    person = _person(number, MOTHERS[(number + 3) % len(MOTHERS)])
    answers = {
        "applicant": person, "phone": f"09123{number:05d}", "relationship": "authorised",
        "subject": _person(number + 700, MEN[number % len(MEN)], "male"),
        "event_type": "birth", "registration_place": "UBND xã Phú Lộc",
        "registration_number": f"{number}/2019", "registration_date": "2019-03-04",
        "copies": 1 + number % 2, "purpose": "Bổ sung hồ sơ nhập học",
        "authorization": [_scan("Giấy ủy quyền (demo)")],
    }  # fmt: skip
    return _applicant(person, "Thôn Lộc Tài", number), answers


def _at(days_ago: int, hour: int = 9) -> datetime:
    """`days_ago` working-week days back (a weekend is stepped over), at `hour` in Việt Nam."""
    moment = timezone.localtime().replace(hour=hour, minute=10, second=0, microsecond=0)
    moment -= timedelta(days=days_ago)
    while moment.weekday() >= 5:
        moment -= timedelta(days=1)
    return moment


# Where each demo dossier ends: (what, procedure, channel, receiving commune, days ago).
PLAN = [
    *[("submitted", BIRTH, "online", DEMO_COMMUNE, 0)] * 3,
    ("submitted", EXTRACT_COPY, "community", DEMO_COMMUNE, 0),
    *[("supplement_requested", EXTRACT_COPY, "online", DEMO_COMMUNE, 2)] * 2,
    # Received here, decided by the other demo commune (no default specialist there yet): they
    # wait at "received" for that commune to assign them.
    *[("received", EXTRACT_COPY, "online", DEMO_COMMUNE, 1)] * 2,
    *[("processing", BIRTH, "counter", DEMO_COMMUNE, 0)] * 3,
    ("processing", EXTRACT_COPY, "assisted", DEMO_COMMUNE, 0),
    *[("overdue", BIRTH, "counter", DEMO_COMMUNE, 9)] * 3,
    ("overdue", EXTRACT_COPY, "online", DEMO_COMMUNE, 6),
    *[("paused", BIRTH, "counter", DEMO_COMMUNE, 3)] * 2,
    *[("awaiting_signature", BIRTH, "counter", DEMO_COMMUNE, 0)] * 4,
    ("awaiting_signature", EXTRACT_COPY, "counter", DEMO_COMMUNE, 0),
    *[("result_ready", BIRTH, "counter", DEMO_COMMUNE, 1)] * 2,
    ("result_ready", EXTRACT_COPY, "counter", DEMO_COMMUNE, 1),
    *[("returned", BIRTH, "counter", DEMO_COMMUNE, 12)] * 3,
    *[("returned_rated", EXTRACT_COPY, "counter", DEMO_COMMUNE, 8)] * 3,
    ("returned_rated", BIRTH, "online", DEMO_COMMUNE, 5),
    *[("refused", EXTRACT_COPY, "online", DEMO_COMMUNE, 4)] * 2,
    *[("withdrawn", BIRTH, "counter", DEMO_COMMUNE, 7)] * 2,
]
FEE_BEARING_PAID = {"result_ready", "returned", "returned_rated"}


def _submit(number, what, code, channel, commune, received, staff, villages) -> Dossier:
    build = _birth if code == BIRTH else _extract_copy
    at_desk = channel in ("counter", "assisted")
    with demo_clock(received):
        applicant, answers = build(number, timezone.localdate())
        applicant["village"] = villages[commune]
        extra = {}
        if channel == "assisted":
            extra["applicant_confirmed"] = True
        if channel == "community":
            signed = _scan("Giấy đồng ý đã ký (demo)", actor=staff["community"])
            extra["consent"] = {"method": "photo", "upload": signed}
        actor = (
            staff["community"]
            if channel == "community"
            else (staff["reception"] if at_desk else None)
        )
        if what == "received":
            extra["deciding_commune_code"] = OTHER_DEMO_COMMUNE
        return dossier_submit(
            actor=actor, procedure_code=code, commune_code=commune, channel=channel,
            applicant=applicant, answers=answers, receive=at_desk, **extra,
        ).dossier  # fmt: skip


def _make(number, what, code, channel, commune, days_ago, *, staff, villages):
    at_desk = channel in ("counter", "assisted")
    received = _at(days_ago)
    if channel == "assisted":  # officers write forms for people on Tuesdays (the commune's rule)
        received -= timedelta(days=(received.weekday() - 1) % 7)
    for _week in range(8):  # a Tuesday that is a holiday has no writing: the one before
        try:
            dossier = _submit(number, what, code, channel, commune, received, staff, villages)
            break
        except Forbidden:
            if channel != "assisted":
                raise
            received -= timedelta(days=7)
    if what == "submitted":
        return
    later = received + timedelta(minutes=40)
    with demo_clock(later):
        dossier = Dossier.objects.get(pk=dossier.pk)
        if what == "supplement_requested":
            services.dossier_request_supplement(
                actor=staff["reception"], dossier=dossier,
                items=["Giấy ủy quyền có chứng thực (bản chính)"],
            )  # fmt: skip
            return
        if what == "refused":
            services.dossier_refuse(
                actor=staff["reception"], dossier=dossier,
                reason="Việc hộ tịch đã đăng ký tại xã khác; đề nghị nộp tại nơi đã đăng ký.",
            )  # fmt: skip
            return
        if not at_desk:
            dossier = services.dossier_receive(actor=staff["reception"], dossier=dossier)
        if what in ("received", "processing", "overdue"):
            return
        if what == "withdrawn":
            services.dossier_withdraw(
                actor=staff["reception"], dossier=dossier, reason="Người nộp xin rút hồ sơ."
            )
            return
        if what == "paused":
            services.dossier_request_supplement(
                actor=staff["specialist"], dossier=dossier,
                items=["Giấy xác nhận nơi cư trú của người mẹ"],
            )  # fmt: skip
            return
        dossier = services.dossier_propose(actor=staff["specialist"], dossier=dossier)
        # The entry the civil-status system gave (made up here: a demo has no such system).
        register_entry_record(
            actor=staff["specialist"], dossier=dossier, number=str(100 + number),
            book=f"01/{received.year}",
            personal_id=f"0662{received.year % 100:02d}{number:06d}" if code == BIRTH else "",
        )  # fmt: skip
        if what == "awaiting_signature":
            return
        if what in FEE_BEARING_PAID and code == EXTRACT_COPY:
            request = PaymentRequest.objects.filter(dossier=dossier).first()
            if request is not None and request.amount:
                cash_record(actor=staff["reception"], dossier=dossier, amount=request.amount)
        dossier = services.dossier_approve(actor=staff["leader"], dossier=dossier)
        if what == "result_ready":
            return
        dossier = services.dossier_return(
            actor=staff["reception"], dossier=dossier, channel="counter"
        )
    if what == "returned_rated":
        with demo_clock(later + timedelta(hours=3)):
            services.dossier_rate(
                dossier=Dossier.objects.get(pk=dossier.pk), score=4 + number % 2,
                comment="Cán bộ hướng dẫn tận tình (demo).",
            )  # fmt: skip


def seed_demo_dossiers() -> int:
    """Make the demo desk's dossiers (see PLAN); returns how many, 0 when it has some already."""
    if Dossier.objects.filter(receiving_commune__code=DEMO_COMMUNE).exists():
        return 0
    names = ("reception", "specialist", "leader", "community", "other-reception")
    staff = {user.username: user for user in User.objects.filter(username__in=names)}
    villages = {
        code: Village.objects.filter(commune__code=code)
        .order_by("id")
        .values_list("code", flat=True)[0]
        for code in (DEMO_COMMUNE, OTHER_DEMO_COMMUNE)
    }
    # Oldest first: the codes of each day are numbered in the order the desk saw them.
    plan = sorted(enumerate(PLAN, start=1), key=lambda item: -item[1][4])
    for number, (what, code, channel, commune, days_ago) in plan:
        _make(number, what, code, channel, commune, days_ago, staff=staff, villages=villages)
    return len(PLAN)
