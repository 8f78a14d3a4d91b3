"""The one renderer of the catalogue's forms (`catalog.web_forms`): the portal's pages and the desk
read a POST the same way, under the same names (issue 16 item 11)."""

from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from xaso.catalog import web_forms

LABEL = {"vi": "x"}
FORM = {
    "fields": [
        {"name": "applicant", "type": "person", "label": LABEL, "required": True},
        {"name": "phone", "type": "phone", "label": LABEL},
        {"name": "event_date", "type": "date", "label": LABEL},
        {"name": "sign_in_person", "type": "checkbox", "label": LABEL},
        {"name": "kinds", "type": "multi_choice", "label": LABEL, "options": [
            {"value": "a", "label": LABEL}, {"value": "b", "label": LABEL}]},
        {"name": "late", "type": "text", "label": LABEL,
         "show_if": {"field": "phone", "filled": True}},
        {"name": "scan", "type": "file", "label": LABEL, "document": "d", "max_files": 2},
    ]
}  # fmt: skip


def post(values: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def test_a_post_reads_to_the_validators_shape_whichever_page_sent_it():
    answers = web_forms.read_answers(
        FORM["fields"],
        post(
            {
                "applicant.full_name": "Y Bhiơ Niê",
                "applicant.date_of_birth.day": "2",
                "applicant.date_of_birth.month": "3",
                "applicant.date_of_birth.year": "1960",
                "phone": "0912345678",
                "event_date.day": "31",
                "event_date.month": "2",
                "event_date.year": "2026",
                "kinds": ["a", "b"],
            }
        ),
    )
    assert answers["applicant"] == {"full_name": "Y Bhiơ Niê", "date_of_birth": "1960-03-02"}
    assert answers["event_date"] == "31/2/2026"  # kept as typed: the validator refuses it
    assert answers["sign_in_person"] is False  # unticked is "no", on both pages
    assert answers["kinds"] == ["a", "b"]
    assert "scan" not in answers  # files are the page's to upload


def test_a_file_field_keeps_its_uploads_less_those_removed_and_takes_at_most_its_limit():
    data = post({"scan.token": ["t1", "t2", "t1"], "scan.remove": "t2"})
    assert web_forms.kept_uploads(FORM["fields"][-1], data) == ["t1"]
    files = MultiValueDict({"scan": ["a.pdf", "b.pdf", "c.pdf"]})
    assert web_forms.new_files(FORM["fields"][-1], files) == ["a.pdf", "b.pdf"]


def test_paged_for_the_portal_and_one_page_for_the_desk():
    paged = web_forms.form_steps(FORM)
    assert [step.kind for step in paged] == [
        web_forms.FORM,
        web_forms.FORM,  # "late" depends on the phone: asked on the next page
        web_forms.DOCUMENTS,
        web_forms.DELIVERY,
    ]
    (single,) = web_forms.form_steps(FORM, paged=False)
    assert [spec["name"] for spec in single.specs] == [spec["name"] for spec in FORM["fields"]]


def test_a_field_is_drawn_under_the_names_it_is_read_from():
    places = {
        "default_province": "66",
        "default_commune": "DEMO-PL",
        "provinces": list,
        "communes_of": lambda province: [],
        "villages_of": lambda commune: [],
        "uploads_of": lambda tokens: [],
    }
    person = web_forms.field_view(FORM["fields"][0], {}, {}, places=places, applicant=True)
    assert person["parts"]["full_name"]["name"] == "applicant.full_name"
    assert person["parts"]["date_of_birth"]["id"] == "f-applicant-date_of_birth"
    address = web_forms.field_view(
        {"name": "home", "type": "address", "label": LABEL}, {}, {}, places=places, applicant=False
    )
    assert address["parts"]["commune"]["value"] == "DEMO-PL"  # empty: the page's commune
    late = web_forms.field_view(FORM["fields"][5], "", {}, places=places, applicant=False)
    assert late["conditional"] and late["name"] == "late"
