from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "xaso.catalog"
    label = "catalog"
    verbose_name = _("Procedure catalogue")

    def ready(self) -> None:
        from xaso.workdays.hooks import register_procedure_terms

        from .selectors import procedure_terms_for

        register_procedure_terms(procedure_terms_for)
