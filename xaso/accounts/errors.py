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


class OtpRequired(DomainError):
    """The account needs a second factor and no code was sent."""

    code = "otp_required"
    status = 401
    default_message = _("Enter the 6-digit code of your authenticator app.")


class OtpInvalid(DomainError):
    code = "otp_invalid"
    status = 401
    default_message = _("The code is wrong or has expired. Enter the current code.")


class OtpNotEnrolled(DomainError):
    """A leader or an administrator without an authenticator yet: enrolment is in the back
    office, after signing in with the password."""

    code = "otp_not_enrolled"
    status = 403
    default_message = _(
        "Your account needs a second factor: sign in to the back office and set up your "
        "authenticator app first."
    )


class PasswordRequired(DomainError):
    code = "password_required"
    status = 401
    default_message = _("Enter your password to confirm.")


class PasswordInvalid(DomainError):
    code = "password_invalid"
    status = 401
    default_message = _("Wrong password.")
