"""The citizen's notification preference, set with a dossier's code and lookup secret (what they
hold on every receipt), for the phone number on that dossier. Thin: parse, call, answer."""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from xaso.accounts.auth import OPTIONAL_AUTH
from xaso.accounts.scoping import staff_scope
from xaso.core.errors import InvalidInput
from xaso.core.ratelimit import secret_check_limit
from xaso.dossiers.selectors import dossier_by_secret

from .models import NotificationPreference
from .selectors import preference_for
from .services import notification_preference_set

router = Router(tags=["notifications"])


class DossierKey(Schema):
    code: str = Field(max_length=48)
    secret: str = Field(max_length=32)


class PreferenceIn(DossierKey):
    channels: list[str] = Field(default_factory=list, max_length=3)
    opt_out: bool = False
    email: str = Field("", max_length=254)


def _answer(phone: str, preference: NotificationPreference | None) -> dict:
    masked = f"{phone[:3]}****{phone[-3:]}" if len(phone) >= 6 else ""
    return {
        "phone": masked,  # which number this is about, without giving it away
        "channels": preference.channels if preference else [],
        "opt_out": preference.opted_out if preference else False,
        "email": preference.email if preference else "",
        "required_still_sent": True,
    }


def _phone(request, code: str, secret: str) -> tuple[str, object]:
    secret_check_limit(request)
    dossier = dossier_by_secret(code, secret)
    phone = (dossier.applicant or {}).get("phone") or ""
    if not phone:
        raise InvalidInput(
            _("This dossier has no phone number: ask the one-stop desk to add one."),
            code="no_phone",
        )
    return phone, dossier


@router.get("/notifications/preferences", auth=OPTIONAL_AUTH)
def preference_get(request, query: Query[DossierKey]) -> dict:
    """The preference of the phone number of this dossier (none yet: the default channel)."""
    phone, _dossier = _phone(request, query.code, query.secret)
    return _answer(phone, preference_for(phone=phone))


@router.put("/notifications/preferences", auth=OPTIONAL_AUTH)
def preference_put(request, payload: PreferenceIn) -> dict:
    """Choose the channels (sms, zalo, email; in order of preference) or opt out. Notices the
    law requires (receipt, supplement request, refusal, apology) are sent in any case, by SMS."""
    phone, dossier = _phone(request, payload.code, payload.secret)
    preference = notification_preference_set(
        phone=phone,
        channels=payload.channels,
        opted_out=payload.opt_out,
        email=payload.email,
        # The citizen's own account; an officer helping at the desk is not the citizen.
        user=None if staff_scope(request.user).is_staff else request.user,
        commune_code=dossier.receiving_commune.code,
    )
    return _answer(phone, preference)
