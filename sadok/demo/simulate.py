"""A month of the demo city, day by day, through the services people use.

Families register children and choose kindergartens, some claim a privilege that
the district office confirms the next day, heads declare free places, families
accept, decline or ignore their offers, heads confirm documents, the deadline
sweep expires what was ignored and offers the places on, the nightly run offers
every open place again, and a wave allocates the places declared for its date.
The clock (`sadok.clock.at`) moves through the days, so every deadline and
birthday counts as it would. Everything it does is in the journal, and so in the
public log, which `manage.py verify_log` replays (docs/open-data.md).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sadok import clock
from sadok.accounts.models import User
from sadok.applications.certificates import parse_ukrainian
from sadok.applications.demo import NAMES, SURNAMES, demo_pdf
from sadok.applications.models import ClaimStatus, PrivilegeCategory, PrivilegeClaim
from sadok.applications.services import NewChild, child_register
from sadok.kindergartens.models import Group, Kindergarten
from sadok.offers import door, lifecycle
from sadok.offers.district import claim_confirm
from sadok.offers.models import Offer, OfferStatus
from sadok.offers.services import places_declare, wave_run
from sadok.offers.tasks import daily_run

DOMAIN = "month.demo.sadok.kyiv.ua"


@dataclass
class Month:
    """What the simulated month did, counted."""

    done: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return ", ".join(f"{what} {n}" for what, n in sorted(self.done.items()))


class _Day:
    """One simulated day's actions, with the month's random numbers and counts."""

    def __init__(self, rng: random.Random, month: Month, serial: int) -> None:
        self.rng, self.month, self.serial = rng, month, serial
        self.fate: dict[int, float] = {}

    def register(self, kindergartens: list[Kindergarten]) -> None:
        """A new family, its child, and one to three kindergartens of one district."""
        self.serial += 1
        n, rng = self.serial, self.rng
        user = User.objects.create(
            email=f"family{n}@{DOMAIN}",
            password=make_password(None),
            phone=f"+38066{n:07d}",
            phone_verified=True,
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        born = clock.today() - dt.timedelta(days=rng.randint(200, 5 * 365))
        child = child_register(
            user=user,
            data=NewChild(
                rng.choice(SURNAMES),
                rng.choice(NAMES),
                "",
                born,
                parse_ukrainian(f"V-КВ {100_000 + n}"),
            ),
        )
        district = rng.choice(kindergartens).district_id
        near = [k for k in kindergartens if k.district_id == district]
        for kindergarten in rng.sample(near, min(len(near), rng.randint(1, 3))):
            door.choice_add(child=child, kindergarten=kindergarten, user=user)
        self.month.done["registrations"] += 1
        if rng.random() < 0.15:
            category = rng.choice(list(PrivilegeCategory.objects.order_by("code")))
            door.claim_submit(
                child=child,
                user=user,
                category=category,
                document=SimpleUploadedFile("doc.pdf", demo_pdf(), "application/pdf"),
                valid_until=None,
            )
            self.month.done["claims"] += 1

    def confirm_claims(self) -> None:
        """The district office confirms yesterday's claims."""
        for claim in PrivilegeClaim.objects.filter(status=ClaimStatus.PENDING).order_by("pk"):
            claim_confirm(claim=claim, user=None, valid_until=None)
            self.month.done["claims confirmed"] += 1

    def declare(self, groups: list[Group], wave_date: dt.date | None = None) -> None:
        """A head declares one or two places in a group, now or for the wave."""
        group = self.rng.choice(groups)
        try:
            places_declare(
                group=group, count=self.rng.randint(1, 2), user=None, wave_date=wave_date
            )
        except ValidationError:
            return  # the group is full: a head would see why
        self.month.done["wave declarations" if wave_date else "declarations"] += 1

    def answer(self) -> None:
        """Each family with an offer made before today answers, or ignores it."""
        today = clock.today()
        for offer in Offer.objects.filter(status=OfferStatus.OFFERED).order_by("pk"):
            if offer.made_at.astimezone(clock.KYIV).date() >= today:
                continue
            # Each family decides once, when it first sees the offer.
            roll = self.fate.setdefault(offer.pk, self.rng.random())
            parent = offer.child.guardians.first()
            if parent is None or roll < 0.3:
                continue  # ignored: the sweep expires it
            if roll < 0.5:
                lifecycle.offer_decline(offer=offer, user=parent)
                self.month.done["declined"] += 1
            else:
                lifecycle.offer_accept(offer=offer, user=parent)
                self.month.done["accepted"] += 1
        for offer in Offer.objects.filter(status=OfferStatus.ACCEPTED).order_by("pk"):
            if self.rng.random() < 0.5:
                lifecycle.documents_confirm(offer=offer, user=None)
                self.month.done["enrolled"] += 1


def month_simulate(*, days: int = 30, seed: int = 2026, wave_day: int = 20) -> Month:
    """Simulate `days` days from today, the wave on day `wave_day`."""
    rng, month = random.Random(seed), Month()  # noqa: S311 - a demo, reproducible by seed
    kindergartens = list(Kindergarten.objects.order_by("number"))
    groups = list(Group.objects.filter(band_review=False).order_by("pk"))
    start = clock.today()
    wave_date = start + dt.timedelta(days=wave_day)
    act = _Day(rng, month, serial=User.objects.filter(email__endswith=DOMAIN).count())
    for n in range(days):
        day = start + dt.timedelta(days=n)
        with clock.at(dt.datetime.combine(day, dt.time(0, 10), tzinfo=clock.KYIV)):
            if n == wave_day:  # the wave first, then the night's run
                month.done["wave places"] += wave_run(on=day)[2]
            daily_run()
        with clock.at(dt.datetime.combine(day, dt.time(9), tzinfo=clock.KYIV)):
            act.confirm_claims()
            for _ in range(rng.randint(2, 6)):
                act.register(kindergartens)
            for _ in range(6 if n in (2, 3, 4) else 0):
                act.declare(groups, wave_date=wave_date)
        with clock.at(dt.datetime.combine(day, dt.time(18), tzinfo=clock.KYIV)):
            act.answer()
            for _ in range(rng.randint(0, 2)):
                act.declare(groups)
        with clock.at(dt.datetime.combine(day, dt.time(23, 59), tzinfo=clock.KYIV)):
            report = lifecycle.deadlines_process()
            month.done["expired"] += len(report.expired)
    month.done["offers"] = Offer.objects.count()
    return month
