"""Public reads from a real PostgreSQL streaming replica (`sadok.replica`): a second
cluster made from the test database's with `pg_basebackup -R`, run on another port
as the `postgres` user. The test's writes commit (a transactional test), so they
reach the replica by streaming; the replica is a connection of its own, not Django's
test mirror of the primary. Reads in the public views go to the replica while it is
close behind, to the primary when it lags or is down; writes never go to it."""

import glob
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from sadok.kindergartens.models import Kindergarten
from sadok.replica import REPLICA, replica_forget, replica_reads, replica_usable
from tests.factories import KindergartenFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])

PORT = 5433
DATA = Path("/tmp/sadok-test-replica")  # noqa: S108 - the postgres user's scratch cluster
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


def _pg_ctl(*args: str) -> subprocess.CompletedProcess:
    pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
    return subprocess.run(
        [*AS_POSTGRES, pg_ctl, "-D", str(DATA), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def _start() -> None:
    started = _pg_ctl(
        "-o", f"-p {PORT} -k /tmp -c listen_addresses=127.0.0.1", "-l", f"{DATA}/log", "-w", "start"
    )
    assert started.returncode == 0, started.stdout + started.stderr


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker):
    """The replica cluster, made once for this module after the test database."""
    if shutil.which("pg_basebackup") is None:
        pytest.skip("pg_basebackup is missing (apt-get install postgresql-client)")
    _pg_ctl("-m", "immediate", "stop")  # one left by a run that was cut short
    subprocess.run(["rm", "-rf", str(DATA)], check=True)
    made = subprocess.run(
        [
            *AS_POSTGRES,
            *("pg_basebackup", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres"),
            *("-D", str(DATA), "-R", "-X", "stream", "-c", "fast"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, (
        "pg_basebackup could not copy the cluster; the primary must allow a replication "
        f"connection from 127.0.0.1 (scripts/machine.sh adds it): {made.stderr}"
    )
    # Debian keeps a cluster's configuration in /etc, outside the copied directory.
    for name, text in (
        ("postgresql.conf", "hot_standby = on\n"),
        ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"),
        ("pg_ident.conf", ""),
    ):
        if not (DATA / name).exists():
            subprocess.run(
                [*AS_POSTGRES, "tee", str(DATA / name)],
                input=text,
                capture_output=True,
                text=True,
                check=True,
            )
    _start()
    # The `replica` database, as production adds it (DATABASE_REPLICA_URL), added
    # before the tests' database helper so that they may use it. "MIRROR" only keeps
    # the suite's flush between tests away from it (a standby cannot be written): its
    # connection is its own, to the replica's port.
    config = {
        **connections["default"].settings_dict,
        "PORT": str(PORT),
        "TEST": {"MIRROR": "default"},
    }
    django_settings.DATABASES[REPLICA] = config
    connections.settings[REPLICA] = config
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    connections.settings.pop(REPLICA, None)
    django_settings.DATABASES.pop(REPLICA, None)  # often the same dictionary
    replica_forget()
    _pg_ctl("-m", "immediate", "stop")
    subprocess.run(["rm", "-rf", str(DATA)], check=False)


@pytest.fixture
def replica(cluster, settings):
    settings.SADOK_REPLICA_CHECK_SECONDS = 0
    replica_forget()
    yield connections[REPLICA]
    replica_forget()


def _caught_up(replica) -> None:
    """Wait (bounded) until the replica has replayed everything the primary wrote."""
    with connections["default"].cursor() as primary:
        primary.execute("SELECT pg_current_wal_lsn()")
        (written,) = primary.fetchone()
    with replica.cursor() as cursor:
        for _ in range(500):
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn, pg_sleep(0.01)", (written,)
            )
            if cursor.fetchone()[0]:
                return
    raise AssertionError("the replica did not catch up in 5 s")


@replica_reads
def _public_read() -> tuple[str, int]:
    rows = Kindergarten.objects.all()
    return rows.db, rows.count()


def test_public_reads_come_from_the_replica_and_writes_never_go_there(replica, client):
    KindergartenFactory.create_batch(3)
    _caught_up(replica)
    assert _public_read() == (REPLICA, 3)
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    assert Kindergarten.objects.all().db == "default"  # outside the public views

    replica_reads(KindergartenFactory)()  # a write from inside a public view
    assert Kindergarten.objects.using("default").count() == 4
    with CaptureQueriesContext(replica) as on_replica:
        assert client.get("/stats/").status_code == 200
        assert client.get("/api/districts").status_code == 200
    assert len(on_replica) > 0
    assert not any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for q in on_replica.captured_queries
    )


def test_a_replica_that_lags_is_passed_over_until_it_catches_up(replica, settings):
    KindergartenFactory()
    _caught_up(replica)
    settings.SADOK_REPLICA_MAX_LAG_SECONDS = 0
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        KindergartenFactory()  # received by the replica, not replayed
        with connections["default"].cursor() as primary:
            primary.execute("SELECT pg_switch_wal()")  # sent at once
        for _ in range(500):
            replica_forget()
            if not replica_usable():
                break
            with replica.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(0.01)")
        assert _public_read() == ("default", 2)  # the primary's fresh answer
    finally:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    # Close behind again, even allowed no lag: caught up with everything the primary
    # had written when the router looked (other databases of the same cluster may
    # write meanwhile: then it looks again, after catching up once more).
    for _ in range(20):
        _caught_up(replica)
        replica_forget()
        if _public_read() == (REPLICA, 2):
            break
    assert _public_read() == (REPLICA, 2)


def test_a_replica_that_is_down_is_passed_over(replica, client):
    KindergartenFactory()
    _caught_up(replica)
    replica.close()
    stopped = _pg_ctl("-m", "fast", "-w", "stop")
    assert stopped.returncode == 0, stopped.stderr
    try:
        replica_forget()
        assert _public_read() == ("default", 1)
        assert client.get("/stats/").status_code == 200
    finally:
        _start()
    replica_forget()
    _caught_up(replica)
    assert _public_read() == (REPLICA, 1)
