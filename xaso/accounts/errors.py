from django.utils.translation import gettext_lazy as _

from xaso.core.errors import DomainError


class LoginLocked(DomainError):
    code = "login_locked"
    status = 429
    default_message = _("Too many failed sign-in attempts. Wait a few minutes and try again.")


class InvalidCredentials(DomainError):
    code = "invalid_credentials"
    status = 401
    default_message = _("Wrong username or password.")
