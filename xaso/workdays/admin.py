"""Admin for the calendar data. Saves and deletes go through the services, so each is validated,
audited, and moves the calendar version (every due date computed afterwards uses the change)."""

from django.contrib import admin

from xaso.core.admin import ServiceBackedAdmin

from .models import CalendarChange, CalendarSettings, OfficeHours, ServiceRule
from .services import (
    calendar_change_delete,
    calendar_change_save,
    calendar_settings_update,
    office_hours_delete,
    office_hours_save,
    service_rule_delete,
    service_rule_update,
)


@admin.register(CalendarChange)
class CalendarChangeAdmin(ServiceBackedAdmin):
    list_display = ["date", "kind", "province", "note", "verified"]
    list_filter = ["kind", "verified", ("province", admin.EmptyFieldListFilter), "province"]
    list_select_related = ["province"]
    search_fields = ["note", "legal_reference"]
    date_hierarchy = "date"
    autocomplete_fields = ["province"]

    def service_save(self, request, obj):
        calendar_change_save(actor=request.user, change=obj)

    def service_delete(self, request, obj):
        calendar_change_delete(actor=request.user, change=obj)


@admin.register(OfficeHours)
class OfficeHoursAdmin(ServiceBackedAdmin):
    list_display = ["commune", "__str__", "valid_from", "valid_to"]
    list_select_related = ["commune"]
    search_fields = ["commune__code", "commune__name"]
    autocomplete_fields = ["commune"]

    def service_save(self, request, obj):
        office_hours_save(actor=request.user, office_hours=obj)

    def service_delete(self, request, obj):
        office_hours_delete(actor=request.user, office_hours=obj)


@admin.register(CalendarSettings)
class CalendarSettingsAdmin(admin.ModelAdmin):
    list_display = ["commune", "same_day_cutoff", "hour_for_hour"]
    list_select_related = ["commune"]
    search_fields = ["commune__code", "commune__name"]
    autocomplete_fields = ["commune"]

    def get_readonly_fields(self, request, obj=None):
        return ["commune"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        calendar_settings_update(
            actor=request.user,
            commune=obj.commune,
            same_day_cutoff=obj.same_day_cutoff,
            hour_for_hour=obj.hour_for_hour,
        )

    def has_delete_permission(self, request, obj=None):
        return False  # a commune without settings uses the defaults: set them back instead


@admin.register(ServiceRule)
class ServiceRuleAdmin(ServiceBackedAdmin):
    list_display = ["commune", "kind", "enabled", "weekday", "cutoff", "valid_from", "valid_to"]
    list_filter = ["kind", "enabled"]
    list_select_related = ["commune"]
    search_fields = ["commune__code", "commune__name"]
    autocomplete_fields = ["commune"]

    def get_readonly_fields(self, request, obj=None):
        return ["commune", "kind"] if obj is not None else []

    def service_save(self, request, obj):
        changes = {field: getattr(obj, field) for field in (
            "enabled", "weekday", "cutoff", "valid_from", "valid_to", "procedure_codes", "note"
        )}  # fmt: skip
        saved = service_rule_update(
            actor=request.user, commune=obj.commune, kind=obj.kind, **changes
        )
        obj.pk = saved.pk

    def service_delete(self, request, obj):
        service_rule_delete(actor=request.user, rule=obj)
