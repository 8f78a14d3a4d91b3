"""The electronic receipt (biên lai điện tử) of one payment, as a one-page PDF.

`receipt_pdf(payment)` lays out the commune's receipt of a fee: the issuing body and the national
motto like the official documents (`dossiers.documents.masthead`), the title "BIÊN LAI THU PHÍ,
LỆ PHÍ", the series and number, the payer (the applicant of the dossier's snapshot), the dossier,
the procedure, the amount in figures and in Vietnamese words, and how it was paid.

Decisions:
- Not (yet) a legal e-receipt. An electronic fee receipt in the legal sense (Decree
  123/2020/NĐ-CP on invoices and documents, with its guidance, and the Decree 11/2020/NĐ-CP
  procedures the issue refers to) needs a receipt form and series registered with the tax
  authority, and numbers given within that series. Until the commune registers one, the number
  (`Payment.receipt_number`: the commune's `PaymentSettings.receipt_series` or code, the year, a
  gap-free counter) is the commune's internal one, and the receipt says so in its footer
  and in its heading ("xaso electronic receipt"): it must not pass for what it is not.
- A5 landscape, the size of the paper receipt books communes use: it holds one receipt without
  a half-empty page, and prints two to an A4 sheet (or fitted to A4). Smaller type if it must
  (three densities); never cut off.
- The amount shown is the payment's (what this receipt acknowledges); when it differs from the
  fee due (a partial or an excess transfer) both are shown.
- Legal wording (title, motto, issuing body, date line) is exact Vietnamese, as constants; the
  labels go through gettext (English msgids) and are rendered in Vietnamese.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from xaso.core.pdf import one_page_pdf
from xaso.core.text import format_dong
from xaso.dossiers.documents import masthead, short_moment

from .models import Payment

TITLE = "BIÊN LAI THU PHÍ, LỆ PHÍ"
DENSITIES = ("normal", "compact", "tight")

# ---- amounts in Vietnamese words -----------------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu")


def _tens_and_units(tens: int, units: int, *, after_hundreds: bool) -> list[str]:
    if tens == 0:
        if units == 0:
            return []
        # 105 → "một trăm linh năm" (the northern "lẻ" means the same; we write "linh").
        return ["linh", _DIGITS[units]] if after_hundreds else [_DIGITS[units]]
    words = ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("một" if tens == 1 else "mốt")  # 11 "mười một", 21 "hai mươi mốt"
    elif units == 5:
        words.append("lăm")  # 15 "mười lăm", 25 "hai mươi lăm"
    elif units:
        words.append(_DIGITS[units])
    return words


def _group(value: int, *, leading: bool) -> list[str]:
    """Words of 1..999; after a higher group, in full: 1.001 → "… không trăm linh một"."""
    hundreds, tens, units = value // 100, value // 10 % 10, value % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    return words + _tens_and_units(tens, units, after_hundreds=bool(words))


def number_in_words(number: int) -> str:
    """12_345 → "mười hai nghìn ba trăm bốn mươi lăm" (lower case, no unit)."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise ValueError(f"a whole number ≥ 0 is needed, not {number!r}")
    if number == 0:
        return _DIGITS[0]
    groups = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        if not groups[index]:
            continue
        words += _group(groups[index], leading=not words)
        # nghìn, triệu, tỷ, nghìn tỷ, triệu tỷ, tỷ tỷ…
        scale = " ".join(filter(None, [_SCALES[index % 3], *["tỷ"] * (index // 3)]))
        if scale:
            words.append(scale)
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """50_000 → "Năm mươi nghìn đồng", as written on receipts and invoices."""
    text = f"{number_in_words(amount)} đồng"
    return text[0].upper() + text[1:]


# ---- the receipt -----------------------------------------------------------------------------


def receipt_filename(payment: Payment) -> str:
    """'bien-lai-<number>.pdf', for a Content-Disposition header."""
    return f"bien-lai-{payment.receipt_number.replace('/', '-')}.pdf"


def _context(payment: Payment) -> dict:
    request = payment.request
    dossier = request.dossier
    commune = dossier.receiving_commune
    transaction = payment.transaction
    officer = payment.recorded_by.get_full_name() if payment.recorded_by else ""
    return {
        **masthead(commune, number="", at=payment.at),
        "title": TITLE,
        "payment": payment,
        "number": payment.receipt_number,
        "dossier": dossier,
        "procedure": dossier.procedure,
        "payer": (dossier.applicant or {}).get("full_name", ""),
        "payer_address": (dossier.applicant or {}).get("address", ""),
        "amount": format_dong(payment.amount),
        "amount_words": amount_in_words(payment.amount),
        "due": format_dong(request.amount) if request.amount != payment.amount else "",
        "is_cash": payment.method == Payment.Method.CASH,
        "transaction_id": transaction.transaction_id if transaction else "",
        "account": str(transaction.account) if transaction else "",
        "paid_at": short_moment(payment.at),
        "officer": officer,
        # Kept on one line (a break after "NĐ-" reads badly); a constant, so safe.
        "decree": mark_safe('<span class="nowrap">123/2020/NĐ-CP</span>'),
    }


def receipt_pdf(payment: Payment) -> bytes:
    """The receipt of `payment` as a PDF in Vietnamese (A5 landscape, one page)."""
    context = _context(payment)
    with translation.override("vi"):

        def render(density: str) -> str:
            return render_to_string("payments/receipt.html", {**context, "density": density})

        return one_page_pdf(render, DENSITIES)
