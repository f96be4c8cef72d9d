"""Free places, offers and the engine's decisions (SPEC.md "Group formation").

The database itself guarantees what must never happen, whatever a bug elsewhere
does: a place has at most one live offer, and a child at most one open offer
(partial unique indexes).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sadok.applications.models import Child
from sadok.kindergartens.models import Group


class PlaceStatus(models.TextChoices):
    OPEN = "open", _("вільне, пропозиції немає")
    OFFERED = "offered", _("запропоновано дитині")
    FILLED = "filled", _("дитину зараховано")
    WITHDRAWN = "withdrawn", _("знято керівником")


class Place(models.Model):
    """One free place a head declared in a group ("+1")."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="places")
    status = models.CharField(max_length=16, choices=PlaceStatus.choices, default=PlaceStatus.OPEN)
    declared_at = models.DateTimeField(_("оголошено"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Places declared for the September intake wait for the wave of that date.
    wave_date = models.DateField(_("для набору на"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=255, blank=True)

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


LIVE = (OfferStatus.OFFERED, OfferStatus.ACCEPTED)


class Offer(models.Model):
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="offers")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="offers")
    status = models.CharField(
        max_length=20, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    reason = models.CharField(_("підстава"), max_length=40)
    made_at = models.DateTimeField(_("запропоновано"))
    answer_by = models.DateTimeField(_("відповісти до"))
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=255, blank=True)

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
        ]

    def __str__(self) -> str:
        return f"offer {self.pk}: place {self.place_id} → child {self.child_id} ({self.status})"


class AllocationRun(models.Model):
    """One run of the engine: a head's "+N", a sweep's re-offer, or the wave."""

    class Kind(models.TextChoices):
        PLACES = "places", _("нові вільні місця")
        REOFFER = "reoffer", _("повторна пропозиція")
        WAVE = "wave", _("вересневий набір")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    summary = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"run {self.pk} ({self.kind})"


class Decision(models.Model):
    """Why the engine offered a place to a child, passed one over, or left a place open."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="decisions")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, null=True, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=40)
    withdrawn_place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"decision {self.pk}: {self.reason}"
