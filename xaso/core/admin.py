from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is appended by services, never edited."""

    list_display = ["id", "at", "chain", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "chain"]
    search_fields = ["object_id", "action"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
