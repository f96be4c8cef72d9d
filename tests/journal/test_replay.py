"""The journal replayed through the pure core gives the offers the engine made, and a
journal that lost an event is caught."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import call_command

from sadok.allocation.replay import replay
from sadok.journal.log import log_append, log_rows
from sadok.journal.models import Event, EventKind
from sadok.offers.replay import journal_replay
from tests.journal.conftest import BORN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]


def test_the_journal_replayed_through_the_core_gives_every_runs_offers(story):
    replay = journal_replay()
    assert replay.mismatches == []
    assert replay.runs >= 4
    assert Event.objects.filter(kind=EventKind.OFFER_UPGRADED).exists()


@pytest.mark.parametrize(
    "lost", [EventKind.FLAG_RESOLVED, EventKind.CHOICE_MOVED, EventKind.PRIVILEGE_CONFIRMED]
)
def test_a_journal_that_lost_an_event_does_not_replay(story, lost):
    Event.objects.filter(kind=lost).delete()
    assert journal_replay().mismatches != []


# The public log: what anyone downloads is enough to replay every offer.


def _published() -> list[dict]:
    while log_append():
        pass
    return list(log_rows())


def test_the_public_log_explains_every_offer_of_the_story(log_began, story):
    rows = _published()
    found = replay(rows)
    assert found.mismatches == []
    made = Event.objects.filter(kind__in=(EventKind.OFFER_MADE, EventKind.OFFER_UPGRADED))
    assert found.runs >= 4
    assert found.offers == made.count() >= 4
    out = StringIO()
    call_command("verify_log", stdout=out)
    assert f"the rules explain every offer: {found.runs} runs, {found.offers} offers" in (
        out.getvalue()
    )


def test_the_log_carries_ages_in_whole_years_only(log_began, story):
    runs = [r for r in _published() if r["kind"] == "allocation"]
    assert runs
    for run in runs:
        assert "ages" not in run["data"]
        assert set(run["data"]["years"].values()) <= {2, 3}  # born 2024-06-01
    text = json.dumps([r["data"] for r in _published()])
    assert BORN.isoformat() not in text
    assert BORN.strftime("%d.%m.%Y") not in text


def _first(rows: list[dict], kind: str) -> dict:
    return next(r for r in rows if r["kind"] == kind)


def _run_of(rows: list[dict], entry: dict) -> int:
    """The seq of the allocation entry whose run made `entry`."""
    return next(
        r["seq"]
        for r in rows
        if r["kind"] == "allocation" and r["data"]["run"] == entry["data"]["run"]
    )


def _numbers(rows: list[dict]) -> list[str]:
    return [r["application_number"] for r in rows if r["kind"] == "registered"]


@pytest.mark.parametrize(
    "forgery",
    ["offer to another child", "offer left out", "privilege left out", "earlier date"],
)
def test_a_log_rewritten_with_its_chain_rebuilt_is_caught_by_the_replay(log_began, story, forgery):
    """A forger who rebuilds the hash chain beats the chain check unless someone
    saved a head; the replay still finds the offer the rules do not explain."""
    rows = copy.deepcopy(_published())
    offer = _first(rows, "offer_made")
    named = _run_of(rows, offer)
    if forgery == "offer to another child":
        offer["application_number"] = next(
            n for n in _numbers(rows) if n != offer["application_number"]
        )
    elif forgery == "offer left out":
        rows.remove(offer)
    elif forgery == "privilege left out":
        rows.remove(_first(rows, "privilege_confirmed"))
        named = None  # the first run after it fails, whichever it is
    else:  # the last child registered claims the earliest registration
        last = [r for r in rows if r["kind"] == "registered"][-1]
        last["data"]["registered_at"] = "2020-01-01T00:00:00+00:00"
        named = None
    found = replay(rows)
    assert found.mismatches != []
    if named is not None:
        assert found.mismatches[0].startswith(f"entry {named}: the rules offer")
