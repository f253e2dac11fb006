"""A class under load: a real host process and N guests, guest-to-host latency and host CPU.

Each round starts a real host (``rednote-sim demo --headless --keep-open`` on a
fresh database, with no translation model: lines fall back to their human
reference, so the figures are the classroom's, not the model's) and N simulated
guests in this process, each on its own database connection (as N ``say`` or
``join`` processes would be), each posting one message every
:data:`INTERVAL` seconds (under the host's rate limit; every fifth one says
hello, which the personas answer by name). It prints, from one run:

* latency: the inbox row's ``created_at`` to the moment an observer polling
  every :data:`OBSERVE` seconds sees it resolved (the host resolves a row right
  after committing its message, so this is "committed", plus at most one
  observer poll);
* host CPU: the host process's user + system time (``/proc/PID/stat``) over the
  round's wall time, as a share of one core;
* how late the host's heartbeat came at worst (its beats are an ``asyncio.sleep``
  of one second apart on the host's event loop: a late beat is a loop that was busy,
  the same loop that answers a TUI host's keys; a beat also waits for the
  database's write lock, which the guests' inserts take too);
* the same CPU figure for the host with no guests, as the baseline.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from rednote_sim.domain.guests import HEARTBEAT, SayPayload
from rednote_sim.store import Store
from rednote_sim.store.classroom_repo import ClassroomRepo

SIZES = (1, 10, 40)
"""Guests per round (a round with none comes first, as the CPU baseline)."""

INTERVAL = 2.5
"""Seconds between two messages of one guest (the host allows one every 2 s)."""

OBSERVE = 0.01
"""Seconds between the observer's looks at the inbox."""

START_TIMEOUT = 120.0
"""Seconds a host may take to start beating."""


@dataclass(frozen=True)
class Round:
    """One round's figures."""

    guests: int
    seconds: float
    sent: int
    posted: int
    refused: int
    latencies_ms: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0
    beats: list[float] = field(default_factory=list)
    """The host's ``beat_at`` values seen during the round."""

    @property
    def beat_late_ms(self) -> float:
        """The largest gap between two beats, less the heartbeat interval."""
        gaps = [b - a for a, b in zip(self.beats, self.beats[1:], strict=False)]
        return max(0.0, (max(gaps) - HEARTBEAT) * 1000) if gaps else float("nan")

    @property
    def cpu_share(self) -> float:
        """Host CPU as a share of one core over the round."""
        return self.cpu_seconds / self.seconds if self.seconds else 0.0

    @property
    def median_ms(self) -> float:
        """Median latency."""
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p95_ms(self) -> float:
        """95th percentile latency."""
        if len(self.latencies_ms) < 2:
            return self.median_ms
        return statistics.quantiles(self.latencies_ms, n=20, method="inclusive")[18]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / os.sysconf("SC_CLK_TCK")


def _start_host(db: Path, models: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "rednote_sim", "demo", "--headless", "--keep-open"]
    command += ["--speed", "1", "--seed", "1", "--db", str(db)]
    env = {**os.environ, "RNSIM_MODELS_DIR": str(models)}
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def _host_session(db: Path, pid: int) -> str | None:
    if not db.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(db, timeout=30)) as raw:
            row = raw.execute(
                "SELECT session_id FROM hosts WHERE pid = ? AND finished = 0", (pid,)
            ).fetchone()
    except sqlite3.OperationalError:  # not migrated yet
        return None
    return str(row[0]) if row else None


async def _wait_for_host(db: Path, host: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if host.poll() is not None:
            error = host.stderr.read().decode(errors="replace") if host.stderr else ""
            raise RuntimeError(f"the host exited ({host.returncode}): {error.strip()}")
        session = _host_session(db, host.pid)
        if session is not None:
            return session
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the host did not start within {START_TIMEOUT:g} s")


async def _guest(
    db: Path, session: str, number: int, stop: asyncio.Event, sent: list[int], rng: random.Random
) -> None:
    async with await Store.open(db) as store:
        repo = ClassroomRepo.of(store)
        name = f"Guest {number}"
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), rng.uniform(0, INTERVAL))  # spread the class
        count = 0
        while not stop.is_set():
            count += 1
            text = "hello everyone" if count % 5 == 0 else f"line {count} from guest {number}"
            await repo.send(session, name, "say", SayPayload(text=text))
            sent.append(1)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), INTERVAL)


async def _observe(
    db: Path,
    session: str,
    stop: asyncio.Event,
    found: list[tuple[str, float]],
    beats: list[float],
) -> None:
    async with await Store.open(db) as store:
        conn = store.connection.db
        last = 0
        while True:
            async with conn.execute(
                "SELECT beat_at FROM hosts WHERE session_id = ?", (session,)
            ) as cursor:
                beat = await cursor.fetchone()
            if beat is not None and (not beats or beat[0] != beats[-1]):
                beats.append(float(beat[0]))
            async with conn.execute(
                "SELECT id, status, created_at FROM inbox WHERE session_id = ? AND id > ?"
                " AND status != 'pending' ORDER BY id",
                (session, last),
            ) as cursor:
                rows = list(await cursor.fetchall())
            now = time.time()
            for row in rows:
                last = max(last, row[0])
                created = datetime.fromisoformat(row[2]).timestamp()
                found.append((row[1], (now - created) * 1000))
            if stop.is_set() and not rows:
                return
            await asyncio.sleep(OBSERVE)


async def run_round(guests: int, seconds: float) -> Round:
    """One round: a fresh host, ``guests`` guests posting for ``seconds``."""
    with tempfile.TemporaryDirectory(prefix="rnsim-class-bench-") as folder:
        db, models = Path(folder) / "class.db", Path(folder) / "no-models"
        models.mkdir()
        host = _start_host(db, models)
        try:
            session = await _wait_for_host(db, host)
            await asyncio.sleep(1.0)  # the host settles (first beats, first lines)
            stop, done = asyncio.Event(), asyncio.Event()
            sent: list[int] = []
            found: list[tuple[str, float]] = []
            beats: list[float] = []
            rng = random.Random(guests)
            observer = asyncio.create_task(_observe(db, session, done, found, beats))
            tasks = [
                asyncio.create_task(_guest(db, session, g + 1, stop, sent, rng))
                for g in range(guests)
            ]
            cpu_before, wall_before = _cpu_seconds(host.pid), time.monotonic()
            await asyncio.sleep(seconds)
            stop.set()
            await asyncio.gather(*tasks)
            cpu_after, wall_after = _cpu_seconds(host.pid), time.monotonic()
            # Let the host take what was sent last, then stop observing.
            deadline = time.monotonic() + 30
            while len(found) < len(sent) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            done.set()
            await observer
        finally:
            host.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                host.wait(timeout=30)
            if host.poll() is None:
                host.kill()
                host.wait()
    return Round(
        guests=guests,
        seconds=wall_after - wall_before,
        sent=len(sent),
        posted=sum(1 for status, _ in found if status == "done"),
        refused=sum(1 for status, _ in found if status == "refused"),
        latencies_ms=[ms for status, ms in found if status == "done"],
        cpu_seconds=cpu_after - cpu_before,
        beats=beats,
    )


def run(sizes: Sequence[int] = SIZES, seconds: float = 10.0) -> list[Round]:
    """The baseline (no guests) and one round per size."""

    async def rounds() -> list[Round]:
        return [await run_round(n, seconds) for n in (0, *sizes)]

    return asyncio.run(rounds())


def report(rounds: list[Round]) -> str:
    """The figures, one line per round."""
    seconds = rounds[0].seconds if rounds else 0.0
    lines = [
        "classroom: a real host process (demo --headless --keep-open, no translation model: "
        "human references), N guests in this process on their own connections, "
        f"each posting every {INTERVAL:g} s; ~{seconds:.0f} s per round",
    ]
    for r in rounds:
        cpu = (
            f"host CPU {r.cpu_share:.1%} of one core, "
            f"heartbeat late by {r.beat_late_ms:.0f} ms at most"
        )
        if r.guests == 0:
            lines.append(f"  N=0 (baseline): {cpu}")
            continue
        lines.append(
            f"  N={r.guests}: sent {r.sent}, posted {r.posted}, refused {r.refused}; "
            f"latency median {r.median_ms:.0f} ms, p95 {r.p95_ms:.0f} ms; {cpu}"
        )
    return "\n".join(lines)
