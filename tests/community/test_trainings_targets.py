"""Trainings and monthly targets through the API (the tests' moment: 25/11/2026): the commune
administrator records them, staff read the commune's, a team member reads their own team's
only, another commune's user nothing (404)."""

from tests.helpers.api import assert_error
from xaso.community.models import Attendance, Member, Team, TrainingSession

from .conftest import entry

TRAININGS = "/api/v1/community/trainings"
TARGETS = "/api/v1/community/targets"
LOC_TAN = "Thôn Lộc Tân"


def training(team: Team, **extra) -> dict:
    return {
        "commune": "DEMO-PL",
        "team": team.pk,
        "topic": "Mua bán an toàn trên sàn thương mại điện tử",
        "date": "2026-11-24",
        "place": "Nhà văn hóa thôn",
        "trainer": "Bưu điện xã",
        **extra,
    }


def test_the_administrator_records_a_training_with_its_attendance(clients):
    team = Team.objects.get(village__name="Thôn Lộc Tài")
    member = Member.objects.filter(team=team).first()
    body = training(
        team,
        materials="Tài liệu Bình dân học vụ số, bài 3",
        attendees=[
            {"kind": "member", "member": member.pk, "course_completed": True},
            {"kind": "resident", "name": "Bà Nguyễn Thị Năm"},
            {"kind": "official", "name": "Cán bộ văn hóa xã", "present": False},
        ],
    )
    created = clients["admin"].post(TRAININGS, body)
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["team"]["name"] == team.name
    assert [(a["kind"], a["name"], a["present"]) for a in answer["attendees"]] == [
        ("member", member.full_name, True),
        ("resident", "Bà Nguyễn Thị Năm", True),
        ("official", "Cán bộ văn hóa xã", False),
    ]
    assert (answer["present"], answer["courses_completed"]) == (2, 1)
    listed = clients["reception"].get(f"{TRAININGS}?commune=DEMO-PL").json()["items"]
    assert listed[0] == answer  # the newest first
    # Only the administrator writes.
    assert_error(clients["reception"].post(TRAININGS, body), 403, "forbidden")
    assert_error(clients["community"].post(TRAININGS, body), 403, "forbidden")


def test_a_training_with_a_wrong_attendee_records_nothing(clients):
    team = Team.objects.get(village__name=LOC_TAN)
    before = TrainingSession.objects.count(), Attendance.objects.count()
    unknown_kind = training(team, attendees=[{"kind": "resident", "name": "A"}, {"kind": "cat"}])
    assert_error(clients["admin"].post(TRAININGS, unknown_kind), 400, "attendee_kind")
    no_such_member = training(team, attendees=[{"kind": "member", "member": 999_999}])
    assert_error(clients["admin"].post(TRAININGS, no_such_member), 404, "member_not_found")
    assert (TrainingSession.objects.count(), Attendance.objects.count()) == before
    other_team = {**training(team), "team": 999_999}
    assert_error(clients["admin"].post(TRAININGS, other_team), 404, "team_not_found")


def test_a_member_reads_their_own_teams_trainings_only(clients):
    own = Team.objects.get(village__name=LOC_TAN)
    other = Team.objects.get(village__name="Thôn Lộc Tài")
    clients["admin"].post(TRAININGS, training(other, topic="Buổi của thôn Lộc Tài"))
    everything = clients["reception"].get(f"{TRAININGS}?commune=DEMO-PL").json()["items"]
    assert {item["team"]["id"] for item in everything} == {own.pk, other.pk}
    mine = clients["community"].get(f"{TRAININGS}?commune=DEMO-PL").json()["items"]
    assert mine and {item["team"]["id"] for item in mine} == {own.pk}
    # The demo's session of Lộc Tân, on 20/11/2026; a period leaves it out or in.
    assert clients["community"].get(f"{TRAININGS}?commune=DEMO-PL&from=2026-11-21").json() == {
        "items": []
    }
    november = clients["community"].get(f"{TRAININGS}?commune=DEMO-PL&from=2026-11").json()
    assert [item["date"] for item in november["items"]] == ["2026-11-20"]
    assert_error(clients["other-reception"].get(f"{TRAININGS}?commune=DEMO-PL"), 404,
                 "commune_not_found")  # fmt: skip


def test_targets_show_the_progress_the_field_log_makes(clients):
    team = Team.objects.get(village__name=LOC_TAN)

    def activations(client) -> dict:
        items = client.get(f"{TARGETS}?commune=DEMO-PL&month=2026-11").json()["items"]
        return next(i for i in items if i["team"]["id"] == team.pk and i["metric"] == "activations")

    before = activations(clients["community"])
    assert before["target"] == 50  # the demo's
    recorded = clients["community"].post("/api/v1/community/activities", entry())
    assert recorded.status_code == 201
    after = activations(clients["community"])
    assert after["done"] == before["done"] + 1
    assert after["percent"] == round(100 * after["done"] / 50)
    set_ = clients["admin"].post(
        TARGETS, {"team": team.pk, "month": "2026-11", "metric": "activations", "target": 10}
    )
    assert set_.status_code == 201, set_.content
    assert (set_.json()["target"], set_.json()["done"]) == (10, after["done"])
    assert activations(clients["reception"])["target"] == 10  # replaced, not doubled
    # A month without targets lists none; a member sees their own team's only.
    assert clients["admin"].get(f"{TARGETS}?commune=DEMO-PL&month=2027-01").json()["items"] == []
    assert len({i["team"]["id"] for i in clients["reception"].get(
        f"{TARGETS}?commune=DEMO-PL&month=2026-11").json()["items"]}) == 15  # fmt: skip
    mine = clients["community"].get(f"{TARGETS}?commune=DEMO-PL").json()
    assert mine["month"] == "2026-11"
    assert {i["team"]["id"] for i in mine["items"]} == {team.pk}


def test_only_the_administrator_sets_a_target_and_a_bad_one_is_a_400(clients):
    team = Team.objects.get(village__name=LOC_TAN)
    body = {"team": team.pk, "month": "2026-12", "metric": "shops", "target": 3}
    assert_error(clients["community"].post(TARGETS, body), 403, "forbidden")
    assert_error(clients["reception"].post(TARGETS, body), 403, "forbidden")
    assert_error(clients["other-reception"].post(TARGETS, body), 404, "team_not_found")
    assert_error(clients["admin"].post(TARGETS, {**body, "metric": "likes"}), 400, "metric")
    assert_error(clients["admin"].post(TARGETS, {**body, "month": "2026-13"}), 400, "month")
    assert not team.targets.filter(month="2026-12-01").exists()


def test_the_lists_run_a_fixed_number_of_queries(clients, django_assert_max_num_queries):
    clients["reception"].get(f"{TARGETS}?commune=DEMO-PL")  # warm the scope
    with django_assert_max_num_queries(12):
        items = clients["reception"].get(f"{TARGETS}?commune=DEMO-PL").json()["items"]
    assert len(items) == 60  # 15 teams x 4 targets
    with django_assert_max_num_queries(12):
        clients["reception"].get(f"{TRAININGS}?commune=DEMO-PL")
