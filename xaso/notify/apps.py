from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "xaso.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from datetime import timedelta

        from django.core import checks

        from xaso.privacy.purge import CODE_DAYS, register_purger

        from . import listeners, services
        from .channels import channel_setting_check, log_channel_deploy_check

        listeners.register()
        checks.register(channel_setting_check)
        checks.register(log_channel_deploy_check, deploy=True)
        register_purger(
            "one_time_code_texts",
            services.one_time_code_texts_purge,
            keep=timedelta(days=CODE_DAYS),
        )
