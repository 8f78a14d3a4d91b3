from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xaso.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib import admin

        admin.site.site_header = _("xaso — commune administration")
        admin.site.site_title = _("xaso administration")
        admin.site.index_title = _("Administration")
