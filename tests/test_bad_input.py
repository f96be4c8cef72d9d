"""The bad-input sweep: every form field and query parameter of every page, for
every kind of person, gets what a careless or hostile visitor might send.

Pages are found as the authorization matrix finds them (from the URL resolver),
their forms and fields from the HTML each person is served. Every answer must be
below 500, and a refusal (4xx, or a form shown again) must have written nothing.
`make test` sends each field three kinds of value (`_values`); `make fuzz`
(SADOK_FUZZ=1) sends every kind to every field, and more kinds, to the admin too.
"""

import os
import zlib
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.forms import BaseForm

from sadok.accounts.models import User
from tests import test_authorization_matrix as matrix

world = matrix.world  # the matrix's objects: a family, a kindergarten, a district

pytestmark = pytest.mark.django_db

FUZZ = bool(os.environ.get("SADOK_FUZZ"))
BAD = [
    "я" * 5000,  # overlong
    "a\x00b",  # NUL
    "a\x07\x1bb\x7f",  # other control characters
    "\u202eаб\u202c\u200bв\u200d👶🏽",  # a right-to-left override, zero-width, emoji
    "-1",
    "99999999999999999999999999",
    "31.02.2024",  # a malformed date
]
if FUZZ:
    BAD += [
        "\u202eабв\u202c",
        "а\u200bб\u200dв\ufeff",
        "👶🏽🏳️‍🌈",
        "2024-13-45",
        "я" * 200_000,
        "0",
        "-99999999999999999999",
        "1e309",
        "NaN",
        "0.5",
        "１２",  # full-width digits
        "٣",  # an Arabic-Indic digit
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "{{ 7*7 }}",
        "../../etc/passwd",
        "\r\n\t",
        " ",
        "",
        "29.02.2023",
        "2024-02-29T25:61",
        "00.00.0000",
        "\u0301\u0301\u0301",
        "\u2066\u2067\u2068\u2069",
    ]
# `make test` sends each field the overlong and the NUL value and one other in turn
# (which one depends on the page and the field, the same in every run), so that
# every kind is sent somewhere within the suite's time; `make fuzz` sends them all.
ALWAYS = 2


def _values(url: str, name: str) -> list[str]:
    if FUZZ:
        return BAD
    rest = BAD[ALWAYS:]
    turn = zlib.crc32(f"{url} {name}".encode()) % len(rest)
    return [*BAD[:ALWAYS], rest[turn]]


# Query parameters a view may read with no form naming them.
QUERY = ("q", "page", "next") if FUZZ else ("q", "page")
# Tables that change on any request: the session of the person signed in.
NOISE = {"django_session"}


class _Forms(HTMLParser):
    """The forms of a page: action, method, and each field's name and default."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action") or "",
                    "method": (a.get("method") or "get").lower(),
                    "fields": {},
                    "files": set(),
                }
            )
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self.forms[-1]["files"].add(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a or name not in fields:
                    fields[name] = a.get("value", "on")
            elif kind != "submit" or name not in fields:
                fields[name] = a.get("value", "")
        elif tag == "button" and name:
            fields.setdefault(name, a.get("value", ""))
        elif tag == "textarea" and name:
            fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select and (not fields[self._select] or "selected" in a):
            fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _form_refused(response):
    """A bound form shown again with its errors: the answer to a refused input."""
    for context in response.context or []:
        for values in getattr(context, "dicts", []):
            for value in values.values():
                if isinstance(value, BaseForm) and value.is_bound and value.errors:
                    return True
    return False


def _writes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return {name: n for name, n in cursor.fetchall() if name not in NOISE}


def _routes():
    for route in matrix.ROUTES:
        if route.route.startswith("i18n/") or "logout" in route.route:
            continue
        if route.route.startswith("admin/") and not FUZZ:
            continue
        yield route


@pytest.mark.parametrize("who", ["anonymous", "parent_a", "head", "officer", "admin"])
def test_no_bad_input_gets_a_server_error_or_writes_on_a_refusal(client, world, who):
    people, values = world
    person = {
        "head": lambda: User.objects.get(email="owner-head@example.com"),
        "officer": lambda: User.objects.get(email="owner-officer@example.com"),
    }.get(who, lambda: people[who])()
    failures = []

    def send(method, url, data):
        if person is not None and "_auth_user_id" not in client.session:
            client.force_login(person)  # a page may have ended the session
        before = _writes()
        response = getattr(client, method)(url, data)
        status = response.status_code
        if status >= 500:
            failures.append(f"{method.upper()} {url} {sorted(data)}: {status}")
        refused = 400 <= status < 500 or _form_refused(response)
        written = {t for t, n in _writes().items() if n != before.get(t, 0)}
        if refused and written:
            failures.append(f"{method.upper()} {url} {sorted(data)}: {status}, wrote {written}")

    for route in _routes():
        url = matrix._url(route.route, values)
        if person is not None:
            client.force_login(person)
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        for name in QUERY:
            for value in _values(url, name):
                send("get", url, {name: value})
        parser = _Forms()
        parser.feed(page.content.decode())
        for form in parser.forms:
            target = urlsplit(form["action"]).path or url
            if target.startswith(("http", "//")):
                continue
            for field in form["fields"]:
                for value in _values(target, field):
                    send(form["method"], target, {**form["fields"], field: value})
    assert failures == []


def test_a_control_character_is_refused_in_one_place_and_nothing_is_written(client, world):
    from django.urls import reverse

    from sadok.kindergartens.models import Enrollment

    people, values = world
    client.force_login(people["parent_a"])
    search = client.get(reverse("cabinet:child", args=[values["child_id"]]), {"q": "\x00"})
    assert search.status_code == 400
    assert "недопустимі символи" in search.content.decode()
    client.force_login(User.objects.get(email="owner-head@example.com"))
    enrollment = Enrollment.objects.get(pk=values["enrollment_id"])
    url = reverse("offers:release", args=[values["number"], enrollment.group_id, enrollment.pk])
    assert client.post(url, {"reason": "Вибув\x00"}).status_code == 400
    assert Enrollment.objects.get(pk=enrollment.pk).ended_on is None
    # Tab and new line stay allowed in a multi-line text.
    assert client.post(url, {"reason": "Вибув:\tпереїзд\r\nдо Львова"}).status_code == 302
