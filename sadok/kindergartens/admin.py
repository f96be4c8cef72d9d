from django.contrib import admin
from django.db import models

from sadok.kindergartens.models import District, Group, Kindergarten, Specialisation


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Specialisation)
class SpecialisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "referral"]


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0


@admin.register(Kindergarten)
class KindergartenAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "district", "address"]
    list_filter = ["district", "type", "language"]
    search_fields = ["number", "name", "address"]
    inlines = [GroupInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
