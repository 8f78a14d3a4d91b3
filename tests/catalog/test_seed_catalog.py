"""The seed catalogue (xaso/catalog/data/catalog.json): valid records, only procedures that
docs/domain.md §3 names, with its facts, and forms that a citizen can actually fill in."""

import json
import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest

from tests.helpers.forms import FakePlaces, branch_points, valid_answers
from xaso.catalog.fees import fee_compute
from xaso.catalog.forms import validate_answers
from xaso.catalog.models import Procedure
from xaso.catalog.records import FACTS, catalog_errors
from xaso.catalog.selectors import procedure_search
from xaso.catalog.services import catalog_import
from xaso.core.text import search_key

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "xaso" / "catalog" / "data" / "catalog.json"
DOMAIN = ROOT / "docs" / "domain.md"
TODAY = date(2026, 11, 25)
CODE = r"(?:\d\.\d{6}|XS\.\d{4})"  # national, or the commune's own where none was found


@cache
def seed() -> dict:
    return json.loads(CATALOG.read_text(encoding="utf-8"))


def procedures() -> dict[str, dict]:
    return {record["code"]: record for record in seed()["procedures"]}


def procedure(code: str) -> dict:
    return procedures()[code]


@cache
def domain() -> dict[str, dict]:
    """Code -> {name, listed, field, time, fee} from DOMAIN.md §3. `name` is None where the
    text gives no unambiguous name (a shorthand like "… hằng năm / thoát nghèo")."""
    section = DOMAIN.read_text(encoding="utf-8").split("\n## 3.", 1)[1].split("\n## 4.", 1)[0]
    entries: dict[str, dict] = {}
    row = re.compile(rf"^\| ({CODE}) \| ([^|]+?) \| ([^|]+?) \| ([^|]+?) \| ([^|]+?) \|$")
    for line in section.splitlines():
        if found := row.match(line):
            code, name, field, time, fee = found.groups()
            entries[code] = {
                "name": name,
                "listed": "table",
                "field": field,
                "time": time,
                "fee": fee,
            }
    for marker, listed in (("More commune-level codes", "more"), ("Frequent commune", "local")):
        _list_entries(section, marker, listed, entries)
    return entries


def _list_entries(section: str, marker: str, listed: str, entries: dict) -> None:
    """The "code name · code name" paragraph after `marker` (its bracketed note ends in "]:")."""
    more = section.split(marker, 1)[1].split("]:", 1)[1].split("\n\n", 1)[0]
    for item in " ".join(more.split()).split(" · "):
        found = re.fullmatch(rf"({CODE}(?: / {CODE})*) (.+?)\.?", item.strip())
        assert found, f"cannot read {item!r} in DOMAIN.md §3"
        codes = found[1].split(" / ")
        name = re.sub(r"\s*\([^)]*\)$", "", found[2]).strip()  # English glosses in brackets
        alternatives = name.split(" / ")
        for position, code in enumerate(codes):
            # "A B / C" for two codes: the first is "A B"; the second cannot be told.
            single = len(alternatives) == 1
            exact = name if single else (alternatives[0] if position == 0 else None)
            entries[code] = {"name": exact, "listed": listed, "field": None, "time": "", "fee": ""}


def answers_for(code: str, **overrides) -> dict:
    """Clean answers of a procedure's form: the valid set, with some answers replaced."""
    form = procedure(code)["form"]
    answers = {**valid_answers(form), **overrides}
    result = validate_answers(form, answers, places=FakePlaces(), today=TODAY)
    assert result.valid, (code, result.errors)
    return result.clean


def quote(code: str, **overrides):
    return fee_compute(procedure(code)["fees"], answers_for(code, **overrides), today=TODAY)


def field_spec(code: str, name: str) -> dict:
    fields = {spec["name"]: spec for spec in procedure(code)["form"]["fields"]}
    assert name in fields, f"{code} has no form field {name!r}"
    return fields[name]


# --- The file as a whole ----------------------------------------------------------------------


def test_the_domain_list_is_read():
    entries = domain()
    assert len(entries) >= 40
    assert entries["1.001193"]["name"] == "Đăng ký khai sinh"
    assert entries["3.000182"]["name"] == "Tuyển sinh vào lớp 6"
    assert (
        entries["2.001008"]["name"] == entries["2.000992"]["name"] == "Chứng thực chữ ký người dịch"
    )
    assert entries["1.011607"]["name"] == "Công nhận hộ nghèo, hộ cận nghèo thường xuyên hằng năm"
    # "1.011607 / 1.011608 … hằng năm / thoát nghèo" names only the first; the list of frequent
    # procedures names the second, and gives the commune's own codes.
    assert entries["1.011608"]["name"] == "Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm"
    assert entries["XS.0008"] == {
        "name": "Chứng thực di chúc",
        "listed": "local",
        "field": None,
        "time": "",
        "fee": "",
    }


def test_the_file_has_no_record_errors():
    assert [str(error) for error in catalog_errors(seed())] == []


def test_at_least_seventy_procedures_each_once():
    codes = [record["code"] for record in seed()["procedures"]]
    assert len(codes) >= 70
    assert len(set(codes)) == len(codes)


def test_every_code_and_name_comes_from_domain():
    entries = domain()
    for code, record in procedures().items():
        assert code in entries, f"{code} is not in DOMAIN.md §3"
        assert entries[code]["name"] is not None, f"DOMAIN.md gives no exact name for {code}"
        assert record["name"] == entries[code]["name"], code


def test_the_field_is_the_one_domain_gives():
    names = {item["code"]: item["name"] for item in seed()["fields"]}
    for code, entry in domain().items():
        if entry["field"] and code in procedures():
            assert names[procedure(code)["field"]] == entry["field"], code


def test_the_table_time_limits():
    for code, entry in domain().items():
        if entry["listed"] != "table" or code not in procedures():
            continue
        limit = procedure(code)["time_limit"]
        if entry["time"].startswith("same day"):
            assert limit["unit"] == "same_day", code
        elif found := re.match(r"(\d+) working days", entry["time"]):
            assert (limit["amount"], limit["unit"]) == (int(found[1]), "working_days"), code
        # "up to 5 more with verification" adds to the limit; "up to 5 working days with
        # verification" is the whole limit; the record carries the whole one either way.
        verification = limit.get("with_verification")
        if more := re.search(r"up to (\d+) more with verification", entry["time"]):
            expected = limit["amount"] + int(more[1])
        elif whole := re.search(r"up to (\d+) working days with verification", entry["time"]):
            expected = int(whole[1])
        else:
            assert verification is None, f"{code}: DOMAIN.md gives no limit with verification"
            continue
        assert verification is not None, f"{code}: the limit with verification is missing"
        assert (verification["amount"], verification["unit"]) == (expected, "working_days"), code
        assert verification["reason"].strip(), code


def test_the_corrected_limits_with_verification():
    def pair(code: str) -> tuple:
        limit = procedure(code)["time_limit"]
        verification = limit["with_verification"]
        return (limit["amount"], limit["unit"], verification["amount"], verification["unit"])

    assert pair("1.000689") == (3, "working_days", 8, "working_days")
    assert pair("1.000894") == (0, "same_day", 5, "working_days")
    assert pair("1.000656") == (0, "same_day", 3, "working_days")


def test_what_domain_does_not_confirm_is_marked_unverified():
    for code, record in procedures().items():
        entry = domain()[code]
        unverified = set(record["unverified"])
        assert unverified <= set(FACTS)
        assert {"legal_basis", "documents", "form"} <= unverified, code
        if entry["listed"] == "more":  # "limits and fees not known: keep them unverified"
            assert {"time_limit", "fees"} <= unverified, code
        if code.startswith("XS."):  # no national code found: the code itself is to be checked
            assert {"code", "name"} <= unverified, code
        if "[K]" in entry["time"]:
            assert "time_limit" in unverified, code
        if "[K]" in entry["fee"]:
            assert "fees" in unverified, code
        if "time_limit" in unverified:
            assert record["time_limit"]["note"].strip(), f"{code}: say what must be checked"


def test_every_procedure_not_fully_confirmed_is_not_verified():
    for code, record in procedures().items():
        if record["unverified"]:
            assert record["verified"] is False, code


def test_new_exemption_categories_are_declared_and_used():
    declared = {item["code"] for item in seed()["exemption_categories"]}
    used = {
        code for record in procedures().values() for code in record["fees"].get("exemptions", [])
    }
    assert used <= declared
    assert declared <= used | {"child_under_6"}  # the exemplar's category for later use


def test_records_fit_the_database_columns():
    """The checker bounds name and result; the model also bounds these (PostgreSQL enforces)."""
    for code, record in procedures().items():
        assert len(record["source"]) <= 300, code
        assert len(record["time_limit"]["note"]) <= 300, code
        for document in record["documents"]:
            assert len(document.get("condition", "")) <= 300, (code, document["key"])


# --- Forms -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(procedures()))
def test_every_form_accepts_a_valid_answer_set(code):
    form = procedure(code)["form"]
    result = validate_answers(form, valid_answers(form), places=FakePlaces(), today=TODAY)
    assert result.valid, result.errors


@pytest.mark.parametrize("code", sorted(procedures()))
def test_every_branch_of_every_form_can_be_filled_in(code):
    """Each option of each choice or checkbox that shows or hides other fields."""
    form = procedure(code)["form"]
    for name, values in branch_points(form):
        for value in values:
            answers = valid_answers(form, fixed={name: value})
            result = validate_answers(form, answers, places=FakePlaces(), today=TODAY)
            assert result.valid, (name, value, result.errors)


@pytest.mark.parametrize("code", sorted(procedures()))
def test_every_form_refuses_empty_answers(code):
    result = validate_answers(procedure(code)["form"], {}, places=FakePlaces(), today=TODAY)
    assert not result.valid


@pytest.mark.parametrize("code", sorted(procedures()))
def test_every_label_is_bilingual_and_names_are_snake_case(code):
    for spec in procedure(code)["form"]["fields"]:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", spec["name"])
        texts = [spec["label"], *([spec["help"]] if "help" in spec else [])]
        texts += [option["label"] for option in spec.get("options", [])]
        for text in texts:
            assert text.get("vi", "").strip() and text.get("en", "").strip(), (spec["name"], text)
        if spec["type"] == "file":
            assert spec.get("accept") and spec.get("max_files"), spec["name"]


def test_past_event_dates_cannot_be_in_the_future():
    past = ("date_of_death", "event_date", "election_date", "registration_date")
    for code, record in procedures().items():
        for spec in record["form"]["fields"]:
            if spec["name"] in past:
                assert spec.get("max_date") == "today", (code, spec["name"])


def test_birth_registration_form():
    assert field_spec("1.001193", "child")["type"] == "person"
    assert field_spec("1.001193", "mother")["type"] == "person"
    assert field_spec("1.001193", "applicant")["require_personal_id"] is True
    assert field_spec("1.001193", "birth_certificate")["document"] == "giay-chung-sinh"
    on_time = (TODAY - timedelta(days=20)).isoformat()
    late = (TODAY - timedelta(days=61)).isoformat()
    child = valid_answers(procedure("1.001193")["form"])["child"]
    assert quote("1.001193", child={**child, "date_of_birth": on_time}).amount == 0
    late_quote = quote("1.001193", child={**child, "date_of_birth": late, "personal_id": ""})
    assert (late_quote.rule, late_quote.provincial_key) == ("provincial", "late_birth_registration")


def test_death_registration_form():
    code = "1.000656"
    assert field_spec(code, "deceased")["type"] == "person"
    assert field_spec(code, "declarant")["type"] == "person"
    assert field_spec(code, "relationship")["type"] == "choice"
    assert field_spec(code, "date_of_death")["max_date"] == "today"
    assert field_spec(code, "place_of_death")["required"] is True
    assert field_spec(code, "cause_of_death")["required"] is True
    notice = field_spec(code, "death_notice")
    assert notice["type"] == "file" and notice["required"] is True
    assert notice["document"] in {document["key"] for document in procedure(code)["documents"]}
    assert procedure(code)["flags"]["same_day_eligible"] is True


def test_death_registration_is_free_within_15_days_then_the_provincial_rate():
    code = "1.000656"
    on_time = quote(code, date_of_death=(TODAY - timedelta(days=15)).isoformat())
    assert (on_time.amount, on_time.rule) == (0, "free")
    late = quote(code, date_of_death=(TODAY - timedelta(days=16)).isoformat(), late_reason="Ở xa")
    assert (late.rule, late.provincial_key, late.amount) == (
        "provincial",
        "late_death_registration",
        None,
    )
    rates = {"late_death_registration": 5000}
    answers = answers_for(code, date_of_death="2026-01-02", late_reason="Ở xa")
    schedule = procedure(code)["fees"]
    assert fee_compute(schedule, answers, today=TODAY, provincial_rates=rates).amount == 5000


def test_death_registration_asks_why_it_is_late_only_when_it_is():
    form = procedure("1.000656")["form"]
    answers = {**valid_answers(form), "date_of_death": (TODAY - timedelta(days=3)).isoformat()}
    answers.pop("late_reason", None)
    assert validate_answers(form, answers, places=FakePlaces(), today=TODAY).valid
    answers["date_of_death"] = "2026-01-02"
    result = validate_answers(form, answers, places=FakePlaces(), today=TODAY)
    assert list(result.errors) == ["late_reason"]


def test_marriage_registration_form():
    code = "1.000894"
    for side in ("bride", "groom"):
        assert field_spec(code, side)["type"] == "person"
        assert field_spec(code, side)["require_personal_id"] is True
        assert field_spec(code, f"{side}_residence")["type"] == "address"
        assert field_spec(code, f"{side}_marital_status")["type"] == "choice"
        ended = field_spec(code, f"{side}_previous_marriage_ended")
        assert ended["type"] == "file"
        assert ended["show_if"] == {
            "field": f"{side}_marital_status",
            "in": ["divorced", "widowed"],
        }
    for box in ("both_present", "voluntary_consent"):
        assert field_spec(code, box)["type"] == "checkbox"
        assert field_spec(code, box)["required"] is True
    assert procedure(code)["fees"]["rules"] == [{"kind": "free"}]
    assert quote(code).amount == 0
    assert procedure(code)["flags"]["same_day_eligible"] is True


def test_marriage_needs_both_present_and_consent():
    form = procedure("1.000894")["form"]
    for box in ("both_present", "voluntary_consent"):
        answers = {**valid_answers(form), box: False}
        result = validate_answers(form, answers, places=FakePlaces(), today=TODAY)
        assert list(result.errors) == [box]


def test_marriage_previous_marriage_proof_only_when_there_was_one():
    form = procedure("1.000894")["form"]
    answers = valid_answers(form)
    answers["bride_marital_status"] = "never_married"
    clean = validate_answers(form, answers, places=FakePlaces(), today=TODAY).clean
    assert "bride_previous_marriage_ended" not in clean
    del answers["groom_previous_marriage_ended"]
    result = validate_answers(form, answers, places=FakePlaces(), today=TODAY)
    assert list(result.errors) == ["groom_previous_marriage_ended"]


# --- Flags and fees --------------------------------------------------------------------------


def test_marital_status_confirmation_is_same_day_eligible():
    record = procedure("1.004873")
    assert record["flags"]["same_day_eligible"] is True
    assert quote("1.004873").provincial_key == "marital_status_confirmation"


def test_signatures_are_written_by_the_signatory():
    for code in ("2.000884", "2.001008", "2.000992"):
        assert procedure(code)["flags"]["no_proxy_writing"] is True, code
        assert field_spec(code, "sign_in_person")["required"] is True


def test_residence_registration_involves_the_police():
    for code in ("1.004222", "1.004194", "1.002755", "1.003197", "1.010028", "1.003677"):
        assert procedure(code)["flags"]["inter_agency"] is True, code


def test_same_day_procedures_have_same_day_limits():
    for code, record in procedures().items():
        if record["time_limit"]["unit"] == "same_day":
            assert record["flags"]["same_day_eligible"] is True, code


def test_table_fees_free_or_provincial():
    for code, entry in domain().items():
        if entry["listed"] != "table" or code not in procedures():
            continue
        fee = entry["fee"]
        if fee == "free":
            assert quote(code).amount == 0, code
        elif fee == "provincial rate":
            charged = quote(code)
            assert (charged.rule, charged.amount) == ("provincial", None), code
            assert charged.provincial_key, code


def test_copy_of_a_civil_status_extract_costs_8000_per_copy():
    assert quote("2.000635", copies=3).amount == 24_000


@pytest.mark.parametrize("code", ["2.000815", "2.000942"])
@pytest.mark.parametrize(
    ("pages", "copies", "amount"),
    [(1, 1, 2_000), (2, 1, 4_000), (5, 2, 14_000), (198, 1, 200_000), (400, 2, 400_000)],
)
def test_certified_copies_by_the_page(code, pages, copies, amount):
    assert quote(code, pages=pages, copies=copies).amount == amount


def test_signature_certification_costs_10000_per_case():
    for code in ("2.000884", "2.001008", "2.000992"):
        assert quote(code).amount == 10_000, code


def test_domestic_adoption_costs_400000_with_exemptions():
    code = "2.001263"
    assert quote(code, relationship_to_child="other", child_special_needs=False).amount == 400_000
    assert quote(code, relationship_to_child="stepparent").amount == 0
    assert quote(code, relationship_to_child="blood_relative").amount == 0
    assert quote(code, relationship_to_child="other", child_special_needs=True).amount == 0
    schedule = procedure(code)["fees"]
    answers = answers_for(code, relationship_to_child="other", child_special_needs=False)
    exempt = fee_compute(schedule, answers, today=TODAY, claimed_exemptions=["meritorious_service"])
    assert (exempt.amount, exempt.rule) == (0, "exempt")


# --- Search ----------------------------------------------------------------------------------


def test_aliases_are_specific():
    owner: dict[str, str] = {}
    for code, record in procedures().items():
        assert len(record["aliases"]) >= 3, code
        accented = [alias for alias in record["aliases"] if alias != search_key(alias)]
        assert accented, f"{code}: write the phrasings with their diacritics"
        for alias in record["aliases"]:
            key = search_key(alias)
            assert key not in owner, f"{alias!r} is used by {owner.get(key)} and {code}"
            owner[key] = code


@pytest.mark.django_db
def test_every_alias_finds_its_own_procedure_first():
    """With and without diacritics. Names are checked too, except a name DOMAIN gives to two
    procedures (Chứng thực chữ ký người dịch), which cannot tell them apart."""
    catalog_import(actor=None, data=seed())
    names = [record["name"] for record in procedures().values()]
    misses = []
    for code, record in procedures().items():
        phrases = record["aliases"] + ([record["name"]] if names.count(record["name"]) == 1 else [])
        for phrase in phrases:
            for query in (phrase, search_key(phrase)):
                found = [found.code for found in procedure_search(query).procedures]
                if found[:1] != [code]:
                    misses.append((query, code, found[:3]))
    assert misses == []


@pytest.mark.parametrize(
    ("code", "phrases"),
    [
        ("1.000894", ["làm giấy kết hôn", "đăng ký kết hôn", "làm đám cưới giấy tờ"]),
        (
            "1.004873",
            ["xin xác nhận độc thân", "giấy xác nhận độc thân", "xác nhận tình trạng hôn nhân"],
        ),
        ("1.000656", ["làm giấy chứng tử", "khai tử"]),
        ("2.000815", ["công chứng bản sao", "sao y bản chính", "chứng thực bản sao"]),
        ("1.004222", ["nhập hộ khẩu", "đăng ký hộ khẩu"]),
        ("1.004194", ["tạm trú"]),
    ],
)
def test_the_phrasings_people_use(code, phrases):
    assert set(phrases) <= set(procedure(code)["aliases"])


# --- Import ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_imports():
    report = catalog_import(actor=None, data=seed())
    assert sorted(report.created) == sorted(procedures())
    death = Procedure.objects.get(code="1.000656")
    assert death.same_day_eligible and death.steps.count() == 4
    assert "lam giay chung tu" in death.search_text
