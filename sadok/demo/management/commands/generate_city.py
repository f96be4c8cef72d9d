from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sadok import clock
from sadok.demo.city import city_write
from sadok.demo.synthetic import synthetic_city


class Command(BaseCommand):
    help = (
        "Write a synthetic Kyiv-scale city to an empty database: kindergartens in the ten "
        "districts, families and children with choices, privileges and referrals, staff "
        "accounts, the queue records and the journal's genesis (the benchmarks' city)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kindergartens", type=int, default=600, help="(600)")
        parser.add_argument("--children", type=int, default=120_000, help="(120000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
        parser.add_argument(
            "--password", default="sadok-city-2026", help="every account's (sadok-city-2026)"
        )

    def handle(
        self,
        *args: Any,
        kindergartens: int,
        children: int,
        seed: int,
        password: str,
        **options: Any,
    ) -> None:
        if kindergartens < 1 or children < 1:
            raise CommandError("--kindergartens and --children: at least 1 each")
        start = time.perf_counter()
        city = synthetic_city(
            kindergartens=kindergartens,
            applicants=children,
            places=0,
            seed=seed,
            at=clock.today(),
        )
        try:
            written = city_write(city, seed=seed, password=password)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"City written in {time.perf_counter() - start:.0f} s: {written.districts} "
                f"districts, {written.kindergartens} kindergartens, {written.groups} groups, "
                f"{written.children} children."
            )
        )
        self.stdout.write(f"Every account's password: {written.password}")
        examples = ", ".join(written.staff[:1] + written.staff[-2:])
        self.stdout.write(f"Staff ({len(written.staff)}), e.g. {examples}")
        self.stdout.write(f"Families: family1@… to family{children}@… (the same domain).")
        self.stdout.write("A staff member's second factor: manage.py demo_totp EMAIL")
