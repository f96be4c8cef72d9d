"""The admin keeps the city administrator's reference data (privilege categories and
their tiers, legacy records). The district office's decisions (claims, referrals,
duplicate flags) are made in its workspace, each through a service that records
who decided and why: here they can be read, never changed or deleted."""

from django.contrib import admin
from django.http import HttpRequest

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

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # claims point at it; a category leaves the form by `active`


class ReadOnly(admin.ModelAdmin):
    """Decisions of the district office: read here, made in its workspace."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PrivilegeClaim)
class PrivilegeClaimAdmin(ReadOnly):
    # The document is the district office's to read (in its workspace), not the city's.
    exclude = ["document"]
    list_display = ["child", "category", "status", "submitted_at", "valid_until", "decided_at"]
    list_filter = ["status", "category"]


@admin.register(Referral)
class ReferralAdmin(ReadOnly):
    list_display = ["child", "kind", "valid_until", "confirmed_at"]


@admin.register(DuplicateFlag)
class DuplicateFlagAdmin(ReadOnly):
    list_display = ["child", "similar_to", "reason", "status", "created_at"]
    list_filter = ["status"]


@admin.register(LegacyRecord)
class LegacyRecordAdmin(ReadOnly):
    list_display = ["qid", "born", "registered_on", "claimed_by", "claimed_at"]
    search_fields = ["qid"]
