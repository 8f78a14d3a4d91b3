"""POST /api/v1/uploads: a file sent before the dossier that references it by the returned id.

No login needed (a citizen uploads before submitting); a staff token (or the signed-in staff page)
is recorded as the uploader. Anonymous uploads are rate-limited per client address.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import AuthenticationError
from ninja.responses import Status
from ninja.utils import check_csrf

from xaso.accounts.auth import BearerToken
from xaso.core.errors import InvalidInput
from xaso.core.multipart import FILE_BODY, declared_too_large
from xaso.core.ratelimit import rate_limit

from .uploads import FileTooLarge, max_bytes, upload_create

router = Router(tags=["uploads"])


class UploadOut(Schema):
    id: str
    kind: str
    size: int
    sha256: str


def _uploader(request):
    """The bearer token's user (a wrong token is a 401, not an anonymous upload), the signed-in
    user of a same-site page that passes the CSRF check, or None."""
    if request.headers.get("Authorization"):
        user = BearerToken()(request)
        if user is None:
            raise AuthenticationError()
        return user
    if request.user.is_authenticated and check_csrf(request) is None:
        return request.user
    return None


@router.post(
    "/uploads",
    auth=None,
    response={201: UploadOut},
    openapi_extra={"requestBody": FILE_BODY},
)
def upload_post(request):
    # Before Django reads the body: a declared size past the cap is refused unread.
    if declared_too_large(request, max_bytes()):
        raise FileTooLarge()
    actor = _uploader(request)
    if actor is None:
        rate_limit(request, "upload", settings.XASO_RATE_ANON_SUBMIT)
    file = request.FILES.get("file")
    if file is None:
        raise InvalidInput(_("Choose a file to upload."), code="file_required")
    upload = upload_create(actor=actor, data=file, filename=file.name or "")
    return Status(
        201,
        {
            "id": upload.token,
            "kind": upload.kind,
            "size": upload.size,
            "sha256": upload.sha256,
        },
    )
