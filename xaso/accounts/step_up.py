"""Step-up: a signed-in user proves again who they are before an act that binds the commune (the
leader's signing). With an authenticator, its current code (or a recovery code); without one,
the password."""

from .errors import OtpInvalid, OtpRequired, PasswordInvalid, PasswordRequired
from .second_factor import has_second_factor, otp_match


def step_up_verify(user, *, password: str = "", otp: str = "") -> None:
    """Returns when the proof holds; raises a DomainError (`otp_required`, `otp_invalid`,
    `password_required`, `password_invalid`) when it does not."""
    if has_second_factor(user):
        if not (otp or "").strip():
            raise OtpRequired()
        if otp_match(user, otp) is None:
            raise OtpInvalid()
        return
    if not password:
        raise PasswordRequired()
    if not user.check_password(password):
        raise PasswordInvalid()
