"""The team member's workspace on a 360 px phone, and the field log without signal: three entries
recorded offline are sent once the signal returns, exactly once each — a replay adds none.
Screenshots: var/screenshots/community-*.png."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.helpers.screenshots import shot
from xaso.community.models import Activity

# Put the entries the server holds back in the phone's queue, as a phone that never heard the
# answers would resend them, and send the queue again.
_REQUEUE_JS = """async (entries) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("xaso-field-log", 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction("outbox", "readwrite");
    for (const entry of entries) tx.objectStore("outbox").put({entry, photo: null, saved: 0});
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  window.dispatchEvent(new Event("online"));
}"""


def sign_in(page, username: str = "community") -> None:
    page.goto("/to-cong-nghe-so/")
    assert "/to-cong-nghe-so/dang-nhap/" in page.url
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(settings.XASO_DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/to-cong-nghe-so/")


def record(page, name: str) -> None:
    page.locator("#resident_name").fill(name)
    page.locator("#consent").check()
    page.locator("#skill").select_option("vneid")
    page.locator("#outcome").select_option("account_activated")
    page.locator("#minutes").fill("20")
    page.get_by_role("button", name="Ghi lại").click()
    expect(page.locator("#resident_name")).to_have_value("")


@pytest.mark.browser
def test_three_entries_without_signal_reach_the_server_once(page, demo_committed):
    sign_in(page)
    shot(page, "community-workspace")
    page.get_by_role("link", name="Nhật ký hỗ trợ").first.click()
    page.wait_for_url("**/nhat-ky/")
    shot(page, "community-field-log")
    before = Activity.objects.count()
    page.context.set_offline(True)
    names = ["Hộ ông Y Bhiơ (thử)", "Hộ bà H'Lan (thử)", "Hộ ông Nguyễn Văn Ba (thử)"]
    for name in names:
        record(page, name)
    expect(page.locator("#outbox-count")).to_have_text("3")
    shot(page, "community-field-log-offline")
    assert Activity.objects.count() == before  # nothing left the phone
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#outbox-count")).to_have_text("0")
    sent = Activity.objects.filter(resident_name__in=names)
    assert sent.count() == 3
    assert Activity.objects.count() == before + 3
    assert {entry.recorded_by.username for entry in sent} == {"community"}
    # A replay of the same three (their ids made on the phone): recorded already, none added.
    entries = [
        {"id": str(entry.uid), "resident": {"name": entry.resident_name, "consent": True},
         "skill": entry.skill, "outcome": entry.outcome, "minutes": entry.minutes,
         "at": entry.at.isoformat()}
        for entry in sent
    ]  # fmt: skip
    page.evaluate(_REQUEUE_JS, entries)
    expect(page.locator("#outbox-count")).to_have_text("0")
    assert Activity.objects.count() == before + 3
    page.reload()
    for name in names:
        assert page.get_by_text(name).count() == 1
    shot(page, "community-field-log-sent")


@pytest.mark.browser
def test_the_workspace_pages_fit_a_phone_and_a_member_reads_no_other_dossier(page, demo_committed):
    from xaso.dossiers.models import Dossier

    sign_in(page)
    for path, name in (("/to-cong-nghe-so/ho-so/", "community-dossiers"),
                       ("/to-cong-nghe-so/nop-ho-so/", "community-file-for-resident")):  # fmt: skip
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
        shot(page, name)
    other = Dossier.objects.exclude(written_by__username="community").first()
    if other is not None:
        response = page.goto(f"/backoffice/dossiers/{other.code}/")
        assert response.status == 404
    # The back office sends a team member to their workspace, not to officers' queues.
    page.goto("/backoffice/")
    assert page.url.endswith("/to-cong-nghe-so/")
