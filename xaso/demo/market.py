"""The demo's market (issue 20): the seed article's two producers — Nguyên Phương JSC's macadamia
nuts and the ROFC agricultural service cooperative's Rof coffee — and three households of the
demo villages, with products, certificates and lots, made by the market's services.

Dates count from the demo's today, so the warnings stay true whenever the demo is seeded: one
certificate expires within the 60-day warning, one has expired already (the catalogue does not
show it as valid). No product gets a GTIN: the demo invents none (a lot's QR is then the commune's
plain address, docs/market.md). Everything is marked as demo data (`is_demo`, names and phones
marked "(demo)"); idempotent: nothing is made when the demo commune has producers already.
"""

from datetime import timedelta

from django.utils import timezone

from xaso.market import services
from xaso.market.models import Producer
from xaso.places.models import Commune, Village

# (code, kind, name, representative, village, products)
# product: (code, name, category, unit, price, fields, certificates, lots)
# certificate: (kind, stars, number, issuer, issued days ago, valid for days | None)
# lot: (days ago produced, quantity, plot, [(days after production, step)])
PRODUCERS = [
    ("nguyen-phuong", Producer.Kind.COMPANY, "Công ty Cổ phần Nguyên Phương (demo)",
     "Nguyễn Văn Phương", "Thôn Lộc Tân", [
        ("mac-ca-nguyen-phuong", "Hạt mắc ca sấy nứt vỏ Nguyên Phương (demo)", "food", "hop",
         250_000, {"min_order": 2, "season": "Tháng 8 – 10", "net_weight_g": 500,
                   "packed_weight_g": 580, "length_cm": 18, "width_cm": 12, "height_cm": 8,
                   "shelf_life_days": 270,
                   "description": "Mắc ca trồng ở Phú Lộc, sấy nứt vỏ, kèm dụng cụ tách vỏ."},
         [("ocop", 4, "1021/QĐ-UBND (demo)", "UBND tỉnh Đắk Lắk", 400, None),
          ("food_safety", None, "ATTP-0456 (demo)", "Sở Y tế tỉnh Đắk Lắk", 300, 3 * 365)],
         [(40, 1200, "Vườn mắc ca Nguyên Phương, thôn Lộc Tân",
           [(0, "Thu nhặt hạt rụng"), (2, "Tách vỏ xanh, phân loại"), (12, "Sấy và nứt vỏ"),
            (15, "Đóng hộp")]),
          (12, 800, "Vườn mắc ca Nguyên Phương, thôn Lộc Tân",
           [(0, "Thu nhặt hạt rụng"), (2, "Tách vỏ xanh, phân loại"), (9, "Sấy và nứt vỏ")])]),
    ]),
    ("rofc", Producer.Kind.COOPERATIVE, "HTX Dịch vụ Nông nghiệp ROFC (demo)",
     "Y Rof Niê", "Thôn Lộc Tài", [
        ("ca-phe-rof", "Cà phê Rof rang xay (demo)", "beverage", "goi", 120_000,
         {"min_order": 1, "season": "Tháng 11 – 1", "net_weight_g": 500, "packed_weight_g": 540,
          "length_cm": 22, "width_cm": 14, "height_cm": 6, "shelf_life_days": 365,
          "description": "Robusta chín đỏ của các hộ xã viên, rang mộc, xay vừa cho phin."},
         # VietGAP: expires within the 60-day warning (the officer and the cooperative hear).
         [("vietgap", None, "VG-2025-0117 (demo)", "Tổ chức chứng nhận (demo)", 2 * 365 - 45,
           2 * 365 - 5),
          ("ocop", 3, "0987/QĐ-UBND (demo)", "UBND tỉnh Đắk Lắk", 200, None)],
         [(30, 500, "Vườn xã viên thôn Lộc Tài",
           [(0, "Thu hái quả chín"), (4, "Phơi và xay xát"), (20, "Rang, xay và đóng gói")])]),
        ("ca-phe-nhan-rof", "Cà phê nhân Robusta ROFC (demo)", "beverage", "kg", 95_000,
         {"min_order": 50, "season": "Tháng 11 – 1", "net_weight_g": 1000,
          "packed_weight_g": 1020, "shelf_life_days": 540,
          "description": "Nhân xanh sàng 16, độ ẩm dưới 12,5%."},
         [], [(25, 3000, "Vườn xã viên thôn Lộc Tài",
               [(0, "Thu hái quả chín"), (5, "Phơi trên giàn"), (18, "Xay xát, phân loại")])]),
    ]),
    ("ho-h-lan-nie", Producer.Kind.HOUSEHOLD, "Hộ bà H'Lan Niê (demo)", "H'Lan Niê",
     "Buôn 1 (demo)", [
        ("tho-cam-h-lan", "Khăn thổ cẩm Ê Đê dệt tay (demo)", "handicraft", "cai", 350_000,
         {"length_cm": 180, "width_cm": 40, "height_cm": 1, "net_weight_g": 300,
          "packed_weight_g": 350, "description": "Dệt trên khung truyền thống, sợi cotton."},
         [], [(20, 15, "Nhà bà H'Lan, buôn 1", [(0, "Nhuộm sợi"), (6, "Dệt khăn")])]),
    ]),
    ("ho-tran-thi-mai", Producer.Kind.HOUSEHOLD, "Hộ bà Trần Thị Mai (demo)", "Trần Thị Mai",
     "Thôn Lộc Tân", [
        ("bo-sap-tran-mai", "Bơ sáp Phú Lộc (demo)", "food", "kg", 45_000,
         {"min_order": 5, "season": "Tháng 5 – 8", "net_weight_g": 1000,
          "packed_weight_g": 1100, "shelf_life_days": 7,
          "description": "Bơ sáp trồng xen cà phê, hái già, giao trong ngày."},
         # Expired a month ago: listed, but not shown as certified.
         [("vietgap", None, "VG-2024-0033 (demo)", "Tổ chức chứng nhận (demo)", 2 * 365 + 30,
           2 * 365)],
         [(3, 400, "Vườn bà Mai, thôn Lộc Tân", [(0, "Hái bơ"), (1, "Phân loại, đóng thùng")])]),
    ]),
    ("ho-y-minh-nie", Producer.Kind.HOUSEHOLD, "Hộ ông Y Minh Niê (demo)", "Y Minh Niê",
     "Thôn 3 (demo)", [
        ("mat-ong-y-minh", "Mật ong hoa cà phê (demo)", "food", "chai", 180_000,
         {"min_order": 1, "season": "Tháng 1 – 3", "net_weight_g": 500,
          "packed_weight_g": 750, "length_cm": 8, "width_cm": 8, "height_cm": 20,
          "shelf_life_days": 720, "description": "Mật ong quay từ đàn ong nuôi trong vườn cà phê."},
         [("food_safety", None, "ATTP-0789 (demo)", "Sở Y tế tỉnh Đắk Lắk", 100, 3 * 365)],
         [(60, 120, "Trại ong ông Y Minh, thôn 3",
           [(0, "Quay mật"), (3, "Lọc và lắng"), (10, "Đóng chai")])]),
    ]),
]  # fmt: skip


def seed_demo_market(commune_code: str) -> int:
    """Returns how many producers it made (0 when the demo has them already)."""
    commune = Commune.objects.filter(code=commune_code).first()
    if commune is None or Producer.objects.filter(commune=commune).exists():
        return 0
    villages = {v.name: v for v in Village.objects.filter(commune=commune)}
    today = timezone.localdate()
    for number, (code, kind, name, representative, village, products) in enumerate(PRODUCERS):
        producer = services.producer_create(
            actor=None, commune=commune, kind=kind, name=name, representative=representative,
            phone=f"09880{number:05d}", village=villages.get(village),
            address=village, publish_consent=True, code=code,  # the page adds the commune
            is_demo=True,
        )  # fmt: skip
        for p_code, p_name, category, unit, price, fields, certificates, lots in products:
            product = services.product_create(
                actor=None, producer=producer, name=p_name, category=category, unit=unit,
                price=price, code=p_code, is_demo=True, **fields,
            )  # fmt: skip
            for c_kind, stars, c_number, issuer, issued_ago, valid_days in certificates:
                issued = today - timedelta(days=issued_ago)
                services.certificate_add(
                    actor=None, product=product, kind=c_kind, stars=stars, number=c_number,
                    issuer=issuer, issued_on=issued,
                    valid_until=issued + timedelta(days=valid_days) if valid_days else None,
                    is_demo=True,
                )  # fmt: skip
            for produced_ago, quantity, plot, steps in lots:
                produced = today - timedelta(days=produced_ago)
                services.lot_create(
                    actor=None, product=product, produced_on=produced, quantity=quantity,
                    plot=plot, is_demo=True,
                    steps=[
                        {"on": produced + timedelta(days=after), "name": step}
                        for after, step in steps
                    ],
                )  # fmt: skip
    return len(PRODUCERS)
