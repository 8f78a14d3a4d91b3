from django.contrib import admin

from .models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list to read: rows are written by services (or imports), never through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the trail is appended by services, never edited."""

    list_display = ["id", "at", "chain", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "chain"]
    search_fields = ["object_id", "action"]
    list_select_related = ["actor"]


class ServiceBackedAdmin(admin.ModelAdmin):
    """Routes the admin's writes to one save and one delete service."""

    def service_save(self, request, obj):
        raise NotImplementedError

    def service_delete(self, request, obj):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        self.service_save(request, obj)

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.service_delete(request, obj)
