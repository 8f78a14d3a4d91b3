from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "xaso.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.core import checks

        from . import listeners
        from .channels import channel_setting_check, log_channel_deploy_check

        listeners.register()
        checks.register(channel_setting_check)
        checks.register(log_channel_deploy_check, deploy=True)
