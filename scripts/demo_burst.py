"""A burst of web writes against the running demo, while its worker writes too.

    make run                                   # in one terminal
    make burst                                 # in another (BASE_URL=http://127.0.0.1:8000)

The demo's head releases children from groups and declares places, a parent adds
and removes kindergartens and declines the offers that come, at once from
threads of their own, while the worker (`make run` starts it) sends the e-mails
and SMS and settles the places these writes leave. Every answer must be below
500: "database is locked" was a 500. Exits 1 on any 5xx. A demo tool: it asks the
demo's own `manage.py demo_totp` for the head's second factor.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "sadok-demo-2026"  # noqa: S105  (the demo's printed password)
TIMEOUT = 60
# What the parent searches for kindergartens to add: numbers and districts.
SEARCHES = ["Оболонь", "1", "2", "Сонечко", "3", "Дарниц"]


class Visitor:
    """One person's browser: a session, its CSRF token, and every status it saw."""

    def __init__(self, base: str, email: str, statuses: Counter[int], lock: threading.Lock):
        self.base, self.email = base, email
        self.session = requests.Session()
        self.statuses, self.lock = statuses, lock
        self.errors: list[str] = []

    def _seen(self, response: requests.Response) -> requests.Response:
        with self.lock:
            self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.errors.append(f"{response.status_code} {response.request.method} {response.url}")
        return response

    def get(self, path: str) -> str:
        return self._seen(self.session.get(urljoin(self.base, path), timeout=TIMEOUT)).text

    def post(self, path: str, data: dict[str, str] | None = None) -> str:
        token = self.session.cookies.get("csrftoken", "")
        response = self.session.post(
            urljoin(self.base, path),
            data={"csrfmiddlewaretoken": token, **(data or {})},
            headers={"Referer": urljoin(self.base, path)},
            timeout=TIMEOUT,
        )
        return self._seen(response).text

    def sign_in(self) -> None:
        self.get("/accounts/login/")
        self.post("/accounts/login/", {"login": self.email, "password": PASSWORD})
        for _attempt in range(3):
            if (
                "/2fa/"
                not in self.session.get(urljoin(self.base, "/cabinet/"), timeout=TIMEOUT).url
            ):
                return
            code = subprocess.run(  # noqa: S603  (this interpreter, the demo's manage.py)
                [sys.executable, "manage.py", "demo_totp", self.email],
                cwd=ROOT,
                env={**os.environ, "SADOK_DEBUG": "1"},
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            self.post("/accounts/2fa/authenticate/", {"code": code})
            if "/2fa/" in self.session.get(urljoin(self.base, "/cabinet/"), timeout=TIMEOUT).url:
                time.sleep(30)  # a code is accepted once: the next one comes in 30 seconds
        raise RuntimeError(f"{self.email}: the second factor was refused")


def actions(html: str, pattern: str) -> list[str]:
    return re.findall(rf'action="({pattern})"', html)


def head_works(head: Visitor, rounds: int) -> None:
    """Releases a child ("Вибув") and declares a place, in group after group."""
    head.sign_in()
    groups = sorted(
        set(
            re.findall(
                r'href="(/staff/kindergartens/\d+/groups/\d+/places/)"',
                head.get("/staff/kindergartens/216/"),
            )
        )
    )
    for n in range(rounds):
        group = groups[n % len(groups)]
        releases = actions(head.get(group), r"/staff/[^\"]+/release/")
        if releases:
            head.post(releases[0], {"reason": "переїзд"})
        head.post(group, {"count": "1", "intake": "now"})


def parent_works(parent: Visitor, rounds: int) -> None:
    """Adds and removes a kindergarten, and declines any offer that came."""
    parent.sign_in()
    children = sorted(set(re.findall(r'href="(/cabinet/children/\d+/)"', parent.get("/cabinet/"))))
    for n in range(rounds):
        child = children[n % len(children)]
        page = parent.get(f"{child}?q={SEARCHES[n % len(SEARCHES)]}")
        for decline in actions(page, r"/cabinet/offers/\d+/decline/"):
            parent.post(decline)
        for add in actions(page, r"/cabinet/children/\d+/kindergartens/\d+/add/")[:2]:
            parent.post(add)
        page = parent.get(child)
        removes = actions(page, r"/cabinet/children/\d+/choices/\d+/remove/")
        for remove in removes[3:]:
            parent.post(remove)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    head = Visitor(args.base, "head@demo.sadok.kyiv.ua", statuses, lock)
    # parent1 has the demo's child in the queue (parent2 starts with none).
    parents = [Visitor(args.base, "parent1@demo.sadok.kyiv.ua", statuses, lock)]
    failures: list[str] = []

    def run(work: Callable[[Visitor, int], None], visitor: Visitor) -> None:
        try:
            work(visitor, args.rounds)
        except Exception as error:  # reported below; the other threads go on
            failures.append(f"{visitor.email}: {error!r}")

    threads = [threading.Thread(target=run, args=(head_works, head))] + [
        threading.Thread(target=run, args=(parent_works, parent)) for parent in parents
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [error for visitor in (head, *parents) for error in visitor.errors] + failures
    sys.stdout.write(
        f"{sum(statuses.values())} requests: "
        + ", ".join(f"{status}×{count}" for status, count in sorted(statuses.items()))
        + "\n"
    )
    for error in errors:
        sys.stdout.write(f"  {error}\n")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
