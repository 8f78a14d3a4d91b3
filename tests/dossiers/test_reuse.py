"""The citizen's document store: an earlier dossier's file reused instead of uploaded again."""

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient, assert_error
from xaso.dossiers.models import Attachment, Dossier


def test_the_same_person_reuses_an_earlier_file_and_nobody_else_can(staff, at):
    at(2026, 11, 30, 9, 0)
    first = submission()
    first_code = ApiClient().post("/api/v1/dossiers", first).json()["code"]
    token = first["form"]["birth_certificate"][0]
    second = submission()
    second["form"]["birth_certificate"] = [token]
    code = ApiClient().post("/api/v1/dossiers", second).json()["code"]
    reused = Attachment.objects.get(dossier__code=code)
    assert reused.source == Attachment.Source.REUSED
    assert reused.reused_from.dossier.code == first_code
    offered = staff["reception"].get(f"/api/v1/dossiers/{code}/reusable").json()["items"]
    assert [(item["id"], item["from_dossier"]) for item in offered] == [(token, first_code)]
    stranger = submission()
    stranger["applicant"]["personal_id"] = "066190009999"
    stranger["form"]["birth_certificate"] = [token]
    refused = ApiClient().post("/api/v1/dossiers", stranger)
    error = assert_error(refused, 400, "invalid_answers")
    assert set(error["details"]["fields"]) == {"birth_certificate"}
    assert Dossier.objects.count() == 2
