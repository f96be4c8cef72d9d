"""The door of every write that changes what the queue knows of a child.

`queue_changes()` is its transaction: the writer names the children it touched;
at the end their queue records are refreshed (`queue.kept.records_kept`) and
every open place that one of them now fits is offered at once by the engine
(`open_places_offer`), so that no declared place stays open while a child eligible
for it waits (SPEC.md "Group formation"). The cabinet's writes below, the admin's
edits (`source_admin.py`), django-allauth's (`hooks.py`) and the offers' life
(`lifecycle.py`) all go through it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from sadok.accounts.models import User
from sadok.applications import services as applications
from sadok.applications.models import Child, Choice, PrivilegeCategory, PrivilegeClaim
from sadok.journal.models import ActorRole, EventKind
from sadok.journal.services import Actor, actor_as, events_append
from sadok.kindergartens.models import Kindergarten
from sadok.offers.facts import claim_fact
from sadok.offers.policies import guardian_required
from sadok.offers.settle import open_places_offer
from sadok.queue.kept import Touched, records_kept


def _parent(user: User | None, child_id: int | None = None) -> Actor:
    """The family acting on its child: a person must be one of its guardians
    (`policies.guardian_required`); None is the system (imports, the demo)."""
    if child_id is not None:
        guardian_required(actor=user, child_id=child_id)
    return actor_as(user, ActorRole.PARENT)


# Whether a `queue_changes` is open in this thread: only the outermost settles.
_open: ContextVar[bool] = ContextVar("queue_changes_open", default=False)


@contextlib.contextmanager
def queue_changes(actor: Actor | None = None) -> Iterator[Touched]:
    """The transaction of a write that may change a queue (see the module), by
    `actor` (None: the system), whose events the refresh appends."""
    if _open.get():
        with records_kept(actor) as touched:
            yield touched
        return
    token = _open.set(True)
    try:
        with records_kept(actor) as touched:
            yield touched
            touched.flush()
            open_places_offer(children=touched.seen)
    finally:
        _open.reset(token)


def choice_add(*, child: Child, kindergarten: Kindergarten, user: User | None = None) -> Choice:
    """`applications.choice_add`: the first kindergarten puts the child in the queue."""
    with queue_changes(_parent(user, child.pk)) as touched:
        choice = applications.choice_add(child=child, kindergarten=kindergarten)
        touched.add(child.pk)
    return choice


def choice_move(*, choice: Choice, up: bool, user: User | None = None) -> None:
    with queue_changes(_parent(user, choice.child_id)) as touched:
        applications.choice_move(choice=choice, up=up)
        touched.add(choice.child_id)


def choice_remove(*, choice: Choice, user: User | None = None) -> None:
    with queue_changes(_parent(user, choice.child_id)) as touched:
        applications.choice_remove(choice=choice)
        touched.add(choice.child_id)


def keep_waiting_set(*, child: Child, keep_waiting: bool, user: User | None = None) -> None:
    with queue_changes(_parent(user, child.pk)) as touched:
        applications.keep_waiting_set(child=child, keep_waiting=keep_waiting)
        touched.add(child.pk)


def child_reactivate(*, child: Child, user: User | None = None) -> None:
    with queue_changes(_parent(user, child.pk)) as touched:
        applications.child_reactivate(child=child)
        touched.add(child.pk)


def invitation_accept(*, code: str, user: User) -> Child:
    """A second guardian joins: its verified contacts may now verify the child."""
    with queue_changes(_parent(user)) as touched:
        child = applications.invitation_accept(code=code, user=user)
        touched.add(child.pk)
    return child


def legacy_claim(*, user: User, claim: applications.LegacyClaim) -> Child:
    """A child from the old system enters the queue with its old date and choices."""
    with queue_changes(_parent(user)) as touched:
        child = applications.legacy_claim(user=user, claim=claim)
        touched.add(child.pk)
    return child


def claim_submit(
    *,
    child: Child,
    user: User,
    category: PrivilegeCategory,
    document: UploadedFile,
    valid_until: dt.date | None,
) -> PrivilegeClaim:
    """A family files a privilege claim (`applications.claim_submit`), with its event;
    no queue changes until the district office confirms it."""
    actor = _parent(user, child.pk)
    with transaction.atomic():
        claim = applications.claim_submit(
            child=child, user=user, category=category, document=document, valid_until=valid_until
        )
        events_append(facts=[claim_fact(EventKind.PRIVILEGE_CLAIMED, claim)], actor=actor)
    return claim
