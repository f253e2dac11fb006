"""How JSONL import scales: the same kind of file at N and 2N records, timed in one run.

Import must be linear in the size of the file (issue: validating 30,000
phrasebook records used to be quadratic). The benchmark writes a session with
N phrasebook records and one with 2N, imports each into a fresh database and
prints both times and their ratio: about 2 for linear work, about 4 for
quadratic.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rednote_sim.export.jsonl_io import import_parsed, parse_jsonl
from rednote_sim.store import Store

SESSION = "bench-import"


@dataclass(frozen=True)
class Timing:
    """One import: how many phrasebook records, seconds to validate and to store."""

    records: int
    parse_seconds: float
    store_seconds: float

    @property
    def total(self) -> float:
        """Validation plus storing."""
        return self.parse_seconds + self.store_seconds


def write_file(path: Path, records: int) -> Path:
    """A valid export with 3 messages and ``records`` phrasebook entries."""
    lines: list[dict[str, object]] = [
        {
            "type": "session",
            "session": SESSION,
            "scenario": "bench",
            "created_at": "2025-01-13T09:30:00Z",
        }
    ]
    for seq in (1, 2, 3):
        lines.append(
            {
                "session": SESSION,
                "seq": seq,
                "t": float(seq),
                "persona": "p",
                "name": "P",
                "lang": "zh",
                "text": f"第{seq}条",
            }
        )
    for i in range(records):
        lines.append(
            {
                "type": "vocab",
                "session": SESSION,
                "seq": 1 + i % 3,
                "lang": "zh",
                "term": f"词{i}",
                "created_at": "2025-01-14T10:00:00Z",
            }
        )
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
    return path


async def _store(db: Path, file: Path) -> tuple[float, float]:
    start = time.perf_counter()
    parsed = parse_jsonl(file)
    parsed_at = time.perf_counter()
    async with await Store.open(db) as store:
        await import_parsed(store, parsed)
    return parsed_at - start, time.perf_counter() - parsed_at


def run(records: int) -> list[Timing]:
    """Import files of ``records`` and ``2 * records`` phrasebook entries; time each."""
    timings = []
    with tempfile.TemporaryDirectory(prefix="rnsim-bench-import-") as tmp:
        for n in (records, 2 * records):
            file = write_file(Path(tmp) / f"{n}.jsonl", n)
            parse, store = asyncio.run(_store(Path(tmp) / f"{n}.db", file))
            timings.append(Timing(n, parse, store))
    return timings


def report(timings: list[Timing]) -> str:
    """The timings and the ratio of the larger import to the smaller."""
    small, large = timings
    lines = [
        f"{t.records:>8,} records: validate {t.parse_seconds:6.2f} s, "
        f"store {t.store_seconds:6.2f} s, total {t.total:6.2f} s"
        for t in timings
    ]
    ratio = large.total / max(small.total, 1e-9)
    lines.append(f"2x the records took {ratio:.2f}x the time (linear: about 2, quadratic: about 4)")
    return "\n".join(lines)
