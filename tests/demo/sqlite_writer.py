"""One writer of the demo's SQLite file, in its own process, for the lock test.

`python -m tests.demo.sqlite_writer ROLE COUNT` runs COUNT transactions on the
SQLite database of DATABASE_URL, each as the web server's and the worker's are:
it reads, then writes what it read. It says "ready" and waits for a line on its
standard input before it begins, so that the test starts every writer at once.
With STOCK=1 the database is opened with Django's defaults instead of Sadok's
SQLite options. Prints the number of "database is locked" errors and exits 1 if
there were any.
"""

import os
import sys

WORK = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000) "
    "SELECT COUNT(*) FROM c"
)


def main() -> None:
    role, count = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    if os.environ.get("STOCK") == "1":
        settings.DATABASES["default"]["OPTIONS"] = {}
    django.setup()
    from django.db import OperationalError, connection, transaction

    print("ready", flush=True)  # noqa: T201
    sys.stdin.readline()  # the test's "go", written to every writer together
    locked = 0
    for _ in range(count):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT COALESCE(MAX(n), 0) FROM writes WHERE role = %s", [role])
                last = cursor.fetchone()[0]
                # A request's work between its read and its write: a fixed amount of
                # work in the database (no waiting on the clock), so that the
                # transaction stays open while the other writer wants the file.
                cursor.execute(WORK)
                cursor.execute("INSERT INTO writes (role, n) VALUES (%s, %s)", [role, last + 1])
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            locked += 1
    print(f"{role} locked {locked}")  # noqa: T201
    sys.exit(1 if locked else 0)


if __name__ == "__main__":
    main()
