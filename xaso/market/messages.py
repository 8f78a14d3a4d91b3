"""The market's messages through the outbox (`xaso.notify`): a buyer's inquiry to the producer,
and the warning that a certificate expires soon (to the producer and the commune's officers).

SMS texts stay within one GSM-7 SMS (the notify templates cut and strip diacritics)."""

from datetime import date

from django.utils.translation import gettext as _

from xaso.notify import templates

INQUIRY = "market_inquiry"
CERTIFICATE_EXPIRING = "market_certificate_expiring"


def _day(value: str) -> str:
    return date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""


def _values(data: dict) -> dict:
    def text(name: str) -> str:
        return str(data.get(name) or "")

    return {
        "product": text("product"),
        "buyer": text("buyer"),
        "phone": text("phone"),
        "message": text("message"),
        "quantity": text("quantity"),
        "unit": text("unit"),
        "certificate": text("certificate"),
        "number": text("number"),
        "until": _day(text("valid_until")),
        "producer": text("producer"),
        "commune": text("commune"),
    }


def _inquiry_subject(v):
    return _("A buyer asks about %(product)s") % v


def _inquiry_sms(v):
    if v["quantity"]:
        return (
            _("%(buyer)s (%(phone)s) wants %(quantity)s %(unit)s of %(product)s: %(message)s") % v
        )
    return _("%(buyer)s (%(phone)s) asks about %(product)s: %(message)s") % v


def _inquiry_long(v):
    lines = [
        _("A buyer found %(product)s in the commune's catalogue and writes to you.") % v,
        _("Name: %(buyer)s. Phone: %(phone)s.") % v,
    ]
    if v["quantity"]:
        lines.append(_("Quantity: %(quantity)s %(unit)s.") % v)
    lines.append(_("Message: %(message)s") % v)
    lines.append(_("Call or text them back; the commune does not answer for you."))
    return "\n".join(lines)


def _expiring_subject(v):
    return _("%(certificate)s of %(product)s expires on %(until)s") % v


def _expiring_sms(v):
    return (
        _(
            "%(certificate)s %(number)s of %(product)s (%(producer)s) expires on %(until)s. "
            "Apply to renew it in time."
        )
        % v
    )


def _expiring_long(v):
    return "\n".join(
        [
            _expiring_sms(v),
            _(
                "After that date the commune's catalogue and the traceability pages no longer "
                "show it as valid."
            ),
        ]
    )


def register() -> None:
    templates.register(
        templates.Template(
            INQUIRY,
            _inquiry_subject,
            _inquiry_sms,
            _inquiry_long,
            ("message", "product", "buyer"),
            values=_values,
        )
    )
    templates.register(
        templates.Template(
            CERTIFICATE_EXPIRING,
            _expiring_subject,
            _expiring_sms,
            _expiring_long,
            ("producer", "product"),
            values=_values,
        )
    )
