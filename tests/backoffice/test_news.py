"""The announcements' back office (/backoffice/news/): an officer writes a draft with its image
and attachment, submits it; the leader or the culture officer approves and publishes it; it is
then on /tin-tuc/ with its print view and Zalo text. Scoped by commune (another commune's
officer gets 404), with the menu entry only for the officers who write."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from tests.helpers.second_factor import verified_client
from xaso.core.models import AuditEntry
from xaso.news import services
from xaso.news.models import Announcement, CultureOfficer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT, never into the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(world, key: str):
    client = verified_client(world.user(key))
    client.cookies["django_language"] = "en"
    return client


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "green").save(out, "PNG")
    return out.getvalue()


def pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Lịch gieo sạ</p>").write_pdf()


def draft(world, title="Lịch gieo sạ vụ Đông Xuân", category="agriculture") -> Announcement:
    return services.announcement_write(
        actor=world.user("specialist"), commune_code="T-A", category=category, title=title,
        body="Bà con gieo sạ tập trung từ ngày 5/12.",
    )  # fmt: skip


def test_written_submitted_approved_and_published_through_the_pages(world, client):
    writer = signed_in(world, "specialist")
    form = writer.get("/backoffice/news/new/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="villages"' in form
    response = writer.post(
        "/backoffice/news/new/",
        {
            "title": "Tiêm phòng cho đàn gia súc",
            "category": "agriculture",
            "summary": "Tiêm phòng miễn phí.",
            "body": "Thú y xã tiêm phòng lở mồm long móng.\nBà con đưa bò đến điểm tiêm.",
            "villages": ["loc-tan"],
            "image": SimpleUploadedFile("bo.png", png(), "image/png"),
            "attachments": [SimpleUploadedFile("lich.pdf", pdf(), "application/pdf")],
        },
    )
    assert response.status_code == 302, response.content[:500]
    item = Announcement.objects.get(title="Tiêm phòng cho đàn gia súc")
    assert response["Location"] == f"/backoffice/news/{item.code}/"
    assert item.state == "draft" and item.image.kind == "png"
    assert [v.code for v in item.villages.all()] == ["loc-tan"]
    assert [u.kind for u in item.attachments.all()] == ["pdf"]

    page = writer.get(f"/backoffice/news/{item.code}/").content.decode()
    assert 'data-action="submit"' in page and 'data-action="approve"' not in page
    assert f"/backoffice/news/{item.code}/files/{item.image.token}/" in page
    image = writer.get(f"/backoffice/news/{item.code}/files/{item.image.token}/")
    assert image["Content-Type"] == "image/png"
    attachment = item.attachments.get()
    pdf_file = writer.get(f"/backoffice/news/{item.code}/files/{attachment.token}/")
    assert pdf_file["Content-Disposition"].startswith("attachment")
    assert client.get("/tin-tuc/").content.decode().count(item.title) == 0
    assert client.get(f"/tin-tuc/{item.code}/tep/{item.image.token}/").status_code == 404

    writer.post(f"/backoffice/news/{item.code}/", {"action": "submit"})
    item.refresh_from_db()
    assert item.state == "awaiting_approval"
    # The writer cannot approve: no button, and a forged POST changes nothing.
    assert (
        'data-action="approve"' not in writer.get(f"/backoffice/news/{item.code}/").content.decode()
    )
    writer.post(f"/backoffice/news/{item.code}/", {"action": "approve"})
    item.refresh_from_db()
    assert item.state == "awaiting_approval"

    leader = signed_in(world, "leader")
    waiting = leader.get("/backoffice/news/?state=awaiting_approval").content.decode()
    assert item.title in waiting
    page = leader.get(f"/backoffice/news/{item.code}/").content.decode()
    assert 'data-action="approve"' in page and 'data-action="send_back"' in page
    assert page.count('class="primary"') == 1  # one primary action: approve
    leader.post(f"/backoffice/news/{item.code}/", {"action": "approve"})
    item.refresh_from_db()
    assert item.state == "published" and item.approved_by == world.user("leader")
    assert AuditEntry.objects.filter(action="announcement.approve", object_id=item.code).exists()

    assert item.title in client.get("/tin-tuc/").content.decode()
    page = leader.get(f"/backoffice/news/{item.code}/").content.decode()
    assert f"/tin-tuc/{item.code}/in/" in page and f"/tin-tuc/{item.code}/zalo.txt" in page
    assert "TIÊM PHÒNG CHO ĐÀN GIA SÚC" in page  # the Zalo article's text, ready to copy
    # On the portal, the picture and the attachment are links (the page stays light).
    public = client.get(f"/tin-tuc/{item.code}/").content.decode()
    assert f"/tin-tuc/{item.code}/tep/{item.image.token}/" in public
    assert f"/tin-tuc/{item.code}/tep/{attachment.token}/" in public
    picture = client.get(f"/tin-tuc/{item.code}/tep/{item.image.token}/")
    assert picture["Content-Type"] == "image/png" and picture["Content-Disposition"].startswith(
        "inline"
    )
    assert client.get(f"/tin-tuc/{item.code}/tep/{attachment.token}/")[
        "Content-Disposition"
    ].startswith("attachment")
    assert client.get(f"/tin-tuc/{item.code}/tep/not-its-file/").status_code == 404


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_list_filters_by_state_and_category_in_a_fixed_number_of_queries(world):
    services.announcement_approve(actor=world.user("leader"), code=draft(world).code)
    draft(world, title="Ngày hội đại đoàn kết", category="events")
    client = signed_in(world, "reception")
    events = client.get("/backoffice/news/?category=events").content.decode()
    assert "Ngày hội đại đoàn kết" in events and "Lịch gieo sạ" not in events
    published = client.get("/backoffice/news/?state=published").content.decode()
    assert "Lịch gieo sạ" in published and "Ngày hội đại đoàn kết" not in published
    client.get("/backoffice/news/")  # warm: session, second factor
    two = queries_of(client, "/backoffice/news/")
    for number in range(8):
        draft(world, title=f"Tin số {number}")
    assert queries_of(client, "/backoffice/news/") == two


def test_a_draft_is_edited_and_only_a_draft(world):
    item = draft(world)
    client = signed_in(world, "specialist")
    edit = client.get(f"/backoffice/news/{item.code}/edit/").content.decode()
    assert "Lịch gieo sạ vụ Đông Xuân" in edit
    response = client.post(
        f"/backoffice/news/{item.code}/edit/",
        {"title": "Lịch gieo sạ (sửa)", "category": "agriculture", "body": "Gieo từ 6/12."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Lịch gieo sạ (sửa)" and item.body == "Gieo từ 6/12."
    # A title left empty: the form comes back with the text kept and the field marked.
    again = client.post(
        f"/backoffice/news/{item.code}/edit/",
        {"title": "", "category": "agriculture", "body": "Văn bản giữ lại."},
    )
    assert again.status_code == 400
    assert "Văn bản giữ lại." in again.content.decode() and 'id="e-title"' in again.content.decode()
    services.announcement_submit(actor=world.user("specialist"), code=item.code)
    refused = client.get(f"/backoffice/news/{item.code}/edit/")
    assert refused.status_code == 302 and refused["Location"] == f"/backoffice/news/{item.code}/"


def test_the_culture_officer_sends_back_and_withdrawing_needs_the_tick(world):
    item = draft(world)
    services.announcement_submit(actor=world.user("specialist"), code=item.code)
    CultureOfficer.objects.create(commune=world.commune, user=world.user("reception"))
    officer = signed_in(world, "reception")
    officer.post(f"/backoffice/news/{item.code}/", {"action": "send_back"})
    item.refresh_from_db()
    assert item.state == "draft"
    officer.post(f"/backoffice/news/{item.code}/", {"action": "approve"})
    item.refresh_from_db()
    assert item.state == "published"
    page = officer.get(f"/backoffice/news/{item.code}/").content.decode()
    assert 'class="danger-zone"' in page and 'name="confirm"' in page
    officer.post(f"/backoffice/news/{item.code}/", {"action": "withdraw"})
    item.refresh_from_db()
    assert item.state == "published"  # not ticked: nothing withdrawn
    officer.post(f"/backoffice/news/{item.code}/", {"action": "withdraw", "confirm": "yes"})
    item.refresh_from_db()
    assert item.state == "withdrawn"


def test_another_communes_officer_gets_404(world):
    item = draft(world)
    services.announcement_approve(actor=world.user("leader"), code=item.code)
    image = services.announcement_write(
        actor=world.user("specialist"), commune_code="T-A", category="events", title="Ảnh",
        body="Ảnh.",
    )  # fmt: skip
    other = signed_in(world, "other_leader")
    for url in (
        f"/backoffice/news/{item.code}/",
        f"/backoffice/news/{item.code}/edit/",
        f"/backoffice/news/{image.code}/files/anything/",
    ):
        assert other.get(url).status_code == 404, url
    withdraw = {"action": "withdraw", "confirm": "yes"}
    assert other.post(f"/backoffice/news/{item.code}/", withdraw).status_code == 404
    item.refresh_from_db()
    assert item.state == "published"
    assert item.title not in other.get("/backoffice/news/").content.decode()


def test_the_menu_shows_the_news_only_to_the_officers_who_write(world):
    for key in ("reception", "specialist", "leader", "commune_admin"):
        nav = signed_in(world, key).get("/backoffice/news/").content.decode()
        assert 'href="/backoffice/news/"' in nav and 'href="/backoffice/broadcasts/"' in nav, key
    admin = signed_in(world, "commune_admin").get("/backoffice/news/").content.decode()
    assert 'href="/backoffice/broadcasts/slots/"' in admin
    reception = signed_in(world, "reception").get("/backoffice/news/").content.decode()
    assert 'href="/backoffice/broadcasts/slots/"' not in reception
    viewer = signed_in(world, "province_viewer")
    assert 'href="/backoffice/news/"' not in viewer.get("/backoffice/reports/").content.decode()
    assert viewer.get("/backoffice/news/").status_code == 404
    assert viewer.get("/backoffice/broadcasts/").status_code == 404
