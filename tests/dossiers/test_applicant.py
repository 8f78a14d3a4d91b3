"""Who the applicant is (`dossiers.applicant`): the form's first person, phone and address, not the
subject of the act; the filer is linked apart from them."""

from xaso.dossiers.applicant import (
    applicant_completed,
    applicant_fields,
    applicant_from_answers,
    applicant_person_field,
)

LABEL = {"vi": "x"}
BIRTH = {
    "fields": [
        {"name": "declarant", "type": "person", "label": LABEL},
        {"name": "phone", "type": "phone", "label": LABEL},
        {"name": "child", "type": "person", "label": LABEL},
        {"name": "residence", "type": "address", "label": LABEL},
        {"name": "other_phone", "type": "phone", "label": LABEL},
    ]
}
ANSWERS = {
    "declarant": {"full_name": "H'Lan Niê", "sex": "female", "date_of_birth": "1998-01-01"},
    "phone": "0912345678",
    "child": {"full_name": "H'Hen Niê", "sex": "female"},
    "residence": {
        "province": "66",
        "commune": "DEMO-PL",
        "village": "thon-loc-tan",
        "detail": "Nhà 4",
    },
    "other_phone": "0999999999",
}


def test_the_applicant_is_the_forms_first_person_not_the_subject():
    assert applicant_person_field(BIRTH) == "declarant"
    assert applicant_fields(BIRTH) == {"declarant", "phone", "residence"}
    block = applicant_from_answers(BIRTH, ANSWERS, "DEMO-PL")
    assert block == {
        "full_name": "H'Lan Niê",
        "personal_id": "",
        "date_of_birth": "1998-01-01",
        "sex": "female",
        "phone": "0912345678",
        "address": "Nhà 4",
        "village": "thon-loc-tan",
    }


def test_a_village_of_another_commune_is_not_kept():
    assert applicant_from_answers(BIRTH, ANSWERS, "OTHER")["village"] == ""


def test_what_the_desk_typed_wins_and_only_blanks_come_from_the_answers():
    typed = {"full_name": "Y Bhiơ Niê", "phone": ""}
    block = applicant_completed(typed, BIRTH, ANSWERS, "DEMO-PL")
    assert block["full_name"] == "Y Bhiơ Niê" and block["phone"] == "0912345678"
