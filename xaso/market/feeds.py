"""Marketplace feeds: the listed products of a commune with the fields sellers upload to
PostMart (Vietnam Post) and Voso (Viettel Post), as CSV, XLSX or JSON (docs/market.md).

No public seller API was found for either (DOMAIN.md §8a), so an officer or a village team member
downloads the file and uploads it in the seller centre. Column headings are the Vietnamese ones
sellers know; the JSON keys are the stable English names. Text cells never become formulas.
"""

import csv
import io
import json
from dataclasses import dataclass

from django.urls import reverse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from xaso.core.cells import FORMULA_TRIGGERS, row_as_text

from . import selectors
from .links import public_base


@dataclass(frozen=True)
class Column:
    key: str
    heading: str


COLUMNS = [
    Column("sku", "Mã sản phẩm (SKU)"),
    Column("name", "Tên sản phẩm"),
    Column("category", "Ngành hàng"),
    Column("price", "Giá bán (đồng)"),
    Column("unit", "Đơn vị tính"),
    Column("min_order", "Số lượng đặt tối thiểu"),
    Column("net_weight_g", "Khối lượng tịnh (g)"),
    Column("packed_weight_g", "Khối lượng đóng gói (g)"),
    Column("length_cm", "Dài (cm)"),
    Column("width_cm", "Rộng (cm)"),
    Column("height_cm", "Cao (cm)"),
    Column("photos", "Ảnh sản phẩm (địa chỉ)"),
    Column("description", "Mô tả"),
    Column("origin", "Xuất xứ"),
    Column("producer", "Nhà sản xuất"),
    Column("certificates", "Chứng nhận"),
    Column("gtin", "Mã vạch GTIN"),
    Column("season", "Mùa vụ"),
    Column("shelf_life_days", "Hạn sử dụng (ngày)"),
    Column("url", "Trang sản phẩm"),
]
FORMATS = ("csv", "xlsx", "json")


def _certificate_text(certificate) -> str:
    stars = f" {certificate.stars} sao" if certificate.stars else ""
    return (
        f"{certificate.get_kind_display()}{stars} số {certificate.number}, hiệu lực đến "
        f"{certificate.valid_until:%d/%m/%Y}"
    )


def feed_rows(commune) -> list[dict]:
    """One dict per listed product (three queries, whatever the number of products)."""
    base = public_base()
    rows = []
    for product in selectors.catalogue(commune):
        producer = product.producer
        origin = ", ".join(
            part
            for part in [
                producer.village.name if producer.village else "",
                product.commune.name,
                product.commune.province.name,
                "Việt Nam",
            ]
            if part
        )
        rows.append(
            {
                "sku": f"{product.commune.code}-{product.code}",
                "name": product.name,
                "category": str(product.get_category_display()),
                "price": product.price,
                "unit": str(product.get_unit_display()),
                "min_order": product.min_order,
                "net_weight_g": product.net_weight_g,
                "packed_weight_g": product.packed_weight_g,
                "length_cm": product.length_cm,
                "width_cm": product.width_cm,
                "height_cm": product.height_cm,
                "photos": [
                    f"{base}{reverse('market:photo', args=[p.token])}" for p in product.photos.all()
                ],
                "description": product.description,
                "origin": origin,
                "producer": producer.name,
                "certificates": [_certificate_text(c) for c in product.valid_certificates],
                "gtin": product.gtin,
                "season": product.season,
                "shelf_life_days": product.shelf_life_days,
                "url": base + reverse("market:product", args=[product.commune.code, product.code]),
            }
        )
    return rows


def _flat(value):
    if isinstance(value, list):
        return "\n".join(value)
    return "" if value is None else value


def as_json(rows: list[dict], commune) -> bytes:
    return json.dumps({"commune": commune.code, "items": rows}, ensure_ascii=False).encode()


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.heading for column in COLUMNS])
    for row in rows:
        cells = [_flat(row[column.key]) for column in COLUMNS]
        # A spreadsheet would read a leading = + - @ as a formula: keep it text.
        writer.writerow(
            [f"'{c}" if isinstance(c, str) and c.startswith(FORMULA_TRIGGERS) else c for c in cells]
        )
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens it as UTF-8


def as_xlsx(rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "San pham"
    sheet.append([column.heading for column in COLUMNS])
    for row in rows:
        sheet.append([_flat(row[column.key]) for column in COLUMNS])
        row_as_text(sheet[sheet.max_row])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.heading) + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
