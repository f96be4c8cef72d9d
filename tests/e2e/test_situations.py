"""The family reads where it stands, state after state, on a 375 px phone."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from sadok.accounts.demo import DEMO_PASSWORD
from sadok.allocation import Tier
from sadok.applications.models import Child
from sadok.kindergartens.selectors import groups_with_places
from sadok.offers.lifecycle import documents_confirm, documents_extend, offer_accept
from sadok.offers.models import Offer
from sadok.offers.services import places_declare
from tests.factories import claim_of
from tests.factories_accounts import head_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NOW = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)


def _nursery(kindergarten):
    """The general group of the kindergarten for a child of 26 months, with room."""
    group = groups_with_places().get(
        kindergarten=kindergarten, age_from_months=24, specialisation__isnull=True
    )
    if group.vacant == 0:
        group.capacity += 1
        group.save()
    return group


@time_machine.travel(NOW, tick=True)
def test_each_offer_state_reads_true_on_the_home_and_the_child_page(live_server, browser):
    from tests.e2e.conftest import OUTPUT

    call_command("load_demo_city", verbosity=0)
    marko = Child.objects.get(guardians__email="parent1@demo.sadok.kyiv.ua")
    claim_of(marko, tier=Tier.OUT_OF_TURN, submitted_at=NOW)
    Child.objects.filter(pk=marko.pk).update(registered_at=NOW - dt.timedelta(days=700))
    parent_user = marko.guardians.get()
    first, second = [c.kindergarten for c in marko.choices.order_by("rank")[:2]]
    page = browser.new_context(viewport={"width": 375, "height": 900}, locale="uk-UA").new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "parent1@demo.sadok.kyiv.ua")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button:has-text('Увійти')")
    page.wait_for_url(live_server.url + "/cabinet/")
    OUTPUT.mkdir(parents=True, exist_ok=True)

    def reads(state, text):
        for path in ("/cabinet/", f"/cabinet/children/{marko.pk}/"):
            page.goto(live_server.url + path)
            situation = page.locator(f"[data-state={state}]").first
            assert text in situation.inner_text(), (path, situation.inner_text())
            name = "home" if path == "/cabinet/" else "child"
            page.screenshot(path=str(OUTPUT / f"40-{state}-{name}-375.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375

    reads("waiting", "Дитина в черзі")
    places_declare(group=_nursery(second), count=1, user=None)
    offer = Offer.objects.get(child=marko, status="offered")
    reads("offered", "Для дитини є місце")
    page.goto(f"{live_server.url}/cabinet/children/{marko.pk}/")
    page.click("main a:has-text('Відмовитися')")
    page.click("main button:has-text('Так, відмовитися')")  # the second step
    assert "наступній дитині" in page.inner_text(".messages") or "вільним" in page.inner_text(
        ".messages"
    )
    reads("declined", "Ви відмовилися від місця")

    places_declare(group=_nursery(first), count=1, user=None)
    offer = Offer.objects.get(child=marko, status="offered")
    offer_accept(offer=offer, user=parent_user)
    reads("accepted", "Принесіть документи керівнику до")
    documents_extend(offer=offer, user=parent_user)
    reads("extended", "Строк уже подовжено")
    documents_confirm(offer=offer, user=head_of(first, "head-first@example.com"))
    reads("enrolled", "Дитину зараховано")
    page.context.close()
