"""How fast look-ups are: building the index once, opening it, then each look-up.

All in one run, on the real data: the index is built into a temporary cache
file (what the first ``rednote-sim lookup`` on a machine does), opened again
(what every later process does), and then Chinese and English words are looked
up repeatedly. It prints the times and how many look-ups fit in one build.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rednote_sim.lang.index import Index
from rednote_sim.lang.lookup import Dictionary

CHINESE = ("卷子", "猫", "了", "小红书", "作业", "雅思", "家人们", "救命", "翻译", "貓")
ENGLISH = ("cat", "homework", "test paper", "refugee", "to eat", "good", "translate", "help")


@dataclass(frozen=True)
class Result:
    """Seconds for each step, and per-look-up times in milliseconds."""

    build_seconds: float
    open_seconds: float
    first_lookup_ms: float
    chinese_ms: list[float]
    english_ms: list[float]
    cache_bytes: int


def _timed_ms(dictionary: Dictionary, words: tuple[str, ...], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for word in words:
            start = time.perf_counter()
            dictionary.lookup(word)
            times.append((time.perf_counter() - start) * 1000)
    return times


def run(repeat: int = 20) -> Result:
    """Build, open and query a fresh index in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="rnsim-lookup-bench-") as folder:
        path = Path(folder) / "cedict.sqlite3"
        start = time.perf_counter()
        Index(path).close()
        build = time.perf_counter() - start
        start = time.perf_counter()
        index = Index(path)
        opened = time.perf_counter() - start
        dictionary = Dictionary(index=index)
        start = time.perf_counter()
        dictionary.lookup("猫")
        first = (time.perf_counter() - start) * 1000
        chinese = _timed_ms(dictionary, CHINESE, repeat)
        english = _timed_ms(dictionary, ENGLISH, repeat)
        size = path.stat().st_size
        dictionary.close()
    return Result(build, opened, first, chinese, english, size)


def report(result: Result) -> str:
    """The figures, one per line."""

    def median(values: list[float]) -> float:
        return statistics.median(values)

    def p95(values: list[float]) -> float:
        return sorted(values)[int(len(values) * 0.95) - 1]

    zh, en = median(result.chinese_ms), median(result.english_ms)
    return "\n".join(
        [
            f"(a) build the index once (parse CC-CEDICT, rank, write SQLite): "
            f"{result.build_seconds:.2f} s, {result.cache_bytes / 2**20:.0f} MiB",
            f"(b) open the built index (every later process): {result.open_seconds * 1000:.1f} ms",
            f"(c) first look-up after opening: {result.first_lookup_ms:.1f} ms",
            f"(d) Chinese look-ups: median {zh:.2f} ms, p95 {p95(result.chinese_ms):.2f} ms "
            f"({len(result.chinese_ms)} look-ups)",
            f"(e) English look-ups: median {en:.2f} ms, p95 {p95(result.english_ms):.2f} ms "
            f"({len(result.english_ms)} look-ups)",
            f"(f) one build costs as much as {result.build_seconds * 1000 / zh:,.0f} Chinese or "
            f"{result.build_seconds * 1000 / en:,.0f} English look-ups",
        ]
    )
