"""The whole journey in one browser test, each step as its person does it: a family
signs in with KyivID (the demo's stand-in, in its own process), adds a child, picks
three kindergartens on the map and claims a privilege; the district officer confirms
it; the head declares "+1"; the family finds the offer in the cabinet and in its
e-mail (a real SMTP server on 127.0.0.1), accepts and extends the documents'
deadline; the head confirms the documents and the child is in the group list; the
public statistics and the anonymised queue show it; the standalone verifier replays
the public log from the running server and explains every offer.

What the worker does in production (delivering the outbox, appending the public log)
the test does in its own thread, at the moment the worker would."""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from sadok import clock
from sadok.applications.models import Child
from sadok.journal.log import log_append
from sadok.kindergartens.selectors import groups_with_places
from sadok.notifications.delivery import deliveries_process
from sadok.queue.selectors import group_spec, queue_read
from tests.e2e.family import popup_link_follow, privilege_claim
from tests.e2e.signing_in import sign_in
from tests.notifications.conftest import smtp, smtp_port  # noqa: F401  (the SMTP server)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
PARENT_EMAIL = "oksana.hnatiuk@kyivid.example"
# The head's kindergarten first, then two more of the officer's district.
CHOSEN = (216, 258, 386)


@pytest.fixture
def inbox(smtp):  # noqa: F811  (the fixture imported above)
    """What the SMTP server on 127.0.0.1 received."""
    return smtp


@pytest.fixture
def city(settings):
    """The demo city as `make run` loads it, with one more place by capacity in the
    nursery group of the head's kindergarten (the head has a place to declare)."""
    from django.core.management import call_command

    call_command("load_demo_city", verbosity=0)
    settings.SADOK_API_RATE = "100000/min"  # the verifier reads the whole log
    nursery = groups_with_places().get(
        kindergarten__number=CHOSEN[0], age_from_months__lte=26, age_to_months__gt=26
    )
    nursery.capacity = nursery.enrolled + 1
    nursery.save(update_fields=["capacity"])
    return nursery


def _born_months_ago(months: int) -> dt.date:
    today = clock.today()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, 1)


def _stats_row(page, url: str, number: int) -> dict[str, str]:
    """The kindergarten's row of the statistics' table, by column."""
    page.goto(url)
    table = page.locator("#kindergartens table")
    columns = table.locator("thead th").all_inner_texts()
    row = table.locator(f"tbody tr:has(th:text-is('{number}'))")
    cells = [row.locator("th").inner_text(), *row.locator("td").all_inner_texts()]
    return dict(zip(columns, cells, strict=True))


def test_a_family_from_kyivid_to_the_group_list_and_the_public_log(
    live_server, browser, kyivid_demo, inbox, city, tmp_path, settings
):
    from tests.e2e.conftest import OUTPUT

    OUTPUT.mkdir(parents=True, exist_ok=True)
    nursery = city
    shots = []

    def new_page(width):
        page = browser.new_context(
            viewport={"width": width, "height": 900}, locale="uk-UA"
        ).new_page()
        page.set_default_timeout(20_000)
        return page

    def shot(page, name):
        path = OUTPUT / f"60-journey-{len(shots) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.append(path)

    parent, officer, head, public = new_page(390), new_page(1280), new_page(1280), new_page(1280)
    stats_url = f"{live_server.url}/stats/?district={nursery.kindergarten.district.slug}"
    stats_before = _stats_row(public, stats_url, CHOSEN[0])

    # 1. The family signs in with KyivID.
    parent.goto(live_server.url + "/accounts/login/")
    parent.click("#login-kyivid")
    parent.wait_for_url(f"{kyivid_demo}/login/**")
    shot(parent, "kyivid")
    parent.click("button:has-text('Гнатюк Оксана Василівна')")
    parent.wait_for_url(live_server.url + "/cabinet/")
    shot(parent, "cabinet")

    # 2. It adds a child of 26 months (the nursery's age band).
    parent.click("text=Додати дитину")
    parent.fill("#id_last_name", "Гнатюк")
    parent.fill("#id_first_name", "Ярина")
    parent.fill("#id_born", _born_months_ago(26).isoformat())
    parent.fill("#id_certificate", "I-КВ 606060")
    parent.click("main button:has-text('Додати дитину')")
    parent.wait_for_selector("text=Дитину додано")
    child_url = parent.url
    child = Child.objects.get(guardians__email=PARENT_EMAIL)
    shot(parent, "child-added")

    # 3. Three kindergartens, each picked from its marker's popup on the map.
    for number in CHOSEN:
        parent.goto(f"{live_server.url}/?q={number}")
        parent.locator("path.leaflet-interactive").first.click()
        popup = parent.locator(".leaflet-popup-content")
        assert f"№ {number}" in popup.inner_text()
        if number == CHOSEN[0]:
            shot(parent, "map-popup")
        popup_link_follow(parent, popup.locator(".popup-add"), f"**/add/{number}/")
        parent.click("main button:has-text('Гнатюк Ярина')")
        parent.wait_for_url(child_url)
    choices = parent.locator("li.choice .choice-head a").all_inner_texts()
    assert len(choices) == 3
    assert all(
        re.search(r"місце в черзі \d+ з \d+", p)
        for p in parent.locator("li.choice .position").all_inner_texts()
    )
    shot(parent, "three-choices")

    # 4. It claims a privilege with its document.
    privilege_claim(parent, tmp_path)
    shot(parent, "claim-pending")

    # 5. The district officer confirms it.
    sign_in(officer, live_server, "officer@demo.sadok.kyiv.ua", totp=True)
    officer.wait_for_url(live_server.url + "/staff/districts/obolonskyi/")
    officer.click(".subnav >> text=Заяви на пільги")
    officer.click(f"text={child.application_number}")
    shot(officer, "officer-claim")
    officer.click("button:has-text('Підтвердити пільгу')")
    assert "Пільгу підтверджено" in officer.inner_text(".messages")
    shot(officer, "officer-confirmed")

    # The anonymised queue of the nursery has the child first, by its number only.
    queue_url = f"{live_server.url}/kindergartens/{CHOSEN[0]}/groups/{nursery.pk}/queue/"
    public.goto(queue_url)
    public.fill("#id_number", child.application_number)
    public.click("main button:has-text('Знайти')")
    mine = public.locator("tr#mine")
    assert mine.locator("td").first.inner_text() == "1"
    assert "Гнатюк" not in public.inner_text("main")
    shot(public, "public-queue-first")
    waiting_before = len(queue_read(group=group_spec(nursery), at=clock.today()))

    # 6. The head declares "+1" in the nursery: the place is offered to the child.
    sign_in(
        head,
        live_server,
        "head@demo.sadok.kyiv.ua",
        totp=True,
        lands=f"/staff/kindergartens/{CHOSEN[0]}/",
    )
    group_url = live_server.url + reverse("offers:group", args=[CHOSEN[0], nursery.pk])
    head.goto(group_url)
    head.fill("#id_count", "1")
    head.check("input[name=intake][value=now]")
    head.click("main button:has-text('Оголосити')")
    assert "Пропозицій надіслано: 1" in head.inner_text(".messages")
    shot(head, "head-declared")

    # 7. The family sees the offer in the cabinet and in its e-mail.
    parent.goto(live_server.url + "/cabinet/")
    assert "Для дитини є місце" in parent.inner_text("[data-state=offered]")
    shot(parent, "offer-home")
    report = deliveries_process()  # the worker's delivery
    assert report.failed == report.retrying == []
    mails = [m for m in inbox.messages if PARENT_EMAIL in str(m["To"])]
    assert len(mails) == 1, inbox.subjects()
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert f"№ {CHOSEN[0]}" in body or str(CHOSEN[0]) in body
    assert "Ярина" not in str(mails[0]["Subject"])

    # 8. It accepts (two steps) and extends the documents' deadline once.
    parent.goto(child_url)
    parent.click("main a:has-text('Прийняти місце')")
    parent.click("main button:has-text('Так, прийняти місце')")
    assert "Принесіть керівнику до" in parent.locator(".offer-card").first.inner_text()
    shot(parent, "accepted")
    parent.click("main button:has-text('Подовжити строк')")
    parent.goto(live_server.url + "/cabinet/")
    assert "Строк уже подовжено" in parent.inner_text("[data-state=extended]")
    shot(parent, "extended")

    # 9. The head confirms the documents: the child is in the group list.
    head.goto(group_url)
    assert child.full_name in head.inner_text("#accepted-heading + table")
    head.click("main button:has-text('Документи отримано')")
    assert "Дитину зараховано до групи" in head.inner_text(".messages")
    assert child.full_name in head.inner_text("ol.group-list")
    shot(head, "group-list")
    parent.goto(live_server.url + "/cabinet/")
    assert "Дитину зараховано" in parent.inner_text("[data-state=enrolled]")
    shot(parent, "enrolled")

    # 10. The public statistics and the anonymised queue show it.
    stats_after = _stats_row(public, stats_url, CHOSEN[0])
    shot(public, "statistics")
    attending = "Дітей відвідує"
    assert int(stats_after[attending]) == int(stats_before[attending]) + 1
    public.goto(queue_url)
    public.fill("#id_number", child.application_number)
    with public.expect_navigation():
        public.click("main button:has-text('Знайти')")
    assert public.locator("#not-found").is_visible()
    assert f"у черзі: {waiting_before - 1}" in public.inner_text("p.lead")
    shot(public, "public-queue-gone")

    # 11. The public log, appended as the worker does, replays from the running server.
    # The suite's earlier tests took event ids this database no longer holds: the
    # appender's first run sees the gap, its next closes it (no transaction that
    # could still fill it is open).
    settings.SADOK_LOG_GAP_SECONDS = 0
    log_append()
    log_append()
    verdict = subprocess.run(
        [sys.executable, "-I", "-S", str(ROOT / "tools" / "verify_public_log.py"), live_server.url],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr
    assert "OK: the public log holds" in verdict.stdout
    assert "OK: the rules explain every offer" in verdict.stdout
    held = int(re.search(r"the public log holds: (\d+) entries", verdict.stdout).group(1))
    replayed = int(re.search(r"(\d+) offers replayed", verdict.stdout).group(1))
    assert held > 100, verdict.stdout  # the city's genesis and the journey's events
    assert replayed >= 1, verdict.stdout  # the child's offer
    (OUTPUT / "60-journey-verifier.txt").write_text(verdict.stdout)

    for page in (parent, officer, head, public):
        page.context.close()
    assert len(shots) >= 15
