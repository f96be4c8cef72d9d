import subprocess
import sys


def _dbcheck(url):
    return subprocess.run(
        [sys.executable, "-m", "sadok.dbcheck"],
        env={"DATABASE_URL": url, "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_unreachable_postgresql_gets_one_clear_line():
    result = _dbcheck("postgres://postgres@127.0.0.1:1/sadok")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "PostgreSQL is not reachable at 127.0.0.1:1: start it "
        "(pg_ctlcluster --skip-systemctl-redirect 15 main start) or set DATABASE_URL."
    ]


def test_sqlite_is_refused_for_tests():
    result = _dbcheck("sqlite:///tmp/x.db")
    assert result.returncode == 1
    assert "PostgreSQL only" in result.stderr


def test_the_test_database_is_reachable():
    assert _dbcheck("postgres://postgres@127.0.0.1:5432/sadok").returncode == 0
