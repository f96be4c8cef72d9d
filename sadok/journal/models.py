"""One row per domain event (see the package's docstring and `docs/events.md`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """What happened. The values are stored and published: never rename one."""

    GENESIS = "genesis", _("стан на початок журналу")
    REGISTERED = "registered", _("дитина стала в чергу")
    LEFT_QUEUE = "left_queue", _("дитина вибула з черги")
    CONTACTS_VERIFIED = "contacts_verified", _("контакти підтверджено")
    CONTACTS_UNVERIFIED = "contacts_unverified", _("контакти більше не підтверджені")
    CHOICE_ADDED = "choice_added", _("садочок додано")
    CHOICE_MOVED = "choice_moved", _("порядок садочків змінено")
    CHOICE_REMOVED = "choice_removed", _("садочок прибрано")
    KEEP_WAITING_ON = "keep_waiting_on", _("чекати на вищі садочки")
    KEEP_WAITING_OFF = "keep_waiting_off", _("не чекати на вищі садочки")
    HELD_CHANGED = "held_changed", _("змінилися садочки, де дитина має місце")
    PRIVILEGE_CLAIMED = "privilege_claimed", _("пільгу заявлено")
    PRIVILEGE_CONFIRMED = "privilege_confirmed", _("пільгу підтверджено")
    PRIVILEGE_REJECTED = "privilege_rejected", _("пільгу відхилено")
    PRIVILEGE_ENDED = "privilege_ended", _("пільга більше не діє")
    REFERRAL_RECORDED = "referral_recorded", _("направлення враховано")
    REFERRAL_ENDED = "referral_ended", _("направлення більше не діє")
    FLAG_RAISED = "flag_raised", _("запис позначено як можливий дублікат")
    FLAG_RESOLVED = "flag_resolved", _("позначку дубліката знято")
    CHILD_MOVED = "child_moved", _("дитину передано іншій родині")
    RECORDS_MERGED = "records_merged", _("записи об'єднано")
    DATE_RESTORED = "date_restored", _("дату реєстрації відновлено")
    DEACTIVATED = "deactivated", _("участь у черзі призупинено")
    REACTIVATED = "reactivated", _("участь у черзі відновлено")
    GROUP_CREATED = "group_created", _("групу створено")
    GROUP_CHANGED = "group_changed", _("групу змінено")
    GROUP_APPROVED = "group_approved", _("зміну групи затверджено")
    GROUP_REJECTED = "group_rejected", _("зміну групи відхилено")
    PLACE_DECLARED = "place_declared", _("місце оголошено")
    PLACE_WITHDRAWN = "place_withdrawn", _("місце знято")
    ALLOCATION = "allocation", _("розподіл місць")
    OFFER_MADE = "offer_made", _("місце запропоновано")
    OFFER_UPGRADED = "offer_upgraded", _("запропоновано вищий садочок")
    OFFER_WITHDRAWN = "offer_withdrawn", _("пропозицію відкликано")
    OFFER_ACCEPTED = "offer_accepted", _("пропозицію прийнято")
    OFFER_DECLINED = "offer_declined", _("від пропозиції відмовилися")
    OFFER_EXPIRED = "offer_expired", _("строк відповіді минув")
    ACCEPTANCE_WITHDRAWN = "acceptance_withdrawn", _("від прийнятого місця відмовилися")
    DOCUMENTS_EXTENDED = "documents_extended", _("строк документів подовжено")
    DOCUMENTS_CONFIRMED = "documents_confirmed", _("документи прийнято, дитину зараховано")
    DOCUMENTS_MISSED = "documents_missed", _("документи не подано вчасно")
    ENROLLMENT_ENDED = "enrollment_ended", _("дитина вибула з групи")
    LOG_REPAIRED = "log_repaired", _("публічний журнал виправлено від запису")


class ActorRole(models.TextChoices):
    """In which capacity the actor acted (the public sees this, never the person)."""

    PARENT = "parent", _("батьки")
    HEAD = "head", _("керівник ДНЗ")
    OFFICER = "officer", _("РУО")
    ADMIN = "admin", _("адміністратор міста")
    SYSTEM = "system", _("система")


class Event(models.Model):
    """A domain event. Ids, not foreign keys: the history outlives the rows it names
    (a deleted child's events stay), and the public log copies what it may show."""

    at = models.DateTimeField()
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    actor_role = models.CharField(max_length=16, choices=ActorRole.choices)
    # The person, for auditors only (never in the public log).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    child_id = models.BigIntegerField(null=True)
    application_number = models.CharField(max_length=12, blank=True)
    kindergarten_id = models.BigIntegerField(null=True)
    group_id = models.BigIntegerField(null=True)
    place_id = models.BigIntegerField(null=True)
    offer_id = models.BigIntegerField(null=True)
    # A code from a fixed list (`docs/events.md`), never free text: a person's
    # written reason may name people and stays with the family and auditors.
    reason = models.CharField(max_length=64, blank=True)
    # What a replay needs beyond the columns (see `docs/events.md`).
    data = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(fields=["child_id", "at"], name="event_child"),
            models.Index(fields=["at"], name="event_at"),
            # A group's offers over a year (the expected wait on a child's page).
            models.Index(fields=["group_id", "at"], name="event_group"),
        ]

    def __str__(self) -> str:
        return f"event {self.pk}: {self.kind}"


class LogEntry(models.Model):
    """An entry of the public log (`sadok.journal.log`): one committed event as the
    public may see it, numbered without gaps by the appender and chained by hash
    (`sadok.allocation.chain`). Append-only: on PostgreSQL triggers refuse every
    UPDATE and DELETE (and a TRUNCATE outside the test suite's flush)."""

    seq = models.PositiveBigIntegerField(_("номер"), primary_key=True)
    # The event it publishes: not itself published, it tells the appender where it is.
    event_id = models.BigIntegerField(_("подія"), unique=True)
    # The canonical time text (UTC, microseconds), exactly as hashed and served.
    at = models.CharField(_("час"), max_length=40)
    kind = models.CharField(_("вид"), max_length=32)
    actor_role = models.CharField(_("роль"), max_length=16)
    application_number = models.CharField(_("номер заяви"), max_length=12, blank=True)
    kindergarten_id = models.BigIntegerField(_("садочок"), null=True)
    group_id = models.BigIntegerField(_("група"), null=True)
    place_id = models.BigIntegerField(_("місце"), null=True)
    offer_id = models.BigIntegerField(_("пропозиція"), null=True)
    reason = models.CharField(_("код причини"), max_length=64, blank=True)
    data = models.JSONField(_("дані"), default=dict)
    prev = models.CharField(_("геш попереднього запису"), max_length=64)
    hash = models.CharField(_("геш"), max_length=64)

    class Meta:
        verbose_name = _("запис публічного журналу")
        verbose_name_plural = _("публічний журнал")

    def __str__(self) -> str:
        return f"log {self.seq}"


class LogCursor(models.Model):
    """The appender's one row: the log's head, the last event appended, and a gap in
    the events' ids it is waiting on (a transaction still open, or rolled back)."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    event_id = models.BigIntegerField(default=0)
    # The first id missing after `event_id`, since when, and (PostgreSQL) the
    # transactions of this database open then, as [pid, start]: once each has ended,
    # the gap is for good (its transaction rolled back) and the appender goes past it.
    gap_id = models.BigIntegerField(null=True)
    gap_seen_at = models.DateTimeField(null=True)
    gap_waiting = models.JSONField(null=True)

    def __str__(self) -> str:
        return f"log cursor at {self.seq}"
