"""Free places, offers and the engine's decisions (SPEC.md "Group formation").

The database itself guarantees what must never happen, whatever a bug elsewhere
does: a place has at most one live offer, and a child at most one open offer
(partial unique indexes).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sadok.applications.models import Child
from sadok.kindergartens.models import Group


class PlaceStatus(models.TextChoices):
    OPEN = "open", _("вільне, пропозиції немає")
    OFFERED = "offered", _("запропоновано дитині")
    FILLED = "filled", _("дитину зараховано")
    WITHDRAWN = "withdrawn", _("знято керівником")


# Declared and not yet filled: promised to the queue, so they take room in the group.
HELD = (PlaceStatus.OPEN, PlaceStatus.OFFERED)


class Place(models.Model):
    """One free place a head declared in a group ("+1")."""

    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="places", verbose_name=_("група")
    )
    status = models.CharField(
        _("стан"), max_length=16, choices=PlaceStatus.choices, default=PlaceStatus.OPEN
    )
    declared_at = models.DateTimeField(_("оголошено"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("оголосив"),
    )
    # Places declared for the September intake wait for the wave of that date.
    wave_date = models.DateField(_("для набору на"), null=True, blank=True)
    closed_at = models.DateTimeField(_("закрито"), null=True, blank=True)
    closed_reason = models.CharField(_("причина закриття"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("вільне місце")
        verbose_name_plural = _("вільні місця")
        indexes = [models.Index(fields=["group", "status"], name="place_group_status")]

    def __str__(self) -> str:
        return f"place {self.pk} in group {self.group_id}"


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("очікує відповіді")
    ACCEPTED = "accepted", _("прийнято, очікуються документи")
    DECLINED = "declined", _("відхилено")
    EXPIRED = "expired", _("без відповіді — строк минув")
    DOCUMENTS_MISSED = "documents_missed", _("документи не подано вчасно")
    WITHDRAWN = "withdrawn", _("відкликано")
    ENROLLED = "enrolled", _("дитину зараховано")
    RELINQUISHED = "relinquished", _("від прийнятого місця відмовилися")


LIVE = (OfferStatus.OFFERED, OfferStatus.ACCEPTED)


class Offer(models.Model):
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="offers", verbose_name=_("місце")
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="offers", verbose_name=_("дитина")
    )
    status = models.CharField(
        _("стан"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    reason = models.CharField(_("підстава"), max_length=40)
    made_at = models.DateTimeField(_("запропоновано"))
    # The rules that applied when the offer was made stay with it.
    answer_by = models.DateTimeField(_("відповісти до"))
    remind_at = models.DateTimeField(_("нагадати"))
    documents_working_days = models.PositiveSmallIntegerField(
        _("робочих днів на документи"), default=5
    )
    extension_working_days = models.PositiveSmallIntegerField(
        _("робочих днів подовження"), default=5
    )
    reminded_at = models.DateTimeField(_("нагадано"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("прийнято"), null=True, blank=True)
    documents_by = models.DateTimeField(_("документи до"), null=True, blank=True)
    extended_at = models.DateTimeField(_("подовжено"), null=True, blank=True)
    closed_at = models.DateTimeField(_("закрито"), null=True, blank=True)
    closed_reason = models.CharField(_("причина закриття"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("пропозиція місця")
        verbose_name_plural = _("пропозиції місць")
        constraints = [
            models.UniqueConstraint(
                fields=["place"], condition=Q(status__in=LIVE), name="offer_one_live_per_place"
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status=OfferStatus.OFFERED),
                name="offer_one_open_per_child",
            ),
            models.CheckConstraint(
                condition=~Q(status=OfferStatus.ACCEPTED) | Q(documents_by__isnull=False),
                name="offer_accepted_has_documents_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "answer_by"], name="offer_status_answer_by"),
            models.Index(fields=["status", "documents_by"], name="offer_status_documents_by"),
            # The reminders still to send, in the order the sweep takes them.
            models.Index(
                fields=["remind_at", "id"],
                condition=Q(status=OfferStatus.OFFERED, reminded_at__isnull=True),
                name="offer_reminder_due",
            ),
        ]

    def __str__(self) -> str:
        return f"offer {self.pk}: place {self.place_id} → child {self.child_id} ({self.status})"


class AllocationRun(models.Model):
    """One run of the engine: a head's "+N", a sweep's re-offer, the wave, a child
    entering a queue that has an open place, or the daily run."""

    class Kind(models.TextChoices):
        PLACES = "places", _("нові вільні місця")
        REOFFER = "reoffer", _("повторна пропозиція")
        WAVE = "wave", _("вересневий набір")
        ENTRY = "entry", _("дитина стала в чергу")
        DAILY = "daily", _("щоденна перевірка")
        GROUP = "group", _("групу змінено")

    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("коли"))
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("хто запустив"),
    )
    summary = models.JSONField(_("підсумок"), default=dict)

    class Meta:
        verbose_name = _("розподіл місць")
        verbose_name_plural = _("розподіли місць")

    def __str__(self) -> str:
        return f"run {self.pk} ({self.kind})"


class Decision(models.Model):
    """Why the engine offered a place to a child, passed one over, or left a place open."""

    run = models.ForeignKey(
        AllocationRun,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("розподіл"),
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("місце")
    )
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("дитина")
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("група")
    )
    reason = models.CharField(_("підстава"), max_length=40)
    withdrawn_place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("звільнене місце"),
    )

    def __str__(self) -> str:
        return f"decision {self.pk}: {self.reason}"


class Rules(models.Model):
    """The offer cycle's lengths (SPEC.md "Group formation"): one row, which the city
    administrator edits in the admin. New offers take the values in force."""

    answer_days = models.PositiveSmallIntegerField(
        _("днів на відповідь (календарних)"), default=settings.SADOK_OFFER_ANSWER_DAYS
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("нагадування за скільки днів до кінця"), default=settings.SADOK_OFFER_REMINDER_DAYS
    )
    documents_working_days = models.PositiveSmallIntegerField(
        _("робочих днів на документи"), default=settings.SADOK_DOCUMENTS_WORKING_DAYS
    )
    extension_working_days = models.PositiveSmallIntegerField(
        _("подовження (робочих днів, один раз)"),
        default=settings.SADOK_DOCUMENTS_EXTENSION_WORKING_DAYS,
    )
    changed_at = models.DateTimeField(_("змінено"), auto_now=True)

    class Meta:
        verbose_name = _("правила пропозицій")
        verbose_name_plural = _("правила пропозицій")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_days__gte=1)
                & Q(documents_working_days__gte=1)
                & Q(reminder_days__lt=F("answer_days")),
                name="rules_sensible",
            )
        ]

    def __str__(self) -> str:
        return f"{self.answer_days}/{self.reminder_days}/{self.documents_working_days}"
