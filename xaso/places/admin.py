from django.contrib import admin

from .models import Commune, Province, Village


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["code", "name"]


class VillageInline(admin.TabularInline):
    model = Village
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "agency_code", "is_demo"]
    list_filter = ["is_demo", "province"]
    list_select_related = ["province"]
    search_fields = ["code", "name"]
    inlines = [VillageInline]
