"""The citizen's document store: an earlier dossier's file reused instead of uploaded again, only
by someone who may see that dossier, for the same person, and recorded where it comes from."""

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient, assert_error
from xaso.core.models import AuditEntry
from xaso.dossiers.models import Attachment, Dossier


def test_the_desk_reuses_the_same_persons_earlier_file_and_nobody_else_can(staff, at):
    at(2026, 11, 30, 9, 0)
    first = submission()
    first_code = ApiClient().post("/api/v1/dossiers", first).json()["code"]
    token = first["form"]["birth_certificate"][0]
    desk = submission("counter")
    desk["form"]["birth_certificate"] = [token]
    code = staff["reception"].post("/api/v1/dossiers", desk).json()["code"]
    reused = Attachment.objects.get(dossier__code=code)
    assert reused.source == Attachment.Source.REUSED
    assert reused.reused_from.dossier.code == first_code
    offered = staff["reception"].get(f"/api/v1/dossiers/{code}/reusable").json()["items"]
    assert [(item["id"], item["from_dossier"]) for item in offered] == [(token, first_code)]
    trail = AuditEntry.objects.filter(chain="DEMO-PL", object_id=first_code)
    assert trail.filter(action="attachment.reuse", data__into_dossier=code).count() == 1
    assert trail.filter(action="personal_data.view", data__purpose=f"reuse_offer:{code}").exists()
    stranger = submission()
    stranger["applicant"]["personal_id"] = "066190009999"
    stranger["form"]["birth_certificate"] = [token]
    refused = ApiClient().post("/api/v1/dossiers", stranger)
    error = assert_error(refused, 400, "invalid_answers")
    assert set(error["details"]["fields"]) == {"birth_certificate"}
    # Knowing the file's id is not enough: an anonymous applicant sees no earlier dossier.
    same_person = submission()
    same_person["form"]["birth_certificate"] = [token]
    assert_error(ApiClient().post("/api/v1/dossiers", same_person), 400, "invalid_answers")
    assert Dossier.objects.count() == 2


def test_f1_another_communes_desk_cannot_reuse_or_download_a_citizens_files(staff, at):
    """F1 as found: another commune's reception files a desk dossier in his commune with the
    victim's commune as deciding commune and the victim's personal ID, asks for the reusable
    files, attaches one and downloads it."""
    at(2026, 11, 30, 9, 0)
    victim = submission()
    victim_code = ApiClient().post("/api/v1/dossiers", victim).json()["code"]
    token = victim["form"]["birth_certificate"][0]
    intruder = staff["other-reception"]
    bait = submission("counter", commune="DEMO-TN", deciding_commune="DEMO-PL")
    bait["applicant"]["village"] = ""
    bait_answer = intruder.post("/api/v1/dossiers", bait)
    assert bait_answer.status_code == 201, bait_answer.content
    bait_code = bait_answer.json()["code"]
    offered = intruder.get(f"/api/v1/dossiers/{bait_code}/reusable")
    assert offered.status_code == 200 and offered.json()["items"] == []
    attach = submission("counter", commune="DEMO-TN", deciding_commune="DEMO-PL")
    attach["applicant"]["village"] = ""
    attach["form"]["birth_certificate"] = [token]
    assert_error(intruder.post("/api/v1/dossiers", attach), 400, "invalid_answers")
    assert not Attachment.objects.filter(upload__token=token).exclude(dossier__code=victim_code)
    download = intruder.get(f"/api/v1/dossiers/{bait_code}/attachments/{token}")
    assert_error(download, 404, "attachment_not_found")
    assert_error(intruder.get(f"/api/v1/dossiers/{victim_code}/attachments/{token}"), 404,
                 "dossier_not_found")  # fmt: skip
    # Nothing was read from the victim's commune: its trail has no look at the victim's dossier.
    assert not AuditEntry.objects.filter(
        chain="DEMO-PL", object_id=victim_code, actor__username="other-reception"
    ).exists()
