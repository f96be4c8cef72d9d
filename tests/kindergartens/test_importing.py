import io

import pytest
from django.core.management import CommandError, call_command

from sadok.kindergartens.importing import kindergartens_import
from sadok.kindergartens.models import Kindergarten
from tests.factories import DistrictFactory, KindergartenFactory, SpecialisationFactory

pytestmark = pytest.mark.django_db

HEADER = "number,name,district,address,latitude,longitude,email,language,specialisations\n"


@pytest.fixture(autouse=True)
def _directory():
    DistrictFactory(slug="obolonskyi", name="Оболонський")
    SpecialisationFactory(slug="speech")


def test_a_valid_file_creates_and_updates_kindergartens():
    KindergartenFactory(number=2, name="Стара назва")
    rows = HEADER + (
        '1,«Сонечко»,obolonskyi,"просп. Оболонський, 1",50.51,30.50,a@b.ua,uk,speech\n'
        '2,«Казка»,Оболонський,"вул. Прирічна, 5",50.50,30.51,,,\n'
    )
    report = kindergartens_import(rows=io.StringIO(rows))
    assert (report.created, report.updated, report.errors) == (1, 1, [])
    assert Kindergarten.objects.get(number=2).name == "«Казка»"
    assert [s.slug for s in Kindergarten.objects.get(number=1).specialisations.all()] == ["speech"]


def test_a_file_with_only_the_required_columns_keeps_everything_else():
    kindergarten = KindergartenFactory(
        number=7,
        phone="+380441234567",
        email="sadok7@example.com",
        website="https://sadok7.example.com",
        working_hours="07:00–19:00",
        description="Басейн і сад",
        language="pl",
        type="compensating",
    )
    kindergarten.specialisations.set([SpecialisationFactory(slug="english")])
    rows = (
        "number,name,district,address,latitude,longitude\n"
        "7,«Нова»,obolonskyi,вул. Нова 1,50.5,30.5\n"
    )
    report = kindergartens_import(rows=io.StringIO(rows))
    assert (report.updated, report.errors) == (1, [])
    kindergarten.refresh_from_db()
    assert kindergarten.name == "«Нова»"
    kept = (
        kindergarten.phone,
        kindergarten.email,
        kindergarten.website,
        kindergarten.working_hours,
        kindergarten.description,
        kindergarten.language,
        kindergarten.type,
    )
    assert kept == (
        "+380441234567",
        "sadok7@example.com",
        "https://sadok7.example.com",
        "07:00–19:00",
        "Басейн і сад",
        "pl",
        "compensating",
    )
    assert [s.slug for s in kindergarten.specialisations.all()] == ["english"]


def test_an_empty_cell_empties_the_field():
    kindergarten = KindergartenFactory(number=7, email="sadok7@example.com", language="pl")
    kindergarten.specialisations.set([SpecialisationFactory(slug="english")])
    rows = HEADER + "7,«Нова»,obolonskyi,вул. Нова 1,50.5,30.5,,,\n"
    assert kindergartens_import(rows=io.StringIO(rows)).errors == []
    kindergarten.refresh_from_db()
    assert (kindergarten.email, kindergarten.language) == ("", "uk")
    assert not kindergarten.specialisations.exists()


def test_errors_name_the_line_and_the_reason_and_nothing_is_written():
    rows = HEADER + (
        "1,«Сонечко»,obolonskyi,вул. Прирічна 1,50.51,30.50,,,\n"
        "x,«Казка»,obolonskyi,вул. Прирічна 2,50.50,30.51,,,\n"
        "3,«Ромашка»,atlantis,вул. Прирічна 3,50.50,30.51,,,\n"
        "4,«Вишенька»,obolonskyi,вул. Прирічна 4,30.51,50.50,not-an-email,,dance\n"
        "1,«Дубль»,obolonskyi,вул. Прирічна 5,50.50,30.51,,,\n"
    )
    report = kindergartens_import(rows=io.StringIO(rows))
    messages = [str(e) for e in report.errors]
    assert [e.line for e in report.errors] == [3, 4, 5, 6]
    assert messages[0].startswith("рядок 3: number:")
    assert "невідомий район «atlantis»" in messages[1]
    assert "latitude" in messages[2]
    assert "longitude" in messages[2]
    assert "email" in messages[2]
    assert "невідомі спеціалізації: dance" in messages[2]
    assert "номер 1 уже є в рядку 2" in messages[3]
    assert not report.written
    assert not Kindergarten.objects.exists()


def test_skip_invalid_writes_only_the_valid_rows():
    rows = HEADER + "1,«Сонечко»,obolonskyi,а,50.51,30.50,,,\n2,«Казка»,nowhere,б,50.5,30.5,,,\n"
    report = kindergartens_import(rows=io.StringIO(rows), skip_invalid=True)
    assert report.created == 1
    assert [e.line for e in report.errors] == [3]
    assert list(Kindergarten.objects.values_list("number", flat=True)) == [1]


def test_a_file_without_required_columns_is_refused():
    report = kindergartens_import(rows=io.StringIO("number,name\n1,x\n"))
    assert "немає обов'язкових стовпців" in str(report.errors[0])
    assert not report.written


def test_the_command_reports_errors_and_fails(tmp_path, capsys):
    path = tmp_path / "k.csv"
    path.write_text(HEADER + "1,«Сонечко»,atlantis,а,50.51,30.50,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_kindergartens", str(path))
    assert "рядок 2" in capsys.readouterr().err


def test_the_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_kindergartens", str(tmp_path / "missing.csv"))
