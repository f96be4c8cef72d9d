"""The Kyiv-scale city of the benchmarks, written to a scratch PostgreSQL database
(`sadok_bench`, dropped and created anew each run) by `sadok.demo.city`, the writer
of `manage.py generate_city`: `allocation.py` measures the wave, "+1" and a child's
positions on it."""

from __future__ import annotations

import os

from allocation_core import City

BENCH_DB = "sadok_bench"


def use_bench_database() -> None:
    """Point Django at the scratch database, with settings as production runs them
    (with DEBUG on, Django keeps and formats every query). Before `django.setup()`."""
    os.environ["SADOK_DEBUG"] = "0"
    os.environ.setdefault("SADOK_SECRET_KEY", "benchmark-only-key-never-used-to-serve")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def fresh_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        c.execute(f"CREATE DATABASE {BENCH_DB}")


def load(city: City) -> dict[int, int]:
    """Write the synthetic city (`manage.py generate_city`'s writer, without the
    journal's genesis, which the benchmark writes in a process of its own); return
    engine group id -> database group id."""
    from sadok.demo.city import city_write

    password = "sadok-bench"  # noqa: S105 - a scratch database
    return city_write(city, seed=2026, password=password, genesis=False).group_ids
