#!/usr/bin/env python3
"""Check Sadok's public log from outside: no Django, no database, only this file,
the standard library and `sadok.allocation` (pure Python; `pip install` this
repository, or copy `sadok/allocation/` beside this file).

    python tools/verify_public_log.py https://sadok.example/ [--head SEQ:HASH]

It downloads the log page by page from the open API (`/api/log`), checks that
every entry is numbered one more than the last, names the previous entry's hash
and hashes to its own (`sadok.allocation.chain`), and, given a head saved earlier,
that the log still contains it unchanged — a rewritten or truncated history is
caught by anyone who saved an old head. Then it replays the log from its first
entry through the queue rule (`sadok.allocation.replay`): every allocation run again
on what it read must make exactly the offers the log shows, and any it does not
explain is printed, naming the entry. It prints the verdicts and today's head, to
save for the next check. Exit status: 0 the log holds and explains every offer, 1
it does not, 2 it could not be read.

What it cannot prove (docs/open-data.md, "What the verifier proves"): that the
published events are all the events, that a child's age in years is its true age,
or that a family's choices and claims are what the family and the office decided.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # a checkout of the repository

from sadok.allocation.chain import Head, Problem, chain_check
from sadok.allocation.replay import replay

PAGE = 1000


def _get(url: str) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        data: dict[str, Any] = json.load(response)
    return data


def entries(base: str) -> Iterator[dict[str, Any]]:
    after = 0
    while True:
        page = _get(f"{base}/api/log?after={after}&limit={PAGE}")
        if not page["items"]:
            return
        yield from page["items"]
        after = page["items"][-1]["seq"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", help="the site's address, e.g. https://sadok.example/")
    parser.add_argument("--head", help="a head saved earlier, SEQ:HASH")
    args = parser.parse_args(argv)
    base = args.site.rstrip("/")
    try:
        saved = Head.parse(args.head) if args.head else None
    except ValueError as error:
        print(f"bad --head: {error}")
        return 2
    read: list[dict[str, Any]] = []
    try:
        result = chain_check(kept(entries(base), read), saved)
    except (urllib.error.URLError, OSError, ValueError, KeyError) as error:
        print(f"could not read the log from {base}: {error}")
        return 2
    if isinstance(result, Problem):
        print(f"FAILED: the public log does not hold: {result}")
        return 1
    print(f"OK: the public log holds: {result.seq} entries; head {result}")
    if saved is not None:
        print(f"it extends the saved head {saved}")
    print("save the head to check that later logs extend it: --head " + str(result))
    found = replay(read)
    if found.mismatches:
        print(f"FAILED: {len(found.mismatches)} allocation(s) the rules do not explain:")
        for problem in found.mismatches:
            print(f"  {problem}")
        return 1
    print(f"OK: the rules explain every offer: {found.runs} runs, {found.offers} offers replayed")
    return 0


def kept(items: Iterable[dict[str, Any]], into: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """`items`, each also kept in `into` (the log is read once, checked, then replayed)."""
    for item in items:
        into.append(item)
        yield item


if __name__ == "__main__":
    sys.exit(main())
