from django.contrib import admin

from sadok.offers.models import AllocationRun, Offer, Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["pk", "group", "status", "declared_at", "wave_date"]
    list_filter = ["status"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["pk", "place", "child", "status", "made_at", "answer_by"]
    list_filter = ["status"]


@admin.register(AllocationRun)
class AllocationRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "at", "summary"]
