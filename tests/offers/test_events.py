import datetime as dt
import enum

import pytest

from sadok.offers.events import OfferEvent, OfferFacts, texts

FACTS = OfferFacts(
    pk=1,
    child_id=2,
    child="Марко",
    number=5,
    name="Веселка",
    group="2 молодша",
    answer_by=dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC),
    documents_by=dt.datetime(2026, 12, 8, 10, tzinfo=dt.UTC),
    reason="група закривається",
)


@pytest.mark.parametrize("language", ["uk", "en"])
def test_every_offer_event_has_its_own_text(language):
    told = {event: texts(FACTS, event, language) for event in OfferEvent}
    assert all(subject and body and sms for subject, body, sms in told.values())
    # No event borrows another's text (an unknown one used to get "enrolled").
    assert len({body for _, body, _ in told.values()}) == len(OfferEvent)


def test_an_event_without_a_text_fails_instead_of_borrowing_one():
    class Made(enum.StrEnum):
        UP = "offer_made_up"

    with pytest.raises(KeyError):
        texts(FACTS, Made.UP, "uk")
