"""Every URL of the project, for every kind of person: nobody reaches an object
outside their scope (403/404/redirect to login, never 200), and nothing is a 500.

URLs are found by walking the resolver, so new pages are covered without editing
this file. Sadok's own views must declare an access policy (sadok.accounts.access).
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from sadok.accounts.access import Access
from sadok.applications.models import (
    DuplicateFlag,
    PrivilegeCategory,
    PrivilegeClaim,
    TransferRequest,
)
from sadok.kindergartens.models import Enrollment, GroupChange
from sadok.notifications.models import Message
from sadok.offers.door import queue_changes
from sadok.offers.models import Offer, Place
from tests.factories import DistrictFactory, GroupFactory, KindergartenFactory, child_of
from tests.factories_accounts import city_admin, head_of, officer_of, person

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
# URL parameters naming something a family owns: only parent A may open those.
OWNED = ("child_id", "choice_id", "claim_id", "offer_id", "message_id")


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    callback: object

    @property
    def ours(self) -> bool:
        # The open data API's views are django-ninja's, each wrapped in Sadok's policy
        # (sadok/opendata/urls.py): they are ours to check as well.
        return (
            self.callback.__module__.startswith("sadok") or self.route.startswith("api/")
        ) and not self.route.startswith("admin/")

    @property
    def policy(self) -> Access | None:
        return getattr(self.callback, "access", None)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield Route(prefix + str(pattern.pattern), pattern.name or "", pattern.callback)


ROUTES = list(_walk(get_resolver().url_patterns))


def test_every_sadok_view_declares_an_access_policy():
    missing = [r.route for r in ROUTES if r.ours and r.policy is None]
    assert missing == []


@pytest.fixture
def world(privilege_categories):
    """Objects owned by the 'owner' side; the matrix people all stand outside them."""
    district, other_district = DistrictFactory(slug="owner-d"), DistrictFactory(slug="other-d")
    kindergarten = KindergartenFactory(district=district)
    other_kindergarten = KindergartenFactory(district=other_district)
    group = GroupFactory(kindergarten=kindergarten)
    owner_head = head_of(kindergarten, "owner-head@example.com")
    owner_officer = officer_of(district, "owner-officer@example.com")
    parent_a = person("parent-a@example.com")
    child = child_of(parent_a, kindergartens=[kindergarten])
    claim = PrivilegeClaim.objects.create(
        child=child,
        category=PrivilegeCategory.objects.get(code="idp"),
        document=ContentFile(b"%PDF-1.4 test", name="d.pdf"),
        document_type="application/pdf",
        submitted_at=child.created_at,
        submitted_by=parent_a,
    )
    place = Place.objects.create(group=group, declared_at=child.created_at)
    offer = Offer.objects.create(
        place=place,
        child=child,
        reason="offered",
        made_at=child.created_at,
        answer_by=child.created_at,
        remind_at=child.created_at,
    )
    people = {
        "anonymous": None,
        "parent_a": parent_a,
        "parent_b": person("parent-b@example.com"),
        "head_other": head_of(other_kindergarten),
        "officer_other": officer_of(other_district),
        "admin": city_admin(),
        # In scope of the owner side: only the positive control signs them in.
        "owner_head": owner_head,
        "owner_officer": owner_officer,
    }
    with queue_changes() as touched:
        flag = DuplicateFlag.objects.create(
            child=child, reason="x", created_at=child.created_at, similar_to=None
        )
        touched.add(child.pk)
    change = GroupChange.objects.create(
        kindergarten=kindergarten,
        group=group,
        name=group.name,
        kind=group.kind,
        age_from_months=group.age_from_months,
        age_to_months=group.age_to_months,
        capacity=group.capacity + 1,
        proposed_at=child.created_at,
        proposed_by=owner_head,
    )
    values = {
        "number": kindergarten.number,
        "child_id": child.pk,
        "choice_id": child.choices.get().pk,
        "claim_id": claim.pk,
        "place_id": place.pk,
        "offer_id": offer.pk,
        "enrollment_id": Enrollment.objects.create(group=group, started_on=dt.date(2025, 9, 1)).pk,
        "message_id": Message.objects.create(
            user=parent_a,
            kind="x",
            subject="x",
            body="x",
            created_at=child.created_at,
            event_key="x",
        ).pk,
        "group_id": group.pk,
        "slug": district.slug,
        "flag_id": flag.pk,
        "request_id": TransferRequest.objects.create(
            child=child,
            district=district,
            requested_by=people["parent_b"],
            submitted_at=child.created_at,
        ).pk,
        "change_id": change.pk,
        "page": 1,
        "provider_id": "kyivid",
        "object_id": people["parent_a"].pk,
        "id": people["parent_a"].pk,  # the people admin's password page
        "app_label": "accounts",
        "uidb36": "1",
        "key": "not-a-key",
        "path": "nothing-here.txt",
        "content_type_id": 1,
        "url": "x",
        "application_number": child.application_number,
    }
    return people, values


def _url(route: str, values: dict) -> str:
    path = route.replace("^", "").replace("$", "")
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), path)
    path = re.sub(r"\(\?:[^)]*\)\??", "", path)
    return "/" + path


def _allowed(route: Route, who: str) -> bool:
    """May `who` get a 200 here? The URL's objects belong to parent A, the owner
    kindergarten and the owner district, none of which the matrix people manage."""
    if route.route.startswith("admin/"):
        return who == "admin"
    if not route.ours:
        return True  # allauth's own pages and the language switch: their own rules
    has_object = any(f"<int:{param}>" in route.route for param in OWNED)
    if route.policy is None:
        return False  # test_every_sadok_view_declares_an_access_policy names it
    return {
        Access.PUBLIC: True,
        Access.ACCOUNT: who != "anonymous" and (not has_object or who == "parent_a"),
        Access.STAFF: who == "admin",
        Access.ADMIN: who == "admin",
    }[route.policy]


@pytest.mark.parametrize(
    "who", ["anonymous", "parent_a", "parent_b", "head_other", "officer_other", "admin"]
)
def test_nobody_reaches_what_is_outside_their_scope(client, world, who):
    people, values = world
    failures = []
    for route in ROUTES:
        if route.route.startswith("i18n/"):
            continue
        url = _url(route.route, values)
        for method in ("get", "post"):
            if people[who] is not None:
                client.force_login(people[who])  # again: a logout page may have ended it
            response = getattr(client, method)(url)
            status = response.status_code
            if status >= 500:
                failures.append(f"{method.upper()} {url}: {status}")
            elif not _allowed(route, who) and not (
                status in (403, 404, 405)
                or (status == 302 and response["Location"].startswith(LOGIN))
                or (status == 302 and response["Location"].startswith("/admin/login/"))
                or (route.route == "admin/logout/" and response["Location"] == "/admin/")
            ):
                failures.append(
                    f"{method.upper()} {url}: {status} for {who} -> {response.get('Location')}"
                )
    assert failures == []


# The positive control: for each workspace page, who is in its scope. The matrix
# above refuses everyone else on the same URL with the same objects.
IN_SCOPE = {
    "staff/kindergartens/": "owner_head",
    "staff/districts/": "owner_officer",
    "staff/city/": "admin",
}


def _in_scope(route: Route) -> str | None:
    return next((who for start, who in IN_SCOPE.items() if route.route.startswith(start)), None)


WORKSPACE = [
    r
    for r in ROUTES
    if r.callback.__module__.startswith("sadok.workspace.") and r.route != "staff/"
]


def test_the_workspace_pages_are_all_in_the_positive_control():
    assert WORKSPACE
    assert [r.route for r in WORKSPACE if _in_scope(r) is None] == []


@pytest.mark.parametrize("route", WORKSPACE, ids=lambda r: r.name)
def test_the_role_in_scope_reaches_each_workspace_page(client, world, route):
    people, values = world
    url = _url(route.route, values)
    client.force_login(people[_in_scope(route)])
    assert client.get(url).status_code == 200
    # ...and nobody else does, on the same URL with the same objects.
    for who in ("anonymous", "parent_a", "parent_b", "head_other", "officer_other"):
        client.logout()
        if people[who] is not None:
            client.force_login(people[who])
        status = client.get(url).status_code
        assert status in (302, 403, 404), f"{who}: {status}"
    if _in_scope(route) == "owner_officer":
        # A district office's work is its own: not even the city administrator's
        # (who sees every kindergarten, as the district's officer sees its own).
        client.force_login(people["admin"])
        assert client.get(url).status_code in (403, 404), "admin"
