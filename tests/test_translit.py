"""Ukrainian in Latin letters, and one key for every usual spelling (sadok/translit.py)."""

import pytest

from sadok.translit import latin, spelling_key, words_match


@pytest.mark.parametrize(
    ("ukrainian", "official"),
    [
        # The examples of the Cabinet of Ministers' Resolution No. 55 (2010).
        ("Алушта", "Alushta"),
        ("Борщагівка", "Borshchahivka"),
        ("Згорани", "Zghorany"),
        ("Єнакієве", "Yenakiieve"),
        ("Їжакевич", "Yizhakevych"),
        ("Кадиївка", "Kadyivka"),
        ("Йосипівка", "Yosypivka"),
        ("Стрий", "Stryi"),
        ("Юрій", "Yurii"),
        ("Яготин", "Yahotyn"),
        ("Костянтин", "Kostiantyn"),
        ("Знам'янка", "Znamianka"),
        ("Феодосія", "Feodosiia"),
        ("Щастя", "Shchastia"),
        ("Світлячок", "Svitliachok"),
        ("Ясла-садок «Світлячок»", "Yasla-sadok «Svitliachok»"),
    ],
)
def test_the_official_national_transliteration(ukrainian, official):
    assert latin(ukrainian) == official


@pytest.mark.parametrize(
    "spelling",
    ["Світлячок", "Svitliachok", "svitlyachok", "SVITLYACHOK", "Svitljachok", "svitlyachok "],
)
def test_every_usual_spelling_of_a_name_has_one_key(spelling):
    assert spelling_key(spelling) == "svitliachok"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Ганна", "Hanna"),
        ("Ганна", "Ganna"),
        ("Олександр", "Oleksandr"),
        ("Юлія", "Yuliya"),
        ("Харитон", "Hariton"),
        ("Київський", "Kyivskyi"),
        ("Євгенія", "Yevheniia"),
        ("Євгенія", "Evgenia"),
    ],
)
def test_spellings_parents_use_meet_the_official_one(first, second):
    assert spelling_key(first) == spelling_key(second)


def test_different_names_keep_different_keys():
    assert spelling_key("Зірочка") != spelling_key("Світлячок")
    assert spelling_key("Жуля") != spelling_key("Юля")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("svitlyachok", True),
        ("Svitliachok 216", True),
        ("світлячок", True),
        ("svitlachok", True),  # a letter missing
        ("svit", True),
        ("Heroiv Dnipra", True),
        ("Svitliachok 21", False),  # a number must be exact
        ("zirochka", False),
        ("Svitliachok 217", False),
    ],
)
def test_words_match_loosely_in_any_script(query, found):
    assert words_match(query, "216 Ясла-садок «Світлячок» вул. Героїв Дніпра, 5") is found
