from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "xaso.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self):
        from .services import register_hooks

        register_hooks()
