"""Who waits where: one record per registered child with everything the queue rule
needs, filed under each kindergarten whose queues it may be in.

Both are a read model of the applications' tables (and of enrollments and
accepted offers), written only by `records.queue_records_refresh`, which every
service that changes a source calls once at the end of its transaction
(`records.records_kept`). Never edited by hand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sadok.applications.models import Child
from sadok.kindergartens.models import Kindergarten


class RuleColumns(models.Model):
    """The columns of a record that the queue rule reads (`rule.py`); a key carries a
    copy of them (`records.KEY_COPIES`)."""

    registered_at = models.DateTimeField()
    lottery = models.PositiveIntegerField()
    # The child's public application number, the rule's last tie-breaker.
    number = models.CharField(max_length=12)
    active = models.BooleanField()
    verified = models.BooleanField()
    flagged = models.BooleanField()
    # For each privilege tier, the last day a confirmed claim of it is in force
    # (9999-12-31: no end; null: no claim), and the same for each referral kind
    # (`ReferralKind`), so that the database can find and order a queue on any date.
    tier1_until = models.DateField(null=True)
    tier2_until = models.DateField(null=True)
    tier3_until = models.DateField(null=True)
    referral_lkk_until = models.DateField(null=True)
    referral_pmpk_until = models.DateField(null=True)

    class Meta:
        abstract = True


class QueueRecord(RuleColumns):
    """What the queue engine needs of one registered child, in one row."""

    # Deleting a child deletes its record (and the record its keys).
    child = models.OneToOneField(
        Child, primary_key=True, on_delete=models.CASCADE, related_name="queue_record"
    )
    born = models.DateField()
    keep_waiting = models.BooleanField()
    # One JSON document, decoded once per child (the wave reads 120,000 of them):
    # "choices": kindergarten ids, best first; "privileges": confirmed claims as
    # [tier, "YYYY-MM-DD" or null (no end)]; "referrals": [kind, date or null];
    # "held": kindergartens where the child has a place or an accepted offer.
    lists = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("запис у черзі")
        verbose_name_plural = _("записи в черзі")

    def __str__(self) -> str:
        return f"queue record of child {self.child_id}"


class QueueKey(RuleColumns):
    """A queue record filed under each kindergarten in whose queues the child may
    be (its choices; for a child with a place, only those it still waits for),
    with the birth date: the index that finds a group's queue (its kindergarten and
    age band) with one index range scan.

    A key carries a copy of every column of its record that the queue rule reads
    (`records.KEY_COPIES`), and the index includes them: a queue is found, ordered
    and counted from the index alone, and only the children a head's read returns
    are looked up in the records (a child's positions on the child page, the most
    opened page, cost a few index scans)."""

    record = models.ForeignKey(QueueRecord, on_delete=models.CASCADE, related_name="keys")
    kindergarten = models.ForeignKey(
        Kindergarten, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    born = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "kindergarten"], name="queue_key_once"),
        ]
        indexes = [
            models.Index(
                fields=["kindergarten", "born"],
                include=[
                    "record",
                    "registered_at",
                    "lottery",
                    "number",
                    "active",
                    "verified",
                    "flagged",
                    "tier1_until",
                    "tier2_until",
                    "tier3_until",
                    "referral_lkk_until",
                    "referral_pmpk_until",
                ],
                name="queue_key_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"queue key of child {self.record_id} at kindergarten {self.kindergarten_id}"
