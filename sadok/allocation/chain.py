"""The public log's hash chain, in plain Python (SPEC.md "Transparency").

Each entry of the public log is a flat mapping of public values (`FIELDS`). Its hash
is the SHA-256 of its canonical form — the entry with the previous entry's hash as
`prev`, written as JSON with sorted keys, no spaces, UTF-8 — so that anyone can
recompute it from what the API serves. The first entry's `prev` is `GENESIS`.

Sadok's appender (`sadok.journal.log`), `manage.py verify_log` and the standalone
verifier all use this module, so the three can never disagree on a hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
# What an entry carries, besides its hash: every value is public (no names, no
# birth dates, no free text; `docs/open-data.md`).
FIELDS = (
    "seq",
    "at",
    "kind",
    "actor_role",
    "application_number",
    "kindergarten_id",
    "group_id",
    "place_id",
    "offer_id",
    "reason",
    "data",
)


def canonical(entry: Mapping[str, Any], prev: str) -> bytes:
    """The bytes an entry's hash is taken of."""
    body = {name: entry[name] for name in FIELDS}
    body["prev"] = prev
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: Mapping[str, Any], prev: str) -> str:
    return hashlib.sha256(canonical(entry, prev)).hexdigest()


@dataclass(frozen=True)
class Head:
    """Where a chain stood: its last entry's sequence number and hash. Anyone who
    saved one can check that a later chain extends it."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        """ "SEQ:HASH", as `str` writes it."""
        seq, _, digest = text.strip().partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise ValueError(f"a head is SEQ:HASH (64 hex digits), not {text!r}")
        return cls(int(seq), digest.lower())


@dataclass(frozen=True)
class Problem:
    """The first entry that does not hold, and why."""

    seq: int
    why: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.why}"


def chain_check(entries: Iterable[Mapping[str, Any]], saved: Head | None = None) -> Problem | Head:
    """Walk the entries from the first: each numbered one more than the last, each
    naming the previous hash and hashing to its own; a `saved` head must be in the
    chain with the same hash. The first problem found, or the chain's head."""
    prev, expected, head = GENESIS, 1, Head(0, GENESIS)
    for entry in entries:
        seq = entry.get("seq")
        if seq != expected:
            return Problem(expected, f"missing or out of order (found {seq!r})")
        if entry.get("prev") != prev:
            return Problem(expected, "does not name the previous entry's hash")
        if entry_hash(entry, prev) != entry.get("hash"):
            return Problem(expected, "its hash does not match its contents")
        prev = entry["hash"]
        head = Head(expected, prev)
        if saved is not None and saved.seq == expected and saved.hash != prev:
            return Problem(expected, f"differs from the saved head {saved}: history rewritten")
        expected += 1
    if saved is not None and saved.seq > head.seq:
        return Problem(head.seq + 1, f"the chain ends before the saved head {saved}: truncated")
    return head
