"""The load `load.py` puts on gunicorn: one scenario a run (`SADOK_LOAD_SCENARIO`),
each simulated visitor on its own family's session where the page is a family's,
with no session where the page is public."""

from __future__ import annotations

import json
import os
import random
from itertools import count
from pathlib import Path

from locust import HttpUser, constant, task

SCENARIO = os.environ.get("SADOK_LOAD_SCENARIO", "bare")
# Family pages run on families' sessions; the public ones (the bare view, a
# kindergarten's page, the map, statistics) as the public visits them, with none.
FAMILY_PAGES = ("cabinet", "child", "answer")
_FILE = os.environ.get("SADOK_LOAD_FAMILIES")
FAMILIES = json.loads(Path(_FILE).read_text()) if _FILE and SCENARIO in FAMILY_PAGES else []
KINDERGARTENS = json.loads(os.environ.get("SADOK_LOAD_KINDERGARTENS", "[1]"))
_next = count()


class Visitor(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.family = FAMILIES[next(_next) % len(FAMILIES)] if FAMILIES else None
        if self.family is not None:
            self.client.cookies.set("sessionid", self.family["session"])
        self.answered = False

    @task
    def visit(self) -> None:
        family = self.family
        if SCENARIO == "bare":
            self.client.get("/bench/bare/", name="bare")
        elif SCENARIO == "kindergarten":
            self.client.get(f"/kindergartens/{random.choice(KINDERGARTENS)}/", name="kindergarten")
        elif SCENARIO == "map":
            self.client.get("/", name="map")
        elif SCENARIO == "statistics":
            self.client.get("/stats/", name="statistics")
        elif SCENARIO == "cabinet" and family:
            self.client.get("/cabinet/", name="cabinet")
        elif SCENARIO == "child" and family:
            self.client.get(f"/cabinet/children/{family['child']}/", name="child")
        elif SCENARIO == "answer" and family and not self.answered:
            # The family opens its child's page (which sets the CSRF cookie) and accepts.
            self.client.get(f"/cabinet/children/{family['child']}/", name="answer: page")
            token = self.client.cookies.get("csrftoken", "")
            self.client.post(
                f"/cabinet/offers/{family['offer']}/accept/",
                headers={"X-CSRFToken": token},
                name="answer: accept",
            )
            self.answered = True
            self.family = FAMILIES[next(_next) % len(FAMILIES)]
            self.client.cookies.clear()
            self.client.cookies.set("sessionid", self.family["session"])
            self.answered = False
