"""The community API as its users notice it: teams, members, the field log sent twice, the
adoption table; and what a member or another commune's user cannot read."""

import uuid

import pytest

from tests.helpers.api import assert_error, submit
from xaso.community import services
from xaso.community.models import Activity, Team
from xaso.dossiers.models import Dossier

from .conftest import entry, submission, upload

LOC_TAN = "Thôn Lộc Tân"


def test_staff_read_the_communes_fifteen_teams_a_member_only_their_own(clients):
    teams = clients["reception"].get("/api/v1/community/teams?commune=DEMO-PL").json()["items"]
    assert len(teams) == 15
    assert all(5 <= team["active_members"] <= 10 for team in teams)
    assert all(team["decision"]["number"].endswith("/QĐ-UBND") for team in teams)
    own = clients["community"].get("/api/v1/community/teams?commune=DEMO-PL").json()["items"]
    assert [team["village"]["name"] for team in own] == [LOC_TAN]
    other = clients["other-reception"].get("/api/v1/community/teams?commune=DEMO-PL")
    assert_error(other, 404, "commune_not_found")


def test_the_administrator_sets_up_a_team_and_adds_members(clients, demo):
    from xaso.places.models import Commune, Village

    village = Village.objects.create(
        commune=Commune.objects.get(code="DEMO-PL"), code="thon-moi", name="Thôn Mới (demo)"
    )
    decision = {"number": "99/QĐ-UBND", "date": "2026-11-20", "signer": "Chủ tịch"}
    body = {"commune": "DEMO-PL", "village": village.code, "decision": decision}
    assert_error(clients["reception"].post("/api/v1/community/teams", body), 403, "forbidden")
    created = clients["admin"].post("/api/v1/community/teams", body)
    assert created.status_code == 201, created.content
    team = created.json()["items"][0]
    assert team["decision"] == {"number": "99/QĐ-UBND", "date": "2026-11-20", "signer": "Chủ tịch"}
    assert_error(clients["admin"].post("/api/v1/community/teams", body), 409, "team_exists")
    member = {"full_name": "Lê Thị Hoa", "phone": "0987654321", "role": "deputy",
              "origin": "teacher", "active_from": "2026-11-21"}  # fmt: skip
    path = f"/api/v1/community/teams/{team['id']}/members"
    assert clients["admin"].post(path, member).status_code == 201
    listed = clients["admin"].get(path).json()["items"]
    assert [(m["full_name"], m["role"], m["origin"]) for m in listed] == [
        ("Lê Thị Hoa", "deputy", "teacher")
    ]
    assert_error(clients["other-reception"].get(path), 404, "team_not_found")


def test_a_member_reads_their_own_teams_members_not_anothers(clients):
    own = Team.objects.get(village__name=LOC_TAN)
    other = Team.objects.get(village__name="Thôn Lộc Tài")
    members = clients["community"].get(f"/api/v1/community/teams/{own.pk}/members").json()
    assert "Tổ công nghệ số thôn Lộc Tân (demo)" in [m["full_name"] for m in members["items"]]
    refused = clients["community"].get(f"/api/v1/community/teams/{other.pk}/members")
    assert_error(refused, 404, "team_not_found")
    # Nor may a member add anyone, even to their own team.
    add = clients["community"].post(
        f"/api/v1/community/teams/{own.pk}/members", {"full_name": "Ai đó"}
    )
    assert_error(add, 403, "forbidden")


def test_an_entry_sent_twice_is_recorded_once(clients):
    body = entry()
    first = clients["community"].post("/api/v1/community/activities", body)
    assert first.status_code == 201, first.content
    # The phone did not hear the answer and sends it again, even with an edit: the stored entry.
    again = clients["community"].post(
        "/api/v1/community/activities", {**body, "minutes": 55, "outcome": "advice"}
    )
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.json()["minutes"] == 20
    assert Activity.objects.filter(uid=body["id"]).count() == 1


def test_two_sends_at_once_the_unique_id_decides(clients, demo, monkeypatch):
    body = entry()
    assert clients["community"].post("/api/v1/community/activities", body).status_code == 201
    # The second send raced the first: it did not see the entry before inserting its own.
    monkeypatch.setattr(services, "_stored", lambda uid: None)
    again = clients["community"].post("/api/v1/community/activities", body)
    assert again.status_code == 200, again.content
    assert Activity.objects.filter(uid=body["id"]).count() == 1


def test_an_entry_needs_the_residents_consent_and_known_skill_and_outcome(clients):
    refused = clients["community"].post(
        "/api/v1/community/activities",
        entry(resident={"name": "Y Moan", "consent": False}, skill="tiktok", outcome="liked"),
    )
    fields = assert_error(refused, 400, "invalid")["details"]["fields"]
    assert {"resident.consent", "skill", "outcome"} <= set(fields)
    assert not Activity.objects.filter(resident_name="Y Moan").exists()


def test_only_a_team_member_records_entries(clients):
    refused = clients["reception"].post("/api/v1/community/activities", entry())
    assert_error(refused, 403, "not_a_member")


def test_another_members_entry_id_is_not_theirs_to_read(clients):
    body = entry()
    assert clients["loc-tai"].post("/api/v1/community/activities", body).status_code == 201
    taken = clients["community"].post("/api/v1/community/activities", body)
    assert_error(taken, 409, "entry_id_taken")
    assert "Y Moan" not in taken.content.decode()


def test_a_member_reads_only_their_own_entries(clients):
    mine = entry(resident={"name": "Người của Lộc Tân", "consent": True})
    theirs = entry(resident={"name": "Người của Lộc Tài", "consent": True})
    clients["community"].post("/api/v1/community/activities", mine)
    clients["loc-tai"].post("/api/v1/community/activities", theirs)
    for query in ("", "?mine=1", "?commune=DEMO-PL"):
        items = clients["community"].get(f"/api/v1/community/activities{query}").json()["items"]
        names = {item["resident"]["name"] for item in items}
        assert "Người của Lộc Tân" in names
        assert "Người của Lộc Tài" not in names
        assert {item["team"] for item in items} == {Team.objects.get(village__name=LOC_TAN).pk}
    staff = clients["reception"].get("/api/v1/community/activities?commune=DEMO-PL").json()
    names = {item["resident"]["name"] for item in staff["items"]}
    assert {"Người của Lộc Tân", "Người của Lộc Tài"} <= names
    other = clients["other-reception"].get("/api/v1/community/activities?commune=DEMO-PL")
    assert_error(other, 404, "commune_not_found")
    assert clients["other-reception"].get("/api/v1/community/activities").json()["items"] == []


def test_the_member_reads_the_dossiers_they_filed_and_no_other(clients, at):
    at(2026, 11, 30, 9, 0)
    photo = {"method": "photo", "upload": upload("consent-photo-ws", by="community")}
    filed = submit(clients["community"], submission("community", consent=photo))
    online = submit(clients["reception"].__class__(), submission("online"))  # a resident's own
    own = clients["community"].get(f"/api/v1/dossiers/{filed['code']}")
    assert own.status_code == 200
    for code in [online["code"], *Dossier.objects.exclude(code=filed["code"]).values_list(
        "code", flat=True
    )]:  # fmt: skip
        assert_error(clients["community"].get(f"/api/v1/dossiers/{code}"), 404, "dossier_not_found")
    listed = clients["community"].get("/api/v1/dossiers").json()["items"]
    assert [item["code"] for item in listed] == [filed["code"]]
    # A filed dossier may be linked to an entry; another's code may not.
    linked = clients["community"].post(
        "/api/v1/community/activities", entry(outcome="dossier_filed", dossier=filed["code"])
    )
    assert linked.status_code == 201
    assert linked.json()["dossier"] == filed["code"]
    refused = clients["community"].post(
        "/api/v1/community/activities", entry(outcome="dossier_filed", dossier=online["code"])
    )
    assert "dossier" in assert_error(refused, 400, "invalid")["details"]["fields"]


def test_adoption_lists_the_fifteen_villages_with_the_field_log_and_dossier_shares(clients, at):
    at(2026, 11, 30, 9, 0)
    for outcome in ("account_activated", "shop_opened", "shop_opened"):
        clients["community"].post(
            "/api/v1/community/activities", entry(outcome=outcome, at="2026-11-30")
        )
    photo = {"method": "photo", "upload": upload("consent-photo-ad", by="community")}
    submit(clients["community"], submission("community", consent=photo))
    submit(clients["reception"].__class__(), submission("online"))
    answer = clients["reception"].get(
        "/api/v1/community/adoption?commune=DEMO-PL&from=2026-11-01&to=2026-11-30"
    )
    assert answer.status_code == 200, answer.content
    rows = answer.json()["items"]
    assert len(rows) == 15
    loc_tan = next(row for row in rows if row["village"]["name"] == LOC_TAN)
    before = Activity.objects.filter(
        village__name=LOC_TAN, at__gte="2026-11-01", at__lte="2026-11-30"
    )
    assert loc_tan["residents"] == before.count()
    assert loc_tan["shops"] == before.filter(outcome="shop_opened").count() >= 2
    assert loc_tan["dossiers"] == 2
    assert loc_tan["dossiers_online"] == 1
    assert loc_tan["online_share"] == 50.0
    total = answer.json()["total"]
    assert total["residents"] == sum(row["residents"] for row in rows)
    assert_error(
        clients["community"].get("/api/v1/community/adoption?commune=DEMO-PL"), 403, "forbidden"
    )
    assert_error(
        clients["other-reception"].get("/api/v1/community/adoption?commune=DEMO-PL"),
        404,
        "commune_not_found",
    )


@pytest.mark.parametrize("query", ["from=2026-13-01", "from=2026-11-30&to=2026-11-01"])
def test_a_bad_period_is_a_clear_400(clients, query):
    answer = clients["reception"].get(f"/api/v1/community/adoption?commune=DEMO-PL&{query}")
    assert answer.status_code == 400


def test_lists_run_a_fixed_number_of_queries(clients, django_assert_max_num_queries):
    for _ in range(30):
        clients["community"].post("/api/v1/community/activities", entry())
    with django_assert_max_num_queries(12):
        clients["community"].get("/api/v1/community/activities?mine=1")
    with django_assert_max_num_queries(16):
        clients["reception"].get("/api/v1/community/adoption?commune=DEMO-PL")
    with django_assert_max_num_queries(10):
        clients["reception"].get("/api/v1/community/teams?commune=DEMO-PL")


def test_the_entry_id_must_be_a_uuid(clients):
    answer = clients["community"].post("/api/v1/community/activities", entry(id="not-a-uuid"))
    assert answer.status_code == 400
    assert uuid.UUID(entry()["id"])
