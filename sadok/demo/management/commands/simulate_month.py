from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sadok.demo.simulate import month_simulate
from sadok.journal.log import log_append
from sadok.journal.models import Event, LogCursor
from sadok.kindergartens.models import Kindergarten


class Command(BaseCommand):
    help = (
        "Simulate a month of the demo city from today (registrations, claims, places, "
        "answers, expiries, the wave), then publish it to the public log; "
        "`manage.py verify_log` replays it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="days to simulate (30)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
        parser.add_argument("--wave-day", type=int, default=20, help="the wave's day (20)")

    def handle(self, *args: Any, days: int, seed: int, wave_day: int, **options: Any) -> None:
        if not Kindergarten.objects.exists():
            raise CommandError("Load the demo city first: manage.py load_demo_city")
        month = month_simulate(days=days, seed=seed, wave_day=wave_day)
        published = 0
        while appended := log_append():
            published += appended
        self.stdout.write(f"Simulated {days} days: {month}.")
        self.stdout.write(f"Published {published} entries to the public log.")
        left = Event.objects.filter(pk__gt=LogCursor.objects.get(pk=1).event_id).count()
        if left:
            self.stdout.write(
                f"{left} more wait for a transaction still open: the worker publishes them."
            )
