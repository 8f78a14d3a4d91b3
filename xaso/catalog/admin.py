"""Catalogue admin. Procedures are read here and changed by import (`xaso catalog import`), where
each record is checked whole; provincial rates are entered here, through a service."""

from django.contrib import admin

from xaso.core.admin import ReadOnlyAdmin, ServiceBackedAdmin

from .models import (
    CommuneProcedure,
    ExemptionCategory,
    Procedure,
    ProcedureField,
    ProcessStep,
    ProvincialFeeRate,
    RequiredDocument,
)
from .services import provincial_rate_delete, provincial_rate_save


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["position", "name", "originals", "copies", "requirement", "replaceable_by"]

    has_add_permission = ReadOnlyAdmin.has_add_permission
    has_change_permission = ReadOnlyAdmin.has_change_permission
    has_delete_permission = ReadOnlyAdmin.has_delete_permission


class StepInline(DocumentInline):
    model = ProcessStep
    fields = ["position", "step", "role", "budget"]


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "field", "limit_amount", "limit_unit", "verified"]
    list_filter = ["field", "verified", "online_level", "same_day_eligible"]
    list_select_related = ["field"]
    search_fields = ["code", "name", "search_text"]
    inlines = [DocumentInline, StepInline]


@admin.register(ProcedureField)
class ProcedureFieldAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]


@admin.register(ExemptionCategory)
class ExemptionCategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "evidence"]


@admin.register(CommuneProcedure)
class CommuneProcedureAdmin(ReadOnlyAdmin):
    list_display = ["commune", "procedure", "offered", "limit_amount", "limit_unit"]
    list_filter = ["offered", "commune"]
    list_select_related = ["commune", "procedure"]


@admin.register(ProvincialFeeRate)
class ProvincialFeeRateAdmin(ServiceBackedAdmin):
    list_display = ["province", "key", "amount", "legal_reference", "verified"]
    list_filter = ["province", "verified"]
    list_select_related = ["province"]

    def service_save(self, request, obj):
        provincial_rate_save(actor=request.user, rate=obj)

    def service_delete(self, request, obj):
        provincial_rate_delete(actor=request.user, rate=obj)
