"""A month of the demo city through the services people use, and the public log
of it replayed: every offer the engine made is one the rules explain."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from sadok.journal.models import Event, EventKind
from tests.journal.log_events import log_starts_now

pytestmark = pytest.mark.django_db

LIFE = {
    EventKind.REGISTERED,
    EventKind.PRIVILEGE_CLAIMED,
    EventKind.PRIVILEGE_CONFIRMED,
    EventKind.PLACE_DECLARED,
    EventKind.OFFER_MADE,
    EventKind.OFFER_ACCEPTED,
    EventKind.OFFER_DECLINED,
    EventKind.OFFER_EXPIRED,
    EventKind.DOCUMENTS_CONFIRMED,
}


@time_machine.travel(dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC), tick=False)
def test_a_simulated_month_replays_from_the_public_log_to_every_offer():
    log_starts_now()
    call_command("load_demo_city", verbosity=0)
    out = StringIO()
    call_command("simulate_month", stdout=out)
    assert "Published" in out.getvalue()
    assert "wait for a transaction" not in out.getvalue()
    assert set(Event.objects.values_list("kind", flat=True)) >= LIFE
    assert Event.objects.filter(kind=EventKind.ALLOCATION, reason="wave").exists()
    made = Event.objects.filter(kind__in=(EventKind.OFFER_MADE, EventKind.OFFER_UPGRADED))
    assert made.count() >= 20
    verdict = StringIO()
    call_command("verify_log", stdout=verdict)
    assert "the rules explain every offer: " in verdict.getvalue()
    assert f" {made.count()} offers replayed" in verdict.getvalue()
