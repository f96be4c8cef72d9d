"""The offer cycle with the clock moved produces exactly: the offer, one reminder
three days before the end, and the expiry — in the cabinet, by e-mail and by SMS."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from sadok import clock
from sadok.notifications.delivery import deliveries_process
from sadok.notifications.models import Message
from sadok.offers.lifecycle import deadlines_process
from sadok.offers.services import places_declare
from sadok.sms import LocmemSmsBackend

pytestmark = pytest.mark.django_db
DAY0 = dt.datetime(2026, 11, 27, 10, tzinfo=clock.KYIV)


def _at(moment, *steps):
    with time_machine.travel(moment, tick=False):
        for step in steps:
            step()


@pytest.mark.usefixtures("bulk_paths")
def test_offer_reminder_expiry_on_every_channel(nursery, queue_of, settings):
    settings.SADOK_BASE_URL = "https://sadok.kyiv.ua"
    _at(DAY0, lambda: queue_of(nursery.kindergarten, count=1))
    _at(DAY0, lambda: places_declare(group=nursery, count=1, user=None), deliveries_process)
    for hour in range(0, 24 * 12, 6):  # the sweep and the worker, every six hours
        _at(DAY0 + dt.timedelta(hours=hour), deadlines_process, deliveries_process)

    kinds = list(Message.objects.order_by("created_at").values_list("kind", flat=True))
    assert kinds == ["offer_made", "offer_reminder", "offer_expired"]
    assert [m.subject for m in mail.outbox] == [
        "Місце для дитини: садочок № {} «{}», група «{}»".format(  # noqa: UP032
            nursery.kindergarten.number, nursery.kindergarten.name, nursery.name
        ),
        "Нагадування: відповідь до 07.12.2026 23:59",
        "Участь у черзі призупинено",
    ]
    number = nursery.kindergarten.number
    assert [s.text for s in LocmemSmsBackend.outbox] == [
        f"Sadok: місце в садочку №{number}. Відповідь до 07.12 23:59 sadok.kyiv.ua",
        f"Sadok: нагадування, відповідь щодо садочка №{number} до 07.12 23:59 sadok.kyiv.ua",
        "Sadok: участь у черзі призупинено. Відновіть її в кабінеті sadok.kyiv.ua",
    ]
    # The offer fits one Cyrillic segment; none takes more than two.
    assert len(LocmemSmsBackend.outbox[0].text) <= 70
    assert all(len(s.text) <= 134 for s in LocmemSmsBackend.outbox)
    reminder = Message.objects.get(kind="offer_reminder")
    assert reminder.created_at.astimezone(clock.KYIV).date() == dt.date(2026, 12, 4)
