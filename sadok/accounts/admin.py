from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.forms import Field
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sadok.accounts.models import Role, User
from sadok.accounts.names import PersonNameField


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["kindergarten", "district"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "last_name", "first_name", "is_active"]
    search_fields = ["email", "last_name", "first_name", "phone"]
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Особа"),
            {"fields": ("last_name", "first_name", "patronymic", "phone", "phone_verified")},
        ),
        (_("Доступ"), {"fields": ("is_active",)}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> Field | None:
        if db_field.name in ("last_name", "first_name", "patronymic"):
            return PersonNameField(
                label=db_field.verbose_name, max_length=db_field.max_length, required=False
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
