"""Demo announcements (every category, one still a draft, one awaiting approval) and a week of
loudspeaker bulletins (one emergency, one awaiting approval), dated from the demo's today.
Marked as demo data; idempotent (nothing is added when the demo commune has announcements)."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.utils import timezone

from xaso.accounts.models import User
from xaso.news import services
from xaso.news.models import Announcement, Bulletin, Category, SpeakerCluster
from xaso.places.models import Commune, Village


@contextmanager
def demo_clock(moment):
    """Django's clock says `moment` (as xaso.demo.dossiers does; not imported: it imports seed)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


COMMUNE = "DEMO-PL"
ANNOUNCEMENTS = [
    (Category.PROCEDURES, "Thứ Ba viết hộ, thứ Sáu không hẹn (demo)",
     "Thứ Ba, cán bộ một cửa viết hộ tờ khai cho người dân. Thứ Sáu, hồ sơ đủ điều kiện được "
     "giải quyết và trả kết quả trong ngày."),
    (Category.PROCEDURES, "Đăng ký khai sinh trực tuyến bằng điện thoại (demo)",
     "Người dân có thể nộp hồ sơ đăng ký khai sinh trên cổng xaso, thanh toán bằng mã QR."),
    (Category.POLICY, "Luật Bảo vệ dữ liệu cá nhân có hiệu lực từ 01/01/2026 (demo)",
     "Luật số 91/2025/QH15 quy định quyền của người dân đối với dữ liệu cá nhân của mình."),
    (Category.EMERGENCY, "Cảnh báo mưa lớn, lũ quét (demo)",
     "Bà con không qua suối khi nước lên, di chuyển tài sản lên chỗ cao."),
    (Category.AGRICULTURE, "Lịch xuống giống cà phê và chăm sóc mắc ca (demo)",
     "Tỉa cành, bón phân hữu cơ cho mắc ca sau thu hoạch. Tổ khuyến nông hướng dẫn tại thôn."),
    (Category.AGRICULTURE, "Phòng bệnh dịch tả lợn châu Phi (demo)",
     "Không mua bán lợn bệnh; báo ngay cho thú y xã khi lợn có dấu hiệu bệnh."),
    (Category.PRODUCTS, "Cà phê Rof và mắc ca Phú Lộc lên sàn thương mại điện tử (demo)",
     "Hợp tác xã nhận đơn đặt hàng trực tuyến; sản phẩm có mã truy xuất nguồn gốc."),
    (Category.EVENTS, "Ngày hội Đại đoàn kết toàn dân tộc ở thôn Lộc Tân (demo)",
     "Mời bà con tham dự lúc 8 giờ sáng Chủ nhật tại nhà văn hóa thôn."),
]  # fmt: skip


def seed_demo_news() -> int:
    commune = Commune.objects.filter(code=COMMUNE).first()
    if commune is None or Announcement.objects.filter(commune=commune).exists():
        return 0
    writer = User.objects.get(username="specialist")
    leader = User.objects.get(username="leader")
    villages = list(
        Village.objects.filter(commune=commune).order_by("id").values_list("code", flat=True)
    )
    now = timezone.now()
    for number, (category, title, body) in enumerate(ANNOUNCEMENTS):
        with demo_clock(now - timedelta(days=len(ANNOUNCEMENTS) - number)):
            item = services.announcement_write(
                actor=writer, commune_code=COMMUNE, category=category, title=title, body=body,
                village_codes=villages[:1] if number % 3 == 0 else [],
            )  # fmt: skip
            if number == 1:
                continue  # a draft
            services.announcement_submit(actor=writer, code=item.code)
            if number != 2:
                services.announcement_approve(actor=leader, code=item.code)
    Announcement.objects.filter(commune=commune).update(is_demo=True)
    cluster, _created = SpeakerCluster.objects.get_or_create(
        commune=commune, code="cum-trung-tam", defaults={"name": "Cụm loa trung tâm (demo)"}
    )
    cluster.villages.set(Village.objects.filter(commune=commune, code__in=villages[:2]))
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    reception = User.objects.get(username="reception")
    written = []
    with demo_clock(now - timedelta(days=7)):
        written.append(services.bulletin_create(
            actor=reception, commune_code=COMMUNE, title="Nộp hồ sơ trực tuyến (demo)",
            text="Bà con có thể nộp hồ sơ trên điện thoại, không cần đến trụ sở.",
            first_day=monday, last_day=monday + timedelta(days=5),
        ))  # fmt: skip
        written.append(services.bulletin_create(
            actor=reception, commune_code=COMMUNE, title="Lịch tiêm phòng cho đàn bò (demo)",
            text="Thú y xã tiêm phòng lở mồm long móng tại các thôn trong tuần.",
            priority="priority", first_day=monday, last_day=monday + timedelta(days=5),
            slots=["05:00"], cluster_codes=["cum-trung-tam"],
        ))  # fmt: skip
        for day in range(6):
            written.append(services.bulletin_create(
                actor=reception, commune_code=COMMUNE, title=f"Tin hoạt động ngày {day + 1} (demo)",
                text="Điểm tin hoạt động của Ủy ban nhân dân xã trong ngày.",
                first_day=monday + timedelta(days=day), slots=["17:00"],
            ))  # fmt: skip
        # The leader approves them; the last day's news still waits for approval.
        for bulletin in written[:-1]:
            services.bulletin_approve(actor=leader, code=bulletin.code)
    services.bulletin_create(
        actor=reception, commune_code=COMMUNE, title="Khẩn cấp: nước suối dâng cao (demo)",
        text="Nước suối đang dâng cao. Bà con tuyệt đối không qua ngầm tràn.",
        priority="emergency", first_day=today,
    )  # fmt: skip
    Bulletin.objects.filter(commune=commune).update(is_demo=True)
    return len(ANNOUNCEMENTS)
