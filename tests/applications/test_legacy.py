import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sadok import clock
from sadok.applications.legacy import legacy_queue_import
from sadok.applications.models import Child, LegacyRecord
from tests.factories import KindergartenFactory
from tests.factories_accounts import person

pytestmark = pytest.mark.django_db

CSV = (
    "qid,certificate,born,registered_on,kindergartens\n"
    "Q-1001,I-КВ 123456,2023-02-01,15.03.2023,12;7\n"
)


@pytest.fixture
def record():
    KindergartenFactory(number=7)
    KindergartenFactory(number=12)
    report = legacy_queue_import(text=CSV)
    assert report.errors == []
    return LegacyRecord.objects.get()


CLAIM = {
    "qid": "Q-1001",
    "registered_on": "2023-03-15",
    "certificate_kind": "ua",
    "certificate": "I-KB 123456",
    "last_name": "Шевченко",
    "first_name": "Марко",
}


def test_a_matching_claim_keeps_the_old_registration_date_and_kindergartens(client, record):
    client.force_login(person("parent@example.com"))
    response = client.post(reverse("cabinet:legacy"), CLAIM)
    child = Child.objects.get()
    assert response["Location"] == reverse("cabinet:child", args=[child.pk])
    assert child.registered_at.astimezone(clock.KYIV).date() == dt.date(2023, 3, 15)
    assert child.born == dt.date(2023, 2, 1)
    assert [c.kindergarten.number for c in child.choices.order_by("rank")] == [12, 7]
    record.refresh_from_db()
    assert record.claimed_by == child


@pytest.mark.parametrize(
    "change",
    [{"qid": "Q-9999"}, {"registered_on": "2023-03-16"}, {"certificate": "I-КВ 654321"}],
)
def test_any_mismatch_is_refused_with_a_clear_message(client, record, change):
    client.force_login(person("parent@example.com"))
    response = client.post(reverse("cabinet:legacy"), {**CLAIM, **change})
    assert "Запис із таким Qid" in response.content.decode()
    assert not Child.objects.exists()


def test_a_legacy_record_is_claimed_once(client, record):
    client.force_login(person("parent@example.com"))
    client.post(reverse("cabinet:legacy"), CLAIM)
    client.force_login(person("someone@example.com"))
    response = client.post(reverse("cabinet:legacy"), CLAIM)
    # The child is another account's now: the district office decides whose it is.
    assert "з іншого облікового запису" in response.content.decode()
    assert reverse("cabinet:transfer-request") in response.content.decode()
    assert Child.objects.count() == 1


def test_the_import_command_reports_bad_rows_and_writes_nothing(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_text(
        "qid,certificate,born,registered_on,kindergartens\n"
        "Q-1,I-КВ 123456,2023-02-01,2023-03-15,12\n"
        "Q-2,nonsense,2023-02-01,2023-03-15,12\n"
        "Q-1,I-КВ 000001,yesterday,2023-03-15,x\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_legacy_queue", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("line 3: certificate")
    assert lines[1].startswith("line 4: qid: repeated")
    assert "date" in lines[1]
    assert not LegacyRecord.objects.exists()


def test_guessing_qids_is_limited(client, record):
    client.force_login(person("guesser@example.com"))
    for n in range(10):
        client.post(reverse("cabinet:legacy"), {**CLAIM, "qid": f"Q-{n}"})
    response = client.post(reverse("cabinet:legacy"), CLAIM)
    assert "Забагато спроб" in response.content.decode()
    assert not Child.objects.exists()


def test_a_claimed_record_is_not_revealed_without_its_date_and_certificate(client, record):
    client.force_login(person("parent@example.com"))
    client.post(reverse("cabinet:legacy"), CLAIM)
    client.force_login(person("someone@example.com"))
    response = client.post(reverse("cabinet:legacy"), {**CLAIM, "registered_on": "2020-01-01"})
    assert "вже перенесено" not in response.content.decode()
    assert "Q-1001" not in response.content.decode().replace('value="Q-1001"', "")


def _import(tmp_path, body: bytes, *options):
    path = tmp_path / "legacy.csv"
    path.write_bytes(body)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_legacy_queue", str(path), *options, stdout=out, stderr=err)
    except CommandError as error:
        return str(error), err.getvalue().splitlines()
    return out.getvalue(), err.getvalue().splitlines()


HEADER = "qid,certificate,born,registered_on,kindergartens\n"


def test_a_file_that_is_not_utf8_is_told_so_not_a_traceback(tmp_path):
    body = (HEADER + "Q-1,I-КВ 123456,2023-02-01,2023-03-15,12\n").encode("cp1251")
    message, _ = _import(tmp_path, body)
    assert "not UTF-8" in message
    assert "Windows-1251" in message
    assert not LegacyRecord.objects.exists()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Q-" + "9" * 40 + ",I-КВ 123456,2023-02-01,2023-03-15,12", "qid: up to 32"),
        ("Q-2,I-КВ 123457,2023-02-01,2023-03-15,1²", "kindergartens"),
        ("Q-3,I-КВ 123458,2023-02-01,01.01.1900,12", "registered_on 01.01.1900"),
        ("Q-4,I-КВ 123459,2023-02-01,2099-01-01,12", "registered_on 01.01.2099"),
        ("Q-5,I-КВ 123460,2023-02-01,2023-01-01,12", "not between the birth and today"),
        ("Q-6,I-КВ 123461,2099-02-01,2099-03-01,12", "born 01.02.2099"),
        ("Q-7,I-КВ 123456,2023-02-01,2023-03-15,12", "the same as qid Q-0"),
        ("Q-8,I-КВ 123462,2023-02-01,2023-03-15,", "kindergartens"),
        ("Q-\x009,I-КВ 123463,2023-02-01,2023-03-15,12", "line 3"),
    ],
)
def test_every_impossible_row_is_named_with_its_line_and_nothing_is_written(tmp_path, row, reason):
    good = "Q-0,I-КВ 123456,2023-02-01,2023-03-15,12\n"
    message, errors = _import(tmp_path, (HEADER + good + row + "\n").encode())
    assert "nothing was written" in message
    assert errors[0].startswith("line 3")
    assert reason in errors[0]
    assert not LegacyRecord.objects.exists()


def test_skip_invalid_writes_the_good_rows_and_names_the_others(tmp_path):
    body = (
        HEADER
        + "Q-0,I-КВ 123456,2023-02-01,2023-03-15,12\n"
        + "Q-1,I-КВ 123457,2023-02-01,1900-01-01,12\n"
        + "Q-2,I-КВ 123458,2023-02-01,2023-03-16,7;12\n"
    ).encode()
    message, errors = _import(tmp_path, body, "--skip-invalid")
    assert "Imported 2 legacy records; skipped 1" in message
    assert errors == ["line 3: date: registered_on 01.01.1900 is not between the birth and today"]
    assert sorted(LegacyRecord.objects.values_list("qid", flat=True)) == ["Q-0", "Q-2"]
