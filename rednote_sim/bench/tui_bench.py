"""The room at scale: what opening, playing, scrolling and keys cost at 100 to 50,000 messages.

For each size a session is recorded into a temporary database (the starter
scenario's beats, times, replies, reactions and markers, repeated), then
replayed in the real app (``make_app`` and Textual's headless driver, 100x30,
animations off so a scroll costs its work, not its animation) at max speed:

* **open**: load the recording from SQLite and build the replay (grows with the size);
* **play to the end**: every event applied, the newest cards on screen (grows);
* **mount**: the chat log mounts its window again (``End`` from the top);
* **scroll**: one ``PageUp``, paging in history at the window's edge;
* **key**: ``k`` (previous message), ``j``, ``t`` (re-render the view), and the
  slowest of all those presses and the scrolls (a garbage-collector pass shows here);
* **Home** / **End**: the first message of the session, and back to the newest;
* **search**: the last key of a query until the matches are in (the store, off
  the UI thread), and Enter: going to the newest match.

Each figure is the median of several presses, all sizes measured in one run;
the last column is the ratio of the largest size to the smallest. The log
mounts at most ``max_cards`` cards, so everything but open, play and search
should stay flat.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rednote_sim.domain import (
    ENGINE_SCRIPT,
    Cast,
    Marker,
    Message,
    Reaction,
    Session,
    Translation,
    other_lang,
)
from rednote_sim.sim.rooms import message_lang
from rednote_sim.sim.schedule import PlannedPost, PlannedReaction, plan
from rednote_sim.store import Store

if TYPE_CHECKING:
    from rednote_sim.settings import Settings

SIZES = (100, 2_000, 50_000)
REPEAT = 7
"""Presses per key measurement (the median is reported)."""

SCREEN = (100, 30)

ROUNDS = 3
"""Times every size is measured (the median is reported)."""

WARM_UP = 20
"""Messages of the session measured (and not reported) before the others."""


async def record_big_session(
    store: Store,
    cast: Cast,
    count: int,
    *,
    scenario_id: str = "arrival",
    session_id: str | None = None,
) -> Session:
    """Write a session of ``count`` messages: one scenario's plan, repeated.

    Each pass keeps the scenario's times (shifted), replies, reaction bursts and
    markers; translations are the human references (labelled ``script``), so no
    model is needed.

    Args:
        store: Where to write it (one transaction).
        cast: The content (personas and the scenario).
        count: Messages to write.
        scenario_id: The scenario whose plan is repeated.
        session_id: The session's id (default: ``big-<count>``).

    Returns:
        The session as the store lists it.
    """
    scenario = cast.scenarios[scenario_id]
    session_id = session_id or f"big-{count}"
    events = plan(scenario, dict(cast.personas), seed=1)
    posts = [e for e in events if isinstance(e, PlannedPost)]
    bursts = [e for e in events if isinstance(e, PlannedReaction)]
    span = max(e.t for e in events) + 10.0
    messages: list[Message] = []
    reactions: list[Reaction] = []
    markers: list[Marker] = []
    rep = 0
    while len(messages) < count:
        offset = rep * span
        seq_of: dict[str, int] = {}
        for post in posts:
            if len(messages) >= count:
                break
            beat, seq = post.beat, len(messages) + 1
            persona = cast.personas[beat.persona]
            lang = message_lang(beat.text, persona)
            seq_of[beat.key or ""] = seq
            messages.append(
                Message(
                    session=session_id,
                    seq=seq,
                    t=post.t + offset,
                    persona=persona.id,
                    name=persona.name,
                    lang=lang,
                    text=beat.text,
                    reply_to=seq_of.get(beat.reply_to) if beat.reply_to else None,
                    reference=beat.reference or None,
                    beat=beat.key,
                    translation=Translation(
                        lang=other_lang(lang),
                        text=beat.reference or beat.text,
                        engine=ENGINE_SCRIPT,
                    ),
                )
            )
            if beat.marker:
                markers.append(
                    Marker(
                        session=session_id,
                        t=post.t + offset,
                        label=beat.marker,
                        seq=seq,
                        kind="scenario",
                    )
                )
        for burst in bursts:
            target = seq_of.get(burst.beat_key)
            if target is not None:
                reactions.append(
                    Reaction(
                        session=session_id,
                        seq=target,
                        emoji=burst.emoji,
                        count=burst.count,
                        t=burst.t + offset,
                    )
                )
        rep += 1
    session = Session(
        id=session_id,
        scenario=scenario.id,
        title=scenario.title,
        created_at=datetime(2025, 1, 13, 9, 30, tzinfo=UTC),
    )
    await store.import_session(session, messages, reactions, markers)
    return await store.get_session(session_id)


@dataclass
class SizeResult:
    """Seconds per operation at one size."""

    size: int
    figures: dict[str, float] = field(default_factory=dict)
    cards_mounted: int = 0
    """Cards the log mounted while the replay played to its end."""


OPERATIONS = (
    "open",
    "play to the end",
    "mount",
    "scroll",
    "key k",
    "key j",
    "key t",
    "slowest key",
    "Home",
    "End",
    "search",
    "search: Enter",
)

FLAT = {"mount", "scroll", "key k", "key j", "key t", "Home", "End", "search: Enter"}
"""The operations whose cost must not grow with the size of the session."""


async def _median(
    action: Callable[[], Awaitable[Any]], repeat: int, every: list[float] | None = None
) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await action()
        times.append(time.perf_counter() - started)
    if every is not None:
        every += times
    return statistics.median(times)


def _settings(size: int, work_dir: Path) -> Settings:
    from rednote_sim.settings import Settings

    return Settings(
        db=work_dir / f"bench-{size}.db",
        personas_dir=Settings().personas_dir,
        models_dir=work_dir / "no-models",
    )


async def record(size: int, work_dir: Path) -> None:
    """Record the session of ``size`` messages the measurements replay."""
    from rednote_sim.content import load_cast

    settings = _settings(size, work_dir)
    async with await Store.open(settings.db) as store:
        await record_big_session(store, load_cast(settings.personas_dir), size)


async def measure(
    size: int, work_dir: Path, *, repeat: int = REPEAT, log: Callable[[str], None] = print
) -> SizeResult:
    """Time the room on the session :func:`record` wrote for ``size``."""
    from rednote_sim.tui import make_app
    from rednote_sim.tui.widgets.card import MessageCard

    settings = _settings(size, work_dir)
    mounted = 0
    original_init = MessageCard.__init__

    def counting_init(self: MessageCard, *args: Any, **kwargs: Any) -> None:
        nonlocal mounted
        mounted += 1
        original_init(self, *args, **kwargs)

    result = SizeResult(size)
    app = make_app(settings, mode="replay", session="latest", speed=math.inf)
    app.animation_level = "none"
    MessageCard.__init__ = counting_init  # type: ignore[method-assign]
    try:
        started = time.perf_counter()
        async with app.run_test(size=SCREEN) as pilot:
            while app.room_screen.room is None:
                await asyncio.sleep(0.005)
            opened = time.perf_counter()
            result.figures["open"] = opened - started
            while not app.room_screen.finished:
                await asyncio.sleep(0.005)
            await pilot.pause()
            result.figures["play to the end"] = time.perf_counter() - opened
            result.cards_mounted = mounted
            figures = result.figures
            log_view = app.room_screen.log_view

            async def mount() -> None:
                await log_view.reset()  # what a seek does: the window mounted afresh
                await pilot.pause()

            figures["mount"] = await _median(mount, repeat)
            keys: list[float] = []
            figures["key k"] = await _median(lambda: pilot.press("k"), repeat, keys)
            figures["key j"] = await _median(lambda: pilot.press("j"), repeat, keys)
            figures["key t"] = await _median(lambda: pilot.press("t"), repeat, keys)
            await pilot.press("t", "t", "n")  # the bilingual view again, following
            figures["scroll"] = await _median(lambda: pilot.press("pageup"), repeat, keys)
            figures["slowest key"] = max(keys)
            homes, ends = [], []
            for _ in range(max(1, repeat // 2)):
                homes.append(await _median(lambda: pilot.press("home"), 1))
                ends.append(await _median(lambda: pilot.press("end"), 1))
            figures["Home"] = statistics.median(homes)
            figures["End"] = statistics.median(ends)

            searches, steps = [], []
            for query in ("cat tax", "RedNote", "早C晚A", "homework"):
                await pilot.press("slash", *query[:-1])
                started = time.perf_counter()
                await pilot.press(query[-1])  # the last key: the store is searched
                while app.room_screen.search_matches is None:
                    await asyncio.sleep(0.002)
                searches.append(time.perf_counter() - started)
                steps.append(await _median(lambda: pilot.press("enter"), 1))
                await pilot.press("escape", "n")
            figures["search"] = statistics.median(searches)

            figures["search: Enter"] = statistics.median(steps)
    finally:
        MessageCard.__init__ = original_init  # type: ignore[method-assign]
    return result


def run(
    sizes: Sequence[int] = SIZES,
    *,
    repeat: int = REPEAT,
    rounds: int = ROUNDS,
    log: Callable[[str], None] = print,
) -> list[SizeResult]:
    """Measure every size in one run, in rounds that take the sizes in turn.

    The machine's noise (other work on it) then falls on every size alike; each
    figure is the median over the rounds. A small warm-up session goes first,
    so the first size does not pay for loading the content and Textual's first
    frames.
    """
    with tempfile.TemporaryDirectory(prefix="rnsim-tui-bench-") as tmp:
        work_dir = Path(tmp)
        for size in (WARM_UP, *sizes):
            asyncio.run(record(size, work_dir))
            log(f"recorded {size:,} messages")
        asyncio.run(measure(WARM_UP, work_dir, repeat=1, log=log))
        measured: dict[int, list[SizeResult]] = {size: [] for size in sizes}
        for round_ in range(1, rounds + 1):
            for size in sizes:
                log(f"round {round_}/{rounds}, {size:,} messages")
                measured[size].append(asyncio.run(measure(size, work_dir, repeat=repeat, log=log)))
    return [_median_result(size, measured[size]) for size in sizes]


def _median_result(size: int, results: Sequence[SizeResult]) -> SizeResult:
    median = SizeResult(size)
    for name in OPERATIONS:
        values = [r.figures[name] for r in results]
        median.figures[name] = max(values) if name == "slowest key" else statistics.median(values)
    median.cards_mounted = round(statistics.median(r.cards_mounted for r in results))
    return median


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def report(results: Sequence[SizeResult]) -> str:
    """The figures as a table: one row per operation, one column per size, and ratios.

    The ratios compare the largest size with the smallest and, with three sizes
    or more, with the one before it: a session of 100 fits in the log's window,
    from 2,000 on every size fills it, so that ratio shows whether a cost stays flat.
    """
    sizes = [f"{r.size:,} msgs" for r in results]
    pairs = [(len(results) - 1, 0)]
    if len(results) > 2:
        pairs.append((len(results) - 1, len(results) - 2))
    header = ["", *sizes, *(f"{results[a].size:,}/{results[b].size:,}" for a, b in pairs)]
    rows = [header]
    for name in OPERATIONS:
        values = [r.figures[name] for r in results]
        ratios = [values[a] / values[b] if values[b] else float("nan") for a, b in pairs]
        label = f"{name} (flat)" if name in FLAT else name
        rows.append([label, *(_ms(v) for v in values), *(f"{x:.2f}x" for x in ratios)])
    mounted = [f"{r.cards_mounted:,}" for r in results]
    rows.append(["cards mounted while playing", *mounted, *("" for _ in pairs)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    return "\n".join(lines)
