from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from sadok.notifications.delivery import delivery_retry
from sadok.notifications.models import Delivery, DeliveryAttempt


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["at", "ok", "answer"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Failed e-mails and SMS, with the last error, and a way to send them again."""

    list_display = [
        "pk",
        "channel",
        "address",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["address", "idempotency_key"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    inlines = [DeliveryAttemptInline]
    actions = ["retry"]

    @admin.action(description="Надіслати ще раз")
    def retry(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        for delivery in queryset:
            delivery_retry(delivery=delivery)
        messages.success(request, "Невдалі надсилання поставлено в чергу ще раз.")
