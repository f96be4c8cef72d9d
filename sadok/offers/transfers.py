"""A child registered by the wrong account (SPEC.md "Duplicate and fake control").

Whoever knows a certificate's number can register that child first and block the
real family: the family that finds its child's certificate taken asks the district
office from the page where it was refused (`transfer_request`), with nothing of the
record shown to it. The officer checks both families' documents in person and
moves the child to the family that asked (`transfer_move`) — its registration
date, kindergartens, privileges and offers stay the child's — or refuses
(`transfer_refuse`), with a reason code and a written reason either way. The move
is the event `child_moved`; both families are told in their cabinets.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sadok import clock
from sadok.accounts.models import User
from sadok.applications.certificates import Certificate
from sadok.applications.models import (
    Child,
    ChildStatus,
    DecisionReason,
    GuardianInvitation,
    Guardianship,
    RequestStatus,
    TransferRequest,
)
from sadok.journal.models import ActorRole, EventKind
from sadok.journal.services import Fact, actor_as, events_append
from sadok.kindergartens.models import District
from sadok.notifications.services import RECIPIENT, Note, notes_send, recipient, verified_email
from sadok.offers.district import _reason_check
from sadok.offers.door import queue_changes
from sadok.offers.policies import request_officer_required

MOVE_REASONS = (DecisionReason.REGISTERED_BY_OTHERS, DecisionReason.OTHER)
REFUSE_REASONS = (DecisionReason.DOCUMENT_MISMATCH, DecisionReason.OTHER)


def transfer_request(
    *, user: User, certificate: Certificate, district: District, note: str
) -> TransferRequest:
    """The family `user` asks `district`'s office about the child whose certificate
    another account registered. Asking again while it is pending is the same request."""
    child = (
        Child.objects.filter(certificate_key=certificate.key)
        .exclude(status=ChildStatus.CLOSED)
        .order_by("certificate_held", "pk")
        .first()
    )
    if child is None:
        raise ValidationError(
            _("Дитини з цим свідоцтвом у Sadok немає: додайте її як звичайно («Додати дитину»)."),
            code="certificate",
        )
    if child.guardianships.filter(user=user).exists():
        raise ValidationError(_("Ця дитина вже є у вашому кабінеті."), code="certificate_yours")
    try:
        with transaction.atomic():
            request, _created = TransferRequest.objects.get_or_create(
                child=child,
                requested_by=user,
                status=RequestStatus.PENDING,
                defaults={
                    "district": district,
                    "note": note.strip(),
                    "submitted_at": clock.now(),
                },
            )
    except IntegrityError:  # the same family's second tab, at the same moment
        request = TransferRequest.objects.get(
            child=child, requested_by=user, status=RequestStatus.PENDING
        )
    return request


def _pending(request: TransferRequest) -> TransferRequest:
    locked = TransferRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.PENDING:
        raise ValidationError(
            _("Це звернення вже розглянуто (%(status)s).")
            % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


def transfer_move(*, request: TransferRequest, user: User | None, reason: str, note: str) -> Child:
    """Move the child to the family that asked: its guardians become that family
    alone, the codes handed out by the others stop working, and everything of the
    child's place in the queue stays as it is."""
    request_officer_required(actor=user, district_id=request.district_id)
    note = _reason_check(reason, MOVE_REASONS, note)
    with queue_changes(actor_as(user, ActorRole.OFFICER)) as touched:
        touched.reason = reason
        locked = _pending(request)
        child = Child.objects.select_for_update().get(pk=locked.child_id)
        if child.status == ChildStatus.CLOSED:
            raise ValidationError(_("Цей запис знято з обліку."), code="closed")
        before = list(
            User.objects.filter(guardianships__child=child).exclude(pk=locked.requested_by_id)
        )
        Guardianship.objects.filter(child=child).exclude(user=locked.requested_by_id).delete()
        Guardianship.objects.get_or_create(
            child=child, user_id=locked.requested_by_id, defaults={"since": clock.now()}
        )
        GuardianInvitation.objects.filter(child=child, used_at__isnull=True).delete()
        locked.decision_save(status=RequestStatus.MOVED, by=user, reason=reason, note=note)
        events_append(
            facts=[
                Fact(
                    kind=EventKind.CHILD_MOVED,
                    child_id=child.pk,
                    application_number=child.application_number,
                    reason=reason,
                )
            ],
            actor=actor_as(user, ActorRole.OFFICER),
        )
        _tell(before, child, locked, moved_away=True)
        _tell([locked.requested_by], child, locked, moved_away=False)
        touched.add(child.pk)  # the new family's contacts may verify the child or not
    return child


def transfer_refuse(
    *, request: TransferRequest, user: User | None, reason: str, note: str
) -> TransferRequest:
    """Refuse the request: the child stays where it is; the family sees why."""
    request_officer_required(actor=user, district_id=request.district_id)
    note = _reason_check(reason, REFUSE_REASONS, note)
    with transaction.atomic():
        locked = _pending(request)
        locked.decision_save(status=RequestStatus.REFUSED, by=user, reason=reason, note=note)
    return locked


def _tell(
    people: Iterable[User], child: Child, request: TransferRequest, *, moved_away: bool
) -> None:
    """A message in the cabinet (and its e-mail/SMS) to each of `people`, in their
    language: the child left their cabinet, or came into it."""
    ids = [p.pk for p in people]
    recipients = [
        recipient(*row)
        for row in User.objects.filter(pk__in=ids)
        .annotate(verified=verified_email("pk"))
        .values_list(*RECIPIENT, "verified")
    ]
    notes = []
    for person in recipients:
        with translation.override(person.language):
            if moved_away:
                subject = _("Дитину передано іншій родині за рішенням РУО")
                body = _(
                    "РУО перевірило документи і передало дитину із заявою № %(number)s "
                    "родині, яка є її законним представником. Якщо це помилка, зверніться "
                    "до РУО."
                ) % {"number": child.application_number}
                link = reverse("cabinet:home")
            else:
                subject = _("Дитину додано до вашого кабінету")
                body = _(
                    "РУО перевірило документи: дитина із заявою № %(number)s тепер у вашому "
                    "кабінеті з її датою реєстрації, садочками і пільгами."
                ) % {"number": child.application_number}
                link = reverse("cabinet:child", args=[child.pk])
        notes.append(
            Note(
                recipient=person,
                kind=EventKind.CHILD_MOVED,
                subject=subject,
                body=body,
                sms=subject,
                link=link,
                event_key=f"child_moved:{request.pk}",
            )
        )
    notes_send(notes=notes)
