"""The second factor's pages: enrolment (the QR of a new authenticator, then the recovery codes,
shown once) and the code asked after the password."""

import django_otp
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from xaso.accounts.errors import OtpInvalid
from xaso.accounts.second_factor import (
    has_second_factor,
    otp_match,
    second_factor_required,
    totp_device,
)
from xaso.accounts.services import totp_enrol_begin, totp_enrol_confirm
from xaso.core.pdf import qr_data_uri


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/backoffice/"


def _signed_in(view):
    """Signed-in staff (superusers included) only: as `access.staff_required`, anonymous users
    go to the login page and anyone else gets 404."""

    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "backoffice:login")
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return never_cache(wrapper)


def _secret_groups(device) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@_signed_in
def enrol(request):
    user = request.user
    # Replacing an authenticator takes this session's second factor first: a stolen password
    # alone must not swap in the thief's phone.
    if has_second_factor(user) and not user.is_verified():
        return redirect("backoffice:second_factor_verify")
    device = totp_device(user, confirmed=False)
    error = ""
    if request.method == "POST" and device is not None:
        try:
            codes = totp_enrol_confirm(user=user, device=device, code=request.POST.get("otp", ""))
        except OtpInvalid as failure:
            error = str(failure.message)
        else:
            django_otp.login(request, totp_device(user))
            return render(
                request,
                "backoffice/second_factor/recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
    if device is None:
        device = totp_enrol_begin(user=user)
    return render(
        request,
        "backoffice/second_factor/enrol.html",
        {
            "qr": qr_data_uri(device.config_url),
            "secret": _secret_groups(device),
            "required": second_factor_required(user),
            "error": error,
            "next": _next(request),
        },
        status=400 if error else 200,
    )


@_signed_in
def verify(request):
    user = request.user
    if not has_second_factor(user):
        return redirect("backoffice:second_factor_enrol")
    error = ""
    if request.method == "POST":
        device = otp_match(user, request.POST.get("otp", ""))
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next(request))
        error = _("The code is wrong or has expired. Enter the current code.")
    return render(
        request,
        "backoffice/second_factor/verify.html",
        {"error": error, "next": _next(request)},
        status=400 if error else 200,
    )
