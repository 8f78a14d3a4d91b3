"""The controller's contact per commune and the retention rule per procedure, set by a
superuser in the Django admin; every write goes through a service (audited). Subject requests
are answered in the back office (`/backoffice/privacy/`), not here."""

from django.contrib import admin

from xaso.core.admin import ServiceBackedAdmin

from . import services
from .models import ControllerContact, RetentionRule


@admin.register(ControllerContact)
class ControllerContactAdmin(ServiceBackedAdmin):
    list_display = ["commune", "address", "phone", "email", "officer"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]

    def service_save(self, request, obj):
        services.controller_contact_save(actor=request.user, contact=obj)

    def has_delete_permission(self, request, obj=None):
        return False  # the notice must always name a contact


@admin.register(RetentionRule)
class RetentionRuleAdmin(ServiceBackedAdmin):
    list_display = ["procedure", "dossier_years", "legal_basis"]
    list_select_related = ["procedure"]
    autocomplete_fields = ["procedure"]

    def service_save(self, request, obj):
        services.retention_rule_save(actor=request.user, rule=obj)

    def service_delete(self, request, obj):
        services.retention_rule_delete(actor=request.user, rule=obj)
