from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "xaso.market"
    label = "market"
    verbose_name = _("Local products")

    def ready(self) -> None:
        from . import messages

        messages.register()
