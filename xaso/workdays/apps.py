from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "xaso.workdays"
    label = "workdays"
    verbose_name = _("Working days")

    def ready(self) -> None:
        from . import calendars

        calendars.connect_signals()
