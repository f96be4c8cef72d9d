import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from sadok.allocation import Tier
from sadok.applications.models import Child
from sadok.kindergartens.selectors import groups_with_places
from tests.e2e.signing_in import sign_in
from tests.factories import claim_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NOW = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)


@pytest.fixture
def marko_first_in_line():
    """The demo city, with parent1's child put first in its nursery's queue."""
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo_city", verbosity=0)
    marko = Child.objects.get(guardians__email="parent1@demo.sadok.kyiv.ua")
    claim_of(marko, tier=Tier.OUT_OF_TURN, submitted_at=NOW)
    Child.objects.filter(pk=marko.pk).update(registered_at=NOW - dt.timedelta(days=700))
    head_kindergarten = marko.choices.get(rank=1).kindergarten
    group = groups_with_places().get(
        kindergarten=head_kindergarten, age_from_months=24, specialisation__isnull=True
    )
    if group.vacant == 0:
        group.capacity += 1
        group.save()
    return marko, group


@time_machine.travel(NOW, tick=True)
def test_offer_accepted_documents_confirmed_child_in_the_group_list(
    live_server, browser, screenshot, marko_first_in_line
):
    marko, group = marko_first_in_line
    head = browser.new_context(viewport={"width": 1280, "height": 900}, locale="uk-UA").new_page()
    parent = browser.new_context(viewport={"width": 420, "height": 900}, locale="uk-UA").new_page()
    group_url = live_server.url + reverse(
        "offers:group", args=[group.kindergarten.number, group.pk]
    )

    sign_in(
        head,
        live_server,
        "head@demo.sadok.kyiv.ua",
        totp=True,
        lands=f"/staff/kindergartens/{group.kindergarten.number}/",
    )
    head.goto(group_url)
    head.fill("#id_count", "1")
    head.check("input[name=intake][value=now]")
    head.click("main button:has-text('Оголосити')")
    assert "Пропозицій надіслано: 1" in head.inner_text(".messages")

    sign_in(parent, live_server, "parent1@demo.sadok.kyiv.ua", lands="/cabinet/")
    parent.goto(f"{live_server.url}/cabinet/children/{marko.pk}/")
    card = parent.locator(".offer-card").first
    assert "Відповідайте до" in card.inner_text()
    screenshot("30-parent-offer", of=parent)
    parent.click("main a:has-text('Прийняти місце')")
    parent.click("main button:has-text('Так, прийняти місце')")  # the second step
    assert "Принесіть керівнику до" in parent.locator(".offer-card").first.inner_text()
    screenshot("31-parent-accepted", of=parent)
    parent.goto(f"{live_server.url}/cabinet/messages/")
    assert "Місце для дитини" in parent.inner_text("main")

    head.goto(group_url)
    assert marko.full_name in head.inner_text("#accepted-heading + table")
    head.click("main button:has-text('Документи отримано')")
    assert "Дитину зараховано до групи" in head.inner_text(".messages")
    assert marko.full_name in head.inner_text("ol.group-list")
    screenshot("32-head-group-list", of=head)
