"""What a citizen reads, per event, in two forms.

- `SMS`: one SMS, at most 160 GSM-7 characters once the diacritics are stripped (a single
  character outside GSM-7 would switch the SMS to UCS-2 and cut the limit to 70).
- `LONG`: the full text with diacritics, for the log, Zalo and e-mail.

Texts are gettext strings with English msgids, rendered in the recipient's language. They take
their values from an outbox row's `data` (plain JSON: commune, code, secret, procedure, due time
in ISO…), so a message can always be rendered again from its row.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xaso.core.text import format_dong, strip_diacritics

logger = logging.getLogger("xaso.notify")

SMS = "sms"
LONG = "long"
SMS_MAX = 160

# GSM 03.38: the basic alphabet (one septet each) and its extension table (two septets each).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
_TYPOGRAPHY = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "•": "-",
        "·": ".",
        "₫": "VND",
    }
)
# Where a commune's name starts a phrase ("UBND xã Phú Lộc"), its type is written in lower case.
_DIVISION_TYPES = ("Xã ", "Phường ", "Đặc khu ", "Thị trấn ")


class UnknownTemplate(KeyError):
    pass


def sms_text(text: str) -> str:
    """The text as one line of GSM-7: no diacritics, plain punctuation, '?' for anything else."""
    plain = " ".join(strip_diacritics(text).translate(_TYPOGRAPHY).split())
    return "".join(ch if ch in GSM7_BASIC or ch in GSM7_EXTENSION else "?" for ch in plain)


def gsm7_length(text: str) -> int:
    """Septets the text takes in an SMS (extension characters take two)."""
    return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)


def _gsm7_cut(text: str, limit: int) -> str:
    while gsm7_length(text) > limit:
        text = text[:-1]
    return text


# --- values ----------------------------------------------------------------------------------


def format_due(value: str | None) -> str:
    """ISO time → '17:00 27/11/2026' in the deployment's time zone (Vietnamese usage)."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment, timezone.get_default_timezone())
    return moment.strftime("%H:%M %d/%m/%Y")


def _commune_in_phrase(name: str) -> str:
    """'Xã Phú Lộc' → 'xã Phú Lộc', as it reads after 'UBND'."""
    if name.startswith(_DIVISION_TYPES):
        return name[0].lower() + name[1:]
    return name


def _sender(commune: str) -> str:
    if not commune:
        return _("xaso")
    return _("People's Committee of %(commune)s") % {"commune": _commune_in_phrase(commune)}


def _return_channel(channel: str) -> str:
    labels = {
        "counter": _("at the one-stop desk"),
        "post": _("by post"),
        "electronic": _("electronically"),
    }
    return labels.get(channel, "")


def _values(data: dict) -> dict:
    def text(name: str) -> str:
        return str(data.get(name) or "")

    items = [str(item) for item in data.get("items") or []]
    return {
        "sender": _sender(text("commune")),
        "code": text("code"),
        "secret": text("secret"),
        "procedure": text("procedure"),
        "name": text("name"),
        "due": format_due(data.get("due_at")),
        "reason": text("reason"),
        "items": items,
        "count": len(items),
        "how": _return_channel(text("return_channel")),
        "otp": text("otp"),
        "minutes": int(data.get("minutes") or 0),
        "purpose": text("purpose"),
        "member": text("member"),
        # A consent code that names what it is for (older rows named nothing).
        "informed": bool(data.get("procedure")),
        "data": _data_words(data.get("data") or []),
        "electronic": bool(data.get("electronic")),
        "link": text("lookup_url"),
        "amount": format_dong(int(data["amount"])) if data.get("amount") is not None else "",
        "receipt": text("receipt"),
        "due_today": [_digest_line(row) for row in data.get("due_today") or []],
        "overdue": [_digest_line(row) for row in data.get("overdue") or []],
        "due_today_count": int(data.get("due_today_total") or len(data.get("due_today") or [])),
        "overdue_count": int(data.get("overdue_total") or len(data.get("overdue") or [])),
        "codes": ", ".join(
            str(row.get("code") or "")
            for row in [*(data.get("overdue") or []), *(data.get("due_today") or [])]
        ),
    }


def _data_words(names: list) -> str:
    """The personal data a consent code covers, in words ('họ tên, số định danh, …')."""
    words = {
        "full_name": _("full name"),
        "personal_id": _("ID number"),
        "phone": _("phone"),
        "address": _("address"),
        "document_photos": _("photos of your papers"),
    }
    return ", ".join(str(words[name]) for name in names if name in words)


def _digest_line(row: dict) -> str:
    """'DEMO-PL-261125-0001 · Đăng ký khai sinh · 17:00 27/11/2026' for the officers' digest."""
    parts = [str(row.get("code") or ""), str(row.get("procedure") or "")]
    if row.get("due_at"):
        parts.append(format_due(row["due_at"]))
    return " · ".join(part for part in parts if part)


def _lines(values: dict, *lines: str) -> str:
    """A long text: the greeting (when the name is known), then the lines that are not empty."""
    greeting = _("Dear %(name)s,") % values if values["name"] else ""
    return "\n".join(line for line in (greeting, *lines) if line)


# --- the templates ---------------------------------------------------------------------------
# Each function takes the values and gives one form of the text; `render` picks by key and form.


def _received_subject(v):
    return _("Dossier %(code)s received") % v


def _received_sms(v):
    if v["due"]:
        return (
            _(
                "%(sender)s: dossier %(code)s received, result due %(due)s. "
                "Lookup secret: %(secret)s"
            )
            % v
        )
    return _("%(sender)s: dossier %(code)s received. Lookup secret: %(secret)s") % v


def _received_long(v):
    return _lines(
        v,
        _("%(sender)s has received your dossier %(code)s: %(procedure)s.") % v,
        _("Result due: %(due)s.") % v if v["due"] else "",
        _("To follow your dossier, look it up with its code and the secret code %(secret)s.") % v,
    )


def _supplement_subject(v):
    return _("Dossier %(code)s: documents to add or correct") % v


def _supplement_sms(v):
    return (
        ngettext(
            "%(sender)s: dossier %(code)s needs %(count)d item added or corrected. "
            "Lookup secret: %(secret)s",
            "%(sender)s: dossier %(code)s needs %(count)d items added or corrected. "
            "Lookup secret: %(secret)s",
            v["count"],
        )
        % v
    )


def _supplement_long(v):
    listed = "\n".join(f"{number}. {item}" for number, item in enumerate(v["items"], start=1))
    return _lines(
        v,
        _("%(sender)s asks you to complete your dossier %(code)s: %(procedure)s.") % v,
        _("To add or correct:"),
        listed,
        _(
            "Send everything listed at once. To send it online, look the dossier up with the "
            "secret code %(secret)s."
        )
        % v,
    )


def _refused_subject(v):
    return _("Dossier %(code)s not accepted") % v


def _refused_sms(v):
    return _("%(sender)s: dossier %(code)s was not accepted. Reason: %(reason)s") % v


def _refused_long(v):
    return _lines(
        v,
        _("%(sender)s cannot accept your dossier %(code)s: %(procedure)s.") % v,
        _("Reason: %(reason)s") % v,
        _("For any question, ask at the one-stop desk."),
    )


def _extended_subject(v):
    return _("Dossier %(code)s: apology and new date") % v


def _extended_sms(v):
    return (
        _(
            "%(sender)s apologises: dossier %(code)s is late, new date %(due)s. "
            "Lookup secret: %(secret)s"
        )
        % v
    )


def _extended_long(v):
    return _lines(
        v,
        _(
            "%(sender)s apologises: your dossier %(code)s (%(procedure)s) will not be settled "
            "by the date promised."
        )
        % v,
        _("Reason: %(reason)s") % v if v["reason"] else "",
        _("New date for the result: %(due)s.") % v,
        _("We are sorry for the inconvenience."),
    )


def _result_subject(v):
    return _("Dossier %(code)s: result ready") % v


def _result_sms(v):
    if v["electronic"]:
        return (
            _(
                "%(sender)s: the result of dossier %(code)s is ready to download: look it up "
                "with secret %(secret)s"
            )
            % v
        )
    return _("%(sender)s: the result of dossier %(code)s is ready. Lookup secret: %(secret)s") % v


def _result_long(v):
    if v["electronic"]:
        how = (
            _(
                "Download the signed electronic result: look the dossier up with its code and the "
                "secret code %(secret)s, then choose “Download the signed result”."
            )
            % v
        )
        where = _("Look it up at %(link)s") % v if v["link"] else ""
    else:
        how = (
            _(
                "Collect it at the one-stop desk with your appointment slip, or look the "
                "dossier up with the secret code %(secret)s."
            )
            % v
        )
        where = ""
    return _lines(
        v,
        _("%(sender)s: the result of your dossier %(code)s (%(procedure)s) is ready.") % v,
        how,
        where,
    )


def _returned_subject(v):
    return _("Dossier %(code)s: result returned") % v


def _returned_sms(v):
    return (
        _(
            "%(sender)s: result of dossier %(code)s returned %(how)s. Thank you! "
            "Rate us with secret %(secret)s"
        )
        % v
    )


def _returned_long(v):
    return _lines(
        v,
        _("%(sender)s has returned the result of your dossier %(code)s (%(procedure)s) %(how)s.")
        % v,
        _(
            "Thank you. Tell us how we served you: look the dossier up with the secret code "
            "%(secret)s and rate it."
        )
        % v,
    )


def _payment_subject(v):
    return _("Dossier %(code)s: payment received") % v


def _payment_sms(v):
    return (
        _("%(sender)s: received %(amount)s for dossier %(code)s, receipt %(receipt)s. Thank you.")
        % v
    )


def _payment_long(v):
    return _lines(
        v,
        _("%(sender)s has received %(amount)s for your dossier %(code)s (%(procedure)s).") % v,
        _("Receipt number: %(receipt)s.") % v if v["receipt"] else "",
        _("Thank you."),
    )


def _digest_subject(v):
    return _("%(sender)s: dossiers overdue %(overdue_count)d, due today %(due_today_count)d") % v


def _digest_sms(v):
    return (
        _(
            "%(sender)s: dossiers overdue %(overdue_count)d, due today %(due_today_count)d: "
            "%(codes)s"
        )
        % v
    )


def _digest_long(v):
    overdue = "\n".join(f"- {line}" for line in v["overdue"])
    due_today = "\n".join(f"- {line}" for line in v["due_today"])
    return _lines(
        v,
        _("Overdue (%(overdue_count)d):") % v if v["overdue"] else "",
        overdue,
        _("Due today (%(due_today_count)d):") % v if v["due_today"] else "",
        due_today,
    )


def _code_subject(v):
    return _("Your one-time code")


def _code_sms(v):
    if v["purpose"] == "consent" and v["informed"]:
        return (
            ngettext(
                "%(sender)s: code %(otp)s (%(minutes)d min). %(member)s (digital team) files "
                "%(procedure)s for you, sending your name, ID number, photos of papers. Give it "
                "only if you agree.",
                "%(sender)s: code %(otp)s (%(minutes)d min). %(member)s (digital team) files "
                "%(procedure)s for you, sending your name, ID number, photos of papers. Give it "
                "only if you agree.",
                v["minutes"],
            )
            % v
        )
    if v["purpose"] == "consent":
        return (
            ngettext(
                "%(sender)s: consent code %(otp)s, valid %(minutes)d minute. Give it to the "
                "digital team member only if you agree they file for you.",
                "%(sender)s: consent code %(otp)s, valid %(minutes)d minutes. Give it to the "
                "digital team member only if you agree they file for you.",
                v["minutes"],
            )
            % v
        )
    return (
        ngettext(
            "%(sender)s: your code is %(otp)s, valid %(minutes)d minute. Never give it to anyone.",
            "%(sender)s: your code is %(otp)s, valid %(minutes)d minutes. Never give it to anyone.",
            v["minutes"],
        )
        % v
    )


def _code_long(v):
    if v["purpose"] == "consent" and v["informed"]:
        return _lines(
            v,
            ngettext(
                "%(sender)s: consent code %(otp)s, valid %(minutes)d minute. %(member)s of the "
                "community digital team will file the dossier %(procedure)s for you and send "
                "your %(data)s. Read the code to them only if you agree.",
                "%(sender)s: consent code %(otp)s, valid %(minutes)d minutes. %(member)s of the "
                "community digital team will file the dossier %(procedure)s for you and send "
                "your %(data)s. Read the code to them only if you agree.",
                v["minutes"],
            )
            % v,
            _("Photos of ID cards are sensitive personal data: the commune uses them only for "
              "this dossier (Law 91/2025/QH15, Decree 356/2025/NĐ-CP). If you did not ask for "
              "this, do not give the code."),
        )  # fmt: skip
    return _code_sms(v)


@dataclass(frozen=True)
class Template:
    key: str
    subject: Callable[[dict], str]
    sms: Callable[[dict], str]
    long: Callable[[dict], str]
    # Values shortened, in this order, when the SMS would not fit (the refusal's reason).
    elastic: tuple[str, ...] = ()
    # Another app's template reads its own values from the row's data (default: `_values`).
    values: Callable[[dict], dict] | None = None


DOSSIER_RECEIVED = "dossier_received"
SUPPLEMENT_REQUESTED = "supplement_requested"
DOSSIER_REFUSED = "dossier_refused"
DOSSIER_EXTENDED = "dossier_extended"
RESULT_READY = "result_ready"
RESULT_RETURNED = "result_returned"
ONE_TIME_CODE = "one_time_code"
PAYMENT_RECEIVED = "payment_received"
OFFICER_DIGEST = "officer_digest"

TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in [
        Template(DOSSIER_RECEIVED, _received_subject, _received_sms, _received_long),
        Template(SUPPLEMENT_REQUESTED, _supplement_subject, _supplement_sms, _supplement_long),
        Template(DOSSIER_REFUSED, _refused_subject, _refused_sms, _refused_long, ("reason",)),
        Template(DOSSIER_EXTENDED, _extended_subject, _extended_sms, _extended_long),
        Template(RESULT_READY, _result_subject, _result_sms, _result_long),
        Template(RESULT_RETURNED, _returned_subject, _returned_sms, _returned_long),
        # The consent SMS shortens the member's name, then the procedure's, to fit one SMS.
        Template(ONE_TIME_CODE, _code_subject, _code_sms, _code_long, ("member", "procedure")),
        Template(PAYMENT_RECEIVED, _payment_subject, _payment_sms, _payment_long),
        Template(OFFICER_DIGEST, _digest_subject, _digest_sms, _digest_long, ("codes",)),
    ]
}


def register(template: Template) -> None:
    """Another app's message (e.g. the market's inquiries), registered in its `ready()`."""
    TEMPLATES[template.key] = template


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str


def _fit_sms(template: Template, values: dict) -> str:
    text = sms_text(template.sms(values))
    for name in template.elastic:
        while gsm7_length(text) > SMS_MAX and values[name]:
            excess = gsm7_length(text) - SMS_MAX
            shorter = values[name][: max(0, len(values[name]) - excess - 3)].rstrip()
            values = {**values, name: f"{shorter}..." if shorter else ""}
            text = sms_text(template.sms(values))
    if gsm7_length(text) > SMS_MAX:
        logger.warning("SMS %s cut to %d characters: %s", template.key, SMS_MAX, text)
        text = _gsm7_cut(text, SMS_MAX)
    return text


def render(key: str, data: dict, *, language: str, form: str) -> Rendered:
    """The subject and text of template `key` for `data`, in `language`, in `form` (SMS or LONG)."""
    try:
        template = TEMPLATES[key]
    except KeyError:
        raise UnknownTemplate(key) from None
    with translation.override(language):
        values = (template.values or _values)(data)
        subject = template.subject(values)
        text = _fit_sms(template, values) if form == SMS else template.long(values)
    return Rendered(subject=subject, text=text)


# Values a Zalo ZNS template takes as its parameters (strings, in the recipient's language).
PARAMETER_NAMES = ("sender", "name", "code", "secret", "procedure", "due", "reason", "how",
                   "otp", "minutes", "amount", "receipt", "link", "member", "data")  # fmt: skip


def parameters(key: str, data: dict, *, language: str) -> dict[str, str]:
    """The template's values as ZNS parameters: its approved text lives on Zalo's side."""
    if key not in TEMPLATES:
        raise UnknownTemplate(key)
    own = TEMPLATES[key].values
    with translation.override(language):
        values = (own or _values)(data)
    if own is not None:  # another app's template: all its values
        return {name: str(value) for name, value in values.items() if value}
    found = {name: str(values[name]) for name in PARAMETER_NAMES if values[name]}
    if values["items"]:
        found["items"] = "; ".join(values["items"])
    return found
