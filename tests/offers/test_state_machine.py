"""The promise "a freed place is offered at once, and no person chooses", as
invariants over random sequences of the services (hypothesis, on PostgreSQL).

After every step, whatever the sequence:
- no blocking pair: for every open place not reserved for a wave to come, no child
  in its group's queue today lacks a live offer at a kindergarten it ranks at or
  above that place's kindergarten (SPEC.md "Group formation");
- a place has at most one live offer, a child at most one open offer;
- every queue record equals its sources;
- the journal, replayed through `sadok.allocation` from its genesis events, gives
  exactly the offers each engine run made.

The steps are what people and the clock do: register a child, choose, reorder and
drop kindergartens, keep waiting, verify a phone, claim a privilege and have the
district office confirm (some lapse), reject or end it, record a referral (the city
has a special group), raise and clear a duplicate flag, change a group's band or
capacity with the office's approval, reactivate, declare places (now or for the
wave) and withdraw them, answer offers, give up an accepted place, extend the
documents' deadline, bring documents, leave a group, the next day (the deadline
sweep and the nightly run) and the wave. `make fuzz` runs many more.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections import Counter
from typing import Any

import pytest
import time_machine
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from sadok.accounts.models import Role, RoleKind, User
from sadok.allocation import Reason, eligibility
from sadok.applications import services as applications
from sadok.applications.certificates import parse_ukrainian
from sadok.applications.models import (
    Child,
    ChildStatus,
    ClaimStatus,
    DuplicateFlag,
    FlagStatus,
    PrivilegeCategory,
    PrivilegeClaim,
)
from sadok.kindergartens.models import Enrollment, Group, GroupChange, Kindergarten
from sadok.offers import district, door, lifecycle, services
from sadok.offers.engine import group_specs
from sadok.offers.genesis import genesis_ensure
from sadok.offers.models import Offer, OfferStatus, Place, PlaceStatus
from sadok.offers.replay import journal_replay
from sadok.offers.states import TransitionRefused
from sadok.offers.tasks import daily_run
from sadok.queue.applicants import applicants_for
from sadok.queue.records import queue_records_check
from tests.admin_pages import admin_save
from tests.factories import (
    GroupFactory,
    KindergartenFactory,
    SpecialisationFactory,
    enroll,
    pdf_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]

START = dt.datetime(2026, 11, 27, 8, tzinfo=dt.UTC)
WAVE = dt.date(2027, 9, 1)
FUZZ = bool(os.environ.get("SADOK_FUZZ"))
PDF = pdf_bytes()
REFUSED = (ValidationError, TransitionRefused)


def _letters(n: int) -> str:
    """A number spelt in letters: names hold no digits (sadok.accounts.names)."""
    return "".join("абвгдежзик"[int(d)] for d in str(n))


class City(RuleBasedStateMachine):
    """Three kindergartens, each with a one-year group for 1-2, 2-3 and 3-4 year olds,
    nearly full; families come and go."""

    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.clock = time_machine.travel(self.now, tick=False)
        self.clock.start()
        self.kindergartens: list[Any] = []
        self.n = 0

    def teardown(self) -> None:
        self.clock.stop()

    @initialize()
    def city(self) -> None:
        self.head = User.objects.create_user("head@example.com", "x")
        self.officer = User.objects.create_user("officer@example.com", "x")
        self.kindergartens = [KindergartenFactory() for _ in range(3)]
        for district_ in {k.district for k in self.kindergartens}:
            Role.objects.create(user=self.officer, kind=RoleKind.OFFICER, district=district_)
        for kindergarten in self.kindergartens:  # one person heads all three
            Role.objects.create(user=self.head, kind=RoleKind.HEAD, kindergarten=kindergarten)
        for kindergarten in self.kindergartens:
            for low in (12, 24, 36):
                group = GroupFactory(
                    kindergarten=kindergarten,
                    name=f"{low}",
                    age_from_months=low,
                    age_to_months=low + 12,
                    capacity=4,
                )
                enroll(group, 2)  # type: ignore[arg-type]
        # A special group: only children with a PMPK referral queue for it.
        speech = SpecialisationFactory(slug="speech", referral="pmpk")
        GroupFactory(
            kindergarten=self.kindergartens[0],
            name="спеціальна",
            kind="special",
            specialisation=speech,
            age_from_months=24,
            age_to_months=60,
            capacity=2,
        )
        genesis_ensure()  # the journal begins with the city

    # -- helpers -------------------------------------------------------------------------

    def _pick(self, model: Any, index: int, **where: object) -> Any:
        rows = list(model.objects.filter(**where).distinct().order_by("pk"))
        return rows[index % len(rows)] if rows else None

    def _travel(self, days: int) -> None:
        self.clock.stop()
        self.now += dt.timedelta(days=days)
        self.clock = time_machine.travel(self.now, tick=False)
        self.clock.start()

    # -- families ------------------------------------------------------------------------

    @rule(
        age_days=st.integers(200, 1500),
        verified=st.booleans(),
        picks=st.lists(st.integers(0, 2), min_size=0, max_size=3, unique=True),
    )
    def register(self, age_days: int, verified: bool, picks: list[int]) -> None:
        self.n += 1
        parent = User.objects.create_user(f"p{self.n}@example.com", "x")
        EmailAddress.objects.create(user=parent, email=parent.email, verified=True, primary=True)
        if verified:
            parent.phone, parent.phone_verified = f"+38050{self.n:07d}", True
            parent.save()
        child = applications.child_register(
            user=parent,
            data=applications.NewChild(
                f"Прізвище{_letters(self.n)}",
                f"Ім'я{_letters(self.n)}",
                "",
                self.now.date() - dt.timedelta(days=age_days),
                parse_ukrainian(f"I-КВ {100000 + self.n}"),
            ),
        )
        for pick in picks:
            door.choice_add(child=child, kindergarten=self.kindergartens[pick])

    @rule(index=st.integers(0, 50), pick=st.integers(0, 2))
    def choose(self, index: int, pick: int) -> None:
        child = self._pick(Child, index)
        if child is not None:
            door.choice_add(child=child, kindergarten=self.kindergartens[pick])

    @rule(index=st.integers(0, 50), up=st.booleans())
    def reorder(self, index: int, up: bool) -> None:
        from sadok.applications.models import Choice

        choice = self._pick(Choice, index)
        if choice is not None:
            door.choice_move(choice=choice, up=up)

    @rule(index=st.integers(0, 50))
    def drop(self, index: int) -> None:
        from sadok.applications.models import Choice

        choice = self._pick(Choice, index)
        if choice is not None:
            door.choice_remove(choice=choice)

    @rule(index=st.integers(0, 50), keep=st.booleans())
    def keep_waiting(self, index: int, keep: bool) -> None:
        child = self._pick(Child, index)
        if child is not None:
            door.keep_waiting_set(child=child, keep_waiting=keep)

    @rule(index=st.integers(0, 50))
    def verify_phone(self, index: int) -> None:
        parent = self._pick(User, index, phone_verified=False, guardianships__isnull=False)
        if parent is not None:
            get_adapter().set_phone(parent, f"+38067{parent.pk:07d}", True)

    # -- the district office -------------------------------------------------------------

    def _chose(self, index: int) -> Any:
        """A child the office may decide for (one that chose a kindergarten)."""
        return self._pick(Child, index, choices__isnull=False)

    @rule(index=st.integers(0, 50), tier=st.integers(1, 3))
    def claim(self, index: int, tier: int) -> None:
        """A family files a privilege claim with its document."""
        child = self._chose(index)
        if child is None:
            return
        with contextlib.suppress(ValidationError):  # e.g. the child's documents are at the cap
            door.claim_submit(
                child=child,
                user=child.guardians.first(),
                category=PrivilegeCategory.objects.filter(tier=tier).order_by("pk")[0],
                document=SimpleUploadedFile("d.pdf", PDF, "application/pdf"),
                valid_until=None,
            )

    @rule(index=st.integers(0, 50), confirm=st.booleans(), lapses=st.booleans())
    def decide_claim(self, index: int, confirm: bool, lapses: bool) -> None:
        """The district office confirms (some documents lapse) or rejects a claim."""
        claim = self._pick(
            PrivilegeClaim, index, status=ClaimStatus.PENDING, child__choices__isnull=False
        )
        if claim is None:
            return
        if confirm:
            until = self.now.date() + dt.timedelta(days=10) if lapses else None
            district.claim_confirm(claim=claim, user=self.officer, valid_until=until)
        else:
            district.claim_reject(
                claim=claim, user=self.officer, reason="document_unreadable", note="нечітко"
            )

    @rule(index=st.integers(0, 50))
    def end_claim(self, index: int) -> None:
        claim = self._pick(
            PrivilegeClaim, index, status=ClaimStatus.CONFIRMED, child__choices__isnull=False
        )
        if claim is not None:
            district.claim_end(
                claim=claim, user=self.officer, reason="document_revoked", note="відкликано"
            )

    @rule(index=st.integers(0, 50), lapses=st.booleans())
    def referral(self, index: int, lapses: bool) -> None:
        """The district office records a PMPK referral (the city has a special group)."""
        child = self._chose(index)
        if child is not None:
            district.referral_record(
                child=child,
                user=self.officer,
                kind="pmpk",
                valid_until=self.now.date() + dt.timedelta(days=20) if lapses else None,
            )

    @rule(index=st.integers(0, 50), other=st.integers(0, 50))
    def flag(self, index: int, other: int) -> None:
        """A near-duplicate found at registration, or one the office raises by hand."""
        child, twin = self._pick(Child, index), self._pick(Child, other)
        if child is None or twin is None or child == twin:
            return
        if child.choices.exists():
            district.flag_raise(
                child=child, user=self.officer, reason="suspected_duplicate", note="схожий"
            )
        else:
            admin_save(DuplicateFlag(child=child, similar_to=twin, reason="?", created_at=self.now))

    @rule(index=st.integers(0, 50))
    def clear_flag(self, index: int) -> None:
        flag = self._pick(
            DuplicateFlag, index, status=FlagStatus.OPEN, child__choices__isnull=False
        )
        if flag is not None:
            district.flag_clear(
                flag=flag, user=self.officer, reason="checked_not_duplicate", note="різні діти"
            )

    @rule(index=st.integers(0, 8), shift=st.sampled_from([-12, 0, 12]), more=st.integers(0, 2))
    def change_group(self, index: int, shift: int, more: int) -> None:
        """A head proposes a group's new band or capacity; the district office approves
        (the group's open places go to the queue the change made)."""
        group = self._pick(Group, index, specialisation__isnull=True)
        if group is None:
            return
        low = min(max(group.age_from_months + shift, 12), 60)
        change = GroupChange.objects.create(
            kindergarten=group.kindergarten,
            group=group,
            name=group.name,
            kind=group.kind,
            age_from_months=low,
            age_to_months=low + 12,
            capacity=group.capacity + more,
            proposed_at=self.now,
            proposed_by=self.head,
        )
        with contextlib.suppress(ValidationError):  # e.g. a capacity below the children
            district.group_change_approve(change=change, user=self.officer)

    @rule(index=st.integers(0, 50))
    def reactivate(self, index: int) -> None:
        child = self._pick(Child, index, status=ChildStatus.DEACTIVATED)
        if child is not None:
            door.child_reactivate(child=child)

    # -- heads ---------------------------------------------------------------------------

    @rule(index=st.integers(0, 8), count=st.integers(1, 2), wave=st.booleans())
    def declare(self, index: int, count: int, wave: bool) -> None:
        group = self._pick(Group, index)
        with contextlib.suppress(*REFUSED):
            services.places_declare(
                group=group, count=count, user=None, wave_date=WAVE if wave else None
            )

    @rule(index=st.integers(0, 50))
    def withdraw(self, index: int) -> None:
        place = self._pick(Place, index, status__in=(PlaceStatus.OPEN, PlaceStatus.OFFERED))
        if place is not None:
            with contextlib.suppress(*REFUSED):
                services.place_withdraw(place=place, user=self.head, reason="помилка")

    @rule(index=st.integers(0, 50))
    def documents(self, index: int) -> None:
        offer = self._pick(Offer, index, status=OfferStatus.ACCEPTED)
        if offer is not None:
            lifecycle.documents_confirm(offer=offer, user=self.head)

    @rule(index=st.integers(0, 50))
    def leave(self, index: int) -> None:
        enrollment = self._pick(Enrollment, index, ended_on__isnull=True)
        if enrollment is not None:
            lifecycle.enrollment_release(enrollment=enrollment, user=self.head, reason="переїзд")

    # -- families answer -------------------------------------------------------------------

    @rule(index=st.integers(0, 50), accept=st.booleans())
    def answer(self, index: int, accept: bool) -> None:
        offer = self._pick(Offer, index, status=OfferStatus.OFFERED)
        if offer is None:
            return
        guardian = offer.child.guardians.first()
        with contextlib.suppress(*REFUSED):
            if accept:
                lifecycle.offer_accept(offer=offer, user=guardian)
            else:
                lifecycle.offer_decline(offer=offer, user=guardian)

    @rule(index=st.integers(0, 50))
    def give_up(self, index: int) -> None:
        """A family gives up an accepted place before its documents are confirmed."""
        offer = self._pick(Offer, index, status=OfferStatus.ACCEPTED)
        if offer is not None:
            lifecycle.acceptance_withdraw(offer=offer, user=offer.child.guardians.first())

    @rule(index=st.integers(0, 50))
    def extend(self, index: int) -> None:
        offer = self._pick(Offer, index, status=OfferStatus.ACCEPTED)
        if offer is not None:
            with contextlib.suppress(*REFUSED):
                lifecycle.documents_extend(offer=offer, user=offer.child.guardians.first())

    # -- the clock -------------------------------------------------------------------------

    @rule(days=st.sampled_from([1, 3, 11, 40]), whole=st.booleans())
    def next_day(self, days: int, whole: bool) -> None:
        """Time passes: the deadline sweep and the nightly run do their work (the sweep
        re-offers by the heads of the queues, or with the queues read whole)."""
        self._travel(days)
        with override_settings(SADOK_WHOLE_READ_FROM=1 if whole else 10**6):
            lifecycle.deadlines_process()
        daily_run()

    @precondition(lambda self: self.now.date() < WAVE)
    @rule()
    def wave(self) -> None:
        """The September wave on its date (the clock moves there; the nightly run of that
        date has run, as every night)."""
        self._travel((WAVE - self.now.date()).days)
        daily_run()
        services.wave_run(on=WAVE)

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def no_place_stays_open_while_a_child_waits_for_it(self) -> None:
        if not self.kindergartens:
            return
        today = self.now.date()
        open_places = [
            p
            for p in Place.objects.filter(status=PlaceStatus.OPEN)
            if p.wave_date is None or p.wave_date <= today
        ]
        if not open_places:
            return
        groups = group_specs(pk__in={p.group_id for p in open_places})
        live: dict[int, list[int]] = {}
        for child, kindergarten in Offer.objects.filter(
            status__in=(OfferStatus.OFFERED, OfferStatus.ACCEPTED)
        ).values_list("child_id", "place__group__kindergarten_id"):
            live.setdefault(child, []).append(kindergarten)
        applicants = applicants_for(kindergartens=None, at=today)
        for place in open_places:
            group = groups[place.group_id]
            for a in applicants:
                if eligibility(applicant=a, group=group, at=today) is not Reason.ELIGIBLE:
                    continue
                better = [k for k in live.get(a.id, []) if a.rank(k) <= a.rank(group.kindergarten)]
                assert better, (
                    f"place {place.pk} of group {group.id} is open while child {a.id} waits"
                )

    @invariant()
    def one_live_offer_a_place_one_open_offer_a_child(self) -> None:
        live = Offer.objects.filter(status__in=(OfferStatus.OFFERED, OfferStatus.ACCEPTED))
        assert max(Counter(live.values_list("place_id", flat=True)).values(), default=0) <= 1
        offered = live.filter(status=OfferStatus.OFFERED).values_list("child_id", flat=True)
        assert max(Counter(offered).values(), default=0) <= 1

    @invariant()
    def records_equal_their_sources(self) -> None:
        assert queue_records_check() == []

    @invariant()
    def the_journal_replayed_through_the_core_gives_the_same_offers(self) -> None:
        replay = journal_replay()
        assert replay.mismatches == []


City.TestCase.settings = settings(
    max_examples=200 if FUZZ else 12,
    stateful_step_count=60 if FUZZ else 25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_the_offer_cycle_keeps_its_promises() -> None:
    """One test function in pytest-django's transaction: each example starts from an
    empty city (the rows of the one before are deleted first)."""
    from hypothesis.stateful import run_state_machine_as_test

    def fresh() -> City:
        from sadok.journal.models import Event
        from sadok.notifications.models import Delivery, Message
        from sadok.offers.models import AllocationRun, Decision

        for model in (
            Event,
            Delivery,
            Message,
            Decision,
            AllocationRun,
            Offer,
            Place,
            Enrollment,
            Child,
            Group,
            Kindergarten,
            User,
        ):
            model.objects.all().delete()
        return City()

    run_state_machine_as_test(fresh, settings=City.TestCase.settings)  # type: ignore[arg-type]
