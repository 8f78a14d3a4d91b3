from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "xaso.feedback"
    verbose_name = _("Citizens' feedback")

    def ready(self) -> None:
        from . import messages

        messages.register()
