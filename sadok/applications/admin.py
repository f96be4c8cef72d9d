from django.contrib import admin

from sadok.applications.models import (
    DuplicateFlag,
    LegacyRecord,
    PrivilegeCategory,
    PrivilegeClaim,
    Referral,
)


@admin.register(PrivilegeCategory)
class PrivilegeCategoryAdmin(admin.ModelAdmin):
    """The city administrator edits the list of privileges and their tiers (SPEC.md)."""

    list_display = ["name", "tier", "code", "active"]
    list_filter = ["tier", "active"]


@admin.register(PrivilegeClaim)
class PrivilegeClaimAdmin(admin.ModelAdmin):
    list_display = ["child", "category", "status", "submitted_at", "valid_until"]
    list_filter = ["status", "category"]
    readonly_fields = ["child", "document", "document_type", "submitted_at", "submitted_by"]


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["child", "kind", "valid_until", "confirmed_at"]


@admin.register(DuplicateFlag)
class DuplicateFlagAdmin(admin.ModelAdmin):
    list_display = ["child", "similar_to", "reason", "status", "created_at"]
    list_filter = ["status"]


@admin.register(LegacyRecord)
class LegacyRecordAdmin(admin.ModelAdmin):
    list_display = ["qid", "born", "registered_on", "claimed_by", "claimed_at"]
    search_fields = ["qid"]
