"""The HTML handout, parsed: content, pinyin, origins, escaping, self-containment."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rednote_sim.content import load_cast
from rednote_sim.domain.terms import has_han
from rednote_sim.export.formats import export_session
from rednote_sim.lang.pinyin import pinyin
from rednote_sim.lang.segment import glossary_segmenter
from rednote_sim.store import Store
from tests.conftest import HOSTILE_TEXT, LONG_URL, LONG_ZH, WorkshopSession, machine_text

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found: list[Node] = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                    found.append(child)
                found += child.all(tag, cls)
        return found

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, (tag, cls, len(found))
        return found[0]


class Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    tree = Tree()
    tree.feed(html)
    tree.close()
    assert tree.current is tree.root, "unclosed elements"
    assert tree.doctype.lower() == "doctype html"
    return tree.root


@pytest.fixture
async def page(workshop_session: WorkshopSession, personas_dir: Path, tmp_path: Path) -> str:
    out = tmp_path / "handout.html"
    async with await Store.open(workshop_session.db) as store:
        await export_session(store, "latest", "html", out, cast=load_cast(personas_dir))
    return out.read_text(encoding="utf-8")


def _message(doc: Node, seq: int) -> Node:
    return next(a for a in doc.all("article") if a.attrs.get("id") == f"m{seq}")


def test_the_page_is_self_contained_and_printable(page: str) -> None:
    doc = parse(page)
    assert doc.all("script") == [] and doc.all("link") == [] and doc.all("img") == []
    style = doc.one("style").text
    assert "@media print" in style and "break-inside: avoid" in style
    assert "overflow-wrap: anywhere" in style
    assert not re.search(r"@import|url\(", style)
    for node in doc.all():
        for name in ("src", "href"):
            value = node.attrs.get(name, "")
            assert not value or value.startswith("#"), (node.tag, value)
    assert any(m.attrs.get("charset") == "utf-8" for m in doc.all("meta"))


def test_title_meta_and_note(page: str, workshop_session: WorkshopSession) -> None:
    doc = parse(page)
    assert doc.one("title").text == "Arrival: day one of the migration · 初来乍到：迁徙第一天"
    h1 = doc.one("h1")
    assert "Arrival: day one of the migration" in h1.text
    assert h1.one("span", "zh").attrs["lang"] == "zh-Hans"
    meta = doc.one("ul", "meta").text
    assert "2025-01-14 09:30 UTC" in meta and "in the story: 2025-01-13" in meta
    assert workshop_session.session_id in meta
    assert doc.one("section", "note").one("p").text == workshop_session.note


def test_every_message_with_pinyin_origin_and_reference(page: str, personas_dir: Path) -> None:
    doc = parse(page)
    cast = load_cast(personas_dir)
    scenario = cast.scenarios["arrival"]
    seg = glossary_segmenter(cast.glossary)
    articles = doc.all("article", "msg")
    assert len(articles) == len(scenario.beats) + 2
    for beat, article in zip(scenario.beats, articles[: len(scenario.beats)], strict=True):
        original = article.one("p", "original")
        assert original.text == beat.text
        translations = article.all("div", "tr")
        if original.attrs["lang"] == "zh-Hans":
            # Chinese: pinyin under it, the machine translation, then the differing reference.
            assert article.all("p", "pinyin")[0].text == pinyin(beat.text, seg)
            machine, human = translations
            assert "machine" in machine.classes and "Argos translate-zh_en 1.9" in machine.text
            assert machine.all("p", "text")[0].text == machine_text(beat.reference)
            assert "human" in human.classes and human.all("p", "text")[0].text == beat.reference
        else:
            # English with the scenario reference as its translation: shown once, labelled human.
            (human,) = translations
            assert "human reference" in human.one("span", "label").text
            assert human.all("p", "text")[0].text == beat.reference
            if has_han(beat.reference):
                assert human.one("p", "pinyin").text == pinyin(beat.reference, seg)
                assert human.one("span", "label").text.startswith("中文")
            else:  # an American writing Chinese: the reference is English
                assert human.all("p", "pinyin") == []
                assert human.one("span", "label").text.startswith("English")
                assert article.all("p", "pinyin")[0].text == pinyin(beat.text, seg)


def test_pinyin_sits_under_the_chinese(page: str) -> None:
    doc = parse(page)
    eyes = _message(doc, 6)
    paragraphs = [c for c in eyes.children if isinstance(c, Node) and c.tag == "p"]
    assert "original" in paragraphs[0].classes and "pinyin" in paragraphs[1].classes
    assert paragraphs[1].text.startswith("jiùmìng，")
    assert "xiǎohóngshū" in paragraphs[1].text


def test_hostile_text_is_escaped_and_shown_verbatim(page: str) -> None:
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &amp;amp;" in page
    doc = parse(page)
    hostile = doc.all("article")[-2]
    assert hostile.one("p", "original").text == HOSTILE_TEXT + " " + LONG_URL
    assert hostile.one("span", "name").text == "You <b>"
    assert hostile.one("p", "error").text == "⚠ not translated: no en→zh model installed"
    vocab = doc.one("section", "vocab")
    assert "<b>bold</b>" in vocab.text and "<i>粗</i>" in vocab.text
    long_zh = doc.all("article")[-1]
    assert long_zh.one("p", "original").text == LONG_ZH


def test_markers_head_their_lines(page: str) -> None:
    doc = parse(page)
    conversation = doc.one("section", "conversation")
    order = [
        ("marker", c.text) if c.tag == "h3" else ("msg", c.attrs["id"])
        for c in conversation.children
        if isinstance(c, Node) and c.tag in ("h3", "article")
    ]
    assert order[0] == ("marker", "▸ Introductions")
    assert order[1] == ("msg", "m1")
    user = order.index(("marker", "▸ talk about 救命 (your marker)"))
    assert order[user - 1] == ("msg", "m6") and order[user + 1] == ("msg", "m7")
    assert ("marker", "▸ China wakes up") in order


def test_phrasebook_table(page: str) -> None:
    doc = parse(page)
    rows = doc.one("section", "vocab").one("tbody").all("tr")
    cells = [[td.text for td in row.all("td")] for row in rows]
    assert [c[0] for c in cells] == ["救命", "小红书", "看不懂", "笑死 user", "—", "<i>粗</i> user"]
    assert cells[0][1:3] == ["jiùmìng", "help! / OMG user"]
    assert cells[1][1:3] == ["xiǎohóngshū", "RedNote glossary"]
    assert cells[3][1:3] == ["xiào sǐ", "lmfaooo"]
    assert cells[4][2] == "hilarious"
    assert cells[0][3].startswith("#6救命，一觉醒来")


def test_marked_mt_errors_side_by_side(page: str, personas_dir: Path) -> None:
    doc = parse(page)
    errors = doc.one("section", "errors")
    flagged = errors.all("div", "flagged-line")
    assert len(flagged) == 2
    eyes = next(b for b in load_cast(personas_dir).scenarios["arrival"].beats if b.key == "eyes")
    first = flagged[0]
    machine, human = first.one("div", "side-by-side").all("div", "tr")
    assert machine.all("p", "text")[0].text == machine_text(eyes.reference)
    assert human.all("p", "text")[0].text == eyes.reference
    assert "drops 'I woke up' & <the feed>" in first.text
    assert "flagged" in _message(doc, 6).classes
    answers = [p.text for p in _message(doc, 6).all("p", "answer")]
    assert answers == [
        "Learner's translation: Help! My RedNote is all English",
        "Learner's translation: Save me, <English> everywhere & more",
    ]


async def test_without_the_cast_the_handout_falls_back_to_the_session(
    workshop_session: WorkshopSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RNSIM_PERSONAS_DIR", str(tmp_path / "nowhere"))
    out = tmp_path / "bare.html"
    async with await Store.open(workshop_session.db) as store:
        await export_session(store, "latest", "html", out)
    doc = parse(out.read_text(encoding="utf-8"))
    assert doc.one("h1").text == "Arrival: day one of the migration"  # the session's title
    assert _message(doc, 6).one("span", "flag").text == "🇨🇳"  # flag from the language
    assert len(doc.all("article")) > 30


def test_pinyin_syllables_carry_a_class_per_tone_and_the_palette_is_plecos(page: str) -> None:
    from rednote_sim.lang.readings import hanzi_syllables
    from rednote_sim.lang.tones import PLECO_PALETTE, palette_css

    doc = parse(page)
    style = doc.one("style").text
    assert palette_css(PLECO_PALETTE) in style  # tone1 red … tone5 grey, in handout.css
    switch = doc.one("input")
    assert switch.attrs["type"] == "checkbox" and "checked" in switch.attrs
    assert "#tone-colours:not(:checked) ~ * .tone1" in style
    original = next(p for p in doc.all("p", "original") if p.text.startswith("救命，一觉醒来"))
    line = original.parent
    assert line is not None
    reading = line.all("p", "pinyin")[0]
    syllables = [s for s in reading.all("span") if s.classes]
    expected = hanzi_syllables(original.text)
    # One span per character's syllable, in order, its class its tone; marks kept.
    assert [(s.text, s.attrs["class"]) for s in syllables] == [
        (e.text, f"tone{e.tone}") for e in expected
    ]
    assert syllables[0].text == "jiù" and syllables[0].attrs["class"] == "tone4"
    assert reading.text.startswith("jiùmìng，")  # the text is the same pinyin as before
    # Phrasebook pinyin too (the dictionary's or computed).
    cells = [td for td in doc.all("td", "pinyin") if td.text == "jiùmìng"]
    assert cells and [s.attrs["class"] for s in cells[0].all("span")] == ["tone4", "tone4"]


def test_the_footer_credits_cc_cedict(page: str) -> None:
    from rednote_sim.lang.cedict import CEDICT_CREDIT

    footer = parse(page).one("footer").text
    assert CEDICT_CREDIT in footer and "CC BY-SA 4.0" in footer


async def test_the_page_can_open_without_tone_colours(
    workshop_session: WorkshopSession, personas_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plain.html"
    async with await Store.open(workshop_session.db) as store:
        await export_session(
            store, "latest", "html", out, cast=load_cast(personas_dir), tone_colours=False
        )
    doc = parse(out.read_text(encoding="utf-8"))
    assert "checked" not in doc.one("input").attrs
    assert doc.all("span", "tone4")  # the classes stay: the checkbox brings the colours back
