import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sadok.accounts.names import person_name_clean, person_name_salvage
from sadok.applications.models import Child
from tests.factories_accounts import city_admin, person

RLO, PDF, ZWSP, ZWJ, LRI, PDI = "\u202e", "\u202c", "\u200b", "\u200d", "\u2066", "\u2069"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"{RLO}Олена{PDF}", "Олена"),
        (f"Ол{ZWSP}ена", "Олена"),
        (f"{LRI}Ко{ZWJ}валь{PDI}", "Коваль"),
        ("Мар'яна", "Марʼяна"),
        ("Мар’яна", "Марʼяна"),
        ("Марʼяна", "Марʼяна"),
        ("  Анна\u00a0 Марія  ", "Анна Марія"),
        ("Квітка-Основʼяненко", "Квітка-Основʼяненко"),
        ("\u0418\u0306осип", "Йосип"),  # NFC: Й typed as И + combining breve
        ("Zoë", "Zoë"),
    ],
)
def test_a_name_is_kept_in_one_spelling(typed, kept):
    assert person_name_clean(typed) == kept


@pytest.mark.parametrize(
    "typed", ["Олена1", "Олена😀", "Олена\x00", "Олена<script>", "O.", "A\tB\x07"]
)
def test_a_name_with_anything_but_letters_apostrophe_hyphen_and_space_is_refused(typed):
    with pytest.raises(ValidationError, match="лише літери"):
        person_name_clean(typed)


def test_a_name_from_kyivid_keeps_what_a_name_may_hold():
    assert person_name_salvage(f"{RLO}Олена 2{PDF}") == "Олена"


@pytest.mark.django_db
def test_a_parent_registering_a_child_gets_the_name_cleaned_or_a_clear_error(
    client, privilege_categories
):
    client.force_login(person("parent@example.com"))
    child = {
        "last_name": f"{RLO}Шевченко",
        "first_name": f"Мар{ZWSP}'яна",
        "patronymic": "",
        "born": "2024-03-15",
        "certificate_kind": "ua",
        "certificate": "I-КВ 123456",
    }
    refused = client.post(reverse("cabinet:child-new"), {**child, "patronymic": "Петрівна🙂"})
    assert refused.status_code == 200
    assert "лише літери" in refused.context["form"].errors["patronymic"][0]
    assert not Child.objects.exists()
    client.post(reverse("cabinet:child-new"), child)
    kept = Child.objects.get()
    assert (kept.last_name, kept.first_name) == ("Шевченко", "Марʼяна")


@pytest.mark.django_db
def test_the_administrator_editing_a_persons_name_gets_it_cleaned(client):
    from sadok.accounts.models import User

    client.force_login(city_admin())
    parent = person("parent@example.com")
    url = f"/admin/accounts/user/{parent.pk}/change/"
    data = {
        "email": parent.email,
        "last_name": f"Коваль{RLO}",
        "first_name": "Оксана",
        "patronymic": "",
        "phone": "",
        "is_active": "on",
        "roles-TOTAL_FORMS": 0,
        "roles-INITIAL_FORMS": 0,
    }
    refused = client.post(url, {**data, "first_name": "Оксана2"})
    assert refused.status_code == 200
    assert User.objects.get(pk=parent.pk).last_name == ""
    assert client.post(url, data).status_code == 302
    assert User.objects.get(pk=parent.pk).last_name == "Коваль"
