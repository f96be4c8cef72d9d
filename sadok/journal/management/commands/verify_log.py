from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sadok.allocation.chain import Head, Problem, chain_check
from sadok.allocation.replay import replay
from sadok.journal.log import log_rows, public_entry
from sadok.journal.models import Event, LogEntry

CHUNK = 2000


class _Differs(Exception):
    def __init__(self, seq: int) -> None:
        self.problem = Problem(seq, "differs from the event it publishes")


class Command(BaseCommand):
    help = (
        "Check the public log: every entry numbered in order, naming the previous hash "
        "and hashing to its own, and publishing exactly its event; with --head, that the "
        "log extends a head saved earlier (SEQ:HASH); then replay it through the queue rule, "
        "every allocation's offers explained. Exits 1 naming the first bad entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--head", help="a head saved earlier, SEQ:HASH")

    def handle(self, *args: Any, head: str | None = None, **options: Any) -> None:
        try:
            saved = Head.parse(head) if head else None
        except ValueError as error:
            raise CommandError(str(error)) from error
        read: list[dict[str, Any]] = []
        try:
            result = chain_check(_with_sources(read), saved)
        except _Differs as differs:
            result = differs.problem
        if isinstance(result, Problem):
            raise CommandError(f"the public log does not hold: {result}")
        self.stdout.write(f"the public log holds: {result.seq} entries, head {result}")
        found = replay(read)
        if found.mismatches:
            raise CommandError(
                f"{len(found.mismatches)} allocation(s) the rules do not explain:\n"
                + "\n".join(found.mismatches)
            )
        self.stdout.write(
            f"the rules explain every offer: {found.runs} runs, {found.offers} offers replayed"
        )


def _with_sources(read: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The log's entries in order (each also kept in `read`), each first compared
    with the event it publishes: an entry rewritten with its hashes recomputed still
    differs from its event."""
    batch: list[dict[str, Any]] = []
    for row in log_rows():
        read.append(row)
        batch.append(row)
        if len(batch) == CHUNK:
            yield from _compared(batch)
            batch = []
    yield from _compared(batch)


def _compared(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    sources = dict(
        LogEntry.objects.filter(seq__in=[r["seq"] for r in rows]).values_list("seq", "event_id")
    )
    events = Event.objects.in_bulk([sources[r["seq"]] for r in rows if r["seq"] in sources])
    for row in rows:
        event = events.get(sources.get(row["seq"], -1))
        published = {k: v for k, v in row.items() if k not in ("prev", "hash")}
        if event is None or public_entry(event, row["seq"]) != published:
            raise _Differs(row["seq"])
        yield row
