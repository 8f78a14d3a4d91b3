"""The official documents of a dossier (Circular 03/2025/TT-VPCP, forms 01 to 06) as PDF.

`document_pdf(dossier, form, base_url=...)` renders one of `FORMS` from the dossier's events:

=====================  ====  ===========================================================
form                   no.   made from
=====================  ====  ===========================================================
receipt                01    the intake / receive event (appointment = the due time, QR)
supplement-request     02    the last request_supplement event (items, note)
refusal                03    the refuse event (reason)
apology                04    the extend event (reason, old and new due time)
stop-notice            05    the withdraw event (reason)
control-slip           06    every hand-over (`dossiers.control`)
=====================  ====  ===========================================================

Each one is laid out on one A4 page, in smaller type if it must (three densities); only what
cannot fit even then (a long control slip) takes more pages, never cut off.

Form 07, the register of a period, is in `register.py`.

Decisions:
- A document the dossier does not have (yet) — no refusal, no extension, not received — raises
  `DocumentNotAvailable`, a 404 with the code "document_not_available": the document is a
  resource that does not exist, and asking again later may find it. An unknown form name is a
  404 "unknown_document".
- Legal wording stays exact Vietnamese by convention (DESIGN §5), as constants here: the titles,
  the national motto, the issuing body ("ỦY BAN NHÂN DÂN XÃ …" over the commune's service
  centre, `Commune.service_centre_name`, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"), the form
  numbers ("Mẫu số 01") and the date formulas of Decree 30/2020/NĐ-CP ("Phú Lộc, ngày 25 tháng
  11 năm 2026", "10 giờ 30 phút, ngày …"; a day below 10 and the months 1 and 2 take a leading
  zero). Everything else goes through gettext (English msgids) and is rendered in Vietnamese.
- The desk's documents (01, 02, 03) carry the receiving commune; the processing authority's
  (04, 05, 06) the deciding commune. The place of the date line is the commune's name without
  its type ("Xã ") and without a trailing parenthesis ("(demo)").
- The document number is the dossier code with the form's symbol ("<code>/TNHS"): the code is
  already unique and public, and a dossier has at most one document of each form (Form 02 shows
  the last request: the desk asks once).
- Personal data: name, phone and address of the applicant, as the forms ask; never the ID number.
- Document form of Decree 30/2020/NĐ-CP: the bundled serif (Liberation Serif, metric-compatible
  with Times New Roman) at 13 pt, margins 20 mm top and bottom, 30 mm left, 15 mm right, page
  numbers centred at the top from page 2.
- Signatures (`signature.py`): the desk's forms (01, 02, 03) are signed by the officer in his
  own capacity; 04 and 05 speak for the body that decides the procedure (TM. ỦY BAN NHÂN DÂN,
  CHỦ TỊCH, or the centre's GIÁM ĐỐC for a procedure the commune forwards), with the leader's
  name only when a leader took the action — never "TM." above a clerk's name.
- Dates and times are shown in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xaso.accounts.scoping import staff_scope
from xaso.catalog.models import RequiredDocument
from xaso.catalog.texts import copies_text, time_limit_text, verification_limit_text
from xaso.core.errors import NotFound
from xaso.core.pdf import fitted_pdf, font_face_css
from xaso.core.text import format_dong
from xaso.places.models import Commune
from xaso.workdays.engine import TZ
from xaso.workdays.selectors import due_is_provisional

from . import actions, hooks
from .control import EARLY, LATE, ON_TIME, control_slip
from .models import Dossier, DossierEvent
from .selectors import dossier_events
from .signature import SignatureBlock, officer_block, signature_block

FONT_FAMILY = "Doc Serif"
DENSITIES = ("normal", "compact", "tight")

# --- legal wording (exact Vietnamese by convention, DESIGN §5) ---------------------------------
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUBTITLE = "Độc lập - Tự do - Hạnh phúc"
ISSUER_PARENT = "ỦY BAN NHÂN DÂN"
FORM_NUMBER = "Mẫu số {number}"


@dataclass(frozen=True)
class FormSpec:
    number: str
    title: str
    symbol: str
    template: str
    label: object = ""  # how the back office names it (gettext_lazy)


FORMS: dict[str, FormSpec] = {
    "receipt": FormSpec(
        "01",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "TNHS",
        "dossiers/forms/receipt.html",
        gettext_lazy("Form 01 — receipt and appointment"),
    ),
    "supplement-request": FormSpec(
        "02",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "YCBS",
        "dossiers/forms/supplement_request.html",
        gettext_lazy("Form 02 — supplement request"),
    ),
    "refusal": FormSpec(
        "03",
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "TCHS",
        "dossiers/forms/refusal.html",
        gettext_lazy("Form 03 — refusal"),
    ),
    "apology": FormSpec(
        "04",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        "XLGH",
        "dossiers/forms/apology.html",
        gettext_lazy("Form 04 — apology and extension"),
    ),
    "stop-notice": FormSpec(
        "05",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        "DGQ",
        "dossiers/forms/stop_notice.html",
        gettext_lazy("Form 05 — stop notice"),
    ),
    "control-slip": FormSpec(
        "06",
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "KSQT",
        "dossiers/forms/control_slip.html",
        gettext_lazy("Form 06 — control slip"),
    ),
}
REGISTER_TITLE = "SỔ THEO DÕI HỒ SƠ"
REGISTER_NUMBER = "07"


class DocumentNotAvailable(NotFound):
    code = "document_not_available"


# --- the date formulas ----------------------------------------------------------------------


def _day(value: int) -> str:
    return f"{value:02d}"


def _month(value: int) -> str:
    # Decree 30/2020: months 1 and 2 take a leading zero (so that nobody can add a 1 after).
    return f"{value:02d}" if value < 3 else str(value)


def day_words(moment: datetime | date) -> str:
    """'ngày 25 tháng 11 năm 2026' (a datetime in Asia/Ho_Chi_Minh)."""
    day = moment.astimezone(TZ).date() if isinstance(moment, datetime) else moment
    return f"ngày {_day(day.day)} tháng {_month(day.month)} năm {day.year}"


def moment_words(moment: datetime) -> str:
    """'10 giờ 30 phút, ngày 25 tháng 11 năm 2026', in Asia/Ho_Chi_Minh."""
    local = moment.astimezone(TZ)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, {day_words(local)}"


def place_name(commune: Commune) -> str:
    """The commune's name as the place of a date line: 'Xã Phú Lộc (demo)' → 'Phú Lộc'."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", commune.name.strip())
    kinds = [commune.division_type, "xã", "phường", "đặc khu", "thị trấn"]
    for kind in filter(None, kinds):
        if name.casefold().startswith(kind.casefold() + " "):
            return name[len(kind) + 1 :].strip()
    return name


def date_line(commune: Commune, moment: datetime | date) -> str:
    """'Phú Lộc, ngày 25 tháng 11 năm 2026'."""
    return f"{place_name(commune)}, {day_words(moment)}"


def short_moment(moment: datetime | None) -> str:
    """'25/11/2026 10:30' in Asia/Ho_Chi_Minh, '' for None (tables)."""
    return moment.astimezone(TZ).strftime("%d/%m/%Y %H:%M") if moment else ""


# --- texts shared by several forms ----------------------------------------------------------


def mark_label(mark: str | None) -> str:
    return {EARLY: _("Early"), ON_TIME: _("On time"), LATE: _("Late")}.get(mark or "", "")


def step_label(step: str | None) -> str:
    return {
        "reception": _("Reception"),
        "specialist": _("Processing by the specialist"),
        "leader": _("Leader's approval and signature"),
        "return": _("Numbering, issuing and returning the result"),
        "done": _("Result returned"),
    }.get(step or "", "")


def lookup_url(base_url: str, dossier: Dossier) -> str:
    """The public lookup page of the dossier, with its code and secret (the receipt's QR)."""
    query = urlencode({"code": dossier.code, "secret": dossier.lookup_secret})
    return f"{base_url.rstrip('/')}/tra-cuu/?{query}"


def qr_png_data_uri(text: str) -> str:
    """A QR code as a PNG data URI, one module = 10 px, a quiet zone of 4 modules (printed with
    crisp edges; a raster so that a test can read the modules back from the PDF)."""
    return segno.make(text, error="m", micro=False).png_data_uri(scale=10, border=4)


# --- forms ----------------------------------------------------------------------------------


def _last_event(dossier: Dossier, *actions: str) -> DossierEvent | None:
    return dossier.events.filter(action__in=actions).select_related("actor").order_by("-id").first()


def _officer(event: DossierEvent | None) -> str:
    return event.actor.get_full_name() if event and event.actor else ""


def _required(event: DossierEvent | None) -> DossierEvent:
    if event is None:
        raise DocumentNotAvailable(_("This dossier has no such document yet."))
    return event


def _received_documents(dossier: Dossier) -> tuple[list[dict], list[str]]:
    """(documents handed in or attached, with their counts; documents looked up instead)."""
    files = Counter(dossier.attachments.values_list("document_key", flat=True))
    received, looked_up = [], []
    for document in dossier.procedure.documents.all():
        count = files.get(document.key, 0)
        replaced = document.replaceable_by != RequiredDocument.Replacement.NONE
        if count or (
            document.requirement == RequiredDocument.Requirement.REQUIRED and not replaced
        ):
            received.append(
                {"name": document.name, "copies": copies_text(document), "files": count}
            )
        elif replaced and document.requirement == RequiredDocument.Requirement.REQUIRED:
            looked_up.append(document.name)
    return received, looked_up


def _receipt(dossier: Dossier, base_url: str) -> dict:
    event = _required(_last_event(dossier, "intake", "receive"))
    documents, looked_up = _received_documents(dossier)
    url = lookup_url(base_url, dossier)
    # The fee, when the payments app has fixed one (through the hooks: no import of payments).
    contributions = hooks.contributions(dossier)
    payment = contributions.get("payment")
    return {
        "payment": payment,
        # The fee settled at receipt, free and exempt included (DOMAIN.md §3).
        "fee": contributions.get("fee"),
        "payment_qr": qr_png_data_uri(payment["vietqr"]) if payment and payment["vietqr"] else "",
        "at": event.at,
        "officer": _officer(event),
        "documents": documents,
        "looked_up": looked_up,
        "time_limit": time_limit_text(dossier.procedure),
        "verification_limit": verification_limit_text(dossier.procedure)
        if dossier.with_verification
        else "",
        "verification_reason": dossier.verification_reason,
        "received_words": moment_words(dossier.received_at or event.at),
        "due_words": moment_words(dossier.due_at) if dossier.due_at else "",
        "provisional_year": str(dossier.due_at.astimezone(TZ).year)
        if due_is_provisional(commune=dossier.deciding_commune, due_at=dossier.due_at)
        else None,
        "friday_rule": dossier.due_rule == "friday_same_day",
        "lookup_url": url,
        "qr": qr_png_data_uri(url),
        "sets": "01",  # one dossier, one set (Form 01: "Số lượng hồ sơ: … bộ")
        "result_place": _result_place(dossier),
        "register_entry": f"{short_moment(dossier.received_at or event.at)}, {dossier.code}",
        "signature": officer_block("NGƯỜI TIẾP NHẬN HỒ SƠ", name=_officer(event)),
    }


def _result_place(dossier: Dossier) -> str:
    """Where the applicant will receive the result (Form 01), by the delivery chosen."""
    centre = f"{dossier.receiving_commune.service_centre_name} {dossier.receiving_commune.name}"
    if dossier.result_delivery == "post":
        return _("By post, to the address given in the dossier")
    if dossier.result_delivery == "electronic":
        return _("Electronically: the signed result is downloaded with the dossier code")
    return _("At the desk of the %(centre)s") % {"centre": centre}


def _supplement_request(dossier: Dossier, base_url: str) -> dict:
    event = _required(_last_event(dossier, "request_supplement"))
    return {
        "at": event.at,
        "officer": _officer(event),
        "officer_phone": event.actor.phone if event.actor else "",
        "signature": officer_block("NGƯỜI HƯỚNG DẪN", name=_officer(event)),
        "items": event.data.get("items") or [],
        "round": event.data.get("round") or 1,
        "note": event.note,
        "during_processing": event.from_state == "processing",
        "lookup_url": lookup_url(base_url, dossier),
    }


def _refusal(dossier: Dossier, base_url: str) -> dict:
    event = _required(_last_event(dossier, "refuse"))
    return {
        "at": event.at,
        "officer": _officer(event),
        "reason": event.data.get("reason") or event.note,
        # The provisions the dossier is measured against (not the one-stop decree, which
        # only says how a dossier travels).
        "provisions": procedure_provisions(dossier.procedure),
        "signature": officer_block("NGƯỜI TIẾP NHẬN HỒ SƠ", name=_officer(event)),
    }


def _stop_notice(dossier: Dossier, base_url: str) -> dict:
    event = _required(_last_event(dossier, "withdraw"))
    payment = hooks.contributions(dossier).get("payment")
    paid = (payment or {}).get("paid_amount") or 0
    return {
        "at": event.at,
        "officer": _officer(event),
        "reason": event.data.get("reason") or event.note,
        "refund": format_dong(paid) if paid else "",
        "online": dossier.channel == "online",
        "lookup_url": lookup_url(base_url, dossier),
        "signature": _body_block(dossier, event),
    }


_NOT_A_POWER = ("118/2025/NĐ-CP", "61/2018/NĐ-CP", "107/2021/NĐ-CP")


def procedure_provisions(procedure) -> list[str]:
    """The legal bases of the procedure as text, without the one-stop decree."""
    texts = []
    for item in procedure.legal_basis or []:
        if not isinstance(item, dict):
            continue
        text = " ".join(
            str(part).strip()
            for part in (
                item.get("articles") or item.get("article") or "",
                item.get("document")
                or " ".join(str(item.get(key) or "") for key in ("kind", "number", "title")),
            )
            if str(part).strip()
        )
        if text and not any(number in text for number in _NOT_A_POWER):
            texts.append(text)
    return texts


def _body_block(dossier: Dossier, event: DossierEvent) -> SignatureBlock:
    """The signature of a notice of the deciding body (Forms 04, 05): its head's capacity, the
    name only of a leader who took the action (a clerk does not sign "TM.")."""
    decider = dossier.procedure.decider
    if dossier.procedure.is_forwarded or decider not in ("committee", "chairman", "centre"):
        decider = "centre"  # the centre forwarded it and speaks for its own handling
    leader = event.actor is not None and "leader" in staff_scope(event.actor).roles_in(
        dossier.deciding_commune
    )
    block = signature_block(decider, name=event.actor.get_full_name() if leader else "")
    return SignatureBlock(block.authority, name=block.name, hint="(Ký, ghi rõ họ tên, đóng dấu)")


def _apology(dossier: Dossier, base_url: str) -> dict:
    event = _required(_last_event(dossier, "extend"))
    old, new = event.data.get("old_due_at"), event.data.get("new_due_at")
    return {
        "at": event.at,
        "officer": _officer(event),
        "signature": _body_block(dossier, event),
        "reason": event.data.get("reason") or event.note,
        "old_due_words": moment_words(datetime.fromisoformat(old)) if old else "",
        "new_due_words": moment_words(datetime.fromisoformat(new)) if new else "",
    }


def _control(dossier: Dossier, base_url: str) -> dict:
    _required(_last_event(dossier, "intake", "receive"))
    slip = control_slip(dossier)
    rows = [
        {
            "number": row.number,
            "giver": row.giver,
            "receiver": row.receiver,
            "at": short_moment(row.at),
            "step": step_label(row.step),
            "deadline": short_moment(row.deadline),
            "mark": row.mark or "",
            "mark_label": mark_label(row.mark),
            "paused": row.paused,
        }
        for row in slip.rows
    ]
    return {
        "at": timezone.now(),
        "rows": rows,
        "current_step": step_label(slip.current_step),
        "current_deadline": short_moment(slip.current_deadline),
        "received": short_moment(dossier.received_at),
        "due": short_moment(dossier.due_at),
        "state_label": dossier.get_state_display(),
    }


_BUILDERS = {
    "receipt": _receipt,
    "supplement-request": _supplement_request,
    "refusal": _refusal,
    "apology": _apology,
    "stop-notice": _stop_notice,
    "control-slip": _control,
}
# The processing authority issues these; the desk issues the others.
_DECIDING_FORMS = frozenset({"apology", "stop-notice", "control-slip"})


def available_documents(dossier: Dossier) -> list[str]:
    """The forms this dossier has now, in the order of FORMS (its events, read once): each action's
    descriptor names the forms it issues (`actions.ActionDescriptor.forms`)."""
    done = {event.action for event in dossier_events(dossier)}
    issued = actions.issued_after()
    return [form for form in FORMS if done & set(issued.get(form, ()))]


def document_filename(dossier: Dossier, form: str) -> str:
    """'mau-01-<code>.pdf', for a Content-Disposition header."""
    spec = _spec(form)
    return f"mau-{spec.number}-{dossier.code}.pdf"


def _spec(form: str) -> FormSpec:
    spec = FORMS.get(form)
    if spec is None:
        raise NotFound(_("There is no such document."), code="unknown_document")
    return spec


def masthead(commune: Commune, *, number: str, at: datetime | date) -> dict:
    """The header every document shares: issuing body, number, motto, place and date."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", commune.name.strip())
    return {
        "fonts": font_face_css(FONT_FAMILY, serif=True),
        "font_family": FONT_FAMILY,
        "issuer_parent": ISSUER_PARENT,
        "issuer_commune": name.upper(),
        "issuer_unit": commune.service_centre_name.upper(),
        "number": number,
        "motto": MOTTO,
        "motto_subtitle": MOTTO_SUBTITLE,
        "date_line": date_line(commune, at),
        "commune": commune,
    }


def document_pdf(dossier: Dossier, form: str, *, base_url: str) -> bytes:
    """One official document of the dossier as PDF, in Vietnamese.

    `form`: "receipt", "supplement-request", "refusal", "apology", "stop-notice" or
    "control-slip". `base_url`: the public site's root (e.g. "https://xaso.example.vn"), for the
    receipt's lookup address and QR code. Raises DocumentNotAvailable (404,
    "document_not_available") when the dossier has no such document yet.
    """
    spec = _spec(form)
    dossier = Dossier.objects.select_related(
        "procedure", "receiving_commune", "deciding_commune"
    ).get(pk=dossier.pk)
    commune = dossier.deciding_commune if form in _DECIDING_FORMS else dossier.receiving_commune
    with translation.override("vi"):
        facts = _BUILDERS[form](dossier, base_url)
        context = {
            **masthead(commune, number=f"{dossier.code}/{spec.symbol}", at=facts["at"]),
            **facts,
            "title": spec.title,
            "form_number": FORM_NUMBER.format(number=spec.number),
            "dossier": dossier,
            "procedure": dossier.procedure,
            "applicant": dossier.applicant,
        }
        return fitted_pdf(
            lambda density: render_to_string(spec.template, {**context, "density": density}),
            DENSITIES,
        )
