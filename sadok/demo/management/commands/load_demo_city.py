from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sadok.accounts.demo import DEMO_PASSWORD, demo_logins
from sadok.accounts.models import Role, RoleKind, User
from sadok.applications.demo import (
    DEMO_QID,
    demo_enrolled_children_name,
    demo_families_create,
    demo_parent_child_create,
)
from sadok.applications.models import LegacyRecord
from sadok.applications.privileges import privilege_categories_ensure
from sadok.demo.users import demo_users_create
from sadok.kindergartens.demo import demo_city_load
from sadok.kindergartens.models import Kindergarten
from sadok.offers.genesis import genesis_ensure
from sadok.queue.records import queue_records_refresh


class Command(BaseCommand):
    help = "Load the demo Kyiv (10 districts, 80 kindergartens, users of every role)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        if Kindergarten.objects.exists():
            self.stdout.write("The demo city is already loaded.")
        else:
            privilege_categories_ensure()
            summary = demo_city_load(seed=seed)
            demo_users_create()
            children = demo_families_create(seed=seed)
            demo_parent_child_create(parent=User.objects.get(email__startswith="parent1@"))
            demo_enrolled_children_name(
                kindergartens=list(
                    Role.objects.filter(kind=RoleKind.HEAD).values_list("kindergarten", flat=True)
                ),
                seed=seed,
            )
            # The demo writes its families in bulk, past the queue's door: their queue
            # records are written once, at the end.
            queue_records_refresh(children=None)
            genesis_ensure()  # and the journal begins with them
            _group_change_propose()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo Kyiv loaded: {summary.districts} districts, {summary.kindergartens} "
                    f"kindergartens, {summary.groups} groups, {summary.enrolled} children "
                    f"enrolled, {children + 1} children in the queues."
                )
            )
        logins = demo_logins()
        if not logins:
            return
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.email:<32} {login.role}")
        self.stdout.write(
            "Staff sign in with a second factor: `make totp EMAIL=head@demo.sadok.kyiv.ua` "
            "prints the current code."
        )
        record = LegacyRecord.objects.filter(qid=DEMO_QID, claimed_by__isnull=True).first()
        if record is not None:
            self.stdout.write(
                f"parent1's child stood in the old system's queue earlier: restore that date "
                f"from the child's page with Qid {record.qid}, "
                f"date {record.registered_on:%d.%m.%Y}."
            )


def _group_change_propose() -> None:
    """The demo head asks to enlarge a group by one: the district officer's workspace
    shows it waiting for approval."""
    from sadok import clock
    from sadok.kindergartens.models import Group, GroupChange

    head = User.objects.filter(email__startswith="head@").first()
    group = Group.objects.filter(kindergarten__roles__user=head).order_by("age_from_months").last()
    if head is None or group is None:
        return
    GroupChange.objects.create(
        kindergarten=group.kindergarten,
        group=group,
        name=group.name,
        kind=group.kind,
        age_from_months=group.age_from_months,
        age_to_months=group.age_to_months,
        capacity=group.capacity + 1,
        specialisation=group.specialisation,
        language=group.language,
        over_legal_reason="Друга спальня після ремонту." if group.capacity + 1 > 20 else "",
        proposed_at=clock.now(),
        proposed_by=head,
    )
