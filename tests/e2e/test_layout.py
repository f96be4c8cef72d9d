"""What a 375 px phone and the head's editor showed wrong: a page wider than the
phone, a legend beside its checkboxes, a group list of nameless children."""

import pytest
from django.core.management import call_command

from sadok.applications.models import Child
from tests.e2e.signing_in import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _page(browser, width):
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="uk-UA").new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("width", [375, 1280])
def test_the_child_page_fits_a_phone(live_server, browser, width):
    from tests.e2e.conftest import OUTPUT

    call_command("load_demo_city", verbosity=0)
    child = Child.objects.get(guardians__email="parent1@demo.sadok.kyiv.ua")
    page = _page(browser, width)
    sign_in(page, live_server, "parent1@demo.sadok.kyiv.ua", lands="/cabinet/")
    page.goto(f"{live_server.url}/cabinet/children/{child.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"08-child-page-{width}.png"), full_page=True)
    page.context.close()


def test_the_heads_editor_names_its_checkboxes_above_them_and_lists_children_by_name(
    live_server, browser
):
    from tests.e2e.conftest import OUTPUT

    call_command("load_demo_city", verbosity=0)
    page = _page(browser, 1280)
    sign_in(
        page, live_server, "head@demo.sadok.kyiv.ua", totp=True, lands="/staff/kindergartens/216/"
    )
    page.click("main a:has-text('Сторінка садочка')")
    legend = page.locator("legend:has-text('Спеціалізації')").bounding_box()
    first_box = page.locator("input[name=specialisations]").first.bounding_box()
    assert legend["y"] + legend["height"] <= first_box["y"]
    assert legend["x"] <= first_box["x"]
    page.screenshot(path=str(OUTPUT / "09-head-kindergarten-editor.png"), full_page=True)

    page.locator("ul.groups a:has-text('місця і черга')").first.click()  # the editor's list
    listed = page.locator("ol.group-list > li").all_inner_texts()
    assert listed
    assert not [row for row in listed if "до запуску Sadok" in row]
    page.screenshot(path=str(OUTPUT / "09-head-group-list.png"), full_page=True)
    page.context.close()
