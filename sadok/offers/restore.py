"""Restoring a child's registration date from the old system (SPEC.md "Migration").

A family whose child was first registered in Sadok, or an officer for it, brings
in the older date of the old system's queue: the Qid and the date from the old
system's certificate. It is accepted only when it matches a record of the
imported old-system queue (`LegacyRecord`) for this child's own certificate and
birth date — never a date typed freely; the earlier of the two dates wins; the
record is used once; the change is the event `date_restored`, carrying the reason
code `old_system_date`, and the child's positions change at once (the door).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sadok import clock
from sadok.accounts.models import User
from sadok.applications.models import Child, ChildStatus, DecisionReason, LegacyRecord
from sadok.applications.services import CertificateTaken, LegacyClaim, certificate_taken_message
from sadok.journal.models import ActorRole
from sadok.journal.services import actor_as
from sadok.offers.door import legacy_claim, queue_changes
from sadok.offers.policies import child_officer_required, guardian_required


@dataclass(frozen=True)
class Restored:
    """What a restore did: the child's registration date before and after (equal when
    the date in Sadok was already the earlier one)."""

    child: Child
    before: dt.datetime | None
    after: dt.datetime

    @property
    def moved(self) -> bool:
        return self.before != self.after


def _mismatch() -> ValidationError:
    # Whether a Qid exists is told only to someone who also has its date and the
    # child's certificate: every other mismatch reads the same.
    return ValidationError(
        _(
            "У черзі старої системи немає запису з таким Qid і датою реєстрації для цієї "
            "дитини (її свідоцтва і дати народження). Перевірте Qid і дату з довідки старої "
            "системи; якщо все вірно — зверніться до РУО свого району."
        ),
        code="legacy_mismatch",
    )


def date_restore(
    *, child: Child, user: User | None, qid: str, registered_on: dt.date, as_officer: bool = False
) -> Restored:
    """Give `child` the registration date of its old-system record `qid`, when the
    record's date is `registered_on` and it is this child's (certificate and birth
    date); the earlier date wins. By a guardian, or by an officer of a district the
    child chose (`as_officer`); None is the system."""
    if as_officer:
        child_officer_required(actor=user, child_id=child.pk)
        actor = actor_as(user, ActorRole.OFFICER)
    else:
        guardian_required(actor=user, child_id=child.pk)
        actor = actor_as(user, ActorRole.PARENT)
    with queue_changes(actor) as touched:
        touched.reason = DecisionReason.OLD_SYSTEM_DATE
        locked = Child.objects.select_for_update().get(pk=child.pk)
        if locked.status == ChildStatus.CLOSED:
            raise ValidationError(_("Цей запис знято з обліку."), code="closed")
        record = LegacyRecord.objects.select_for_update().filter(qid=qid.strip()).first()
        if (
            record is None
            or record.registered_on != registered_on
            or record.certificate_key != locked.certificate_key
            or record.born != locked.born
        ):
            raise _mismatch()
        if record.claimed_by_id == locked.pk:
            raise ValidationError(
                _("Дату з цього запису старої системи вже відновлено для цієї дитини."),
                code="legacy_restored",
            )
        if record.claimed_by_id is not None:
            raise ValidationError(
                _(
                    "Цей запис старої системи вже перенесено до іншої заяви. Зверніться до "
                    "РУО свого району: воно перевірить документи й об'єднає записи."
                ),
                code="legacy_claimed",
            )
        now = clock.now()
        old = dt.datetime.combine(record.registered_on, dt.time(), tzinfo=clock.KYIV)
        before = locked.registered_at
        after = old if before is None else min(before, old)
        if after != before:
            locked.registered_at = after
            locked.save(update_fields=["registered_at"])
        record.claimed_by = locked
        record.claimed_at = now
        record.save(update_fields=["claimed_by", "claimed_at"])
        touched.add(locked.pk)
    child.registered_at = after
    return Restored(child=locked, before=before, after=after)


def legacy_bring(*, user: User, claim: LegacyClaim) -> Restored:
    """The family's Qid transfer (`cabinet:legacy`): a child not yet in Sadok comes
    over with its old date and kindergartens (`door.legacy_claim`); a child already
    in this family's cabinet gets its older date (`date_restore`), so the family
    never has to know which of the two it needs. A certificate another account
    registered is refused with what to do (`CertificateTaken`)."""
    existing = (
        Child.objects.filter(certificate_key=claim.certificate.key, certificate_held=False)
        .exclude(status=ChildStatus.CLOSED)
        .first()
    )
    if existing is None:
        child = legacy_claim(user=user, claim=claim)
        # Its registration date is the old record's (`applications.legacy_claim`).
        return Restored(child=child, before=None, after=cast(dt.datetime, child.registered_at))
    if not existing.guardianships.filter(user=user).exists():
        raise CertificateTaken(certificate_taken_message(), code="certificate_taken")
    return date_restore(child=existing, user=user, qid=claim.qid, registered_on=claim.registered_on)
