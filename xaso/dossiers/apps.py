from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "xaso.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from . import facts

        facts.register()  # the Decision 766 facts, kept by every action (facts.py)
