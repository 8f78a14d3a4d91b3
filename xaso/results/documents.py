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
from xaso.places.models import Commune, Village
from xaso.workdays.engine import TZ

from .content import address_parts, date_words, result_fields

FONT_FAMILY = "Doc Sans"
DENSITIES = ("normal", "compact", "tight", "tiny")

# --- the page, in PDF points (1/72 in; CSS "pt" is the same unit) -----------------------------
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89  # A4
MARGIN_TOP, MARGIN_RIGHT, MARGIN_LEFT = 56.7, 42.5, 85.0  # 20, 15 and 30 mm (Decree 30)
# The bottom area below the body, where the signer block, recipients and seal are placed.
RESERVED_TOP = 262.0
SIGNER_LEFT, SIGNER_RIGHT = 312.0, PAGE_WIDTH - MARGIN_RIGHT

# (x1, y1, x2, y2), origin bottom left, on the last (only) page.
SIGNATURE_BOX = (332.0, 122.0, 532.0, 192.0)
SEAL_BOX = (MARGIN_LEFT, 68.0, MARGIN_LEFT + 90.0, 158.0)

ISSUER = "ỦY BAN NHÂN DÂN"


KINDS: dict[str, tuple[str, str]] = {
    "birth_extract": ("TRÍCH LỤC KHAI SINH", "TLKS"),
    "death_extract": ("TRÍCH LỤC KHAI TỬ", "TLKT"),
    "marriage_extract": ("TRÍCH LỤC KẾT HÔN", "TLKH"),
    "marital_status": ("GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "XNTTHN"),
    "decision": ("QUYẾT ĐỊNH", "QĐ-UBND"),
    "denial": ("VĂN BẢN TRẢ LỜI", "UBND-VP"),
}

# Civil-status procedures whose result is an extract (catalog.json codes; the plain, the
# mobile, the re-registration and the foreign-element variants of each).
_EXTRACT_PROCEDURES = {
    "birth_extract": ("1.001193", "1.000689", "1.004884", "2.000528"),
    "death_extract": ("1.000656", "1.005461", "1.000419"),
    "marriage_extract": ("1.000894", "2.000806", "1.000593"),
    "marital_status": ("1.004873",),
}
KIND_BY_PROCEDURE = {code: kind for kind, codes in _EXTRACT_PROCEDURES.items() for code in codes}


class ResultTooLong(InvalidInput):
    code = "result_too_long"


def kind_for(procedure_code: str, outcome: str) -> str:
    """The kind of result document: the denial reply for a denied dossier, the extract of a
    civil-status procedure, otherwise a decision."""
    if outcome == "denied":
        return "denial"
    return KIND_BY_PROCEDURE.get(procedure_code, "decision")


def number_text(kind: str, number: int | str) -> str:
    """The number as printed after "Số:": 12 → '12/TLKS'; '12/TLKS-BS' stays as given."""
    text = str(number).strip()
    return text if "/" in text else f"{text}/{KINDS[kind][1]}"


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
    dossier, *, number: int | str, issued_at: date, signer_name: str, signer_title: str
) -> DocumentData:
    """The result document of a dossier about to be approved (its outcome decides between the
    result and the denial reply), by the deciding commune."""
    commune = dossier.deciding_commune
    procedure = dossier.procedure
    kind = kind_for(procedure.code, dossier.outcome)
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


def signer_lines(kind: str, title: str) -> tuple[list[str], str]:
    """(authority lines above the signature, the line under the name).

    An extract is signed by "NGƯỜI KÝ TRÍCH LỤC" with the title under the name (Circular
    04/2020); the others on behalf of the committee (Decree 30/2020): "TM. ỦY BAN NHÂN DÂN",
    then "CHỦ TỊCH", or "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" for a vice-chair."""
    title = " ".join(title.split())
    if kind.endswith("_extract"):
        return ["NGƯỜI KÝ TRÍCH LỤC"], title
    office = re.sub(r"\s+(UBND|ỦY BAN NHÂN DÂN)\b.*$", "", title, flags=re.IGNORECASE)
    office = office.upper() or "CHỦ TỊCH"
    if office.startswith("PHÓ"):
        return [f"TM. {ISSUER}", "KT. CHỦ TỊCH", office], ""
    return [f"TM. {ISSUER}", office], ""


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
        "caption": box(seal_x1, 30.0, sig_x1 - 10, seal_y1 - 3),
    }


def _context(data: DocumentData) -> dict:
    if data.kind not in KINDS:
        raise InvalidInput(_("There is no such kind of result."), code="unknown_result_kind")
    title, _symbol = KINDS[data.kind]
    authority, under_name = signer_lines(data.kind, data.signer_title)
    place = place_words(data.commune_name)
    return {
        "fonts": font_face_css(FONT_FAMILY),
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
        "number": number_text(data.kind, data.number),
        "date_line": f"{place}, {day_words(data.issued_at)}",
        "issued_on": data.issued_at.strftime("%d/%m/%Y"),
        "authority": authority,
        "under_name": under_name,
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
    "decision": {
        "person": _PERSON,
        "legal_basis": [
            "Nghị định số 20/2021/NĐ-CP quy định chính sách trợ giúp xã hội đối với đối tượng "
            "bảo trợ xã hội",
            "Nghị định số 118/2025/NĐ-CP về thực hiện thủ tục hành chính theo cơ chế một cửa, "
            "một cửa liên thông",
        ],
    },
    "denial": {"person": _PERSON},
}
_EXAMPLE_PROCEDURES = {
    "decision": ("1.001731", "Hỗ trợ chi phí mai táng (bảo trợ xã hội)"),
    "denial": ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân"),
}
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
        "verify_url": "https://xaso.example.vn",
    }
    return DocumentData(**{**values, **changes})
