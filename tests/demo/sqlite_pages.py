"""Run by test_sqlite_pages.py in a process of its own, on a fresh SQLite file (as
`make run` serves): a small city, a family's child with offers and events, and the
pages that read with raw SQL or database functions, each must answer 200."""

import datetime as dt
import sys

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

call_command("migrate", verbosity=0)

from sadok.applications.certificates import parse_ukrainian  # noqa: E402
from sadok.applications.services import NewChild, child_register  # noqa: E402
from sadok.journal.log import log_append  # noqa: E402
from sadok.kindergartens.models import GroupKind  # noqa: E402
from sadok.offers import door  # noqa: E402
from sadok.offers.services import places_declare  # noqa: E402
from tests.factories import DistrictFactory, GroupFactory, KindergartenFactory  # noqa: E402
from tests.factories_accounts import verified_parent  # noqa: E402


def main():
    district = DistrictFactory(slug="obolonskyi")
    kindergarten = KindergartenFactory(number=216, district=district)
    group = GroupFactory(
        kindergarten=kindergarten, kind=GroupKind.YOUNGER, age_from_months=24, age_to_months=48
    )
    parents = [verified_parent(f"p{n}@example.com", f"+38050111{n:04d}") for n in range(3)]
    children = []
    for n, parent in enumerate(parents):
        child = child_register(
            user=parent,
            data=NewChild(
                "Шевченко",
                ["Марко", "Олена", "Тарас"][n],
                "",
                dt.date(2023, 3, 1),
                parse_ukrainian(f"I-КВ 10000{n}"),
            ),
        )
        door.choice_add(child=child, kindergarten=kindergarten, user=parent)
        children.append(child)
    places_declare(group=group, count=1, user=None)
    while log_append():
        pass

    client = Client()
    pages = [
        "/",
        "/stats/",
        "/kindergartens/216/",
        f"/kindergartens/216/groups/{group.pk}/queue/",
        "/api/statistics",
        "/api/log",
    ]
    failed = [url for url in pages if client.get(url).status_code != 200]
    for parent, child in zip(parents, children, strict=True):
        client.force_login(parent)
        for url in (f"/cabinet/children/{child.pk}/", f"/cabinet/children/{child.pk}/"):
            if client.get(url).status_code != 200:
                failed.append(url)
    sys.exit(f"failed on SQLite: {failed}" if failed else 0)


main()
