from datetime import datetime

from django.contrib.auth import authenticate
from ninja import Router, Schema, Status

from xaso.core.errors import NotFound

from .errors import InvalidCredentials, LoginLocked
from .second_factor import second_factor_check
from .selectors import active_tokens
from .services import token_issue, token_revoke

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str
    password: str
    # The authenticator's current code (or a recovery code): required of leaders, commune
    # administrators and whoever has enrolled one.
    otp: str = ""


class TokenOut(Schema):
    token: str
    expires_at: str


class TokenRow(Schema):
    id: int
    username: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


class MeOut(Schema):
    username: str
    full_name: str
    memberships: list[dict]


@router.post("/auth/token", auth=None, response=TokenOut)
def token_create(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    # django-axes marks the request instead of raising when the username+address is locked out.
    if getattr(request, "axes_locked_out", False):
        raise LoginLocked()
    if user is None:
        raise InvalidCredentials()
    second_factor_check(user, payload.otp)  # 401 otp_required / otp_invalid, 403 otp_not_enrolled
    raw, token = token_issue(user=user)
    return {"token": raw, "expires_at": token.expires_at.isoformat()}


def _token_row(token) -> dict:
    return {
        "id": token.pk,
        "username": token.user.username,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
    }


@router.get("/auth/tokens", response=list[TokenRow])
def token_list(request):
    """The caller's active tokens; for a commune administrator, also those of the commune's
    staff."""
    return [_token_row(token) for token in active_tokens(request.user)[:500]]


@router.post("/auth/tokens/{token_id}/revoke", response={204: None})
def token_revoke_one(request, token_id: int):
    token = active_tokens(request.user).filter(pk=token_id).first()
    if token is None:
        raise NotFound(code="token_not_found")
    token_revoke(actor=request.user, token=token)
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    memberships = []
    for membership in user.memberships.select_related("commune", "province").order_by("id"):
        if membership.province_id:
            memberships.append({"province": membership.province.code, "role": membership.role})
        else:
            memberships.append({"commune": membership.commune.code, "role": membership.role})
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "memberships": memberships,
    }
