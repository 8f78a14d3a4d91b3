"""Announcements (approval, portal, Atom feed, print, Zalo text) and loudspeaker bulletins
(the day's programme in playing order, the script, the audio, the play log)."""

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from tests.helpers.api import ApiClient, assert_error
from xaso.news import services
from xaso.news.models import Announcement, CultureOfficer

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def write(world, title="Lịch gieo sạ vụ Đông Xuân", **extra):
    return services.announcement_write(
        actor=world.user("specialist"), commune_code="T-A", category="agriculture",
        title=title, body="Bà con gieo sạ tập trung từ ngày 5/12.\nDùng giống xác nhận.",
        village_codes=["loc-tan"], **extra,
    )  # fmt: skip


def test_a_draft_is_published_only_by_the_leader_or_the_culture_officer(world):
    item = write(world)
    services.announcement_submit(actor=world.user("specialist"), code=item.code)
    client = ApiClient().as_user(world.user("specialist"))
    assert_error(client.post(f"/api/v1/news/{item.code}/approve"), 403, "forbidden")
    CultureOfficer.objects.create(commune=world.commune, user=world.user("specialist"))
    assert client.post(f"/api/v1/news/{item.code}/approve").json()["state"] == "published"
    other = ApiClient().as_user(world.user("other_leader"))
    assert_error(other.post(f"/api/v1/news/{item.code}/withdraw"), 404, "commune_not_found")


def test_the_api_and_the_atom_feed_list_the_published_only(world, client):
    published = write(world, title="Tiêm phòng cho đàn gia súc")
    services.announcement_approve(actor=world.user("leader"), code=published.code)
    draft = write(world, title="Bản nháp chưa duyệt")
    items = ApiClient().get("/api/v1/news?commune=T-A").json()["items"]
    assert [item["code"] for item in items] == [published.code]
    response = client.get("/tin-tuc/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed) well-formed, or raises
    assert root.tag == f"{ATOM}feed"
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert titles == ["Tiêm phòng cho đàn gia súc"]
    assert draft.title not in response.content.decode()
    page = client.get("/tin-tuc/")
    assert published.title in page.content.decode() and draft.title not in page.content.decode()
    assert len(page.content) < 60_000
    assert client.get(f"/tin-tuc/{draft.code}/").status_code == 404
    one = client.get(f"/tin-tuc/{published.code}/")
    assert "Dùng giống xác nhận." in one.content.decode()
    zalo = client.get(f"/tin-tuc/{published.code}/zalo.txt").content.decode()
    assert zalo.startswith("TIÊM PHÒNG CHO ĐÀN GIA SÚC") and "Thôn Lộc Tân" in zalo
    pdf = client.get(f"/tin-tuc/{published.code}/in.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "THÔNG BÁO" in client.get(f"/tin-tuc/{published.code}/in/").content.decode()


def _bulletin(world, title, priority, **extra):
    return ApiClient().as_user(world.user("reception")).post(
        "/api/v1/broadcasts",
        {"commune": "T-A", "title": title, "text": f"{title}. Bà con lưu ý.", "priority": priority,
         **extra},
    )  # fmt: skip


def _approve(world, code):
    answer = ApiClient().as_user(world.user("leader")).post(f"/api/v1/broadcasts/{code}/approve")
    assert answer.status_code == 200, answer.content


def test_an_emergency_added_for_today_comes_first_in_the_programme(world, at):
    at(2026, 11, 25, 8)  # a Wednesday
    _approve(world, _bulletin(world, "Họp thôn", "normal").json()["code"])
    _approve(world, _bulletin(world, "Lịch tiêm phòng", "priority").json()["code"])
    # An emergency is approved as it is written: it plays at once.
    assert _bulletin(world, "Lũ quét: sơ tán ngay", "emergency").status_code == 201
    answer = ApiClient().get("/api/v1/broadcasts/programme?commune=T-A&date=2026-11-25").json()
    assert [item["priority"] for item in answer["items"]] == ["emergency", "priority", "normal"]
    assert answer["items"][0]["title"] == "Lũ quét: sơ tán ngay"
    assert answer["items"][0]["slots"][0] == "now"
    assert answer["slots"] == ["05:00", "17:00"]
    sunday = ApiClient().get("/api/v1/broadcasts/programme?commune=T-A&date=2026-11-29").json()
    assert sunday["items"] == []  # a one-day bulletin, and no slot on Sunday


def test_the_operator_ticks_and_the_script_exports_in_order(world, at):
    at(2026, 11, 25, 8)
    normal = _bulletin(world, "Họp thôn", "normal").json()["code"]
    _bulletin(world, "Cháy rừng", "emergency")
    client = ApiClient().as_user(world.user("reception"))
    waiting = client.post(
        f"/api/v1/broadcasts/{normal}/play", {"date": "2026-11-25", "slot": "05:00"}
    )
    assert_error(waiting, 400, "day")  # not approved yet: not on the programme
    _approve(world, normal)
    played = client.post(
        f"/api/v1/broadcasts/{normal}/play", {"date": "2026-11-25", "slot": "05:00"}
    )
    assert played.status_code == 200
    programme = client.get("/api/v1/broadcasts/programme?commune=T-A&date=2026-11-25").json()
    assert programme["items"][1]["played"] == ["05:00"]
    script = client.get("/api/v1/broadcasts/script.txt?commune=T-A&date=2026-11-25")
    text = script.content.decode()
    assert text.index("Cháy rừng") < text.index("Họp thôn")
    other = ApiClient().as_user(world.user("other_reception"))
    assert_error(other.get("/api/v1/broadcasts/script.txt?commune=T-A"), 404, "commune_not_found")
    tick = other.post(f"/api/v1/broadcasts/{normal}/play", {"date": "2026-11-25", "slot": "05:00"})
    assert_error(tick, 404, "bulletin_not_found")


def test_a_bulletin_plays_only_once_the_leader_or_the_culture_officer_approves_it(world, at):
    at(2026, 11, 25, 8)
    code = _bulletin(world, "Họp thôn", "normal").json()["code"]
    programme = "/api/v1/broadcasts/programme?commune=T-A&date=2026-11-25"
    assert ApiClient().get(programme).json()["items"] == []
    writer = ApiClient().as_user(world.user("reception"))
    assert_error(writer.post(f"/api/v1/broadcasts/{code}/approve"), 403, "forbidden")
    other = ApiClient().as_user(world.user("other_leader"))
    assert_error(other.post(f"/api/v1/broadcasts/{code}/approve"), 404, "bulletin_not_found")
    _approve(world, code)
    assert [item["code"] for item in ApiClient().get(programme).json()["items"]] == [code]
    again = ApiClient().as_user(world.user("leader")).post(f"/api/v1/broadcasts/{code}/approve")
    assert_error(again, 409, "action_not_allowed")
    own = ApiClient().as_user(world.user("leader"))
    mine = own.post("/api/v1/broadcasts", {"commune": "T-A", "title": "Lịch họp", "text": "Họp."})
    assert mine.json()["code"] in [i["code"] for i in ApiClient().get(programme).json()["items"]]


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng not installed")
def test_the_audio_is_made_offline_with_its_duration(world, at):
    at(2026, 11, 25, 8)
    code = _bulletin(world, "Thông báo tiêm phòng dại cho chó mèo", "normal").json()["code"]
    answer = ApiClient().as_user(world.user("reception")).post(f"/api/v1/broadcasts/{code}/audio")
    assert answer.status_code == 200, answer.content
    assert 1 < answer.json()["audio_seconds"] < 30


def test_without_a_speech_engine_the_audio_says_so(world, at, monkeypatch):
    from xaso.news import speech

    monkeypatch.setattr(speech, "engine", lambda: None)
    code = _bulletin(world, "Họp thôn", "normal").json()["code"]
    answer = ApiClient().as_user(world.user("reception")).post(f"/api/v1/broadcasts/{code}/audio")
    error = assert_error(answer, 409, "speech_unavailable")
    assert "espeak-ng" in error["message"]


def test_wav_seconds_reads_the_header():
    import io
    import wave

    from xaso.news.speech import wav_seconds

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(22050)
        writer.writeframes(b"\0\0" * 22050 * 3)
    assert wav_seconds(buffer.getvalue()) == 3.0
    assert subprocess  # the engine runs as a subprocess (see speech.speak)
    assert Announcement.State.PUBLISHED == "published"
