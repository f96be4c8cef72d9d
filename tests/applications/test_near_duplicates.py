"""Near-duplicates (SPEC.md "Duplicate and fake control"): the same birth date and
names that read alike in any spelling are flagged for the district office; twins
the office found distinct stay so."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from sadok.applications.models import DuplicateFlag, FlagStatus
from sadok.applications.names import name_key, names_similar
from sadok.applications.services import _flag_near_duplicates
from sadok.offers import district
from sadok.translit import latin
from tests.factories import KindergartenFactory, child_of
from tests.factories_accounts import officer_of, verified_parent

NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
BORN = dt.date(2023, 4, 12)


def _alike(first: str, second: str) -> bool:
    return names_similar(name_key(*first.split()), name_key(*second.split()))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Шевченко Тарас", "Shevchenko Taras"),
        ("Шевченко Тарас", "Шевчнко Тарас"),
        ("Shevchenko Taras", "Шевчнко Тарас"),
        ("Шевченко Олександр", "Shevchenko Oleksandr"),
        ("Шевченко Олександр", "Shevchenko Aleksandr"),
        ("Д'яченко Ірина", "Dyachenko Iryna"),
        ("Д’яченко Ірина", "Diachenko Irina"),
        ("Ковальов Петро", "Ковалев Петро"),
        ("Шевченко Тарас", "Тарас Шевченко"),
    ],
)
def test_spellings_of_one_name_are_alike(first, second):
    assert _alike(first, second)
    assert _alike(second, first)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Шевченко Тарас", "Коваленко Марія"),
        ("Шевченко Тарас", "Шевченко Марко"),
        ("Шевченко Олена", "Шевченко Альона"),
        ("Шевченко Тарас", "Шевченко Тамара"),
        ("Мельник Софія", "Мельник Соня"),
    ],
)
def test_different_names_are_not(first, second):
    assert not _alike(first, second)


_UKRAINIAN = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'"


@given(
    last=st.text(alphabet=_UKRAINIAN, min_size=3, max_size=14).filter(lambda s: s[0] != "'"),
    first=st.text(alphabet=_UKRAINIAN, min_size=2, max_size=10).filter(lambda s: s[0] != "'"),
)
def test_any_name_is_alike_its_own_transliteration(last, first):
    if not (name_key(last, first).last and name_key(last, first).first):
        return  # only soft signs and apostrophes: no letters to compare
    assert names_similar(name_key(last, first), name_key(latin(last), latin(first).upper()))


@pytest.fixture
def family():
    with time_machine.travel(NOW, tick=False):
        return KindergartenFactory(), None


def _child(_parent, kindergarten, n, last, first, born=BORN):
    """Each child of its own family: one family's many children in a day are flagged
    for another reason (`_flag_implausible`)."""
    return child_of(
        verified_parent(f"p{n}@example.com", f"+38050111220{n}"),
        certificate=f"I-КВ {400000 + n}",
        born=born,
        last_name=last,
        first_name=first,
        kindergartens=[kindergarten],
    )


def _flagged(child):
    return {f.similar_to_id for f in DuplicateFlag.objects.filter(child=child)}


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_three_spellings_of_one_birth_date_are_flagged_against_each_other(family):
    kindergarten, parent = family
    first = _child(parent, kindergarten, 1, "Шевченко", "Тарас")
    second = _child(parent, kindergarten, 2, "Shevchenko", "Taras")
    third = _child(parent, kindergarten, 3, "Шевчнко", "Тарас")
    other_day = _child(parent, kindergarten, 4, "Шевченко", "Тарас", born=BORN.replace(day=13))
    unrelated = _child(parent, kindergarten, 5, "Коваленко", "Марія")
    assert _flagged(first) == set()
    assert _flagged(second) == {first.pk}
    assert _flagged(third) == {first.pk, second.pk}
    assert _flagged(other_day) == set()
    assert _flagged(unrelated) == set()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_twins_found_distinct_are_never_flagged_again_but_a_third_is(family):
    kindergarten, parent = family
    officer = officer_of(kindergarten.district)
    one = _child(parent, kindergarten, 1, "Іваненко", "Іван")
    two = _child(parent, kindergarten, 2, "Іваненко", "Іванна")
    flag = DuplicateFlag.objects.get(child=two, similar_to=one)
    district.flag_clear(
        flag=flag, user=officer, reason="checked_not_duplicate", note="Двійнята, свідоцтва різні."
    )
    # A later check of either record, after a name is edited, finds nothing new.
    two.first_name = "Іван"
    two.save(update_fields=["first_name"])
    _flag_near_duplicates(child=two, at=NOW)
    _flag_near_duplicates(child=one, at=NOW)
    assert DuplicateFlag.objects.filter(status=FlagStatus.OPEN).count() == 0
    # A third sibling with a similar name is still flagged against both.
    three = _child(parent, kindergarten, 3, "Іваненко", "Иван")
    assert _flagged(three) == {one.pk, two.pk}


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_check_again_does_not_flag_an_open_pair_twice(family):
    kindergarten, parent = family
    one = _child(parent, kindergarten, 1, "Шевченко", "Тарас")
    two = _child(parent, kindergarten, 2, "Shevchenko", "Taras")
    _flag_near_duplicates(child=two, at=NOW)
    _flag_near_duplicates(child=one, at=NOW)
    assert DuplicateFlag.objects.count() == 1
