from django.contrib import admin

from sadok.offers.models import AllocationRun, Offer, Place, Rules


class ReadOnlyAdmin(admin.ModelAdmin):
    """Places, offers and runs change only through the services and their transition
    table (`states.py`): the admin shows them, it does not edit them."""

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ["pk", "group", "status", "declared_at", "wave_date"]
    list_filter = ["status"]


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["pk", "place", "child", "status", "made_at", "answer_by"]
    list_filter = ["status"]


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "at", "summary"]


@admin.register(Rules)
class RulesAdmin(admin.ModelAdmin):
    """The city administrator's settings of the offer cycle: one row."""

    list_display = [
        "answer_days",
        "reminder_days",
        "documents_working_days",
        "extension_working_days",
        "changed_at",
    ]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return not Rules.objects.exists() and super().has_add_permission(request)
