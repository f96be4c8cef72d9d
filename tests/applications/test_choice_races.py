"""Two tabs (or two guardians) change a child's list of kindergartens at once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from sadok.applications.models import Choice
from sadok.offers import door
from tests.factories import KindergartenFactory, child_of
from tests.factories_accounts import person


@pytest.mark.django_db
@pytest.mark.parametrize("act", ["move", "remove"])
def test_a_choice_removed_meanwhile_gets_a_clear_message_not_an_error(act):
    parent = person("parent@example.com")
    child = child_of(parent)
    first = door.choice_add(child=child, kindergarten=KindergartenFactory(), user=parent)
    door.choice_add(child=child, kindergarten=KindergartenFactory(), user=parent)
    stale = Choice.objects.get(pk=first.pk)  # what the other tab read
    door.choice_remove(choice=first, user=parent)
    acts = {
        "move": lambda: door.choice_move(choice=stale, up=False, user=parent),
        "remove": lambda: door.choice_remove(choice=stale, user=parent),
    }
    with pytest.raises(ValidationError, match="вже немає у списку"):
        acts[act]()
    assert list(Choice.objects.filter(child=child).values_list("rank", flat=True)) == [1]


@pytest.mark.django_db(transaction=True)
def test_moving_and_removing_the_same_kindergarten_at_once_never_fails():
    parent = person("parent@example.com")
    child = child_of(parent)
    statuses = []
    for _ in range(10):
        choice = door.choice_add(child=child, kindergarten=KindergartenFactory(), user=parent)
        door.choice_add(child=child, kindergarten=KindergartenFactory(), user=parent)
        urls = [
            reverse("cabinet:choice-move", args=[child.pk, choice.pk]),
            reverse("cabinet:choice-remove", args=[child.pk, choice.pk]),
        ]
        barrier = threading.Barrier(2)

        def post(url, barrier=barrier):
            client = Client(raise_request_exception=False)
            client.force_login(parent)
            barrier.wait()
            statuses.append(client.post(url, {"direction": "down"}).status_code)
            connection.close()

        threads = [threading.Thread(target=post, args=(url,)) for url in urls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        for left in Choice.objects.filter(child=child):
            door.choice_remove(choice=left, user=parent)
    assert set(statuses) == {302}
