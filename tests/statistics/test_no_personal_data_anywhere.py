"""No personal data in any public page or download: a crawler starts from the public
pages, follows every link and every choice of every filter form (GET), every page
of every list, every CSV and JSON download, and looks in each response for the
distinctive child of the city fixture — names, patronymic, certificate, birth date
in every format the project prints."""

import datetime as dt
import json
import re
from collections import deque
from html.parser import HTMLParser
from typing import cast
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit

from tests.statistics.conftest import SECRET

# Where a person's own pages are: never crawled (a public crawler has no session).
PRIVATE = ("/accounts/", "/cabinet/", "/staff/", "/admin/", "/i18n/", "/static/", "/media/")
START = ("/", "/stats/", "/kindergartens/501/", "/kindergartens/502/")
MOST = 1500  # pages: far more than the fixture's city has


class _Links(HTMLParser):
    """The hrefs of a page, and each GET form's fields with their choices."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._form: tuple[str, dict[str, list[str]]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "get":
            self._form = (a.get("action") or "", {})
            self.forms.append(self._form)
        elif self._form is not None and tag == "select":
            self._select = a.get("name")
            self._form[1].setdefault(self._select or "", [])
        elif self._form is not None and tag == "option" and self._select:
            self._form[1][self._select].append(a.get("value") or "")
        elif self._form is not None and tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self._form[1].setdefault(a["name"], []).append(a.get("value") or "on")
            elif kind == "text" or kind == "search":
                self._form[1].setdefault(a["name"], []).append("а")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _secrets() -> list[str]:
    born = cast(dt.date, SECRET["born"])
    certificate = str(SECRET["certificate"])
    months_uk = "січня лютого березня квітня травня червня липня серпня вересня жовтня"
    months_uk += " листопада грудня"
    month_uk = months_uk.split()[born.month - 1]
    texts: list[str] = [
        str(SECRET["last_name"]),
        str(SECRET["first_name"]),
        str(SECRET["patronymic"]),
        certificate,
        certificate.split()[-1],
        born.strftime("%d.%m.%Y"),
        born.strftime("%-d.%m.%Y"),
        born.strftime("%d.%m.%y"),
        born.isoformat(),
        born.strftime("%d/%m/%Y"),
        born.strftime("%m/%d/%Y"),
        born.strftime("%B %-d, %Y"),
        born.strftime("%-d %B %Y"),
        f"{born.day} {month_uk} {born.year}",
    ]
    return texts + [json.dumps(t)[1:-1] for t in texts if not t.isascii()]


def _internal(base: str, href: str) -> str | None:
    url = urldefrag(urljoin(base, href.replace("&amp;", "&")))[0]
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http", "https"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if path.startswith(PRIVATE) else path


def _form_urls(base: str, action: str, fields: dict[str, list[str]]) -> list[str]:
    """Each choice of each field on its own, and all first choices together."""
    target = urldefrag(urljoin(base, action or base))[0].split("?")[0]
    urls = [
        f"{target}?{urlencode({name: value})}"
        for name, values in fields.items()
        for value in values
    ]
    firsts = {name: values[0] for name, values in fields.items() if values}
    return [*urls, f"{target}?{urlencode(firsts)}"]


def crawl(client) -> dict[str, str]:
    seen: dict[str, str] = {}
    todo = deque(START)
    while todo and len(seen) < MOST:
        url = todo.popleft()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        seen[url] = text
        if "html" not in response.get("Content-Type", ""):
            continue
        page = _Links()
        page.feed(text)
        found = [_internal(url, href) for href in page.links]
        for action, fields in page.forms:
            found += [_internal(url, u) for u in _form_urls(url, action, fields)]
        todo.extend(u for u in found if u and u not in seen)
    return seen


def _values(name: str, schema: dict, city) -> list[str]:
    """What the API crawl fills a parameter with: every choice the schema names, else
    every value of the fixture's city."""
    from sadok.statistics.tables import statistics_slugs

    if "enum" in schema:
        return [str(v) for v in schema["enum"]]
    known = {
        "group_id": [str(g.pk) for g in city["groups"]],
        "application_number": [c.application_number for c in city["children"]],
        "slug": list(statistics_slugs()),
        "district": ["", *(d.slug for d in city["districts"])],
        "number": [str(k.number) for k in city["kindergartens"]],
        "kindergarten": [str(k.number) for k in city["kindergartens"]],
        "format": ["json", "csv"],
        "limit": ["1"],
        "offset": ["0", "1", "2", "3", "4", "5"],
    }
    return known.get(name, [])


def crawl_api(client, city) -> dict[str, str]:
    """Every GET operation of the OpenAPI schema, with every path value of the city
    and each query parameter's every value on its own (a page at a time: `limit=1`
    and each offset, so every row is on some page)."""
    schema = client.get("/api/openapi.json").json()
    seen: dict[str, str] = {}
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        params = get.get("parameters", [])
        paths = [path]
        for p in (p for p in params if p["in"] == "path"):
            values = _values(p["name"], p.get("schema", {}), city)
            paths = [u.replace("{" + p["name"] + "}", v) for u in paths for v in values]
        queries: list[dict[str, str]] = [{}] + [
            {p["name"]: v}
            for p in params
            if p["in"] == "query"
            for v in _values(p["name"], _schema_of(p), city)
        ]
        queries += [
            {"limit": "1", "offset": o, "format": f} for o in "012345" for f in ("json", "csv")
        ]
        for url in paths:
            for query in queries:
                full = f"{url}?{urlencode(query)}" if query else url
                response = client.get(full)
                assert response.status_code in (200, 404), full
                seen[full] = response.content.decode("utf-8", "replace")
    return seen


def _schema_of(param: dict) -> dict:
    schema = param.get("schema", {})
    for option in schema.get("anyOf", []):
        if "enum" in option or "$ref" not in option:
            return option if "enum" in option else schema
    return schema


def test_no_public_page_or_download_names_a_child(client, city, settings):
    settings.SADOK_API_RATE = "100000/min"  # a crawler, not a client of the limit
    pages = crawl(client)
    api = crawl_api(client, city)
    numbers = [c.application_number for c in city["children"]]
    assert any("/queue" in u and any(n in t for n in numbers) for u, t in api.items())
    pages.update(api)
    # The crawler got everywhere a visitor can: every list's pages, the downloads.
    assert any(u.endswith(".csv") for u in pages)
    assert any(u.endswith(".json") for u in pages)
    assert any("page=" in u for u in pages) or len(pages) > 20
    for secret in _secrets():
        leaks = [url for url, text in pages.items() if secret in text]
        assert leaks == [], f"{secret!r} in {leaks[:3]}"
    # And no other child's names either.
    for name in ("Марко", "Ірина", "Богдан", "Бондар", "Ткачук"):
        assert not [u for u, t in pages.items() if re.search(rf"\b{name}\b", t)], name
