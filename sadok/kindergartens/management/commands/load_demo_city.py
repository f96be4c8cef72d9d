from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sadok.kindergartens.demo import demo_city_load
from sadok.kindergartens.models import Kindergarten


class Command(BaseCommand):
    help = "Load the demo Kyiv (10 districts, 80 kindergartens with groups) into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        if Kindergarten.objects.exists():
            self.stdout.write("The demo city is already loaded; nothing to do.")
            return
        summary = demo_city_load(seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo Kyiv loaded: {summary.districts} districts, {summary.kindergartens} "
                f"kindergartens, {summary.groups} groups, {summary.enrolled} children enrolled."
            )
        )
