"""The loudspeaker bulletins' back office (/backoffice/broadcasts/): writing one, the leader's
approval, the day's programme in playing order (emergency first) with the operator's ticks, the
printable script and the text export, the audio, and the commune's slots set by its
administrator. Scoped by commune: another commune's officer gets 404."""

import shutil

import pytest

from tests.backoffice.test_news import media, queries_of, signed_in  # noqa: F401 (fixture)
from xaso.core.models import AuditEntry
from xaso.news import services
from xaso.news.models import BroadcastSlot, Bulletin, PlayLog

pytestmark = pytest.mark.django_db
WEDNESDAY = "2026-11-25"


def write(client, title, priority="normal", **extra):
    return client.post(
        "/backoffice/broadcasts/new/",
        {"title": title, "text": f"{title}. Bà con lưu ý.", "priority": priority,
         "first_day": WEDNESDAY, **extra},
    )  # fmt: skip


def test_the_programme_page_plays_the_emergency_first_and_the_operator_ticks(world, at):
    at(2026, 11, 25, 8)
    reception = signed_in(world, "reception")
    response = write(reception, "Họp thôn", slots=["17:00"], villages=["loc-tan"])
    assert response.status_code == 302 and response["Location"].endswith(f"?date={WEDNESDAY}")
    meeting = Bulletin.objects.get(title="Họp thôn")
    assert meeting.slots == ["17:00"] and meeting.approved_at is None
    day = reception.get(f"/backoffice/broadcasts/?date={WEDNESDAY}").content.decode()
    programme = day[day.index('id="programme"') : day.index('id="waiting-title"')]
    assert "Họp thôn" not in programme  # not approved: not on the programme yet
    assert "Họp thôn" in day[day.index('id="waiting"') :]

    leader = signed_in(world, "leader")
    leader.post(f"/backoffice/broadcasts/{meeting.code}/", {"operation": "approve"})
    write(reception, "Lịch tiêm phòng", "priority")
    services.bulletin_approve(
        actor=world.user("leader"), code=Bulletin.objects.get(title="Lịch tiêm phòng").code
    )
    write(reception, "Lũ quét: sơ tán ngay", "emergency")
    day = reception.get(f"/backoffice/broadcasts/?date={WEDNESDAY}").content.decode()
    programme = day[day.index('id="programme"') : day.index('id="waiting-title"')]
    order = [programme.index(t) for t in ("Lũ quét", "Lịch tiêm phòng", "Họp thôn")]
    assert order == sorted(order)
    assert "Tick: played at once" in programme and "Tick: played at 17:00" in programme

    ticks_before = day.count("Tick: played at 17:00")  # the emergency's and the meeting's
    tick = reception.post(
        f"/backoffice/broadcasts/{meeting.code}/play/", {"day": WEDNESDAY, "slot": "17:00"}
    )
    assert tick.status_code == 302
    assert PlayLog.objects.filter(bulletin=meeting, day=WEDNESDAY, slot="17:00").exists()
    day = reception.get(f"/backoffice/broadcasts/?date={WEDNESDAY}").content.decode()
    assert "✓ played at 17:00" in day
    assert day.count("Tick: played at 17:00") == ticks_before - 1

    script = reception.get(f"/backoffice/broadcasts/script/?date={WEDNESDAY}").content.decode()
    assert script.index("Lũ quét") < script.index("Lịch tiêm phòng") < script.index("Họp thôn")
    text = reception.get(f"/backoffice/broadcasts/script.txt?date={WEDNESDAY}")
    assert text["Content-Type"].startswith("text/plain")
    body = text.content.decode()
    assert body.index("[emergency] Lũ quét") < body.index("[normal] Họp thôn")


def test_only_the_leader_or_the_culture_officer_approves(world, at):
    at(2026, 11, 25, 8)
    reception = signed_in(world, "reception")
    write(reception, "Họp thôn")
    item = Bulletin.objects.get(title="Họp thôn")
    page = reception.get(f"/backoffice/broadcasts/{item.code}/").content.decode()
    assert "Approve for the loudspeakers" not in page
    reception.post(f"/backoffice/broadcasts/{item.code}/", {"operation": "approve"})
    item.refresh_from_db()
    assert item.approved_at is None
    leader = signed_in(world, "leader")
    assert (
        "Approve for the loudspeakers"
        in leader.get(f"/backoffice/broadcasts/{item.code}/").content.decode()
    )
    leader.post(f"/backoffice/broadcasts/{item.code}/", {"operation": "approve"})
    item.refresh_from_db()
    assert item.approved_by == world.user("leader")
    assert AuditEntry.objects.filter(action="bulletin.approve", object_id=item.code).exists()


def test_a_bad_bulletin_comes_back_with_what_was_typed(world, at):
    at(2026, 11, 25, 8)
    reception = signed_in(world, "reception")
    response = write(reception, "Họp thôn", last_day="2026-11-20")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The last day comes before the first." in page and "Họp thôn. Bà con lưu ý." in page
    assert not Bulletin.objects.exists()


def test_cancelling_needs_the_tick(world, at):
    at(2026, 11, 25, 8)
    reception = signed_in(world, "reception")
    write(reception, "Cháy rừng", "emergency")
    item = Bulletin.objects.get()
    reception.post(f"/backoffice/broadcasts/{item.code}/", {"operation": "cancel"})
    item.refresh_from_db()
    assert not item.cancelled
    reception.post(
        f"/backoffice/broadcasts/{item.code}/", {"operation": "cancel", "confirm": "yes"}
    )
    item.refresh_from_db()
    assert item.cancelled
    day = reception.get(f"/backoffice/broadcasts/?date={WEDNESDAY}").content.decode()
    assert "Cháy rừng" not in day


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng not installed")
def test_the_audio_is_made_and_played_in_the_page(world, at):
    at(2026, 11, 25, 8)
    reception = signed_in(world, "reception")
    write(reception, "Tiêm phòng dại cho chó mèo", "emergency")
    item = Bulletin.objects.get()
    assert (
        "Make the audio" in reception.get(f"/backoffice/broadcasts/{item.code}/").content.decode()
    )
    reception.post(f"/backoffice/broadcasts/{item.code}/", {"operation": "audio"})
    item.refresh_from_db()
    assert 1 < item.audio_seconds < 30
    page = reception.get(f"/backoffice/broadcasts/{item.code}/").content.decode()
    assert f'src="/backoffice/broadcasts/{item.code}/audio.wav"' in page
    audio = reception.get(f"/backoffice/broadcasts/{item.code}/audio.wav")
    assert audio["Content-Type"] == "audio/wav" and b"".join(audio.streaming_content)[:4] == b"RIFF"


def test_without_a_speech_engine_the_page_says_so(world, at, monkeypatch):
    from xaso.news import speech

    monkeypatch.setattr(speech, "engine", lambda: None)
    at(2026, 11, 25, 8)
    reception = signed_in(world, "reception")
    write(reception, "Họp thôn", "emergency")
    item = Bulletin.objects.get()
    page = reception.get(f"/backoffice/broadcasts/{item.code}/").content.decode()
    assert "Make the audio" not in page and "espeak-ng" in page


def test_the_administrator_sets_the_slots(world, at):
    at(2026, 11, 25, 8)
    admin = signed_in(world, "commune_admin")
    page = admin.get("/backoffice/broadcasts/slots/").content.decode()
    assert 'value="05:00"' in page and 'value="17:00"' in page  # the default, shown
    response = admin.post(
        "/backoffice/broadcasts/slots/",
        {"rows": "3", "at-0": "06:30", "days-0": ["0", "1", "2", "3", "4"], "at-1": "",
         "at-2": "18:00", "days-2": ["6"]},
    )  # fmt: skip
    assert response.status_code == 302
    rows = sorted((row.at.strftime("%H:%M"), row.weekdays) for row in BroadcastSlot.objects.all())
    assert rows == [("06:30", [0, 1, 2, 3, 4]), ("18:00", [6])]
    day = admin.get(f"/backoffice/broadcasts/?date={WEDNESDAY}").content.decode()
    assert "Slots of the day: 06:30." in day
    # A time without a day is refused, and nothing changes.
    admin.post("/backoffice/broadcasts/slots/", {"rows": "1", "at-0": "07:00"})
    assert BroadcastSlot.objects.count() == 2
    admin.post("/backoffice/broadcasts/slots/", {"operation": "default"})
    assert BroadcastSlot.objects.count() == 2  # not ticked
    admin.post("/backoffice/broadcasts/slots/", {"operation": "default", "confirm": "yes"})
    assert not BroadcastSlot.objects.exists()
    # Only the administrator opens the page.
    assert signed_in(world, "reception").get("/backoffice/broadcasts/slots/").status_code == 404


def test_another_communes_officer_gets_404(world, at):
    at(2026, 11, 25, 8)
    write(signed_in(world, "reception"), "Cháy rừng", "emergency")
    item = Bulletin.objects.get()
    other = signed_in(world, "other_reception")
    for url in (
        f"/backoffice/broadcasts/{item.code}/",
        f"/backoffice/broadcasts/{item.code}/audio.wav",
    ):
        assert other.get(url).status_code == 404, url
    play = other.post(
        f"/backoffice/broadcasts/{item.code}/play/", {"day": WEDNESDAY, "slot": "now"}
    )
    assert play.status_code == 404
    cancel = other.post(f"/backoffice/broadcasts/{item.code}/", {"operation": "cancel",
                                                                 "confirm": "yes"})  # fmt: skip
    assert cancel.status_code == 404
    item.refresh_from_db()
    assert not item.cancelled and not PlayLog.objects.exists()
    assert (
        "Cháy rừng" not in other.get(f"/backoffice/broadcasts/?date={WEDNESDAY}").content.decode()
    )
    script = other.get(f"/backoffice/broadcasts/script.txt?date={WEDNESDAY}").content.decode()
    assert "Cháy rừng" not in script
    other_admin = signed_in(world, "other_commune_admin")
    other_admin.post("/backoffice/broadcasts/slots/", {"operation": "default", "confirm": "yes"})
    assert not BroadcastSlot.objects.filter(commune=world.commune).exists()


def test_the_programme_page_runs_a_fixed_number_of_queries(world, at):
    at(2026, 11, 25, 8)
    client = signed_in(world, "reception")
    write(client, "Cháy rừng", "emergency")
    url = f"/backoffice/broadcasts/?date={WEDNESDAY}"
    client.get(url)
    one = queries_of(client, url)
    for number in range(6):
        write(
            client, f"Tin {number}", "emergency" if number % 2 else "normal", villages=["loc-tan"]
        )
    assert queries_of(client, url) == one
