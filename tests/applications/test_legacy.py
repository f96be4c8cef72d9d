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
    report = legacy_queue_import(rows=io.StringIO(CSV))
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
    assert "вже перенесено" in response.content.decode()
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
    assert "Запис із таким Qid" in response.content.decode()
    assert "вже перенесено" not in response.content.decode()
