"""The registers a commune keeps, and which register each result is entered in.

Each register has its own number series per year (`results.models.ResultCounter`, keyed by
commune, register and year): births, deaths, marriages and certifications are not numbered from
one counter shared by every kind of result.

Two sorts of register (docs/domain.md §3, "What a civil-status result is"):
- civil-status registers (Sổ hộ tịch): the entry — number, book and, for a birth, the child's
  personal ID number — is made in the Ministry of Justice's electronic civil-status system
  (Decree 87/2020/NĐ-CP). xaso records what the officer (or, later, the connector) reports and
  prints it; it never makes one up (`RECORDED`).
- the commune's own books (certification books of Circular 01/2020/TT-BTP, the register of
  outgoing documents): xaso numbers them, one book per register and year
  ("Quyển số 01/2026-SCT/BS").
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Register:
    slug: str
    name: str  # as officials call the book
    recorded: bool = False  # the number comes from the civil-status system
    book_symbol: str = ""  # the commune's own books: "SCT/BS" → "01/2026-SCT/BS"
    personal_id: bool = False  # the entry carries the personal ID number issued with it


REGISTERS = {
    register.slug: register
    for register in (
        Register("births", "Sổ đăng ký khai sinh", recorded=True, personal_id=True),
        Register("parentage", "Sổ đăng ký nhận cha, mẹ, con", recorded=True),
        Register("deaths", "Sổ đăng ký khai tử", recorded=True),
        Register("marriages", "Sổ đăng ký kết hôn", recorded=True),
        Register("marital_status", "Sổ cấp Giấy xác nhận tình trạng hôn nhân", recorded=True),
        Register("extract_copies", "Sổ cấp bản sao trích lục hộ tịch", recorded=True),
        Register("guardianship", "Sổ đăng ký giám hộ", recorded=True),
        Register("adoptions", "Sổ đăng ký nuôi con nuôi", recorded=True),
        Register("civil_status_changes", "Sổ đăng ký thay đổi, cải chính hộ tịch", recorded=True),
        Register(
            "certification_copies", "Sổ chứng thực bản sao từ bản chính", book_symbol="SCT/BS"
        ),
        Register(
            "certification_signatures",
            "Sổ chứng thực chữ ký, chứng thực điểm chỉ",
            book_symbol="SCT/CK,ĐC",
        ),
        Register(
            "certification_contracts",
            "Sổ chứng thực hợp đồng, giao dịch",
            book_symbol="SCT/HĐ,GD",
        ),
        Register("household_business", "Sổ đăng ký hộ kinh doanh"),
        Register("construction_permits", "Sổ cấp giấy phép xây dựng"),
        Register("disability_certificates", "Sổ cấp Giấy xác nhận khuyết tật"),
        Register("decisions", "Sổ đăng ký văn bản đi"),
        Register("replies", "Sổ đăng ký văn bản đi (công văn)"),
    )
}
_BY_KIND = {
    "birth_extract": "births",
    "parentage_extract": "parentage",
    "death_extract": "deaths",
    "marriage_extract": "marriages",
    "marital_status": "marital_status",
    "extract_copy": "extract_copies",
    "guardianship_extract": "guardianship",
    "adoption_certificate": "adoptions",
    "civil_status_change_extract": "civil_status_changes",
    "certification": "certification_signatures",
    "contract_certification": "certification_contracts",
    "household_business_certificate": "household_business",
    "construction_permit": "construction_permits",
    "disability_certificate": "disability_certificates",
    "decision": "decisions",
    "denial": "replies",
}
# Certifications of a copy go to the copies book, not the signatures book.
_BY_PROCEDURE = {"2.000815": "certification_copies"}
# (what the certification statement says, the line under the title) — Circular 01/2020/TT-BTP.
CERTIFICATION_TYPES = {
    "2.000815": ("copy", "(Chứng thực bản sao từ bản chính)"),
    "2.000884": ("signature", "(Chứng thực chữ ký)"),
    "2.001008": ("translator", "(Chứng thực chữ ký người dịch)"),
    "2.000992": ("translator", "(Chứng thực chữ ký người dịch)"),
}


def register_for(kind: str, procedure_code: str = "") -> Register:
    """The register a result of this kind (and procedure) is entered in."""
    return REGISTERS[_BY_PROCEDURE.get(procedure_code) or _BY_KIND[kind]]


def book_label(register: Register, year: int) -> str:
    """The commune's own book of the year: '01/2026-SCT/BS' (one book per register and year)."""
    return f"01/{year}-{register.book_symbol}" if register.book_symbol else f"{year}"
