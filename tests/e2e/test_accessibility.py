"""axe-core (the accessibility engine browsers' audit tools use) finds no serious or
critical problem on any public, cabinet or staff page (in Ukrainian; the public
and the cabinet's in English too).

Each kind of visitor walks the site from its home page by its links, as a person
would (every route once or twice, with its real data), and axe checks each page.
Django's own admin (the city administrator's back office) is not Sadok's markup and
is left out.
"""

from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.signing_in import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Axe()
SERIOUS = {"serious", "critical"}
# Not pages of Sadok's own markup, or not pages at all.
SKIP = ("/admin/", "/api/", "/static/", "/media/", "/accounts/logout/", "/i18n/")
PER_ROUTE = 1
PAGES = 60


@pytest.fixture
def demo_city():
    call_command("load_demo_city", verbosity=0)


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def _walk(page, base: str, starts: list[str]) -> tuple[list[str], set[str]]:
    """The pages a visitor reaches by links from `starts`: each route at most
    `PER_ROUTE` times, `PAGES` in all; each page's axe findings, as text, and the
    pages seen."""
    seen_routes: dict[str, int] = {}
    queue, found = list(starts), []
    visited: set[str] = set()
    while queue and len(visited) < PAGES:
        path = queue.pop(0)
        route = _route(urlsplit(path).path)
        if path in visited or route is None or seen_routes.get(route, 0) >= PER_ROUTE:
            continue
        visited.add(path)
        seen_routes[route] = seen_routes.get(route, 0) + 1
        try:
            response = page.goto(base + path)
        except PlaywrightError as error:  # a document to download, not a page
            if "Download is starting" in str(error):
                continue
            raise
        if (
            response is None
            or response.status != 200
            or "text/html" not in (response.headers.get("content-type", ""))
        ):
            continue
        for violation in AXE.run(page).response["violations"]:
            if violation["impact"] in SERIOUS:
                targets = [n["target"] for n in violation["nodes"]][:3]
                found.append(f"{path}: {violation['id']} ({violation['impact']}) at {targets}")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(urljoin(page.url, href))
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if (
                parts.netloc == urlsplit(base).netloc
                and not local.startswith(SKIP)
                and not parts.path.endswith((".csv", ".json", ".pdf"))
            ):
                queue.append(local)
    return found, visited


PUBLIC = ["/", "/stats/", "/accounts/login/", "/accounts/signup/"]


VISITORS = [
    (None, False, PUBLIC, "uk-UA"),
    (None, False, PUBLIC, "en-GB"),
    ("parent1@demo.sadok.kyiv.ua", False, ["/cabinet/"], "uk-UA"),
    ("parent1@demo.sadok.kyiv.ua", False, ["/cabinet/"], "en-GB"),
    ("head@demo.sadok.kyiv.ua", True, ["/staff/"], "uk-UA"),
    ("officer@demo.sadok.kyiv.ua", True, ["/staff/"], "uk-UA"),
    ("admin@demo.sadok.kyiv.ua", True, ["/staff/"], "uk-UA"),
]


def test_no_serious_accessibility_problem_on_any_page(live_server, browser, demo_city):
    """One demo city for every visitor (loading it is what costs), each visitor in a
    browser context of its own."""
    found, seen = [], {}
    for who, totp, starts, locale in VISITORS:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        page = context.new_page()
        if who is not None:
            sign_in(page, live_server, who, totp=totp)
        problems, visited = _walk(page, live_server.url, starts)
        context.close()
        found += [f"{who or 'anyone'} ({locale}) {p}" for p in problems]
        seen[(who, locale)] = len(visited)
    assert min(seen.values()) >= 3, seen
    assert found == [], "\n".join(found)
