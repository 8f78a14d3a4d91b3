"""What a decision of the commune decides, per procedure: the status granted or the amount, and
the bodies that carry it out (docs/domain.md, "Decisions with substance").

A decision that only "settles the procedure" decides nothing: each procedure whose document kind
is `decision` says here what Article 1 grants. An amount the law fixes as a base times a
coefficient (20 × the social-assistance standard for a funeral) is computed from both, and the
decision prints the computation, so that the accountant can check it. Bases change by decree:
they are dated data, the rate in force on the day of signing applies.

Pure functions, no database; the wording is exact Vietnamese (DESIGN §5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from xaso.core.text import thousands


@dataclass(frozen=True)
class Base:
    """A statutory base amount from a day on: 'mức chuẩn trợ giúp xã hội 500.000 đồng'."""

    name: str
    amount: int
    source: str
    valid_from: date


# [K] Decree 76/2024/NĐ-CP: the social-assistance standard is 500.000 ₫ from 2024-07-01.
SOCIAL_ASSISTANCE_STANDARD = (
    Base(
        "mức chuẩn trợ giúp xã hội",
        500_000,
        "Nghị định số 76/2024/NĐ-CP ngày 01 tháng 7 năm 2024 của Chính phủ",
        date(2024, 7, 1),
    ),
)
# [K] Decree 73/2024/NĐ-CP: the base salary (lương cơ sở) is 2.340.000 ₫ from 2024-07-01.
BASE_SALARY = (
    Base(
        "mức lương cơ sở",
        2_340_000,
        "Nghị định số 73/2024/NĐ-CP ngày 30 tháng 6 năm 2024 của Chính phủ",
        date(2024, 7, 1),
    ),
)


@dataclass(frozen=True)
class Terms:
    """Article 1 (`grant`, with `{holder}` and answer names in braces), the amount if the law
    gives one (`coefficient` × the base in force), and who carries the decision out."""

    title: str  # "Về việc …" under QUYẾT ĐỊNH
    grant: str
    executors: tuple[str, ...]
    coefficient: int = 0
    bases: tuple[Base, ...] = ()
    amount_reason: str = ""  # the provision that gives the coefficient


_COMMUNE_STAFF = "Công chức Văn hóa - Xã hội"
_ACCOUNTANT = "Công chức Tài chính - Kế toán"

TERMS: dict[str, Terms] = {
    "1.001731": Terms(
        title="Về việc hỗ trợ chi phí mai táng",
        grant="Hỗ trợ chi phí mai táng cho gia đình (người tổ chức mai táng) {holder} để mai táng "
        "{deceased}, là đối tượng {deceased_category}.",
        executors=(_COMMUNE_STAFF, _ACCOUNTANT),
        coefficient=20,
        bases=SOCIAL_ASSISTANCE_STANDARD,
        amount_reason="khoản 1 Điều 11 Nghị định số 20/2021/NĐ-CP",
    ),
    "2.002307": Terms(
        title="Về việc hưởng chế độ mai táng phí đối với cựu chiến binh",
        grant="Giải quyết chế độ mai táng phí cho thân nhân (người tổ chức mai táng) {holder} "
        "để mai táng cựu chiến binh {deceased}.",
        executors=(_COMMUNE_STAFF, _ACCOUNTANT, "Hội Cựu chiến binh xã"),
        coefficient=10,
        bases=BASE_SALARY,
        amount_reason="Nghị định số 150/2006/NĐ-CP, được sửa đổi bởi Nghị định số 157/2016/NĐ-CP",
    ),
    "1.011606": Terms(
        title="Về việc công nhận hộ nghèo, hộ cận nghèo",
        grant="Công nhận hộ gia đình {holder}, địa chỉ {household_address}, là {requested_status} "
        "theo chuẩn nghèo đa chiều; hộ được cấp Giấy chứng nhận và hưởng các chính sách hỗ trợ "
        "theo quy định.",
        executors=(_COMMUNE_STAFF, "Trưởng thôn nơi hộ cư trú"),
    ),
    "1.011607": Terms(
        title="Về việc công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm",
        grant="Công nhận hộ gia đình {holder}, địa chỉ {household_address}, là {requested_status} "
        "theo chuẩn nghèo đa chiều; hộ được cấp Giấy chứng nhận và hưởng các chính sách hỗ trợ "
        "theo quy định.",
        executors=(_COMMUNE_STAFF, "Trưởng thôn nơi hộ cư trú"),
    ),
    "1.010833": Terms(
        title="Về việc xác nhận thân nhân của người có công với cách mạng",
        grant="Xác nhận ông/bà {holder} là thân nhân ({relationship}) của người có công với "
        "cách mạng {meritorious_name} ({merit_category}).",
        executors=(_COMMUNE_STAFF,),
    ),
    "2.000950": Terms(
        title="Về việc công nhận tổ trưởng tổ hòa giải",
        grant="Công nhận ông/bà {nominee} là Tổ trưởng {mediation_team}, {village}.",
        executors=("Công chức Tư pháp - Hộ tịch", "Ban công tác Mặt trận thôn", "{nominee}"),
    ),
    "2.000930": Terms(
        title="Về việc thôi làm hòa giải viên",
        grant="Cho ông/bà {mediator} thôi làm hòa giải viên của {mediation_team}, {village} "
        "(lý do: {reason}).",
        executors=("Công chức Tư pháp - Hộ tịch", "Ban công tác Mặt trận thôn", "{mediator}"),
    ),
    "3.000182": Terms(
        title="Về việc phê duyệt kết quả tuyển sinh vào lớp 6",
        grant="Phê duyệt học sinh {student} trúng tuyển vào lớp 6 {preferred_school}.",
        executors=("Hiệu trưởng {preferred_school}", "{holder}"),
    ),
}


def base_in_force(bases: tuple[Base, ...], on: date) -> Base | None:
    """The latest base valid on that day."""
    valid = [base for base in bases if base.valid_from <= on]
    return max(valid, key=lambda base: base.valid_from) if valid else None


def dong(amount: int) -> str:
    """'10.000.000 đồng'."""
    return thousands(amount) + " đồng"


def _fill(text: str, values: dict[str, str]) -> str:
    """The text with each {name} replaced by its answer; an unanswered one prints "…"."""
    return re.sub(r"\{(\w+)\}", lambda match: values.get(match.group(1)) or "…", text)


def decision_substance(procedure_code: str, *, holder: str, answers: dict, on: date) -> dict:
    """Article 1, the amount line and the executors of the decision of this procedure
    ({} when the catalogue has no terms for it: the decision then cannot be issued)."""
    terms = TERMS.get(procedure_code)
    if terms is None:
        return {}
    values = {"holder": holder}
    for name, value in answers.items():
        values[name] = value["name"] if isinstance(value, dict) else str(value)
    substance = {
        "title": terms.title,
        "grant": _fill(terms.grant, values),
        "executors": [_fill(executor, values) for executor in terms.executors],
        "amount": "",
    }
    base = base_in_force(terms.bases, on) if terms.coefficient else None
    if base is not None:
        total = base.amount * terms.coefficient
        substance["amount"] = (
            f"Mức hỗ trợ: {dong(total)} ({terms.coefficient} lần {base.name} "
            f"{dong(base.amount)} theo {base.source}; hệ số theo {terms.amount_reason})."
        )
        substance["amount_value"] = total
    return substance
