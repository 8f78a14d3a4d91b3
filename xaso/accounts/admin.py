from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, CitizenProfile, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["commune", "province"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("xaso"), {"fields": ("full_name", "phone")}),
    )
    list_display = ["username", "full_name", "is_active", "is_staff"]
    search_fields = ["username", "full_name"]
    inlines = [MembershipInline]


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "phone", "village"]
    search_fields = ["full_name", "phone"]
    raw_id_fields = ["user", "village"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "prefix", "user", "created_at", "last_used_at"]
