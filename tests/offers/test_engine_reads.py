"""A head's "+N" reads only the queues its cascade reaches, narrowed by birth date,
and of each only its head (`engine.HEAD` children, more when the walk goes past).
Whatever it leaves unread must not change the result: on random small cities,
every "+N" gives exactly the offers and withdrawals of the pure engine run over
the whole city, with heads so short that most walks go past them; and so does the
run for many places (`allocation_run_whole`, from `SADOK_WHOLE_READ_FROM`), which
reads the queues whole."""

import datetime as dt
import random

import pytest
import time_machine

from sadok.allocation import OpenOffer, allocate
from sadok.allocation import Place as PlaceSpec
from sadok.applications.models import (
    ChildStatus,
    DuplicateFlag,
)
from sadok.kindergartens.models import Group
from sadok.offers import engine
from sadok.offers.door import keep_waiting_set
from sadok.offers.models import Offer, OfferStatus, Place
from sadok.offers.selectors import group_room
from sadok.offers.services import places_declare
from sadok.queue.applicants import applicants_for
from sadok.queue.records import queue_records_refresh
from sadok.queue.selectors import group_spec
from tests.factories import EnrollmentFactory, GroupFactory, KindergartenFactory, claim_of
from tests.offers.conftest import NOW

pytestmark = pytest.mark.django_db
AGES = ((12, 24), (24, 36), (36, 48))


def _open_offers():
    return [
        OpenOffer(place=p, group=g, kindergarten=k, applicant=c)
        for p, g, k, c in Offer.objects.filter(status=OfferStatus.OFFERED).values_list(
            "place_id", "place__group_id", "place__group__kindergarten_id", "child_id"
        )
    ]


@pytest.mark.parametrize(
    ("seed", "head", "ties", "whole"),
    [
        (1, 1, False, False),
        (2, 1, False, False),
        (3, 2, False, False),
        (4, 2, False, False),
        (5, 3, False, False),
        (6, 3, False, False),
        (7, 4, False, False),
        (8, engine.HEAD, False, False),
        (9, 1, True, False),
        (10, 2, True, False),
        (11, 2, True, False),
        (12, 3, True, False),
        (13, 4, True, False),
        # The deadline sweep's run for many places: the queues read whole, once.
        (14, 1, False, True),
        (15, 2, True, True),
        (16, engine.HEAD, False, True),
    ],
)
def test_plus_n_gives_what_the_whole_city_would(
    seed, head, ties, whole, queue_of, monkeypatch, settings
):
    monkeypatch.setattr(engine, "HEAD", head)
    settings.SADOK_WHOLE_READ_FROM = 1 if whole else 10**6
    monkeypatch.setattr(engine, "_HEADS_AT_ONCE", 1 + seed % 2)  # a round in parts
    rnd = random.Random(seed)
    kindergartens = [KindergartenFactory() for _ in range(4)]
    for k in kindergartens:
        for low, high in AGES:
            GroupFactory(kindergarten=k, age_from_months=low, age_to_months=high, capacity=6)
    with time_machine.travel(NOW, tick=False):
        children = []
        for _ in range(36):
            born = dt.date(2022, 12, 1) + dt.timedelta(days=rnd.randrange(1000))
            chosen = rnd.sample(kindergartens, rnd.randint(1, 3))
            children += queue_of(*chosen, born=born)
    if ties:
        # Registered at the same moment (the old system's records kept only the
        # date), with few lottery numbers: the tie-breakers decide.
        for child in children:
            child.registered_at = NOW - dt.timedelta(days=rnd.choice([100, 200]))
            child.lottery = rnd.choice([5, 9])
            child.save()
    groups = list(Group.objects.all())
    # Children the engine must skip or treat apart: deactivated, flagged, with a
    # guardian whose phone is no longer verified, enrolled (some keep waiting); and
    # children with privileges, some lapsed before today (their best tier ever puts
    # them at the head the database reads, ahead of their place in the queue).
    for child in children:
        roll = rnd.random()
        if rnd.random() < 0.25:
            claim_of(
                child,
                tier=rnd.randint(1, 3),
                valid_until=rnd.choice([None, NOW.date() - dt.timedelta(days=1)]),
                submitted_at=NOW,
            )
        if roll < 0.08:
            child.status, child.status_changed_at = ChildStatus.DEACTIVATED, NOW
            child.save()
        elif roll < 0.16:
            DuplicateFlag.objects.create(
                child=child, similar_to=children[0], reason="?", created_at=NOW
            )
        elif roll < 0.24:
            guardian = child.guardians.get()
            guardian.phone_verified = False
            guardian.save()
        elif roll < 0.36:
            EnrollmentFactory(group=rnd.choice(groups), child=child)
            keep_waiting_set(child=child, keep_waiting=rnd.random() < 0.5)
    # The city above was written by hand, past the services: its records once.
    queue_records_refresh(children=[c.pk for c in children])
    specs = {g.pk: group_spec(g) for g in groups}
    today = NOW.date()
    with time_machine.travel(NOW, tick=False):
        for _ in range(12):
            group = rnd.choice(groups)
            count = min(rnd.randint(1, 3), group_room(group=group).free)
            if count < 1:
                continue
            applicants = applicants_for(kindergartens=None, at=today)
            before = _open_offers()
            last = Place.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

            places_declare(group=group, count=count, user=None)

            new = [
                PlaceSpec(id=p, group=group.pk)
                for p in Place.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)
            ]
            expected = allocate(
                places=new, groups=specs, applicants=applicants, open_offers=before, at=today
            )
            after = set(_open_offers())
            assert after == (set(before) - set(expected.withdrawn)) | set(expected.offers)
