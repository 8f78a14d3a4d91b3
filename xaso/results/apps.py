from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "xaso.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self):
        from django.db.models.signals import pre_delete

        from .models import ResultDocument, result_delete_refused
        from .services import register_hooks

        register_hooks()
        pre_delete.connect(
            result_delete_refused, sender=ResultDocument, dispatch_uid="results.kept_permanently"
        )
