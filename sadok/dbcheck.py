"""`python -m sadok.dbcheck`: one clear line when the test database is unreachable."""

from __future__ import annotations

import os
import sys

import dj_database_url
import psycopg


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url) if url else {}
    if config.get("ENGINE") != "django.db.backends.postgresql":
        sys.stderr.write(f"Tests run on PostgreSQL only; DATABASE_URL is {url or 'not set'}.\n")
        return 1
    try:
        psycopg.connect(
            host=config.get("HOST") or "127.0.0.1",
            port=int(config.get("PORT") or 5432),
            user=config.get("USER") or "postgres",
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError:
        host, port = config.get("HOST") or "127.0.0.1", config.get("PORT") or 5432
        sys.stderr.write(
            f"PostgreSQL is not reachable at {host}:{port}: start it "
            "(pg_ctlcluster --skip-systemctl-redirect 15 main start) or set DATABASE_URL.\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
