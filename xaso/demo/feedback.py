"""Demo feedback (PAKN) in every state, filed on days before the demo's today. Marked as demo
data; the demo citizens' phones are made up, so no SMS is written for them. Idempotent."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.utils import timezone

from xaso.accounts.models import User
from xaso.feedback import services
from xaso.feedback.models import Feedback


@contextmanager
def demo_clock(moment):
    """Django's clock says `moment` (as xaso.demo.dossiers does; not imported: it imports seed)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


COMMUNE = "DEMO-PL"
# (final state, category, days ago, text)
PLAN = [
    ("received", "infrastructure", 0, "Đèn đường đầu thôn Lộc Tân bị hỏng (demo)."),
    ("received", "environment", 3, "Rác thải đổ ven suối gần buôn 1 (demo)."),
    ("handling", "security_order", 4, "Xe tải chạy quá tốc độ qua khu dân cư (demo)."),
    ("info_requested", "infrastructure", 2, "Đường liên thôn bị sạt lở một đoạn (demo)."),
    ("answered", "procedures", 8, "Hồ sơ khai sinh trả kết quả chậm (demo)."),
    ("published", "infrastructure", 12, "Ống nước sinh hoạt bị vỡ ở thôn Lộc Tài (demo)."),
    ("published", "officials", 15, "Đề nghị niêm yết lịch tiếp công dân (demo)."),
    ("rejected", "other", 5, "Nội dung không thuộc thẩm quyền của xã (demo)."),
]
STEPS = ["classify", "request_info", "provide_info", "answer", "publish"]
UNTIL = {"received": 0, "handling": 1, "info_requested": 2, "answered": 4, "published": 5}


def seed_demo_feedback() -> int:
    if Feedback.objects.filter(commune__code=COMMUNE).exists():
        return 0
    reception = User.objects.get(username="reception")
    specialist = User.objects.get(username="specialist")
    now = timezone.now()
    with mock.patch("xaso.feedback.services._message"):  # made-up phones: no SMS
        for number, (state, category, days_ago, text) in enumerate(PLAN, start=1):
            moment = now - timedelta(days=days_ago, hours=2)
            with demo_clock(moment):
                item = services.feedback_file(
                    actor=None, commune_code=COMMUNE, category=category, text=text,
                    phone=f"09000000{number:02d}",
                )  # fmt: skip
            code, secret = item.code, item.lookup_secret
            if state == "rejected":
                with demo_clock(moment + timedelta(hours=1)):
                    reason = "Đề nghị liên hệ cơ quan có thẩm quyền."
                    services.feedback_reject(actor=reception, code=code, reason=reason)
                continue
            steps = STEPS[: UNTIL[state]]
            if state in ("answered", "published"):
                steps = [step for step in steps if step not in ("request_info", "provide_info")]
            for hours, step in enumerate(steps, start=1):
                with demo_clock(moment + timedelta(hours=hours)):
                    if step == "classify":
                        services.feedback_classify(
                            actor=reception, code=code, unit="Địa chính – Xây dựng"
                        )
                    elif step == "request_info":
                        question = "Đoạn sạt lở ở km mấy? (demo)"
                        services.feedback_request_info(
                            actor=specialist, code=code, question=question
                        )
                    elif step == "answer":
                        services.feedback_answer(
                            actor=specialist, code=code,
                            answer="UBND xã đã kiểm tra và khắc phục xong (demo).",
                            public_summary=text,
                        )  # fmt: skip
                    elif step == "publish":
                        services.feedback_publish(actor=reception, code=code)
            if state == "published" and number % 2 == 0:
                services.feedback_rate(code=code, secret=secret, score=4)
    Feedback.objects.filter(commune__code=COMMUNE).update(is_demo=True)
    return len(PLAN)
