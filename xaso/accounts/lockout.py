"""What a locked-out user gets (django-axes' AXES_LOCKOUT_CALLABLE): the API's error shape on the
API, a plain page elsewhere; both say when to try again."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from .errors import LoginLocked


def lockout_response(request, original_response=None, credentials=None):
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse(LoginLocked().as_dict(), status=LoginLocked.status)
    else:
        response = render(
            request,
            "accounts/locked_out.html",
            {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
            status=LoginLocked.status,
        )
    response["Retry-After"] = retry_after
    return response
