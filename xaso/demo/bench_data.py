"""Bench data: a province's years of dossiers, written in bulk (`xaso bench-data`).

`bench_data(communes=100, years=5, dossiers=1_000_000, seed=N)` fills the database with dossiers
spread over the working days of the past `years` years in `communes` communes (the demo's two and
then the communes of Đắk Lắk by code), each through the workflow as the services would have taken
it: submitted online or received at the desk, sometimes asked for a supplement (at the desk or
paused in processing), assigned, proposed (or denied), signed, returned, sometimes rated; a few
refused or withdrawn. A dossier's planned path is cut at the moment it would pass `now`, so the
recent ones are open in every state, as on a real desk.

Every row the services write is written, with the invariants they keep:
- codes numbered per receiving commune and creation day (after any the day already had), their
  `code_key` and applicant search text, the day counters (`DossierCounter`) set to the last number;
- the lookup secret as keyed hash and sealed copy (`secret_store`), never in plain text;
- due times from the commune's calendar (`workdays.selectors.due_date_for_procedure`);
- one `DossierEvent` per transition, and one audit row per event, payment request, payment and
  result, appended to each commune's HMAC chain after its head (`core.audit.entry_hash`), the head
  updated: `xaso audit verify` passes;
- fees from the catalogue's schedule (`catalog.fees.fee_compute`), payment requests with their
  reference, transfer note and VietQR payload; cash or matched transfers with gap-free receipt
  numbers (`ReceiptCounter`);
- results numbered per register and year (`ResultCounter`), each with a real QR seal under the
  commune's seal key. Their PDF is a placeholder (bench data: signing a million PDFs would take
  days); the seal names the placeholder's hash.

Rows go in with PostgreSQL's COPY (psycopg 3 `cursor.copy`), or `executemany` on SQLite (a small
run). Reproducible: the same seed, `now` and database give the same dossiers, codes and secrets
(the encrypted copies differ: Fernet draws its own IV). The people are invented and their
addresses say "(bench)". A sample of codes and secrets is written for the load scenarios
(`bench/load/`): `<XASO_VAR_DIR>/bench/lookups.csv`.
"""

import csv
import hashlib
import json
import multiprocessing
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections, models, transaction
from django.utils import timezone

from xaso.accounts.models import Membership, Role, User
from xaso.catalog.fees import fee_compute
from xaso.catalog.models import CommuneProcedure, Procedure
from xaso.catalog.selectors import offer_terms, provincial_rates, version_in_force
from xaso.catalog.services import commune_procedures_offer
from xaso.core.audit import _canonical, entry_hash, head_mac
from xaso.core.crypto import encrypt_text
from xaso.core.models import AuditChainHead, AuditEntry
from xaso.dossiers import secret_store
from xaso.dossiers.codes import SECRET_ALPHABET, SECRET_LENGTH, code_key
from xaso.dossiers.models import Dossier, DossierCounter, DossierEvent
from xaso.dossiers.search import applicant_search_text
from xaso.payments.models import (
    BankTransaction,
    Payment,
    PaymentRequest,
    ReceiptCounter,
    ReceivingAccount,
)
from xaso.payments.services import _status_for, reference_for, transfer_note_for
from xaso.payments.vietqr import build_payload
from xaso.places.models import Commune
from xaso.results import documents, registers
from xaso.results.credentials import seal_key_for
from xaso.results.models import ResultCounter, ResultDocument
from xaso.results.seal import SealFields, seal_make
from xaso.workdays import rules as rule_checks
from xaso.workdays.calendars import commune_calendar
from xaso.workdays.engine import TZ

from .seed import DAK_LAK, DEMO_COMMUNE, OTHER_DEMO_COMMUNE, seed_demo

BIRTH = "1.001193"  # same day, free on time
EXTRACT_COPY = "2.000635"  # same day, 8.000 ₫ a copy
PROCEDURES = ((BIRTH, 0.45), (EXTRACT_COPY, 0.55))
ONLINE_SHARE = 0.59  # the country's share of online dossiers (issue 22)
BENCH_MARK = "(bench)"
BULK_THRESHOLD = 20_000  # dossiers from which PostgreSQL's indexes are set aside while loading
BANK_BIN = "970405"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Niê", "Mlô"]
MIDDLE_F = ["Thị", "Thị Thu", "Ngọc", "Thị Minh", "Thanh"]
MIDDLE_M = ["Văn", "Minh", "Đức", "Gia", "Quang"]
GIVEN_F = ["Hoa", "Mai", "Lan", "Thu", "Hằng", "Hân", "Linh", "Duyên", "An", "Trang"]
GIVEN_M = ["Bình", "Hùng", "Tâm", "Lộc", "Bảo", "Khang", "Huy", "Minh", "Tin", "Nam"]


@dataclass
class Totals:
    dossiers: int = 0
    events: int = 0
    audit: int = 0
    payments: int = 0
    results: int = 0
    seconds: float = 0.0
    writing: float = 0.0  # of which in the database (COPY)
    label: str = ""
    states: dict = field(default_factory=dict)


# --- writing rows in bulk -------------------------------------------------------------------


class _Table:
    """A model's columns and how to turn a row dict (by attname) into database values."""

    def __init__(self, model: type[models.Model], *, with_pk: bool):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            if f.has_default():
                self.defaults[f.attname] = f.get_default
            elif f.null:
                self.defaults[f.attname] = lambda: None
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = timezone.now
            elif isinstance(f, (models.CharField, models.TextField)):
                self.defaults[f.attname] = str
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        sqlite = connection.vendor == "sqlite"
        self.convert = []
        for f in self.fields:
            if f.attname in self.json:
                self.convert.append(_json_text)
            elif sqlite and isinstance(f, models.DateTimeField):
                self.convert.append(connection.ops.adapt_datetimefield_value)
            elif sqlite and isinstance(f, models.DateField):
                self.convert.append(lambda v: v.isoformat() if v is not None else None)
            else:
                self.convert.append(None)

    def values(self, row: dict) -> tuple:
        out = []
        for f, convert in zip(self.fields, self.convert, strict=True):
            name = f.attname
            value = row[name] if name in row else self.defaults[name]()
            out.append(convert(value) if convert is not None and value is not None else value)
        return tuple(out)


class _Encoded(str):
    """JSON text already encoded (the audit row's canonical data)."""


def _json_text(value) -> str:
    if isinstance(value, _Encoded):
        return value
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


_tables: dict = {}


def _write(model: type[models.Model], rows: list[dict], *, with_pk: bool) -> None:
    if not rows:
        return
    key = (model, with_pk)
    if key not in _tables:
        _tables[key] = _Table(model, with_pk=with_pk)
    table = _tables[key]
    quoted = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    name = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(table.values(row))
        else:
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {name} ({quoted}) VALUES ({marks})",  # noqa: S608 (model names)
                [table.values(row) for row in rows],
            )


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1


def _reset_sequences(*model_list) -> None:
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(model_list)):
            cursor.execute(sql)


# --- the world: communes, staff, accounts ---------------------------------------------------


@dataclass
class _Place:
    commune: Commune
    reception: User
    specialist: User
    leader: User
    account: ReceivingAccount
    offers: dict  # procedure code -> CommuneProcedure
    seal_private: object
    village: str


def _staff(commune: Commune, password_hash: str) -> dict:
    if commune.code == DEMO_COMMUNE:
        names = {"reception": "reception", "specialist": "specialist", "leader": "leader"}
        return {role: User.objects.get(username=name) for role, name in names.items()}
    people = {}
    for role, label in (
        (Role.RECEPTION, "Cán bộ Một cửa"),
        (Role.SPECIALIST, "Công chức Tư pháp – Hộ tịch"),
        (Role.LEADER, "Phó Chủ tịch UBND xã"),
    ):
        username = f"bench-{commune.code}-{role}".lower()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username, password=password_hash, full_name=f"{label} {BENCH_MARK}"
            )
            Membership.objects.create(user=user, role=role, commune=commune)
        people[str(role)] = user
    return people


def _place(commune: Commune, password_hash: str) -> _Place:
    if not commune.agency_code:
        # A national unit gets an agency code only from its administrator; bench data makes one.
        commune.agency_code = f"XA{commune.code}"
        commune.save(update_fields=["agency_code"])
    if not CommuneProcedure.objects.filter(commune=commune).exists():
        commune_procedures_offer(actor=None, commune=commune)
    staff = _staff(commune, password_hash)
    account = (
        ReceivingAccount.objects.filter(commune=commune, is_active=True).order_by("id").first()
    )
    if account is None:
        account = ReceivingAccount.objects.create(
            commune=commune,
            bank_bin=BANK_BIN,
            account_number=f"9{int(hashlib.sha256(commune.code.encode()).hexdigest(), 16) % 10**12:012d}",  # noqa: E501
            holder_name=f"UBND {commune.name}"[:90].upper() + " (BENCH)",
            webhook_secret=encrypt_text(f"bench-{commune.code}"),
        )
    offers = {
        offer.procedure.code: offer
        for offer in CommuneProcedure.objects.filter(
            commune=commune, procedure__code__in=[code for code, _ in PROCEDURES]
        ).select_related("procedure")
    }
    _key, private = seal_key_for(commune)
    village = commune.villages.order_by("id").values_list("code", flat=True).first() or ""
    return _Place(
        commune, staff["reception"], staff["specialist"], staff["leader"], account, offers,
        private, village,
    )  # fmt: skip


def bench_communes(count: int) -> list[Commune]:
    demo = list(
        Commune.objects.filter(code__in=[DEMO_COMMUNE, OTHER_DEMO_COMMUNE]).order_by("code")
    )
    others = Commune.objects.filter(province__code=DAK_LAK, is_demo=False).order_by("code")
    chosen = (demo + list(others[: max(0, count - len(demo))]))[:count]
    if len(chosen) < count:  # a province has about a hundred: take the next provinces' too
        more = Commune.objects.exclude(pk__in=[c.pk for c in chosen]).filter(is_demo=False)
        chosen += list(more.order_by("province__code", "code")[: count - len(chosen)])
    return chosen


# --- one dossier's life ---------------------------------------------------------------------


def _name(rng: random.Random, female: bool) -> str:
    middle = MIDDLE_F if female else MIDDLE_M
    given = GIVEN_F if female else GIVEN_M
    return f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"


def _person(rng: random.Random, female: bool, born: str) -> dict:
    digit = (0 if int(born[:4]) < 2000 else 2) + (1 if female else 0)
    personal_id = f"066{digit}{int(born[2:4]):02d}{rng.randrange(10**6):06d}"
    return {
        "full_name": _name(rng, female), "date_of_birth": born,
        "sex": "female" if female else "male", "personal_id": personal_id,
        "ethnicity": rng.choice(["Kinh", "Kinh", "Ê Đê", "M'nông"]), "nationality": "Việt Nam",
    }  # fmt: skip


def _answers(rng: random.Random, code: str, place: _Place, day) -> tuple[dict, dict]:
    adult = f"{rng.randrange(1960, 2004)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 28):02d}"
    person = _person(rng, True, adult)
    phone = f"09{rng.randrange(10**8):08d}"
    number = rng.randrange(1, 400)
    address = f"Thôn {number % 15 + 1}, {place.commune.name} {BENCH_MARK}"
    if code == BIRTH:
        born = (day - timedelta(days=rng.randrange(3, 50))).isoformat()
        answers = {
            "applicant": person, "relationship": "mother", "phone": phone,
            "child": _person(rng, rng.random() < 0.5, born), "place_of_birth": "Trạm Y tế xã",
            "hometown": "Đắk Lắk", "mother": person,
            "mother_residence": {"province": DAK_LAK, "commune": place.commune.code,
                                 "village": place.village, "detail": f"Nhà số {number}"},
            "father_known": False, "has_birth_certificate": True, "birth_certificate": [],
            "extract_copies": 1,
        }  # fmt: skip
    else:
        answers = {
            "applicant": person, "phone": phone, "relationship": "authorised",
            "subject": _person(rng, False, "1985-03-04"), "event_type": "birth",
            "registration_place": f"UBND {place.commune.name}",
            "registration_number": f"{number}/2019", "registration_date": "2019-03-04",
            "copies": 1 + rng.randrange(3), "purpose": "Bổ sung hồ sơ nhập học",
            "authorization": [],
        }  # fmt: skip
    applicant = {key: person[key] for key in ("full_name", "personal_id", "date_of_birth", "sex")}
    applicant |= {"phone": phone, "address": address, "village": place.village}
    return applicant, answers


WORK_START, WORK_END = 7.5, 16.75  # local hours a desk sees people


def _submitted_moment(rng: random.Random, start: datetime, span: float, online: bool) -> datetime:
    moment = start + timedelta(seconds=rng.random() * span)
    local = moment.astimezone(TZ)
    if online:
        return local.replace(hour=rng.randrange(6, 23), minute=rng.randrange(60))
    while local.weekday() >= 5:
        local -= timedelta(days=1)
    hour = WORK_START + rng.random() * (WORK_END - WORK_START)
    return local.replace(hour=int(hour), minute=int((hour % 1) * 60), second=rng.randrange(60))


def _later(rng: random.Random, moment: datetime, low_minutes: float, high_minutes: float):
    """A step taken at the desk: some minutes later, moved into office hours."""
    local = moment + timedelta(minutes=low_minutes + rng.random() * (high_minutes - low_minutes))
    local = local.astimezone(TZ)
    if local.hour + local.minute / 60 >= WORK_END:
        local = (local + timedelta(days=1)).replace(hour=7, minute=30 + rng.randrange(30))
    elif local.hour + local.minute / 60 < WORK_START:
        local = local.replace(hour=7, minute=30 + rng.randrange(30))
    while local.weekday() >= 5:
        local += timedelta(days=1)
    return local


class _Life:
    """The transitions of one dossier, applied in order until `now`."""

    def __init__(self, row: dict, now: datetime):
        self.row = row
        self.now = now
        self.events: list[dict] = []
        self.stopped = False

    def step(self, at, action, to_state, *, actor, kind, note="", data=None, apply=None) -> bool:
        if self.stopped or at >= self.now:
            self.stopped = True
            return False
        from_state = self.row["state"]
        self.row["state"] = to_state
        if apply is not None:
            apply(self.row)
        self.row["updated_at"] = at
        self.events.append(
            {"at": at, "actor": actor, "kind": kind, "action": action, "from": from_state,
             "to": to_state, "note": note, "data": data or {}}
        )  # fmt: skip
        return True


# --- the generator --------------------------------------------------------------------------


_VERSIONS: dict = {}  # (procedure, day) -> the version in force that day


class _Generator:
    def __init__(self, *, place: _Place, rng: random.Random, now: datetime, years: int):
        self.place = place
        self.rng = rng
        self.now = now
        self.start = now - timedelta(days=365 * years)
        self.rates = provincial_rates(place.commune)
        self.procedures = {
            p.code: p
            for p in Procedure.objects.filter(code__in=[c for c, _ in PROCEDURES]).prefetch_related(
                "versions"
            )
        }
        # secret_store.sealed, with one Fernet for all (crypto.encrypt_text makes one per call).
        self.fernet = Fernet(settings.XASO_FIELD_KEY.encode())
        self.versions = _VERSIONS
        self.fee_cache: dict = {}
        self.calendars: dict = {}
        self.terms = {code: offer_terms(offer) for code, offer in place.offers.items()}

    def version(self, code: str, day):
        key = (code, day)
        if key not in self.versions:
            version = version_in_force(self.procedures[code], day)
            self.versions[key] = version.pk if version is not None else None
        return self.versions[key]

    def fee(self, code, answers, day, channel):
        copies = answers.get("copies", 1)
        key = (code, copies, channel, day.year)
        if key not in self.fee_cache:
            self.fee_cache[key] = fee_compute(
                self.procedures[code].fees, answers, today=day, channel=channel,
                provincial_rates=self.rates,
            )  # fmt: skip
        return self.fee_cache[key]

    def dossier(self, pk: int, submitted_at: datetime, online: bool) -> tuple[dict, _Life]:
        rng, place = self.rng, self.place
        code = rng.choices([c for c, _ in PROCEDURES], [w for _, w in PROCEDURES])[0]
        procedure = self.procedures[code]
        day = submitted_at.astimezone(TZ).date()
        applicant, answers = _answers(rng, code, place, day)
        secret = "".join(rng.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))
        channel = "online" if online else "counter"
        delivery = "electronic" if online and rng.random() < 0.35 else "counter"
        row = {
            "id": pk, "lookup_secret": secret,
            "lookup_secret_digest": secret_store.digest(secret),
            "lookup_secret_sealed": self.fernet.encrypt(secret.encode()).decode(),
            "receiving_commune_id": place.commune.pk, "deciding_commune_id": place.commune.pk,
            "procedure_id": procedure.pk, "procedure_version_id": self.version(code, day),
            "applicant": applicant, "channel": channel, "consent": {}, "answers": answers,
            "state": "", "outcome": "", "submitted_at": submitted_at, "result_delivery": delivery,
            "supplement_rounds": 0, "extended": False, "with_verification": False,
            "_code": code, "_day": day,
        }  # fmt: skip
        life = _Life(row, self.now)
        self.plan(life, code, submitted_at, online)
        return row, life

    def start_clock(self, row: dict, code: str, at: datetime) -> None:
        # As workdays.selectors.due_date_for_procedure, with the commune's calendar kept at hand.
        year = at.astimezone(TZ).year
        entry = self.calendars.get(year)
        if entry is None:
            entry = self.calendars[year] = commune_calendar(self.place.commune, year)
        due = rule_checks.compute_due(entry.calendar, self.terms[code], at, entry.rules)
        row["received_at"] = at
        row["clock_started_at"] = due.clock_starts_at
        row["due_at"] = due.due_at
        row["due_rule"] = due.rule or ""

    def plan(self, life: _Life, code: str, at: datetime, online: bool) -> None:
        rng, place, row = self.rng, self.place, life.row
        reception, specialist, leader = place.reception, place.specialist, place.leader
        fate = rng.random()
        if online:
            life.step(at, "submit", "submitted", actor=None, kind="citizen",
                      data={"channel": "online"})  # fmt: skip
            at = _later(rng, at, 20, 600)
            if fate < 0.04:  # asked at the desk for a missing paper, once, completely
                items = ["Giấy ủy quyền có chứng thực (bản chính)"]

                def ask(r, at=at):
                    r["supplement_rounds"] += 1
                    r["supplement_requested_at"], r["supplement_answered_at"] = at, None

                life.step(at, "request_supplement", "supplement_requested", actor=reception,
                          kind="reception", note="\n".join(items),
                          data={"items": items, "round": 1}, apply=ask)  # fmt: skip
                at = _later(rng, at, 600, 4000)

                def answered(r, at=at):
                    r["supplement_answered_at"] = at

                life.step(at, "resubmit", "submitted", actor=None, kind="citizen",
                          data={"files": 1, "answers": False}, apply=answered)  # fmt: skip
                at = _later(rng, at, 20, 300)
            if 0.04 <= fate < 0.07:
                reason = "Việc hộ tịch đã đăng ký tại xã khác; đề nghị nộp tại nơi đã đăng ký."

                def refused(r, at=at):
                    r["completed_at"] = at

                life.step(at, "refuse", "refused", actor=reception, kind="reception",
                          note=reason, data={"reason": reason}, apply=refused)  # fmt: skip
                return

            def received(r, at=at):
                self.start_clock(r, code, at)
                r["supplement_requested_at"] = r["supplement_answered_at"] = None

            if not life.step(at, "receive", "received", actor=reception, kind="reception",
                             apply=received):  # fmt: skip
                return
        else:

            def received(r, at=at):
                self.start_clock(r, code, at)

            life.step(at, "intake", "received", actor=reception, kind="reception",
                      data={"channel": "counter"}, apply=received)  # fmt: skip
        if life.stopped:
            return
        self.payment_request(life, code, at)

        def assigned(r):
            r["assigned_to_id"] = specialist.pk

        at = at + timedelta(seconds=1)
        life.step(at, "assign", "processing", actor=None, kind="system",
                  data={"to": specialist.username, "default": True}, apply=assigned)  # fmt: skip
        if 0.07 <= fate < 0.10:
            reason = "Người nộp xin rút hồ sơ."

            at = _later(rng, at, 30, 600)

            def withdrawn(r, at=at):
                r["completed_at"] = at
                r["paused_at"] = None

            life.step(at, "withdraw", "withdrawn", actor=reception,
                      kind="reception", note=reason, data={"reason": reason},
                      apply=withdrawn)  # fmt: skip
            return
        if 0.10 <= fate < 0.13:  # paused: the specialist asks for a paper
            at = _later(rng, at, 30, 400)
            items = ["Giấy xác nhận nơi cư trú của người mẹ"]

            def paused(r, at=at):
                r["supplement_rounds"] += 1
                r["supplement_requested_at"], r["supplement_answered_at"] = at, None
                r["paused_at"] = at

            life.step(at, "request_supplement", "paused", actor=specialist, kind="specialist",
                      note="\n".join(items), data={"items": items, "round": 1},
                      apply=paused)  # fmt: skip
            paused_at = at
            at = _later(rng, at, 600, 5000)

            def answered(r, at=at):
                r["supplement_answered_at"] = at

            life.step(at, "resubmit", "paused", actor=None, kind="citizen",
                      data={"files": 1, "answers": False}, apply=answered)  # fmt: skip
            at = _later(rng, at, 30, 300)

            def resumed(r, at=at):
                # The clock stood still while paused: the due time moves by the pause.
                if r.get("due_at") is not None:
                    r["due_at"] = r["due_at"] + (at - paused_at)
                r["paused_at"] = None
                r["supplement_requested_at"] = r["supplement_answered_at"] = None

            life.step(at, "resume", "processing", actor=reception, kind="reception",
                      apply=resumed)  # fmt: skip
        slow = rng.random() < 0.06  # some take longer than the law allows
        at = _later(rng, at, 20, 4000 if slow else 300)
        denied = rng.random() < 0.02
        if denied:
            reason = "Hồ sơ không đủ điều kiện theo quy định."

            def deny(r):
                r["outcome"] = "denied"

            life.step(at, "deny", "awaiting_signature", actor=specialist, kind="specialist",
                      note=reason, data={"reason": reason}, apply=deny)  # fmt: skip
        else:

            def propose(r):
                r["outcome"] = "approved"

            life.step(at, "propose", "awaiting_signature", actor=specialist, kind="specialist",
                      apply=propose)  # fmt: skip
        if life.stopped:
            return
        self.pay(life, at)
        at = _later(rng, at, 10, 240)

        def approved(r, at=at):
            r["completed_at"] = at

        if not life.step(at, "approve", "result_ready", actor=leader, kind="leader",
                         apply=approved):  # fmt: skip
            return
        self.result(life, code, at)
        electronic = row["result_delivery"] == "electronic"
        at = at + timedelta(seconds=2) if electronic else _later(rng, at, 10, 1500)
        channel = "electronic" if electronic else "counter"

        def returned(r, at=at):
            r["returned_at"] = at
            r["return_channel"] = channel

        if not life.step(at, "return", "returned", actor=None if electronic else reception,
                         kind="system" if electronic else "reception",
                         data={"channel": channel}, apply=returned):  # fmt: skip
            return
        if rng.random() < 0.25:
            score = rng.choice([3, 4, 4, 5, 5, 5])

            def rated(r):
                r["rating"] = score
                r["rating_comment"] = "Cán bộ hướng dẫn tận tình." if score >= 4 else ""

            life.step(_later(rng, at, 30, 3000), "rate", "returned", actor=None, kind="citizen",
                      data={"score": score}, apply=rated)  # fmt: skip

    # Payments and results are filled in once the dossier's code is known (`finish`).
    def payment_request(self, life: _Life, code: str, at: datetime) -> None:
        quote = self.fee(code, life.row["answers"], at.astimezone(TZ).date(), life.row["channel"])
        life.row["_fee"] = (quote, at)

    def pay(self, life: _Life, at: datetime) -> None:
        fee = life.row.get("_fee")
        if fee and (fee[0].amount or 0) > 0:
            method = "transfer" if life.row["channel"] == "online" else "cash"
            # A transfer comes in between receipt and the proposal; cash is paid at the desk.
            paid_at = fee[1] + (at - fee[1]) * self.rng.random() if method == "transfer" else at
            life.row["_paid"] = (method, paid_at)

    def result(self, life: _Life, code: str, at: datetime) -> None:
        life.row["_result"] = at


# --- one commune, written ---------------------------------------------------------------------


@dataclass
class _Ids:
    """The next dossier id; a dossier's payment request and bank transaction (one at most each)
    take its id plus an offset, so communes written side by side never share an id."""

    dossier: int
    request_offset: int
    transaction_offset: int


def _commune_rows(gen: _Generator, count: int, ids: _Ids, totals: Totals, samples: list):
    rng, place, commune = gen.rng, gen.place, gen.place.commune
    span = (gen.now - gen.start).total_seconds()
    moments = sorted(
        (_submitted_moment(rng, gen.start, span, online), online)
        for online in (rng.random() < ONLINE_SHARE for _ in range(count))
    )
    moments = [(m, online) for m, online in moments if m < gen.now]
    counters = {row.day: row.last for row in DossierCounter.objects.filter(commune=commune)}
    receipt_last = {row.year: row.last for row in ReceiptCounter.objects.filter(commune=commune)}
    result_last = {
        (row.register, row.year): row.last for row in ResultCounter.objects.filter(commune=commune)
    }
    pattern = commune.dossier_code_pattern or settings.XASO_DOSSIER_CODE_PATTERN
    dossiers, events, audit, requests, transactions, payments, results = [], [], [], [], [], [], []
    for submitted_at, online in moments:
        row, life = gen.dossier(ids.dossier, submitted_at, online)
        ids.dossier += 1
        day = row.pop("_day")
        counters[day] = counters.get(day, 0) + 1
        row["code"] = pattern.format(agency=commune.agency_code, date=day, number=counters[day])
        row["code_key"] = code_key(row["code"])
        row["search_text"] = applicant_search_text(row["applicant"])  # as Dossier.save keeps it
        secret = row.pop("lookup_secret")
        if rng.random() < 0.01:
            samples.append((row["code"], secret, row["state"]))
        proc_code = row.pop("_code")
        fee, paid, result_at = (
            row.pop("_fee", None),
            row.pop("_paid", None),
            row.pop("_result", None),
        )
        audit_extra = []
        if fee is not None:
            quote, fee_at = fee
            amount = quote.amount or 0
            reference = reference_for(row["code"])
            note = transfer_note_for(reference)
            request = {
                "id": row["id"] + ids.request_offset, "dossier_id": row["id"],
                "account_id": place.account.pk,
                "amount": amount, "paid_amount": 0, "reference": reference,
                "transfer_note": note,
                "payload": build_payload(bank_bin=place.account.bank_bin,
                                         account=place.account.account_number, amount=amount,
                                         purpose=note) if amount > 0 and note else "",
                "status": "unpaid" if quote.amount is None else _status_for(amount, 0),
                "fee_rule": quote.rule,
                "exemption": quote.exemption or "", "exemption_evidence": quote.evidence,
                "created_at": fee_at, "updated_at": fee_at,
            }  # fmt: skip
            requests.append(request)
            audit_extra.append((fee_at, None, "payment.request_create", {
                "amount": amount, "status": request["status"], "rule": quote.rule,
                "exemption": request["exemption"]}))  # fmt: skip
            if paid is not None:
                method, paid_at = paid
                year = paid_at.astimezone(TZ).year
                receipt_last[year] = receipt_last.get(year, 0) + 1
                receipt = f"{commune.agency_code}-{year}-{receipt_last[year]:06d}"
                transaction_id = None
                if method == "transfer":
                    transaction_pk = row["id"] + ids.transaction_offset
                    transaction_id = f"FT{paid_at:%y%m%d}{transaction_pk:08d}"
                    transactions.append({
                        "id": transaction_pk, "account_id": place.account.pk,
                        "transaction_id": transaction_id, "amount": amount,
                        "description": f"{note} chuyen tien", "occurred_at": paid_at,
                        "recorded_at": paid_at, "source": "webhook", "match": "matched",
                        "request_id": request["id"],
                    })  # fmt: skip
                    audit_extra.append((paid_at, None, "payment.transaction_record", {
                        "transaction": transaction_id, "amount": amount,
                        "match": "matched", "dossier": row["code"]}))  # fmt: skip
                payments.append({
                    "request_id": request["id"], "method": method, "amount": amount,
                    "transaction_id": transactions[-1]["id"] if method == "transfer" else None,
                    "recorded_by_id": None if method == "transfer" else place.reception.pk,
                    "at": paid_at, "receipt_number": receipt,
                })  # fmt: skip
                request.update(paid_amount=amount, status="paid", updated_at=paid_at)
                audit_extra.append((paid_at, None if method == "transfer" else place.reception,
                                    "payment.record", {
                    "method": method, "amount": amount, "receipt": receipt,
                    "paid_amount": amount, "status": "paid",
                    "transaction": transaction_id}))  # fmt: skip
        if result_at is not None:
            procedure = gen.procedures[proc_code]
            kind = documents.kind_for(procedure, row["outcome"])
            register = registers.register_for(kind, proc_code)
            issued = result_at.astimezone(TZ).date()
            key = (register.slug, issued.year)
            result_last[key] = result_last.get(key, 0) + 1
            sequence = result_last[key]
            number = documents.number_text(kind, sequence)
            holder = row["applicant"]["full_name"]
            placeholder = (
                f"%PDF-1.7\n% xaso bench data: result {number} of {row['code']}\n".encode()
            )
            digest = hashlib.sha256(placeholder).hexdigest()
            seal = seal_make(
                SealFields(number=number, commune=commune.code, kind=kind, holder_name=holder,
                           issued_at=issued, sha256=digest), place.seal_private)  # fmt: skip
            results.append({
                "dossier_id": row["id"], "commune_id": commune.pk, "number": number,
                "year": issued.year, "sequence": sequence, "kind": kind, "holder_name": holder,
                "issued_at": issued, "signed_at": result_at, "signer_id": place.leader.pk,
                "signer_name": place.leader.full_name[:150], "signer_title": "Phó Chủ tịch",
                "sha256": digest, "file_sha256": digest, "seal": seal, "pdf": placeholder,
                "electronic": True,
            })  # fmt: skip
            audit_extra.append((result_at, place.leader, "results.issue", {
                "dossier": row["code"], "kind": kind, "register": register.slug,
                "sha256": digest}))  # fmt: skip
        dossiers.append(row)
        state = row["state"]
        totals.states[state] = totals.states.get(state, 0) + 1
        for event in life.events:
            actor = event["actor"]
            events.append({
                "dossier_id": row["id"], "at": event["at"],
                "actor_id": actor.pk if actor is not None else None,
                "actor_label": event["kind"], "action": event["action"],
                "from_state": event["from"], "to_state": event["to"], "note": event["note"],
                "data": event["data"],
            })  # fmt: skip
            audit.append((event["at"], actor, f"dossier.{event['action']}",
                          {"from": event["from"], "to": event["to"], **event["data"]},
                          row["code"]))  # fmt: skip
        audit.extend((*item, row["code"]) for item in audit_extra)
    return (
        dossiers,
        events,
        audit,
        requests,
        transactions,
        payments,
        results,
        (counters, receipt_last, result_last),
    )


def _chain_rows(commune_code: str, items: list) -> tuple[list[dict], AuditChainHead]:
    """The audit rows in time order, appended to the commune's chain after its head."""
    head = AuditChainHead.objects.filter(chain=commune_code).first() or AuditChainHead(
        chain=commune_code
    )
    items.sort(key=lambda item: item[0])
    rows, previous = [], head.last_hash
    for at, actor, action, data, object_id in items:
        # The data are plain JSON values already (strings, numbers, lists): what the database
        # gives back is what was hashed.
        entry = SimpleNamespace(
            prev_hash=previous, chain=commune_code, at=at,
            actor_id=actor.pk if actor is not None else None, action=action,
            object_type="dossier", object_id=str(object_id), data=data,
        )  # fmt: skip
        entry.hash = entry_hash(entry)
        row = vars(entry)
        row["data"] = _Encoded(_canonical(data))
        rows.append(row)
        previous = entry.hash
    head.length += len(rows)
    head.last_hash = previous
    head.mac = head_mac(commune_code, head.length, head.last_hash)
    return rows, head


def _write_commune(gen: _Generator, count: int, ids: _Ids, totals: Totals, samples: list):
    commune = gen.place.commune
    rows = _commune_rows(gen, count, ids, totals, samples)
    dossiers, events, audit, requests, transactions, payments, results, rest = rows
    counters, receipts, result_last = rest
    audit_rows, head = _chain_rows(commune.code, audit)
    began = time.monotonic()
    with transaction.atomic():
        _write(Dossier, dossiers, with_pk=True)
        _write(DossierEvent, events, with_pk=False)
        _write(PaymentRequest, requests, with_pk=True)
        _write(BankTransaction, transactions, with_pk=True)
        _write(Payment, payments, with_pk=False)
        _write(ResultDocument, results, with_pk=False)
        _write(AuditEntry, audit_rows, with_pk=False)
        AuditChainHead.objects.bulk_create(
            [head], update_conflicts=True, unique_fields=["chain"],
            update_fields=["last_hash", "length", "mac"],
        )  # fmt: skip
        DossierCounter.objects.bulk_create(
            [DossierCounter(commune=commune, day=day, last=last) for day, last in counters.items()],
            update_conflicts=True, unique_fields=["commune", "day"], update_fields=["last"],
        )  # fmt: skip
        ReceiptCounter.objects.bulk_create(
            [ReceiptCounter(commune=commune, year=y, last=last) for y, last in receipts.items()],
            update_conflicts=True, unique_fields=["commune", "year"], update_fields=["last"],
        )  # fmt: skip
        ResultCounter.objects.bulk_create(
            [ResultCounter(commune=commune, register=reg, year=y, last=last)
             for (reg, y), last in result_last.items()],
            update_conflicts=True, unique_fields=["commune", "register", "year"],
            update_fields=["last"],
        )  # fmt: skip
    totals.writing += time.monotonic() - began
    totals.dossiers += len(dossiers)
    totals.events += len(events)
    totals.audit += len(audit_rows)
    totals.payments += len(payments)
    totals.results += len(results)


BULK_MODELS = (Dossier, DossierEvent, PaymentRequest, BankTransaction, Payment, ResultDocument,
               AuditEntry)  # fmt: skip


@contextmanager
def _indexes_set_aside(enabled: bool):
    """PostgreSQL, a large run: the loaded tables' secondary indexes, unique and foreign-key
    constraints are dropped while COPY runs and made again after (one sorted build and one
    validation pass instead of a million index insertions and trigger checks). Made again
    whatever happens; the same definitions, so `makemigrations --check` sees no change."""
    if not enabled:
        yield
        return
    saved = []  # (table, kind, name, definition), in the order to make them again
    with connection.cursor() as cursor:
        for model in BULK_MODELS:
            table = model._meta.db_table
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
                [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                "AND NOT x.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)",
                [table],
            )
            indexes = cursor.fetchall()
            for name, kind, definition in constraints:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                saved.append((table, kind, name, definition))
            for name, definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
                saved.append((table, "i", name, definition))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # Indexes and unique constraints first: the foreign keys need their targets'.
            for table, kind, name, definition in sorted(saved, key=lambda s: s[1] == "f"):
                if kind == "i":
                    cursor.execute(definition)
                else:
                    cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def _commune_job(job: tuple) -> tuple[Totals, list]:
    commune_pk, count, ids, seed, now, years = job
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # bench data: a crash loses the run, not the db
            cursor.execute("SET synchronous_commit TO off")
    place = _place(Commune.objects.get(pk=commune_pk), "")
    rng = random.Random(f"{seed}:{place.commune.code}")
    gen = _Generator(place=place, rng=rng, now=now, years=years)
    totals, samples = Totals(), []
    _write_commune(gen, count, ids, totals, samples)
    totals.label = place.commune.code
    return totals, samples


def _add(total: Totals, part: Totals) -> None:
    for name in ("dossiers", "events", "audit", "payments", "results", "writing"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    for state, count in part.states.items():
        total.states[state] = total.states.get(state, 0) + count


def bench_data(
    *, communes: int = 100, years: int = 5, dossiers: int = 1_000_000, seed: int = 1,
    now: datetime | None = None, progress=None, samples_path: Path | None = None,
    workers: int = 1,
) -> Totals:  # fmt: skip
    """Write `dossiers` dossiers over `communes` communes and `years` years (see the module).
    `workers` > 1 writes that many communes side by side (PostgreSQL; separate processes)."""
    began = time.monotonic()
    now = (now or timezone.now()).astimezone(UTC)
    if not Commune.objects.filter(code=DEMO_COMMUNE).exists():
        seed_demo()
    password_hash = make_password(settings.XASO_DEMO_PASSWORD)
    with transaction.atomic():
        places = [_place(commune, password_hash) for commune in bench_communes(communes)]
    first = _next_id(Dossier)
    request_offset = max(0, _next_id(PaymentRequest) - first)
    transaction_offset = max(0, _next_id(BankTransaction) - first)
    base, extra = divmod(dossiers, len(places))
    jobs, next_id = [], first
    for index, place in enumerate(places):
        count = base + (1 if index < extra else 0)
        ids = _Ids(next_id, request_offset, transaction_offset)
        jobs.append((place.commune.pk, count, ids, seed, now, years))
        next_id += count
    postgres = connection.vendor == "postgresql"
    workers = workers if postgres else 1
    totals, samples = Totals(), []

    def done(part: Totals, part_samples: list, number: int) -> None:
        _add(totals, part)
        samples.extend(part_samples)
        if progress:
            progress(f"{number}/{len(jobs)} {part.label}: {totals.dossiers} dossiers, "
                     f"{time.monotonic() - began:.0f} s")  # fmt: skip

    with _indexes_set_aside(postgres and dossiers >= BULK_THRESHOLD):
        if workers > 1:
            connections.close_all()  # each process opens its own
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for number, (part, part_samples) in enumerate(
                    pool.imap_unordered(_commune_job, jobs), start=1
                ):
                    done(part, part_samples, number)
        else:
            for number, job in enumerate(jobs, start=1):
                done(*_commune_job(job), number)
    _reset_sequences(*BULK_MODELS)
    if postgres:
        with connection.cursor() as cursor:
            for model in BULK_MODELS:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    samples.sort()
    path = samples_path or settings.VAR_DIR / "bench" / "lookups.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "secret", "state"])
        writer.writerows(samples)
    totals.seconds = time.monotonic() - began
    return totals
