"""The TUI's plain parts: safe text, the log model, card rendering, the action registry."""

from __future__ import annotations

from collections import Counter

import pytest
from textual.content import Content
from textual.widgets import Input

from rednote_sim.domain import Marker, Message, Persona, Translation
from rednote_sim.textsafe import visible
from rednote_sim.tui.actions import APP_ACTIONS, ROOM_ACTIONS, actions_for, hints, key_label
from rednote_sim.tui.app import RoomApp, merge_actions
from rednote_sim.tui.logmodel import LogModel
from rednote_sim.tui.render import CardRenderer, CardVisual, search_pattern
from rednote_sim.tui.safetext import one_line
from rednote_sim.tui.screens.live import LiveRoomScreen
from rednote_sim.tui.screens.replay import ReplayRoomScreen
from rednote_sim.tui.view import CardExtension, CardLine, Columns, ViewOptions
from rednote_sim.tui.widgets.chatlog import ChatLog
from rednote_sim.tui.workshop.state import WorkshopState, machine_translated, quizzable


def msg(seq: int, text: str, lang: str = "zh", **kw: object) -> Message:
    base: dict[str, object] = {
        "session": "s",
        "seq": seq,
        "t": float(seq),
        "persona": "ating",
        "name": "阿婷",
        "lang": lang,
        "text": text,
    }
    base.update(kw)
    return Message.model_validate(base)


ATING = Persona(
    id="ating",
    name="阿婷",
    handle="@ating_8am",
    language="zh",
    country="CN",
    home="深圳",
    avatar="🌅",
    bio="早起",
)


# --- safe text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("[bold red]x[/]", "[bold red]x[/]"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("a\u200bb", "a\\u200bb"),
        ("\u202eevil", "\\u202eevil"),
        ("\u200fמרק", "\\u200fמרק"),
        ("👩\u200d💻 ok", "👩\u200d💻 ok"),  # ZWJ emoji stay emoji
        ("第一行\n第二行", "第一行\n第二行"),
    ],
)
def test_the_screen_shows_controls_and_invisibles_as_escapes(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_one_line_cuts_by_cells_not_characters() -> None:
    assert one_line("救命" * 40, 10) == "救命救命…"
    assert one_line("short", 10) == "short"
    assert one_line("two\nlines", 10) == "two…"


# --- the log model -----------------------------------------------------------------------


def test_model_keeps_order_and_updates_in_place() -> None:
    model = LogModel()
    assert model.add(msg(1, "你好"))
    assert model.add(msg(2, "cat tax please", lang="en"))
    translated = msg(1, "你好", translation=Translation(lang="en", text="Hello", engine="x"))
    assert not model.add(translated)
    assert model.order == [1, 2] and model.messages[1].translation is not None


def test_a_marker_before_its_message_waits_for_it() -> None:
    model = LogModel()
    model.add(msg(1, "a"))
    marker = Marker(session="s", t=2.0, label="China wakes up", seq=2, kind="scenario")
    assert model.mark(marker) is None
    assert model.markers == {}
    model.add(msg(2, "b"))
    assert model.markers == {2: [marker]}
    user = Marker(session="s", t=3.0, label="mine", seq=None)
    assert model.mark(user) == 2


# --- cards -------------------------------------------------------------------------------


def renderer(*messages: Message, **options: object) -> CardRenderer:
    model = LogModel()
    for message in messages:
        model.add(message)
    render = CardRenderer(model, {"ating": ATING})
    render.options = ViewOptions(**options)  # type: ignore[arg-type]
    return render


def test_card_text_is_literal_and_tags_are_highlighted() -> None:
    render = renderer(msg(1, "[b]hi[/b] #猫税 @maddie_meows"))
    card = render.render(1)
    assert isinstance(card, Content)
    assert "[b]hi[/b] #猫税 @maddie_meows" in card.plain
    styled = {card.plain[s.start : s.end]: str(s.style) for s in card.spans}
    assert "tag" not in styled
    assert "accent" in styled["#猫税"] and "primary" in styled["@maddie_meows"]


def test_card_translation_states() -> None:
    pending = msg(1, "你好")
    failed = msg(2, "你好", translation_error="no zh→en model installed")
    passthrough = msg(
        3, "😂😂", translation=Translation(lang="en", text="😂😂", engine="passthrough")
    )
    render = renderer(pending, failed, passthrough)
    assert "⤷ translating…" in render.render(1).plain
    assert "✗ not translated: no zh→en model installed" in render.render(2).plain
    assert "⤷" not in render.render(3).plain
    unfinished = msg(4, "你好", translation_error="not translated: the session ended")
    assert "✗ not translated: the session ended" in renderer(unfinished).render(4).plain


def test_view_modes_and_reader_language() -> None:
    machine = Translation(lang="en", text="Hello", engine="argos:translate-zh_en@1.9")
    render = renderer(msg(1, "你好", translation=machine, reference="Hi there"))
    assert "你好" in render.render(1).plain and "⤷ Hello" in render.render(1).plain
    assert "machine · Argos translate-zh_en 1.9" in render.render(1).plain
    render.options = ViewOptions(mode="original")
    assert "Hello" not in render.render(1).plain
    render.options = ViewOptions(mode="translation")
    card = render.render(1).plain
    assert "你好" not in card and "Hello" in card and "translated from 中文" in card
    render.options = ViewOptions(reader="zh")  # a Chinese reader reads it as written
    assert "Hello" not in render.render(1).plain
    render.options = ViewOptions(show_reference=True)
    assert "≈ Hi there" in render.render(1).plain


def test_reply_quotes_follow_the_view() -> None:
    machine = Translation(lang="en", text="Help, my feed is all English", engine="argos:x@1")
    asked = msg(1, "救命，我的小红书全是英文", translation=machine)
    answer = msg(2, "welcome!", lang="en", persona="maddie", name="Maddie", reply_to=1)
    render = renderer(asked, answer)
    quote = render.render(2).plain.splitlines()[1]
    assert quote == "↳ 阿婷: 救命，我的小红书全是英文"  # bilingual: as written
    render.options = ViewOptions(mode="translation")  # the question shows translated…
    assert render.render(2).plain.splitlines()[1] == "↳ 阿婷: Help, my feed is all English"
    render.options = ViewOptions(mode="translation", reader="zh")  # …not for a Chinese reader
    assert render.render(2).plain.splitlines()[1] == "↳ 阿婷: 救命，我的小红书全是英文"


def test_card_extensions_add_lines_when_enabled() -> None:
    def pinyin(message: Message, options: ViewOptions) -> list[object]:
        from textual.content import Content

        return [Content("nǐ hǎo")]

    render = renderer(msg(1, "你好"))
    render.extensions.append(CardExtension("pinyin", "original", pinyin))  # type: ignore[arg-type]
    assert "nǐ hǎo" not in render.render(1).plain
    render.options = ViewOptions().toggle_extra("pinyin")
    lines = render.render(1).plain.splitlines()
    assert lines[lines.index("你好") + 1] == "nǐ hǎo"


def test_search_pattern_is_literal() -> None:
    pattern = search_pattern("a.b")
    assert pattern is not None
    assert pattern.search("a.b") and not pattern.search("axb")
    assert search_pattern("  ") is None


# --- the action registry -----------------------------------------------------------------


def test_every_action_is_implemented() -> None:
    screens = {"live": LiveRoomScreen, "replay": ReplayRoomScreen}
    for action in ROOM_ACTIONS:
        owners: list[type] = (
            [RoomApp] if action.name in APP_ACTIONS else [screens[m] for m in action.modes]
        )
        if action.on_log:
            owners.append(ChatLog)
        for owner in owners:
            assert callable(getattr(owner, f"action_{action.name}", None)), (owner, action.name)


@pytest.mark.parametrize("mode", ["live", "replay"])
def test_no_key_does_two_things(mode: str) -> None:
    keys = Counter(
        key.strip()
        for action in actions_for(mode)  # type: ignore[arg-type]
        for field in (action.keys, action.anywhere)
        for key in field.split(",")
        if key.strip()
    )
    assert [k for k, n in keys.items() if n > 1] == []


def test_anywhere_keys_do_not_clash_with_the_composer() -> None:
    # Keys the Input widget uses itself would never reach the room.
    input_keys = {
        key.strip()
        for binding in Input.BINDINGS
        for key in binding.key.split(",")  # type: ignore[union-attr]
    }
    for action in ROOM_ACTIONS:
        for key in action.anywhere.split(","):
            assert key.strip() not in input_keys, (action.name, key)


def test_key_bar_hints() -> None:
    live_log = [label for _, label, _ in hints("live", composer=False)]
    assert live_log[:3] == ["type", "pause", "speed"]
    composer = hints("live", composer=True)
    assert [k for k, _, _ in composer][:3] == ["enter", "esc", "^p"]
    assert all(k.startswith(("^", "f", "esc", "enter")) for k, _, _ in composer)
    assert "back" in [label for _, label, _ in hints("replay", composer=False)]
    assert key_label("ctrl+s") == "^s" and key_label("question_mark") == "?"


# --- what the workshop added to the pieces -----------------------------------------------

MACHINE = Translation(
    lang="en", text="Little Red is all English", engine="argos:translate-zh_en@1.9"
)


def test_machine_and_human_side_by_side_at_the_cards_width() -> None:
    human = "RedNote is all English"
    render = renderer(msg(1, "小红书全是英文", translation=MACHINE, reference=human))
    assert isinstance(render.render(1), Content)  # no columns: one Content, as before
    render.options = ViewOptions(side_by_side=True)
    card = render.render(1)
    assert isinstance(card, CardVisual)
    assert "machine · Argos zh_en 1.9" in card.plain and "human reference" in card.plain
    wide = card.layout(80).plain.splitlines()
    assert any("machine · Argos zh_en 1.9" in x and "│ human reference" in x for x in wide)
    assert any("Little Red is all English" in x and human in x for x in wide)
    narrow = card.layout(40).plain.splitlines()  # two 18-cell columns are too narrow: stacked
    assert "│" not in "".join(narrow)
    assert narrow.index("human reference") > narrow.index("Little Red is all English")
    # Human-only translations have nothing to compare.
    script = Translation(lang="en", text="Hi", engine="script")
    render = renderer(msg(2, "你好", translation=script, reference="Hi"), side_by_side=True)
    assert isinstance(render.render(2), Content)


def test_columns_wrap_each_side_and_keep_the_rule() -> None:
    card = CardVisual(
        [Content("top"), Columns([Content("a " * 30)], [Content("b")]), Content("end")]
    )
    lines = card.layout(57).plain.splitlines()  # two columns of 27 cells
    assert lines[0] == "top" and lines[-1] == "end"
    middle = lines[1:-1]
    assert len(middle) > 1 and all(line[27:30] == " │ " for line in middle)
    assert middle[0].endswith("b") and not middle[1].endswith("b")


def test_section_transform_and_header_lines() -> None:
    def badge(message: Message, options: ViewOptions) -> list[CardLine]:
        return [Content("⚑ badge")]

    def hide(message: Message, options: ViewOptions, lines: list[CardLine]) -> list[CardLine]:
        return [Content(f"hidden ({len(lines)} lines)")]

    render = renderer(msg(1, "你好", translation=MACHINE))
    render.extensions += [
        CardExtension("marks", "header", badge),
        CardExtension("quiz", "translation", transform=hide, label="quiz"),
    ]
    render.options = ViewOptions(extras=frozenset({"marks", "quiz"}))
    lines = render.render(1).plain.splitlines()
    assert lines[1] == "⚑ badge" and "@ating" in lines[0]
    assert "hidden (2 lines)" in lines and "Little Red is all English" not in render.render(1).plain
    assert render.describe() == "EN reader · bilingual · quiz"


def test_quiet_headers_for_the_projector() -> None:
    render = renderer(msg(1, "你好"), quiet=True)
    header = render.render(1).plain.splitlines()[0]
    assert "@ating" not in header and "深圳" not in header and "阿婷" in header


def test_an_added_action_replaces_a_builtin_one_by_name() -> None:
    from dataclasses import replace

    builtin = next(a for a in ROOM_ACTIONS if a.name == "add_marker")
    merged = merge_actions([replace(builtin, keys="x", hint_rank=-1)])
    assert [a.name for a in merged] == [a.name for a in ROOM_ACTIONS]
    assert next(a for a in merged if a.name == "add_marker").keys == "x"
    labels = [label for _, label, _ in hints("live", composer=False, actions=merged)]
    assert labels[0] == "type"  # no hint: rank alone does not add it to the bar


def test_workshop_state_reveals_and_phrasebook() -> None:
    state = WorkshopState()
    assert state.toggle_reveal(3) and not state.toggle_reveal(3)
    assert state.reveal_all([1, 2]) and state.revealed == {1, 2}
    assert not state.reveal_all([1, 2]) and state.revealed == set()
    pending = msg(1, "你好")
    assert quizzable(pending, "en") and not machine_translated(pending, "en")
    assert quizzable(msg(2, "你好", translation=MACHINE), "en") and machine_translated(
        msg(2, "你好", translation=MACHINE), "en"
    )
    # A Chinese reader reads a Chinese line as written: nothing to hide or to mark.
    assert not quizzable(msg(2, "你好", translation=MACHINE), "zh")
    assert not machine_translated(msg(2, "你好", translation=MACHINE), "zh")
    passthrough = Translation(lang="en", text="😂", engine="passthrough")
    assert not quizzable(msg(3, "😂", translation=passthrough), "en")
    assert not quizzable(msg(4, "你好", translation_error="no model"), "en")
