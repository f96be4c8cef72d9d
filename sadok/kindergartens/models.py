"""Districts, kindergartens and their groups (SPEC.md "Kindergartens and groups").

Enrolled, vacant and total places are never stored: they are counted from the
groups' capacities and their enrollment rows (see selectors.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sadok.allocation.ages import AgeRange


class District(models.Model):
    """One of Kyiv's ten administrative districts, with its education office (РУО)."""

    slug = models.SlugField(_("код"), unique=True)
    name = models.CharField(_("назва"), max_length=100, unique=True)
    name_en = models.CharField(_("назва англійською"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("район")
        verbose_name_plural = _("райони")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class Language(models.TextChoices):
    UKRAINIAN = "uk", _("українська")
    CRIMEAN_TATAR = "crh", _("кримськотатарська")
    POLISH = "pl", _("польська")
    ENGLISH = "en", _("англійська")


class KindergartenType(models.TextChoices):
    """Types of preschool institutions (Law "On Preschool Education", art. 12)."""

    NURSERY_KINDERGARTEN = "nursery_kindergarten", _("ясла-садок")
    KINDERGARTEN = "kindergarten", _("дитячий садок")
    COMBINED = "combined", _("ясла-садок комбінованого типу")
    COMPENSATING = "compensating", _("ясла-садок компенсуючого типу")
    DEVELOPMENT_CENTRE = "development_centre", _("центр розвитку дитини")


class ReferralKind(models.TextChoices):
    """Who issues the referral that a special group requires (SPEC.md "Privileges")."""

    LKK = "lkk", _("ЛКК (лікарсько-консультативна комісія)")
    PMPK = "pmpk", _("ІРЦ / ПМПК (інклюзивно-ресурсний центр)")


class Specialisation(models.Model):
    """A kind of group or programme: speech therapy, inclusive, sanatorium, English…

    Groups of a specialisation with a referral kind admit only children holding
    a confirmed referral of that kind.
    """

    slug = models.SlugField(_("код"), unique=True)
    name = models.CharField(_("назва"), max_length=100)
    name_en = models.CharField(_("назва англійською"), max_length=100)
    referral = models.CharField(
        _("потрібне направлення"), max_length=8, choices=ReferralKind.choices, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("спеціалізація")
        verbose_name_plural = _("спеціалізації")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def needs_referral(self) -> bool:
        return bool(self.referral)


class Kindergarten(models.Model):
    number = models.PositiveIntegerField(_("номер"), unique=True)
    name = models.CharField(_("назва"), max_length=255)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="kindergartens", verbose_name=_("район")
    )
    address = models.CharField(_("адреса"), max_length=255)
    latitude = models.FloatField(_("широта"))
    longitude = models.FloatField(_("довгота"))
    phone = models.CharField(_("телефон"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("сайт"), blank=True)
    language = models.CharField(
        _("мова навчання"), max_length=8, choices=Language.choices, default=Language.UKRAINIAN
    )
    type = models.CharField(
        _("тип закладу"),
        max_length=32,
        choices=KindergartenType.choices,
        default=KindergartenType.NURSERY_KINDERGARTEN,
    )
    specialisations = models.ManyToManyField(
        Specialisation, blank=True, related_name="kindergartens", verbose_name=_("спеціалізації")
    )
    description = models.TextField(_("опис"), blank=True)
    photo = models.ImageField(_("фото"), upload_to="kindergartens/", blank=True)
    working_hours = models.CharField(_("години роботи"), max_length=100, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("садочок")
        verbose_name_plural = _("садочки")
        constraints = [
            models.CheckConstraint(condition=Q(number__gt=0), name="kindergarten_number_positive"),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="kindergarten_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} {self.name}"


class GroupKind(models.TextChoices):
    INFANT = "infant", _("група раннього віку (до 1 року)")
    NURSERY = "nursery", _("ясельна")
    YOUNGER = "younger", _("молодша")
    MIDDLE = "middle", _("середня")
    OLDER = "older", _("старша")
    MIXED = "mixed", _("різновікова")
    SPECIAL = "special", _("спеціальна")
    SHORT_STAY = "short_stay", _("короткотривалого перебування")


class Group(models.Model):
    """A group of a kindergarten, with its age range in whole months.

    The range is half-open: "від 2 до 3 років" is 24 (inclusive) to 36
    (exclusive) months, the age counted at the reference date.
    """

    kindergarten = models.ForeignKey(
        Kindergarten, on_delete=models.CASCADE, related_name="groups", verbose_name=_("садочок")
    )
    name = models.CharField(_("назва"), max_length=100)
    kind = models.CharField(_("вид"), max_length=16, choices=GroupKind.choices)
    age_from_months = models.PositiveSmallIntegerField(_("вік від (місяців)"))
    age_to_months = models.PositiveSmallIntegerField(_("вік до (місяців, не включно)"))
    capacity = models.PositiveSmallIntegerField(_("місткість"))
    specialisation = models.ForeignKey(
        Specialisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("спеціалізація"),
    )
    language = models.CharField(
        _("мова"), max_length=8, choices=Language.choices, default=Language.UKRAINIAN
    )
    # A capacity above the legal maximum needs the head's written reason.
    over_legal_reason = models.TextField(_("причина місткості понад норму"), blank=True)
    # A band that is not whole years (from before the rule): the district office
    # reviews it, and no place is declared in the group until the band is whole years.
    band_review = models.BooleanField(_("вікові межі на перевірці РУО"), default=False)
    # Since when (the nightly run's date) the group has had room by capacity that its
    # head has not declared as free places; empty when it has none. Kept by
    # `offers.room.undeclared_room_mark`; the open statistics list what stays so long.
    undeclared_room_since = models.DateField(
        _("місця за нормою не оголошено з"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["kindergarten", "age_from_months", "name"]
        verbose_name = _("група")
        verbose_name_plural = _("групи")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=0), name="group_capacity_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(age_from_months__lt=F("age_to_months")),
                name="group_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(age_to_months__lte=96), name="group_age_within_preschool"
            ),
            models.UniqueConstraint(
                fields=["kindergarten", "name"], name="group_name_unique_in_kindergarten"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kindergarten.number})"

    @property
    def age_range(self) -> AgeRange:
        return AgeRange(self.age_from_months, self.age_to_months)


class Enrollment(models.Model):
    """A child attending a group: a row of the group's list.

    Children who attended before Sadok started are counted by rows with no
    child record (their names stay in the kindergarten's own files).
    """

    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("група")
    )
    child = models.ForeignKey(
        "applications.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("дитина"),
    )
    started_on = models.DateField(_("зараховано"))
    ended_on = models.DateField(_("вибув"), null=True, blank=True)
    ended_reason = models.CharField(_("причина вибуття"), max_length=255, blank=True)
    # Who enrolled the child (the head who confirmed the documents) and who took it
    # off the list; empty for the lists from before Sadok and for the system.
    enrolled_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("зарахування")
        verbose_name_plural = _("зарахування")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="enrollment_ends_after_start",
            ),
            # A child attends one group at a time.
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_on__isnull=True, child__isnull=False),
                name="enrollment_one_current_per_child",
            ),
        ]
        indexes = [
            models.Index(
                fields=["group"], condition=Q(ended_on__isnull=True), name="enrollment_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.started_on}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("чекає на РУО")
    APPROVED = "approved", _("затверджено")
    REJECTED = "rejected", _("відхилено")


class GroupChange(models.Model):
    """A head's new group, or a change of a group's band, kind, specialisation or
    capacity: it waits for the district office, and until approved the group (and
    so every queue) stays as it was (SPEC.md "People": the district office manages
    the kindergartens of the district). `group` is empty for a new group."""

    kindergarten = models.ForeignKey(
        Kindergarten, on_delete=models.CASCADE, related_name="group_changes"
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    name = models.CharField(_("назва"), max_length=100)
    kind = models.CharField(_("вид"), max_length=16, choices=GroupKind.choices)
    age_from_months = models.PositiveSmallIntegerField(_("вік від (місяців)"))
    age_to_months = models.PositiveSmallIntegerField(_("вік до (місяців, не включно)"))
    capacity = models.PositiveSmallIntegerField(_("місткість"))
    specialisation = models.ForeignKey(
        Specialisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("спеціалізація"),
    )
    language = models.CharField(
        _("мова"), max_length=8, choices=Language.choices, default=Language.UKRAINIAN
    )
    over_legal_reason = models.TextField(_("причина місткості понад норму"), blank=True)
    status = models.CharField(
        _("стан"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    proposed_at = models.DateTimeField(_("подано"))
    proposed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("рішення"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The officer's written reason of a rejection, which the head sees.
    decision_note = models.TextField(_("пояснення рішення"), blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        verbose_name = _("зміна групи")
        verbose_name_plural = _("зміни груп")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_from_months__lt=F("age_to_months")),
                name="group_change_age_range_ordered",
            ),
            # One change of a group waits at a time (a new proposal replaces it).
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(status="pending"),
                name="group_change_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"GroupChange {self.pk}"

    @property
    def age_range(self) -> AgeRange:
        return AgeRange(self.age_from_months, self.age_to_months)
