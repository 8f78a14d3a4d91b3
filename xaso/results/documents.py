"""The result documents of a dossier (what the leader signs) as PDF, one A4 page each.

    data = document_data_from_dossier(dossier, number=12, issued_at=date.today(),
                                      signer_name="Nguyễn Văn A", signer_title="Phó Chủ tịch")
    pdf = render_result_pdf(data)   # unsigned, no QR: the signing code adds both

=================  =========================================  ==========  ====================
kind               title                                      symbol      about (the holder)
=================  =========================================  ==========  ====================
birth_extract      TRÍCH LỤC KHAI SINH                        TLKS        the child
death_extract      TRÍCH LỤC KHAI TỬ                          TLKT        the deceased
marriage_extract   TRÍCH LỤC KẾT HÔN                          TLKH        the couple
marital_status     GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN          XNTTHN      the applicant
decision           QUYẾT ĐỊNH (any other procedure)           QĐ-UBND     the applicant
denial             a letter "V/v trả lời …" with the reasons  UBND-VP     the applicant
=================  =========================================  ==========  ====================

Decisions:
- Layout of Decree 30/2020/NĐ-CP: issuing body top left, national motto top right (both with a
  rule under them), "Số: 12/TLKS", place and date in italics, the title bold and centred, the
  body, then the signer block on the right. A decision and a letter also list their
  recipients ("Nơi nhận") bottom left.
- The signature and the QR seal go on the PDF after rendering, at fixed places: SIGNATURE_BOX
  (in the signer block, between the authority lines and the signer's name) and SEAL_BOX (bottom
  left, with a caption under it saying where to verify). Both are (x1, y1, x2, y2) in PDF points,
  origin bottom left, on the last page — which is the only page: the signer block and the seal
  sit in the page's reserved bottom area (fixed positions), the body flows above it in smaller
  type if it must (four densities), and a body that fits none raises ResultTooLong (a clear 400)
  rather than print a document whose signature would sit on the wrong page.
- Titles and civil-status extracts follow the forms of Circular 04/2020/TT-BTP; the civil-status
  procedures' paper result is the original certificate (Giấy khai sinh, Giấy chứng nhận kết
  hôn), the electronic result is the extract ("trích lục"), which is what is signed here.
- `number`: a document number from the commune's register. An integer or a plain string gets
  the kind's symbol ("12" → "12/TLKS"); a string that already holds a "/" prints as given.
  `number_text(kind, number)` gives the printed form, for storing and showing it elsewhere.
- Legal wording is exact Vietnamese in the templates (DESIGN §5); nothing printed goes through
  gettext, so a document reads the same whatever the reader's language (only error messages do).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint.document import Document

from xaso.catalog.legal import legal_basis_citations
from xaso.catalog.selectors import version_fact
from xaso.core.errors import InvalidInput
from xaso.core.pdf import font_face_css, render_document
from xaso.dossiers.documents import MOTTO, MOTTO_SUBTITLE, day_words
from xaso.dossiers.signature import SignatureBlock, signature_block
from xaso.places.models import Commune, Village
from xaso.workdays.engine import TZ

from .content import address_parts, date_words, result_fields
from .decisions import decision_substance
from .registers import CERTIFICATION_TYPES

FONT_FAMILY = "Doc Serif"  # Liberation Serif, metric-compatible with Times New Roman
DENSITIES = ("normal", "compact", "tight", "tiny")

# --- the page, in PDF points (1/72 in; CSS "pt" is the same unit) -----------------------------
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89  # A4
MARGIN_TOP, MARGIN_RIGHT, MARGIN_LEFT = 56.7, 42.5, 85.0  # 20, 15 and 30 mm (Decree 30)
MARGIN_BOTTOM = 56.7  # 20 mm: nothing is printed below it
# The bottom area below the body, where the signer block, recipients and seal are placed.
RESERVED_TOP = 262.0
SIGNER_LEFT, SIGNER_RIGHT = 312.0, PAGE_WIDTH - MARGIN_RIGHT

# (x1, y1, x2, y2), origin bottom left, on the last (only) page.
SIGNATURE_BOX = (332.0, 122.0, 532.0, 192.0)
SEAL_BOX = (MARGIN_LEFT, 84.0, MARGIN_LEFT + 90.0, 174.0)

ISSUER = "ỦY BAN NHÂN DÂN"


KINDS: dict[str, tuple[str, str]] = {
    "birth_extract": ("TRÍCH LỤC KHAI SINH", "TLKS"),
    "death_extract": ("TRÍCH LỤC KHAI TỬ", "TLKT"),
    "marriage_extract": ("TRÍCH LỤC KẾT HÔN", "TLKH"),
    "extract_copy": ("TRÍCH LỤC HỘ TỊCH", "TLHT-BS"),
    "marital_status": ("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "XNTTHN"),
    "civil_status_change_extract": (
        "TRÍCH LỤC THAY ĐỔI, CẢI CHÍNH HỘ TỊCH, XÁC ĐỊNH LẠI DÂN TỘC",
        "TLTĐ",
    ),
    "certification": ("LỜI CHỨNG CỦA NGƯỜI THỰC HIỆN CHỨNG THỰC", "SCT"),
    "contract_certification": ("LỜI CHỨNG CỦA NGƯỜI THỰC HIỆN CHỨNG THỰC", "SCT"),
    "guardianship_extract": ("TRÍCH LỤC ĐĂNG KÝ GIÁM HỘ", "TLGH"),
    "parentage_extract": ("TRÍCH LỤC ĐĂNG KÝ NHẬN CHA, MẸ, CON", "TLNCMC"),
    "adoption_certificate": ("GIẤY CHỨNG NHẬN NUÔI CON NUÔI", "GCN-NCN"),
    "household_business_certificate": ("GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "HKD"),
    "construction_permit": ("GIẤY PHÉP XÂY DỰNG", "GPXD"),
    "disability_certificate": ("GIẤY XÁC NHẬN KHUYẾT TẬT", "XNKT"),
    "decision": ("QUYẾT ĐỊNH", "QĐ-UBND"),
    "denial": ("VĂN BẢN TRẢ LỜI", "UBND-VP"),
}
# Titles that depend on the procedure within a kind (Circular 04/2020, 01/2020, Decree 168/2025).
TITLE_BY_PROCEDURE = {
    "3.000323": "TRÍCH LỤC ĐĂNG KÝ GIÁM SÁT VIỆC GIÁM HỘ",
    "1.004845": "TRÍCH LỤC ĐĂNG KÝ CHẤM DỨT GIÁM HỘ",
    "1.001570": "GIẤY XÁC NHẬN VỀ VIỆC HỘ KINH DOANH ĐĂNG KÝ TẠM NGỪNG KINH DOANH",
    "1.001266": "THÔNG BÁO VỀ VIỆC CHẤM DỨT HOẠT ĐỘNG HỘ KINH DOANH",
}
# An extract copy is titled after the record it copies ("TRÍCH LỤC KHAI SINH (BẢN SAO)").
COPY_TITLES = {
    "birth": ("TRÍCH LỤC KHAI SINH", "TLKS-BS"),
    "marriage": ("TRÍCH LỤC KẾT HÔN", "TLKH-BS"),
    "death": ("TRÍCH LỤC KHAI TỬ", "TLKT-BS"),
    "parent_child": ("TRÍCH LỤC ĐĂNG KÝ NHẬN CHA, MẸ, CON", "TLNCMC-BS"),
    "guardianship": ("TRÍCH LỤC ĐĂNG KÝ GIÁM HỘ", "TLGH-BS"),
    "change": ("TRÍCH LỤC THAY ĐỔI, CẢI CHÍNH HỘ TỊCH", "TLTĐ-BS"),
    "marital_status": ("TRÍCH LỤC HỘ TỊCH", "TLHT-BS"),
}
# Kinds signed "NGƯỜI KÝ TRÍCH LỤC" (Circular 04/2020/TT-BTP).
EXTRACT_KINDS = frozenset(
    {
        "birth_extract",
        "death_extract",
        "marriage_extract",
        "extract_copy",
        "civil_status_change_extract",
        "guardianship_extract",
        "parentage_extract",
    }
)
CERTIFICATION_KINDS = frozenset({"certification", "contract_certification"})
# Recognition of parentage registered together with the birth: the extract carries both.
COMBINED_WITH_BIRTH = frozenset({"1.000689"})


class ResultTooLong(InvalidInput):
    code = "result_too_long"


class DecidedElsewhere(InvalidInput):
    code = "decided_elsewhere"


def kind_for(procedure, outcome: str) -> str:
    """The kind of result document: the denial reply for a denied dossier, else the
    procedure's document kind. A procedure another body decides has none of the commune's."""
    if procedure.is_forwarded:
        raise DecidedElsewhere(
            _("Another body decides this procedure: the commune issues no result for it.")
        )
    return "denial" if outcome == "denied" else procedure.document_kind


def title_of(kind: str, procedure_code: str = "", copied: str = "") -> str:
    if kind == "extract_copy" and copied in COPY_TITLES:
        return COPY_TITLES[copied][0]
    return TITLE_BY_PROCEDURE.get(procedure_code) or KINDS[kind][0]


def symbol_of(kind: str, copied: str = "") -> str:
    if kind == "extract_copy" and copied in COPY_TITLES:
        return COPY_TITLES[copied][1]
    return KINDS[kind][1]


def number_text(kind: str, number: int | str, *, copied: str = "") -> str:
    """The number as printed after "Số:": 12 → '12/TLKS'; '12/TLKS-BS' stays as given."""
    text = str(number).strip()
    return text if "/" in text else f"{text}/{symbol_of(kind, copied)}"


@dataclass
class DocumentData:
    """Everything a result document prints. `fields` holds the kind's own facts (see
    content.py), JSON-ready; `reason` is the denial's reasons."""

    kind: str
    number: int | str
    issued_at: date
    commune_name: str
    province_name: str
    holder_name: str
    fields: dict = field(default_factory=dict)
    signer_title: str = ""
    signer_name: str = ""
    reason: str = ""
    procedure_name: str = ""
    # Who decides (catalog Procedure.decider): how the document is signed.
    decider: str = "committee"
    # The entry in the register: {"register", "number", "book", "personal_id"} — recorded by
    # the officer from the civil-status system, or the certification book's number.
    entry: dict = field(default_factory=dict)
    # Where the QR's page lives, for the caption under the seal ('' = settings.XASO_PUBLIC_URL).
    verify_url: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["issued_at"] = self.issued_at.isoformat()
        return data


# --- from a dossier -------------------------------------------------------------------------


def _address_resolver(answers: dict):
    """An address-to-words function with every place of the answers looked up at once."""
    parts = address_parts(answers)
    commune_codes = {str(part.get("commune") or "") for part in parts}
    communes = {
        commune.code: commune
        for commune in Commune.objects.filter(code__in=commune_codes).select_related("province")
    }
    villages = {
        (village.commune.code, village.code): village.name
        for village in Village.objects.filter(commune__code__in=commune_codes).select_related(
            "commune"
        )
    }

    def words(answer) -> str:
        commune = communes.get(str(answer.get("commune") or ""))
        pieces = [str(answer.get("detail") or "").strip()]
        pieces.append(villages.get((str(answer.get("commune")), str(answer.get("village")))))
        if commune is not None:
            pieces += [commune.name, province_words(commune.province)]
        return ", ".join(piece for piece in pieces if piece)

    return words


def province_words(province) -> str:
    """'Tỉnh Đắk Lắk', 'Thành phố Hà Nội' (the type capitalised, then the name)."""
    kind = (province.division_type or "").strip()
    if not kind or province.name.casefold().startswith(kind.casefold()):
        return province.name
    return f"{kind[:1].upper()}{kind[1:]} {province.name}"


def document_data_from_dossier(
    dossier,
    *,
    number: int | str,
    issued_at: date,
    signer_name: str,
    signer_title: str,
    entry: dict | None = None,
) -> DocumentData:
    """The result document of a dossier about to be approved (its outcome decides between the
    result and the denial reply), by the deciding commune."""
    commune = dossier.deciding_commune
    procedure = dossier.procedure
    kind = kind_for(procedure, dossier.outcome)
    answers = dossier.answers or {}
    applicant = dossier.applicant or {}
    holder, fields = result_fields(
        kind,
        form=procedure.form or {},
        answers=answers,
        applicant=applicant,
        address_words=_address_resolver(answers),
    )
    fields["dossier_code"] = dossier.code
    fields["procedure_code"] = procedure.code
    if dossier.received_at:
        fields["received_on"] = dossier.received_at.astimezone(TZ).strftime("%d/%m/%Y")
    # The texts of the version the dossier keeps, in force on the day it was received.
    fields["legal_basis"] = legal_basis_citations(
        version_fact(procedure, dossier.procedure_version, "legal_basis"),
        on=(dossier.received_at or dossier.submitted_at).astimezone(TZ).date(),
    )
    reason = ""
    if kind == "denial":
        event = dossier.events.filter(action="deny").order_by("-id").first()
        reason = (event.data.get("reason") or event.note) if event else ""
    if kind == "extract_copy":
        fields["copied_event"] = str(answers.get("event_type") or "")
        fields["copies"] = f"{int(answers.get('copies') or 1):02d}"
    if kind == "parentage_extract":
        fields["combined_birth"] = procedure.code in COMBINED_WITH_BIRTH
    if kind == "decision":
        fields["decision"] = (
            decision_substance(
                procedure.code, holder=holder, answers=fields.get("answers", {}), on=issued_at
            )
            or {  # no terms in decisions.TERMS yet: Article 1 grants the result the catalogue names
                "title": f"Về việc {procedure.name[:1].lower()}{procedure.name[1:]}",
                "grant": f"Giải quyết cho ông/bà {holder}: {procedure.result_type}.",
                "executors": [],
                "amount": "",
            }
        )
    return DocumentData(
        kind=kind,
        number=number,
        issued_at=issued_at,
        commune_name=commune.name,
        province_name=province_words(commune.province),
        holder_name=holder,
        fields=fields,
        signer_title=signer_title,
        signer_name=signer_name,
        reason=reason,
        procedure_name=procedure.name,
        decider=procedure.decider,
        entry=entry or {},
    )


# --- rendering ------------------------------------------------------------------------------


UNIT_TYPES = ("xã", "phường", "đặc khu", "thị trấn", "tỉnh", "thành phố")


def _plain_name(name: str) -> tuple[str, str]:
    """(unit type or '', the name without it), without a trailing '(demo)'."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name.strip())
    for kind in UNIT_TYPES:
        if name.casefold().startswith(kind + " "):
            return name[: len(kind)], name[len(kind) + 1 :].strip()
    return "", name


def place_words(commune_name: str) -> str:
    """The commune as the place of the date line: 'Xã Phú Lộc (demo)' → 'Phú Lộc'."""
    return _plain_name(commune_name)[1]


def commune_words(commune_name: str) -> str:
    """A unit's name inside a sentence: 'Xã Phú Lộc (demo)' → 'xã Phú Lộc', 'Tỉnh Đắk Lắk' →
    'tỉnh Đắk Lắk'; a name without its type stays as it is."""
    kind, name = _plain_name(commune_name)
    return f"{kind.lower()} {name}" if kind else name


def signer_block(data: DocumentData) -> SignatureBlock:
    """The signature block of the document: by the procedure's decider and the signer's title
    (dossiers.signature, the same function as Forms 01–07); an extract is signed by "NGƯỜI KÝ
    TRÍCH LỤC" with the title under the name."""
    return signature_block(
        data.decider,
        data.signer_title,
        name=data.signer_name,
        extract=data.kind in EXTRACT_KINDS,
    )


# The one-stop decree governs how a dossier travels, not who may decide: it is no power.
_NOT_A_POWER = ("118/2025/NĐ-CP", "61/2018/NĐ-CP", "107/2021/NĐ-CP")


def powers(citations: list[str]) -> list[str]:
    """The legal bases a document cites as its power ("Căn cứ …"): without the one-stop decree."""
    return [text for text in citations if not any(number in text for number in _NOT_A_POWER)]


def verify_address(data: DocumentData) -> str:
    base = data.verify_url or settings.XASO_PUBLIC_URL or ""
    base = base.rstrip("/")
    if base.endswith("/xac-thuc"):
        return base + "/"
    return f"{base}/xac-thuc/" if base else "/xac-thuc/"


def _geometry() -> dict:
    """Inline CSS placing each part of the reserved bottom area: offsets from the page area's
    top left corner (a fixed box may lie in the page margin)."""

    def box(x1: float, y1: float, x2: float, y2: float) -> str:
        # Formatted here, not in the template: the Vietnamese locale would print "227,0pt".
        return (
            f"left: {x1 - MARGIN_LEFT:.2f}pt; top: {PAGE_HEIGHT - y2 - MARGIN_TOP:.2f}pt; "
            f"width: {x2 - x1:.2f}pt; height: {y2 - y1:.2f}pt"
        )

    def above(x1: float, y1: float, x2: float) -> str:
        # Anchored by its bottom edge at y1, growing upwards (lines that end above a box).
        return (
            f"left: {x1 - MARGIN_LEFT:.2f}pt; bottom: {y1 - RESERVED_TOP:.2f}pt; "
            f"width: {x2 - x1:.2f}pt"
        )

    sig_x1, sig_y1, _sig_x2, sig_y2 = SIGNATURE_BOX
    seal_x1, seal_y1, _seal_x2, seal_y2 = SEAL_BOX
    return {
        "margins": " ".join(
            f"{side:.2f}pt" for side in (MARGIN_TOP, MARGIN_RIGHT, RESERVED_TOP, MARGIN_LEFT)
        ),
        # Authority lines end just above the signature box; the name starts just under it.
        "authority": above(SIGNER_LEFT, sig_y2 + 4, SIGNER_RIGHT),
        "signature": box(*SIGNATURE_BOX),
        "name": box(SIGNER_LEFT, sig_y1 - 40, SIGNER_RIGHT, sig_y1 - 4),
        "recipients": box(MARGIN_LEFT, seal_y2 + 8, SIGNER_LEFT - 10, RESERVED_TOP - 8),
        "seal": box(*SEAL_BOX),
        # Above the 20 mm bottom margin (Decree 30/2020).
        "caption": box(seal_x1, MARGIN_BOTTOM, sig_x1 - 10, seal_y1 - 3),
    }


def _certification(data: DocumentData) -> dict:
    """Which certification statement of Circular 01/2020/TT-BTP the document carries."""
    code = str(data.fields.get("procedure_code") or "")
    kind, heading = CERTIFICATION_TYPES.get(code, ("signature", "(Chứng thực chữ ký)"))
    return {"type": kind, "heading": heading}


def _context(data: DocumentData) -> dict:
    if data.kind not in KINDS:
        raise InvalidInput(_("There is no such kind of result."), code="unknown_result_kind")
    copied = str(data.fields.get("copied_event") or "")
    title = title_of(data.kind, str(data.fields.get("procedure_code") or ""), copied)
    block = signer_block(data)
    place = place_words(data.commune_name)
    return {
        "fonts": font_face_css(FONT_FAMILY, serif=True),
        "font_family": FONT_FAMILY,
        "data": data,
        "f": data.fields,
        "title": title,
        "issuer": ISSUER,
        "issuer_commune": re.sub(r"\s*\([^)]*\)\s*$", "", data.commune_name).upper(),
        "commune": commune_words(data.commune_name),
        "province": commune_words(data.province_name),
        "motto": MOTTO,
        "motto_subtitle": MOTTO_SUBTITLE,
        "number": number_text(data.kind, data.number, copied=copied),
        "legal_basis": powers(list(data.fields.get("legal_basis") or [])),
        "entry": data.entry,
        "certification": _certification(data),
        "date_line": f"{place}, {day_words(data.issued_at)}",
        "issued_on": data.issued_at.strftime("%d/%m/%Y"),
        "authority": block.authority,
        "signer_name": block.name,
        "under_name": block.under_name,
        "verify_address": verify_address(data),
        "decision_recipients": ["Như Điều 3;", "Lưu: VT, hồ sơ."],
        "denial_recipients": ["Như trên;", "Lưu: VT, hồ sơ."],
        "box": _geometry(),
    }


def render_result_document(data: DocumentData) -> Document:
    """The laid-out document (pages known), in the roomiest density that fits one page."""
    context = _context(data)
    template = f"results/{data.kind}.html"
    for density in DENSITIES:
        document = render_document(render_to_string(template, {**context, "density": density}))
        if len(document.pages) == 1:
            return document
    raise ResultTooLong(
        _("The result's text does not fit on one page: shorten it (the reasons, most likely).")
    )


def render_result_pdf(data: DocumentData) -> bytes:
    """The unsigned result document as a one-page A4 PDF, with SIGNATURE_BOX and SEAL_BOX
    left empty. Raises ResultTooLong (400, "result_too_long") when the text cannot fit."""
    return render_result_document(data).write_pdf()


def result_filename(data: DocumentData) -> str:
    """'tlks-12-2026.pdf', for a Content-Disposition header."""
    symbol = KINDS[data.kind][1].lower().replace("đ", "d")
    number = re.sub(r"[^0-9A-Za-z]+", "-", str(data.number)).strip("-")
    return f"{symbol}-{number}-{data.issued_at.year}.pdf"


# --- examples (previews, the rendering script, tests) ------------------------------------------

_RESIDENCE = "Thôn Lộc Tân, Xã Phú Lộc, Tỉnh Đắk Lắk"
_PERSON = {
    "name": "Nguyễn Thị Hương",
    "date_of_birth": "17/05/1985",
    "birth_year": "1985",
    "sex": "Nữ",
    "ethnicity": "Kinh",
    "nationality": "Việt Nam",
    "personal_id": "066185000123",
    "address": "Thôn Lộc Tài, xã Phú Lộc (demo)",
}
_PARENT = {"ethnicity": "Ê Đê", "nationality": "Việt Nam", "residence": _RESIDENCE}
_EXAMPLES = {
    "birth_extract": {
        "person": {
            **_PERSON,
            "name": "H'Hen Niê",
            "date_of_birth": "20/11/2026",
            "date_of_birth_words": date_words(date(2026, 11, 20)),
            "ethnicity": "Ê Đê",
            "personal_id": "",
        },
        "place_of_birth": "Trạm Y tế xã Phú Lộc",
        "hometown": "Xã Phú Lộc, Tỉnh Đắk Lắk",
        "mother": {**_PARENT, "name": "H'Lan Niê", "birth_year": "1998"},
        "father": {**_PARENT, "name": "Y Bhiơ Niê", "birth_year": "1996"},
    },
    "death_extract": {
        "person": {
            **_PERSON,
            "name": "Trần Văn Đức",
            "sex": "Nam",
            "date_of_birth": "02/03/1940",
            "personal_id": "066040000321",
        },
        "residence": _RESIDENCE,
        "date_of_death": "22/11/2026",
        "date_of_death_words": date_words(date(2026, 11, 22)),
        "time_of_death": "05 giờ 30 phút",
        "place_of_death": "Tại nhà riêng, thôn Lộc Tân",
        "cause_of_death": "Già yếu",
        "death_notice": "Giấy báo tử do Ủy ban nhân dân cấp xã cấp",
        "declarant": "Trần Thị Mai",
        "relationship": "Con",
    },
    "marriage_extract": {
        "bride": {
            **_PERSON,
            "name": "Hoàng Thị Ánh",
            "date_of_birth": "14/02/1999",
            "residence": "Thôn Lộc Tài, Xã Phú Lộc, Tỉnh Đắk Lắk",
            "personal_id": "066199000456",
        },
        "groom": {
            **_PERSON,
            "name": "Lê Quốc Bảo",
            "sex": "Nam",
            "date_of_birth": "08/09/1997",
            "residence": "Thôn 3 (demo), Xã Phú Lộc, Tỉnh Đắk Lắk",
            "personal_id": "066097000789",
        },
    },
    "marital_status": {
        "person": _PERSON,
        "residence": "Thôn Lộc Tài, Xã Phú Lộc, Tỉnh Đắk Lắk",
        "status": "Chưa đăng ký kết hôn với ai",
        "spouse": None,
        "purpose": "Làm thủ tục vay vốn tại Ngân hàng Nông nghiệp và Phát triển nông thôn",
        "previous_residences": "",
    },
    "extract_copy": {
        "person": {**_PERSON, "name": "Lê Minh Khoa", "sex": "Nam", "date_of_birth": "03/04/2015",
                   "personal_id": "066215000777"},
        "answers": {"applicant": {"name": "Lê Quốc Bảo"}, "relationship": "Người thân",
                    "event_type": "Khai sinh", "registration_place": "Ủy ban nhân dân xã Phú Lộc",
                    "registration_date": "10/04/2015"},
        "copied_event": "birth",
        "copies": "02",
    },
    "civil_status_change_extract": {
        "person": {**_PERSON, "name": "Y Kô Niê", "sex": "Nam", "date_of_birth": "12/12/1990"},
        "answers": {"change_type": "Cải chính hộ tịch", "old_value": "Họ, chữ đệm, tên: Y Ko Niê",
                    "new_value": "Họ, chữ đệm, tên: Y Kô Niê",
                    "reason": "Sai sót khi đăng ký khai sinh"},
    },
    "certification": {
        "person": {**_PERSON, "name": "Trần Văn Hùng", "sex": "Nam"},
        "answers": {"document_title": "Giấy ủy quyền nhận lương hưu", "pages": "1"},
    },
    "contract_certification": {
        "person": {**_PERSON, "name": "Phạm Thị Lan"},
        "answers": {"contract_title": "Hợp đồng tặng cho quyền sử dụng đất",
                    "requester_role": "Bên tham gia hợp đồng", "certification_number": "45",
                    "certification_date": "12/03/2026", "pages": "4"},
    },
    "guardianship_extract": {
        "person": {**_PERSON, "name": "H'Mai Êban", "date_of_birth": "02/02/2014"},
        "answers": {"guardian": {"name": "Y Dhăm Êban", "date_of_birth": "05/06/1975"},
                    "guardianship_registration": "Số 03, quyển số 01/2025, ngày 14/05/2025",
                    "supervisor": {"name": "Y Blang Êban"},
                    "supervisor_residence": "Thôn Lộc Tân, xã Phú Lộc, tỉnh Đắk Lắk"},
    },
    "parentage_extract": {
        "person": {**_PERSON, "name": "H'Hen Niê", "date_of_birth": "20/11/2026",
                   "date_of_birth_words": date_words(date(2026, 11, 20)), "ethnicity": "Ê Đê",
                   "personal_id": ""},
        "place_of_birth": "Trạm Y tế xã Phú Lộc",
        "parents": [
            ("mẹ", {**_PARENT, "name": "H'Lan Niê", "birth_year": "1998", "recognising": False}),
            ("cha", {**_PARENT, "name": "Y Bhiơ Niê", "birth_year": "1996", "recognising": True}),
        ],
        "combined_birth": True,
    },
    "adoption_certificate": {
        "person": {**_PERSON, "name": "Đinh Gia Huy", "sex": "Nam", "date_of_birth": "09/09/2020"},
        "answers": {"adopter": {"name": "Đinh Văn Tâm", "date_of_birth": "01/01/1980",
                                "personal_id": "066080000111"},
                    "adopter_spouse": {"name": "Vũ Thị Hạnh", "date_of_birth": "03/03/1983"},
                    "adopter_residence": _RESIDENCE, "child_residence": _RESIDENCE},
    },
    "household_business_certificate": {
        "person": {**_PERSON, "name": "Hoàng Văn Sáng", "sex": "Nam"},
        "answers": {"business_name": "Hộ kinh doanh Cà phê Sáng", "registration_number":
                    "40A8012345", "business_address": _RESIDENCE,
                    "new_business_lines": "Rang xay, mua bán cà phê nhân (4632)",
                    "new_capital": "200.000.000", "changes": "Ngành, nghề kinh doanh; vốn"},
    },
    "construction_permit": {
        "person": _PERSON,
        "answers": {"permit_type": "Xây dựng mới", "building_type": "Nhà ở riêng lẻ",
                    "site_address": _RESIDENCE, "land_parcel": "Thửa số 112, tờ bản đồ số 7",
                    "land_certificate": "CS 01234", "land_area": "240", "building_area": "96",
                    "total_floor_area": "192", "floors": "2", "height": "8,5",
                    "designer": "Công ty TNHH Tư vấn Xây dựng Phú Lộc (demo)"},
        "legal_basis": [
            "Luật Xây dựng ngày 18 tháng 6 năm 2014",
            "Nghị định số 175/2024/NĐ-CP ngày 30 tháng 12 năm 2024 của Chính phủ quy định chi "
            "tiết một số điều và biện pháp thi hành Luật Xây dựng về quản lý hoạt động xây dựng",
        ],
    },
    "disability_certificate": {
        "person": {**_PERSON, "name": "Y Thuyên Mlô", "sex": "Nam", "date_of_birth": "11/11/2011"},
        "answers": {"residence": _RESIDENCE, "disability_types": "Khuyết tật vận động"},
        "disability_level": "Khuyết tật nặng",
    },
    "decision": {
        "person": _PERSON,
        "legal_basis": [
            "Nghị định số 20/2021/NĐ-CP ngày 15 tháng 3 năm 2021 của Chính phủ quy định chính sách "
            "trợ giúp xã hội đối với đối tượng bảo trợ xã hội",
            "Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm 2025 của Chính phủ về thực hiện thủ "
            "tục hành chính theo cơ chế một cửa, một cửa liên thông",
        ],
        "decision": decision_substance(
            "1.001731",
            holder="Nguyễn Thị Hương",
            answers={"deceased": {"name": "Trần Văn Đức"},
                     "deceased_category": "Người hưởng trợ cấp xã hội hằng tháng"},
            on=date(2026, 11, 25),
        ),
    },
    "denial": {"person": _PERSON},
}  # fmt: skip
_EXAMPLE_PROCEDURES = {
    "birth_extract": ("1.001193", "Đăng ký khai sinh"),
    "death_extract": ("1.000656", "Đăng ký khai tử"),
    "marriage_extract": ("1.000894", "Đăng ký kết hôn"),
    "marital_status": ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân"),
    "extract_copy": ("2.000635", "Cấp bản sao trích lục hộ tịch"),
    "civil_status_change_extract": ("", "Đăng ký thay đổi, cải chính hộ tịch"),
    "certification": ("2.000884", "Chứng thực chữ ký"),
    "contract_certification": ("2.000942", "Cấp bản sao có chứng thực từ bản chính hợp đồng"),
    "guardianship_extract": ("3.000323", "Đăng ký giám sát việc giám hộ"),
    "parentage_extract": ("1.000689", "Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con"),
    "adoption_certificate": ("2.001263", "Đăng ký việc nuôi con nuôi trong nước"),
    "household_business_certificate": ("2.000720", "Đăng ký thay đổi nội dung hộ kinh doanh"),
    "construction_permit": ("1.013225", "Cấp giấy phép xây dựng"),
    "disability_certificate": ("1.001699", "Xác định, xác định lại mức độ khuyết tật"),
    "decision": ("1.001731", "Hỗ trợ chi phí mai táng (bảo trợ xã hội)"),
    "denial": ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân"),
}
# Who decides each example (as the seed catalogue says of its procedure).
_EXAMPLE_DECIDERS = {"decision": "chairman", "disability_certificate": "chairman"}
_EXAMPLE_ENTRIES = {
    "birth_extract": {"number": "125", "book": "01/2026", "personal_id": "066226001234"},
    "parentage_extract": {"number": "7", "book": "01/2026", "personal_id": "066226001235"},
    "certification": {"number": "312", "book": "01/2026-SCT/CK,ĐC"},
    "contract_certification": {"number": "18", "book": "01/2026-SCT/HĐ,GD"},
}
_DEFAULT_ENTRY = {"number": "42", "book": "01/2026"}
_EXAMPLE_REASON = (
    "1. Hồ sơ thiếu giấy tờ chứng minh hôn nhân trước đã chấm dứt (bản án, quyết định ly hôn "
    "đã có hiệu lực pháp luật).\n2. Thông tin về nơi cư trú trước đây chưa được xác minh."
)


def example_document(kind: str, **changes) -> DocumentData:
    """A filled-in example of each kind, in the demo commune (made-up people)."""
    fields = _EXAMPLES[kind]
    people = [fields[side]["name"] for side in ("bride", "groom") if side in fields]
    code, procedure = _EXAMPLE_PROCEDURES.get(kind, ("", ""))
    values = {
        "kind": kind,
        "number": 12,
        "issued_at": date(2026, 11, 25),
        "commune_name": "Xã Phú Lộc (demo)",
        "province_name": "Tỉnh Đắk Lắk",
        "holder_name": " và ".join(people) or fields["person"]["name"],
        "fields": {
            "dossier_code": "DEMO-PL-261125-0007",
            "procedure_code": code,
            "received_on": "25/11/2026",
            **fields,
        },
        "signer_title": "Phó Chủ tịch",
        "signer_name": "Nguyễn Văn Minh",
        "reason": _EXAMPLE_REASON if kind == "denial" else "",
        "procedure_name": procedure,
        "decider": _EXAMPLE_DECIDERS.get(kind, "committee"),
        "entry": _EXAMPLE_ENTRIES.get(kind, _DEFAULT_ENTRY if kind in EXTRACT_KINDS else {}),
        "verify_url": "https://xaso.example.vn",
    }
    return DocumentData(**{**values, **changes})
