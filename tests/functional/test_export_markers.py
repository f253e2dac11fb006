"""Markers in the handouts: each heads the section it starts; none heads an empty one."""

from __future__ import annotations

import re
from pathlib import Path

from rednote_sim.content import load_cast
from rednote_sim.domain import Marker, Message
from rednote_sim.export.formats import export_session
from rednote_sim.store import Store


async def _session(db: Path) -> str:
    async with await Store.open(db) as store:
        session = await store.create_session("arrival", session_id="markers")
        for seq in range(1, 5):
            await store.add_message(
                Message(
                    session=session.id,
                    seq=seq,
                    t=float(seq * 10),
                    persona="maddie",
                    name="Maddie",
                    lang="en",
                    text=f"line {seq}",
                )
            )
        chapter = Marker(session=session.id, t=30.0, label="Chapter", seq=3, kind="scenario")
        await store.add_marker(chapter)
        # Dropped while line 2 was the last one (t=25): it heads line 3, with the chapter.
        await store.add_marker(
            Marker(session=session.id, t=25.0, label="before the chapter", seq=2, kind="user")
        )
        # Dropped after the last line: nothing follows it.
        await store.add_marker(
            Marker(session=session.id, t=45.0, label="after the end", seq=4, kind="user")
        )
    return session.id


async def _export(db: Path, fmt: str, personas_dir: Path) -> str:
    async with await Store.open(db) as store:
        out = db.with_suffix(f".{fmt}")
        await export_session(store, "markers", fmt, out, cast=load_cast(personas_dir))
    return out.read_text(encoding="utf-8")


async def test_markdown_has_no_empty_marker_section(tmp_path: Path, personas_dir: Path) -> None:
    await _session(tmp_path / "m.db")
    text = await _export(tmp_path / "m.db", "md", personas_dir)
    headings = [ln for ln in text.splitlines() if ln.startswith("### ▸")]
    assert headings == ["### ▸ before the chapter · Chapter"]  # one heading, then line 3
    after = text.split(headings[0], 1)[1]
    assert after.index("line 3") < after.index("line 4")
    assert "after the end" not in text


async def test_html_has_no_empty_marker_section(tmp_path: Path, personas_dir: Path) -> None:
    await _session(tmp_path / "h.db")
    page = await _export(tmp_path / "h.db", "html", personas_dir)
    markers = re.findall(r'<h3 class="marker">(.*?)</h3>', page)
    assert markers == ['▸ before the chapter <span class="kind">(your marker)</span> · Chapter']
    assert page.index('class="marker"') < page.index('id="m3"')
    assert "after the end" not in page
