from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from sadok.kindergartens.models import District, Group, Kindergarten, Specialisation


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Specialisation)
class SpecialisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "referral"]


class GroupInline(admin.TabularInline):
    """Read only: a group is created and changed by its head and approved by the
    district office (their workspaces), through services that keep the queues."""

    model = Group
    extra = 0
    fields = ["name", "kind", "age_from_months", "age_to_months", "capacity", "specialisation"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Kindergarten)
class KindergartenAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "district", "address"]
    list_filter = ["district", "type", "language"]
    search_fields = ["number", "name", "address"]
    inlines = [GroupInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
