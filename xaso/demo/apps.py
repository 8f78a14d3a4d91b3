from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data and the `xaso demo` runner. Depends on every app; nothing depends on it."""

    name = "xaso.demo"
    label = "demo"
    verbose_name = _("Demo")
