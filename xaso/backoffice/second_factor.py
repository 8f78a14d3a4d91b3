"""The gate: a signed-in officer who needs a second factor reaches the back office and the Django
admin only once this session has passed it — sent to enrolment without an authenticator, to the
code page with one. Sign-in, sign-out and those two pages stay open."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from xaso.accounts.second_factor import has_second_factor, second_factor_needed

GATED_PREFIXES = ("/backoffice/", "/admin/")


def _open_paths() -> frozenset[str]:
    return frozenset(
        reverse(name)
        for name in (
            "backoffice:login",
            "backoffice:logout",
            "backoffice:second_factor_enrol",
            "backoffice:second_factor_verify",
            "admin:logout",
        )
    )


class SecondFactorGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths = None

    def __call__(self, request):
        path = request.path_info
        if path.startswith(GATED_PREFIXES):
            if self.open_paths is None:
                self.open_paths = _open_paths()
            user = request.user
            if (
                path not in self.open_paths
                and user.is_authenticated
                and not user.is_verified()
                and second_factor_needed(user)
            ):
                name = (
                    "backoffice:second_factor_verify"
                    if has_second_factor(user)
                    else "backoffice:second_factor_enrol"
                )
                query = (
                    urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                )
                return redirect(reverse(name) + (f"?{query}" if query else ""))
        return self.get_response(request)
