from django.contrib.auth import authenticate
from ninja import Router, Schema

from .errors import InvalidCredentials, LoginLocked
from .services import token_issue

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: str


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
    raw, token = token_issue(user=user)
    return {"token": raw, "expires_at": token.expires_at.isoformat()}


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
