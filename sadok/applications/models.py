"""Children, their guardians, ranked kindergartens, privileges and legacy records
(SPEC.md "Children and applications", "Privileges", "Duplicate and fake control").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sadok import clock
from sadok.kindergartens.models import Kindergarten, ReferralKind


def private_storage() -> Storage:
    """Documents that only the family and the district office may read: outside
    MEDIA_ROOT, with no URL, served only through a permission-checked view;
    readable by the server's own user alone."""
    return FileSystemStorage(
        location=settings.SADOK_PRIVATE_ROOT,
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


class ChildStatus(models.TextChoices):
    ACTIVE = "active", _("бере участь у черзі")
    DEACTIVATED = "deactivated", _("тимчасово деактивовано")
    # For good: a duplicate merged into another record, or a fake (the district
    # office's decision, `status_reason`); its certificate is free again.
    CLOSED = "closed", _("знято з обліку")


class Child(models.Model):
    last_name = models.CharField(_("прізвище"), max_length=100)
    first_name = models.CharField(_("ім'я"), max_length=100)
    patronymic = models.CharField(_("по батькові"), max_length=100, blank=True)
    born = models.DateField(_("дата народження"))
    # The normalised certificate (`certificates.Certificate.key`): one child, one
    # record. Unique among records not held: a record that shares its key with an
    # older one is held out of the queue under a flag until the district office
    # resolves it (`child_certificate_once`).
    certificate_key = models.CharField(_("ключ свідоцтва"), max_length=80)
    certificate_held = models.BooleanField(_("свідоцтво на перевірці РУО"), default=False)
    certificate_display = models.CharField(_("свідоцтво про народження"), max_length=80)
    guardians = models.ManyToManyField(  # type: ignore[var-annotated]
        settings.AUTH_USER_MODEL, through="Guardianship", related_name="children"
    )
    # The public, opaque number of the application: shown in the anonymised queue,
    # known only to the family.
    application_number = models.CharField(_("номер заяви"), max_length=12, unique=True)
    # Set when the child first enters the queue (its first kindergarten); never changed.
    registered_at = models.DateTimeField(_("дата реєстрації в черзі"), null=True, blank=True)
    # The public tie-breaker between children registered at the same moment.
    lottery = models.PositiveIntegerField(_("жеребкувальний номер"))
    status = models.CharField(
        _("стан"), max_length=16, choices=ChildStatus.choices, default=ChildStatus.ACTIVE
    )
    status_changed_at = models.DateTimeField(_("стан змінено"), null=True, blank=True)
    status_reason = models.CharField(_("причина"), max_length=255, blank=True)
    keep_waiting = models.BooleanField(
        _("після зарахування чекати на садочки вище в списку"), default=False
    )
    created_at = models.DateTimeField(_("створено"))
    # A duplicate closed by the district office: the record it was merged into.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("об'єднано із записом"),
    )
    # Registered by a district office on the family's behalf (IDP families, LKK and
    # PMPK referrals): the office that did it, until and after a family attaches it.
    registered_by_office = models.ForeignKey(
        "kindergartens.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("зареєстровано в РУО району"),
    )

    class Meta:
        verbose_name = _("дитина")
        verbose_name_plural = _("діти")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ChildStatus.ACTIVE) | Q(status_changed_at__isnull=False),
                name="child_deactivation_has_a_date",
            ),
            models.UniqueConstraint(
                fields=["certificate_key"],
                condition=Q(certificate_held=False) & ~Q(status="closed"),
                name="child_certificate_once",
            ),
        ]
        # Near-duplicates are looked for among children born on the same day.
        indexes = [models.Index(fields=["born"], name="child_born")]

    def __str__(self) -> str:
        return f"{self.application_number}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


class Guardianship(models.Model):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="guardianships", verbose_name=_("дитина")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guardianships"
    )
    since = models.DateTimeField(_("з"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "user"], name="guardianship_unique")
        ]

    def __str__(self) -> str:
        return f"Guardianship {self.pk}"


class GuardianInvitation(models.Model):
    """A one-time code with which a second guardian links to the child, or with which
    a family attaches a child the district office registered (`from_office`)."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("дитина")
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("позначив"),
    )
    expires_at = models.DateTimeField(_("діє до"))
    used_at = models.DateTimeField(_("використано"), null=True, blank=True)
    from_office = models.BooleanField(_("код від РУО"), default=False)
    # Where the office sent the code (masked: "+380 •• ••• •• 67"), for the officer.
    sent_to = models.CharField(_("куди надіслано"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("код доступу до дитини")
        verbose_name_plural = _("коди доступу до дітей")

    def __str__(self) -> str:
        return f"GuardianInvitation {self.pk}"


class Choice(models.Model):
    """A kindergarten the family chose for the child, ranked (1 = most wanted)."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="choices", verbose_name=_("дитина")
    )
    kindergarten = models.ForeignKey(Kindergarten, on_delete=models.PROTECT, related_name="choices")
    rank = models.PositiveSmallIntegerField(_("місце у списку"))
    added_at = models.DateTimeField(_("додано"))

    class Meta:
        ordering = ["child", "rank"]
        verbose_name = _("обраний садочок")
        verbose_name_plural = _("обрані садочки")
        constraints = [
            models.UniqueConstraint(fields=["child", "kindergarten"], name="choice_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="choice_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"Choice {self.pk}"


class PrivilegeCategory(models.Model):
    """A category of privilege and its tier: data the city administrator edits."""

    class Tier(models.IntegerChoices):
        OUT_OF_TURN = 1, _("позачергово")
        FIRST_PRIORITY = 2, _("першочергово")
        GUARANTEED = 3, _("забезпечення влаштування")

    code = models.SlugField(_("код"), unique=True)
    name = models.CharField(_("назва"), max_length=255)
    name_en = models.CharField(_("назва англійською"), max_length=255)
    tier = models.PositiveSmallIntegerField(_("черговість"), choices=Tier.choices)
    active = models.BooleanField(_("діє"), default=True)

    class Meta:
        ordering = ["tier", "name"]
        verbose_name = _("категорія пільги")
        verbose_name_plural = _("категорії пільг")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("на розгляді в РУО")
    CONFIRMED = "confirmed", _("підтверджено")
    REJECTED = "rejected", _("відхилено")
    ENDED = "ended", _("дію припинено РУО")
    EXPIRED = "expired", _("строк дії документа минув")


class DecisionReason(models.TextChoices):
    """Why the district office decided as it did: a code the public log may show,
    beside the officer's written reason, which only the family and auditors see."""

    DOCUMENT_UNREADABLE = "document_unreadable", _("документ неможливо прочитати")
    DOCUMENT_EXPIRED = "document_expired", _("строк дії документа минув")
    DOCUMENT_MISMATCH = "document_mismatch", _("документ не стосується цієї дитини")
    NOT_IN_CATEGORY = "not_in_category", _("документ не підтверджує цю пільгу")
    DOCUMENT_REVOKED = "document_revoked", _("документ скасовано або відкликано")
    ENTERED_IN_ERROR = "entered_in_error", _("помилка під час внесення")
    CHECKED_NOT_DUPLICATE = "checked_not_duplicate", _("перевірено: це різні діти")
    SUSPECTED_DUPLICATE = "suspected_duplicate", _("схоже на запис іншої дитини")
    SUSPECTED_FAKE = "suspected_fake", _("схоже на несправжній запис")
    SAME_CHILD = "same_child", _("та сама дитина записана двічі")
    NOT_A_REAL_CHILD = "not_a_real_child", _("такої дитини немає або свідоцтво не її")
    REGISTERED_BY_OTHERS = "registered_by_others", _("дитину записав не її законний представник")
    OLD_SYSTEM_DATE = "old_system_date", _("дата реєстрації зі старої системи")
    REGISTERED_AT_OFFICE = "registered_at_office", _("зареєстровано в РУО за документами")
    OTHER = "other", _("інша причина (див. пояснення)")


class OfficeDecision(models.Model):
    """When, by whom and why the district office decided: a reason code the public
    log may show, and the written reason only the family and auditors see."""

    decided_at = models.DateTimeField(_("рішення"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("вирішив"),
    )
    decision_reason = models.CharField(
        _("причина рішення"), max_length=32, choices=DecisionReason.choices, blank=True
    )
    decision_note = models.TextField(_("пояснення рішення"), blank=True)

    class Meta:
        abstract = True

    def decision_save(self, *, status: str, by: Any, reason: str, note: str) -> None:
        """Record the office's decision now: its outcome (`status`), who, the code and
        the written reason (the caller holds the row's lock)."""
        self.status = status
        self.decided_at = clock.now()
        self.decided_by = by
        self.decision_reason = reason
        self.decision_note = note
        self.save(
            update_fields=["status", "decided_at", "decided_by", "decision_reason", "decision_note"]
        )


class PrivilegeClaim(OfficeDecision):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="claims", verbose_name=_("дитина")
    )
    category = models.ForeignKey(
        PrivilegeCategory,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("категорія"),
    )
    # Empty for a privilege the district office recorded from documents it saw
    # (registration at the office): nothing was uploaded.
    document = models.FileField(
        _("документ"), storage=private_storage, upload_to="privileges/", blank=True
    )
    document_type = models.CharField(_("тип документа"), max_length=32)
    status = models.CharField(
        _("стан"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    valid_until = models.DateField(_("діє до"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("подано"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("подав"),
    )
    # A confirmed claim ended early by the district office (the document was revoked):
    # when, by whom; the reason is in `decision_reason` and `decision_note`.
    ended_at = models.DateTimeField(_("дію припинено"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("припинив"),
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("заява на пільгу")
        verbose_name_plural = _("заяви на пільги")

    def __str__(self) -> str:
        return str(_("Заява на пільгу № %(n)s") % {"n": self.pk})


class Referral(models.Model):
    """A confirmed LKK or PMPK (IRC) referral: the key to the matching special groups."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("дитина")
    )
    kind = models.CharField(_("вид"), max_length=8, choices=ReferralKind.choices)
    valid_until = models.DateField(_("діє до"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("підтверджено"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("врахував"),
    )

    class Meta:
        verbose_name = _("направлення")
        verbose_name_plural = _("направлення")

    def __str__(self) -> str:
        return str(_("Направлення № %(n)s") % {"n": self.pk})


class FlagStatus(models.TextChoices):
    OPEN = "open", _("на перевірці в РУО")
    CLEARED = "cleared", _("перевірено: не дублікат")
    CONFIRMED = "confirmed", _("дублікат: записи об'єднано")
    FAKE = "fake", _("несправжній запис: знято з обліку")


class DuplicateFlag(models.Model):
    """A record that looks like another child's: out of the clean queue until the
    district office checks it (SPEC.md "Duplicate and fake control")."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="flags", verbose_name=_("дитина")
    )
    # Empty for a flag an officer raised by hand (a record that looks fake).
    similar_to = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("схожий запис"),
    )
    reason = models.CharField(_("причина"), max_length=255)
    status = models.CharField(
        _("стан"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    created_at = models.DateTimeField(_("створено"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("позначив"),
    )
    resolved_at = models.DateTimeField(_("перевірено"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("перевірив"),
    )
    decision_reason = models.CharField(
        _("причина рішення"), max_length=32, choices=DecisionReason.choices, blank=True
    )
    decision_note = models.TextField(_("пояснення рішення"), blank=True)

    class Meta:
        verbose_name = _("позначка можливого дубліката")
        verbose_name_plural = _("позначки можливих дублікатів")

    def __str__(self) -> str:
        return str(_("Позначка № %(n)s") % {"n": self.pk})


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("на розгляді в РУО")
    MOVED = "moved", _("дитину передано родині, що звернулася")
    REFUSED = "refused", _("відмовлено")


class TransferRequest(OfficeDecision):
    """A family finds its child's certificate already registered by another account
    and asks the district office: the officer checks the documents and moves the
    child to the right family, or refuses, with a reason either way."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="transfer_requests", verbose_name=_("дитина")
    )
    district = models.ForeignKey(
        "kindergartens.District",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("РУО району"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="transfer_requests",
        verbose_name=_("звернувся"),
    )
    note = models.TextField(_("що пише родина"), blank=True)
    submitted_at = models.DateTimeField(_("подано"))
    status = models.CharField(
        _("стан"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )

    class Meta:
        verbose_name = _("звернення щодо зареєстрованого свідоцтва")
        verbose_name_plural = _("звернення щодо зареєстрованих свідоцтв")
        constraints = [
            # One pending request per family and child: a second click is the same.
            models.UniqueConstraint(
                fields=["child", "requested_by"],
                condition=Q(status="pending"),
                name="transfer_request_once",
            )
        ]

    def __str__(self) -> str:
        return str(_("Звернення № %(n)s") % {"n": self.pk})


class LegacyRecord(models.Model):
    """A record imported from the old system, claimable once by its family."""

    qid = models.CharField(_("Qid"), max_length=32, unique=True)
    certificate_key = models.CharField(_("ключ свідоцтва"), max_length=80)
    born = models.DateField(_("дата народження"))
    registered_on = models.DateField(_("дата реєстрації"))
    kindergarten_numbers = models.JSONField(_("номери садочків"), default=list)
    claimed_by = models.OneToOneField(
        Child,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legacy_record",
        verbose_name=_("приєднана дитина"),
    )
    claimed_at = models.DateTimeField(_("коли приєднано"), null=True, blank=True)

    class Meta:
        verbose_name = _("запис старої системи")
        verbose_name_plural = _("записи старої системи")

    def __str__(self) -> str:
        return str(_("Запис старої системи %(qid)s") % {"qid": self.qid})


class PageLook(models.Model):
    """When a guardian last opened a child's page, and the positions it showed then
    (by kindergarten id: {"group": id, "place": n}), so that the next visit can say
    what changed since (`sadok.queue.why`). One row per guardian and child."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    positions = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "user"], name="page_look_once"),
        ]

    def __str__(self) -> str:
        return f"look at child {self.child_id} by user {self.user_id}"
