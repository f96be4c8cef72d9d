"""The demo's web server and worker write one SQLite file at once (`make run`)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from config.database import SQLITE_OPTIONS, database_from_url

ROOT = Path(__file__).resolve().parents[2]
WRITES = 150


def writers_run(path: Path, *, stock: bool) -> list[subprocess.CompletedProcess[str]]:
    """The web server and the worker, each in its own process, writing at once."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE writes (role TEXT, n INTEGER, UNIQUE (role, n))")
        if not stock:
            # `make run` migrates before the server and the worker start, so the file
            # is in WAL already: two first connections switching it at the same
            # instant is not what runs (and SQLite may refuse one of them at once).
            db.execute("PRAGMA journal_mode=WAL")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "SADOK_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "STOCK": "1" if stock else "0",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.demo.sqlite_writer", role, str(WRITES)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in ("web", "worker")
    ]
    # Each writer says it is ready (Django set up, its connection open); then both
    # are told to go at once.
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready", process.args
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def test_sqlite_gets_wal_a_busy_timeout_and_immediate_transactions():
    config = database_from_url("sqlite:////tmp/demo.sqlite3")
    assert config["OPTIONS"] == SQLITE_OPTIONS
    assert not database_from_url("postgres://postgres@127.0.0.1:5432/x").get("OPTIONS")


def test_web_and_worker_write_at_once_without_database_is_locked(tmp_path):
    results = writers_run(tmp_path / "demo.sqlite3", stock=False)
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM writes").fetchone()[0] == 2 * WRITES
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_with_djangos_defaults_the_same_writes_fail(tmp_path):
    """The workload above is one that SQLite's defaults cannot serve."""
    results = writers_run(tmp_path / "demo.sqlite3", stock=True)
    assert any(result.returncode == 1 for result in results), [r.stdout for r in results]
    assert any("locked" in result.stdout for result in results)
