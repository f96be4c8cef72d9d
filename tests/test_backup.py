"""scripts/backup.sh and scripts/restore.sh, run as an operator runs them: the backup
restores into a new database whose public log still holds, with the privilege
documents; a damaged backup is refused before anything is restored."""

import os
import secrets
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from sadok.journal.log import log_append
from tests.journal.log_events import events_made, log_starts_now

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db(transaction=True)


def _url(name: str) -> str:
    d = connection.settings_dict
    return f"postgres://{d['USER']}@{d['HOST']}:{d['PORT']}/{name}"


def _run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env={**os.environ, "SADOK_DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def restored_name():
    name = f"sadok_restored_{secrets.token_hex(4)}"
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_a_backup_restores_into_a_new_database_that_verifies(tmp_path, restored_name):
    log_starts_now()
    events_made(30)
    assert log_append() == 30
    private = tmp_path / "private"
    (private / "privileges").mkdir(parents=True)
    (private / "privileges" / "claim.pdf").write_bytes(b"%PDF-1.4 a document")

    made = _run(
        "backup.sh",
        str(tmp_path / "backups"),
        DATABASE_URL=_url(connection.settings_dict["NAME"]),
        SADOK_PRIVATE_ROOT=str(private),
    )
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip())
    assert {p.name for p in backup.iterdir()} == {"database.dump", "private.tar.gz", "SHA256SUMS"}

    back = tmp_path / "private-restored"
    restored = _run("restore.sh", str(backup), _url(restored_name), str(back))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "the public log holds: 30 entries" in restored.stdout
    assert "the rules explain every offer" in restored.stdout
    assert (back / "privileges" / "claim.pdf").read_bytes() == b"%PDF-1.4 a document"


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path, restored_name):
    made = _run(
        "backup.sh",
        str(tmp_path / "backups"),
        DATABASE_URL=_url(connection.settings_dict["NAME"]),
        SADOK_PRIVATE_ROOT=str(tmp_path / "none"),
    )
    backup = Path(made.stdout.strip())
    with (backup / "database.dump").open("r+b") as dump:
        dump.seek(200)
        dump.write(b"\x00damaged\x00")
    refused = _run("restore.sh", str(backup), _url(restored_name))
    assert refused.returncode != 0
    assert "FAILED" in refused.stdout + refused.stderr
    with psycopg.connect(_url("postgres")) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (restored_name,)
        ).fetchone()
    assert exists is None
