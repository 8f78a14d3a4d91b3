from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "xaso.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from .wiring import register

        register()
