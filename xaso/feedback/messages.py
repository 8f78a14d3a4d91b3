"""The citizen's SMS about their feedback, as templates of the outbox (`xaso.notify.templates`):
registered there when the app is ready, so they are rendered, retried and logged like every
message. Each SMS fits 160 GSM-7 characters once the diacritics are stripped."""

from django.utils.translation import gettext as _

FEEDBACK_RECEIVED = "feedback_received"
FEEDBACK_INFO_REQUESTED = "feedback_info_requested"
FEEDBACK_REJECTED = "feedback_rejected"
FEEDBACK_ANSWERED = "feedback_answered"


def feedback_data(feedback) -> dict:
    return {
        "commune": feedback.commune.name,
        "code": feedback.code,
        "secret": feedback.lookup_secret,
        "due_at": feedback.due_at.isoformat() if feedback.due_at else None,
    }


def _received_subject(v):
    return _("Feedback %(code)s received") % v


def _received_sms(v):
    return (
        _("%(sender)s: feedback %(code)s received. Secret: %(secret)s. Look it up on the portal.")
        % v
    )


def _received_long(v):
    return "\n".join(
        [
            _("%(sender)s has received your feedback %(code)s.") % v,
            _("To follow it, look it up with its code and the secret %(secret)s.") % v,
        ]
    )


def _info_subject(v):
    return _("Feedback %(code)s: more information needed") % v


def _info_sms(v):
    return _("%(sender)s: feedback %(code)s needs more information: %(reason)s") % v


def _info_long(v):
    return "\n".join(
        [
            _("%(sender)s needs more information about your feedback %(code)s:") % v,
            v["reason"],
            _("Answer on the portal with the code and the secret %(secret)s.") % v,
        ]
    )


def _rejected_subject(v):
    return _("Feedback %(code)s not accepted") % v


def _rejected_sms(v):
    return _("%(sender)s: feedback %(code)s not accepted: %(reason)s") % v


def _rejected_long(v):
    return "\n".join([_("%(sender)s cannot accept your feedback %(code)s:") % v, v["reason"]])


def _answered_subject(v):
    return _("Feedback %(code)s answered") % v


def _answered_sms(v):
    return (
        _("%(sender)s: feedback %(code)s is answered. Read and rate the answer on the portal, "
          "secret %(secret)s.")
        % v
    )  # fmt: skip


def _answered_long(v):
    return "\n".join(
        [
            _("%(sender)s has answered your feedback %(code)s.") % v,
            _("Read the answer and say whether it satisfies you on the portal, with the secret "
              "%(secret)s.") % v,
        ]
    )  # fmt: skip


def register() -> None:
    from xaso.notify import templates

    for template in (
        templates.Template(FEEDBACK_RECEIVED, _received_subject, _received_sms, _received_long),
        templates.Template(FEEDBACK_INFO_REQUESTED, _info_subject, _info_sms, _info_long,
                           ("reason",)),
        templates.Template(FEEDBACK_REJECTED, _rejected_subject, _rejected_sms, _rejected_long,
                           ("reason",)),
        templates.Template(FEEDBACK_ANSWERED, _answered_subject, _answered_sms, _answered_long),
    ):  # fmt: skip
        templates.TEMPLATES.setdefault(template.key, template)
