"""The form validator: every field type, composite parts, conditions, and definition checks."""

from datetime import date

import pytest
from django.utils import translation

from xaso.catalog.forms import form_definition_errors, validate_answers

TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in the source language; the Vietnamese ones are checked by the
    catalogue test."""
    with translation.override("en"):
        yield


class Places:
    def communes(self, codes):
        known = {"T-A": "66", "T-C": "56"}
        return {code: known[code] for code in codes if code in known}

    def villages(self, commune_codes):
        return {("T-A", "loc-tan")} & {(c, "loc-tan") for c in commune_codes}


def label(text):
    return {"vi": text, "en": text}


FORM = {
    "fields": [
        {"name": "person", "type": "person", "required": True, "label": label("Người")},
        {
            "name": "home",
            "type": "address",
            "required": True,
            "require_village": True,
            "label": label("Nơi ở"),
        },
        {
            "name": "kind",
            "type": "choice",
            "required": True,
            "label": label("Loại"),
            "options": [{"value": "a", "label": label("A")}, {"value": "b", "label": label("B")}],
        },
        {
            "name": "extras",
            "type": "multi_choice",
            "label": label("Thêm"),
            "options": [{"value": "x", "label": label("X")}, {"value": "y", "label": label("Y")}],
        },
        {
            "name": "reason",
            "type": "textarea",
            "required": True,
            "label": label("Lý do"),
            "show_if": {"field": "kind", "equals": "b"},
        },
        {"name": "copies", "type": "number", "min": 0, "max": 10, "label": label("Số bản")},
        {"name": "event", "type": "date", "max_date": "today", "label": label("Ngày")},
        {"name": "phone", "type": "phone", "label": label("Điện thoại")},
        {"name": "email", "type": "email", "label": label("Thư")},
        {"name": "pid", "type": "personal_id", "label": label("Số định danh")},
        {"name": "agree", "type": "checkbox", "required": True, "label": label("Đồng ý")},
        {"name": "scan", "type": "file", "document": "doc", "max_files": 2, "label": label("Tệp")},
    ]
}
VALID = {
    "person": {
        "full_name": "  Nguyễn  Văn An ",
        "date_of_birth": "1990-05-01",
        "sex": "male",
        "personal_id": "066090001234",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
    },
    "home": {"province": "66", "commune": "T-A", "village": "loc-tan", "detail": "số 5"},
    "kind": "a",
    "extras": ["y", "x"],
    "copies": 0,
    "event": "2026-11-25",
    "phone": "+84 912 345 678",
    "email": "an@example.vn",
    "pid": "066190001234",
    "agree": True,
    "scan": ["u1", "u1", "u2"],
}


def run(answers, form=FORM):
    return validate_answers(form, answers, places=Places(), today=TODAY)


def test_the_form_definition_is_valid():
    assert form_definition_errors(FORM, document_keys=["doc"]) == []


def test_valid_answers_come_back_clean():
    result = run(VALID)
    assert result.errors == {}
    assert result.clean["person"]["full_name"] == "Nguyễn Văn An"
    assert result.clean["extras"] == ["x", "y"]  # the form's order
    assert result.clean["copies"] == 0  # zero is an answer
    assert result.clean["phone"] == "0912345678"
    assert result.clean["scan"] == ["u1", "u2"]
    assert "reason" not in result.clean


def test_every_error_at_once_each_beside_its_field():
    result = run(
        {
            "person": {"full_name": "", "date_of_birth": "1990-02-30", "sex": "x"},
            "home": {"province": "56", "commune": "T-A"},
            "kind": "c",
            "extras": ["z"],
            "copies": 11,
            "event": "2026-11-26",
            "phone": "12345",
            "email": "not-an-email",
            "pid": "999000000000",
            "agree": False,
            "scan": ["a", "b", "c"],
            "hacker": "x",
        }
    )
    assert set(result.errors) == {
        "person.full_name",
        "person.date_of_birth",
        "person.sex",
        "home.village",
        "kind",
        "extras",
        "copies",
        "event",
        "phone",
        "email",
        "pid",
        "agree",
        "scan",
        "hacker",
    }
    assert result.errors["agree"] == ["Tick this box to continue."]
    assert result.clean.get("home") is None


def test_the_address_is_checked_against_the_places():
    answers = {**VALID, "home": {"province": "56", "commune": "T-A", "village": "loc-tan"}}
    assert run(answers).errors == {"home.commune": ["This commune is not in that province."]}
    answers = {**VALID, "home": {"province": "66", "commune": "T-A", "village": "nope"}}
    assert run(answers).errors == {"home.village": ["This village is not in that commune."]}


@pytest.mark.parametrize(
    "personal_id, error",
    [
        ("066190001234", "This ID number belongs to a person of the other sex."),
        ("066085001234", "This ID number is of someone born in 1985."),
        ("06609000123", "The personal ID number has exactly 12 digits."),
        ("003090001234", "This is not a valid personal ID number: check the first three digits."),
    ],
)
def test_the_personal_id_must_agree_with_the_person(personal_id, error):
    answers = {**VALID, "person": {**VALID["person"], "personal_id": personal_id}}
    assert run(answers).errors == {"person.personal_id": [error]}


def test_a_field_shown_by_a_condition_becomes_required_and_a_hidden_answer_is_dropped():
    assert run({**VALID, "kind": "b"}).errors == {"reason": ["This field is required."]}
    assert run({**VALID, "kind": "b", "reason": "Cần gấp"}).clean["reason"] == "Cần gấp"
    assert "reason" not in run({**VALID, "reason": "ignored"}).clean


def test_answers_that_are_not_an_object_are_an_error_not_a_crash():
    assert run(["not", "a", "dict"]).errors == {
        "__all__": ["The answers must be an object of field names."]
    }


@pytest.mark.parametrize(
    "field, problem",
    [
        ({"name": "Bad Name", "type": "text", "label": label("x")}, "name must be"),
        ({"name": "x", "type": "color", "label": label("x")}, "unknown type"),
        ({"name": "x", "type": "text", "label": {"en": "x"}}, "Vietnamese text"),
        ({"name": "x", "type": "choice", "label": label("x")}, "needs options"),
        ({"name": "x", "type": "file", "document": "nope", "label": label("x")}, "document"),
        (
            {
                "name": "x",
                "type": "text",
                "label": label("x"),
                "show_if": {"field": "later", "equals": 1},
            },
            "not an earlier field",
        ),
    ],
)
def test_bad_definitions_are_refused_with_the_reason(field, problem):
    errors = form_definition_errors({"fields": [field]}, document_keys=["doc"])
    assert len(errors) == 1 and problem in errors[0], errors


@pytest.mark.parametrize("name", ["commune", "delivery", "cccd", "seen", "fee_amount"])
def test_a_name_the_pages_use_for_their_own_inputs_is_refused(name):
    """The portal and the desk post the fields under their own names, beside inputs of their
    own: a field called "commune" would be read as the commune the dossier goes to."""
    field = {"name": name, "type": "text", "label": label("x")}
    errors = form_definition_errors({"fields": [field]})
    assert errors == [f"{name}: the name {name!r} is taken by the pages' own inputs"]


def test_a_name_used_twice_is_refused():
    field = {"name": "x", "type": "text", "label": label("x")}
    assert form_definition_errors({"fields": [field, field]}) == ["x: name used twice"]


@pytest.mark.parametrize(
    "field, problem",
    [
        ({"name": "x", "type": "text", "label": label("x"), "requierd": True}, "unknown settings"),
        ({"name": "x", "type": "date", "label": label("x"), "max_date": "yesterday"}, "max_date"),
        ({"name": "x", "type": "number", "label": label("x"), "min": "1"}, "min must be"),
        ({"name": "x", "type": "text", "label": label("x"), "max_length": 0}, "max_length"),
        ({"name": "x", "type": "text", "label": label("x"), "required": "yes"}, "required"),
    ],
)
def test_misspelt_or_mistyped_settings_are_refused_not_ignored(field, problem):
    errors = form_definition_errors({"fields": [field]})
    assert len(errors) == 1 and problem in errors[0], errors


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, "1e999"])
def test_numbers_that_are_not_numbers_are_an_error_not_a_crash(value):
    assert "copies" in run({**VALID, "copies": value}).errors


def test_a_boolean_is_not_text():
    form = {"fields": [{"name": "t", "type": "text", "label": label("t")}]}
    assert run({"t": True}, form).errors == {"t": ["Enter text."]}
    assert run({"t": 42}, form).clean == {"t": "42"}
