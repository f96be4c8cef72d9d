"""The door of the cabinet's writes that change what the queue knows of a child.

Each is the applications' write (`sadok.applications.services`) in one
transaction that ends by refreshing the child's queue record (`records_kept`):
the parent's cabinet and every other caller go through here, never around.
"""

from __future__ import annotations

from sadok.accounts.models import User
from sadok.applications import services as applications
from sadok.applications.models import Child, Choice
from sadok.kindergartens.models import Kindergarten
from sadok.queue.records import records_kept


def choice_add(*, child: Child, kindergarten: Kindergarten) -> Choice:
    """`applications.choice_add`: the first kindergarten puts the child in the queue."""
    with records_kept() as touched:
        choice = applications.choice_add(child=child, kindergarten=kindergarten)
        touched.add(child.pk)
    return choice


def choice_move(*, choice: Choice, up: bool) -> None:
    with records_kept() as touched:
        applications.choice_move(choice=choice, up=up)
        touched.add(choice.child_id)


def choice_remove(*, choice: Choice) -> None:
    with records_kept() as touched:
        applications.choice_remove(choice=choice)
        touched.add(choice.child_id)


def keep_waiting_set(*, child: Child, keep_waiting: bool) -> None:
    with records_kept() as touched:
        applications.keep_waiting_set(child=child, keep_waiting=keep_waiting)
        touched.add(child.pk)


def child_reactivate(*, child: Child) -> None:
    with records_kept() as touched:
        applications.child_reactivate(child=child)
        touched.add(child.pk)


def invitation_accept(*, code: str, user: User) -> Child:
    """A second guardian joins: its verified contacts may now verify the child."""
    with records_kept() as touched:
        child = applications.invitation_accept(code=code, user=user)
        touched.add(child.pk)
    return child


def legacy_claim(*, user: User, claim: applications.LegacyClaim) -> Child:
    """A child from the old system enters the queue with its old date and choices."""
    with records_kept() as touched:
        child = applications.legacy_claim(user=user, claim=claim)
        touched.add(child.pk)
    return child
