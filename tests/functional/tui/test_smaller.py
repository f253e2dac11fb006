"""The smaller things of issue 8, item 8, each as a person would check it."""

from __future__ import annotations

from rich.cells import cell_len

from rednote_sim.content import load_cast
from rednote_sim.settings import Settings
from rednote_sim.sim import LiveRoom, VirtualClock
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.store import Store
from rednote_sim.tui import RoomApp, make_app
from rednote_sim.tui.workshop.screens import PhrasebookScreen
from tests.functional.tui.fakes import stub_translator
from tests.functional.tui.helpers import (
    REPLAY_SESSION,
    burst,
    card_lines,
    find,
    open_word_picker,
    ready,
    record_live,
    settle,
    wait_for,
    workshop_app,
)

SIZE = (100, 30)


def paused_live(settings: Settings, mode: str = "live") -> RoomApp:
    app = make_app(settings, mode=mode, seed=3, speed=1.0, translator=stub_translator())  # type: ignore[arg-type]
    app.room_screen.clock.pause()
    return app


async def test_rapid_steps_each_play_one_message(
    tui_settings: Settings, recorded: Settings
) -> None:
    app = paused_live(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        await pilot.press("escape")
        burst(app, "]]]")  # three presses faster than the room plays them
        await wait_for(pilot, lambda: len(app.room_screen.model) >= 3)
        await pilot.pause(0.2)
        assert len(app.room_screen.model) == 3
    app = make_app(recorded, mode="replay", session=REPLAY_SESSION, speed=1.0)
    app.room_screen.clock.pause()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.room_screen.room is not None)
        burst(app, "]]]]")
        await wait_for(pilot, lambda: len(app.room_screen.model) >= 4)
        await pilot.pause(0.2)
        assert len(app.room_screen.model) == 4


async def test_a_reply_quote_is_translated_in_the_translated_view(tui_settings: Settings) -> None:
    app = make_app(tui_settings, seed=3, speed=MAX_SPEED, translator=stub_translator())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        model = app.room_screen.model
        reply = next(
            m
            for m in model.messages.values()
            if m.reply_to is not None and model.messages[m.reply_to].lang == "zh"
        )
        asked = model.messages[reply.reply_to or 0]
        assert asked.translation is not None
        await pilot.press("escape", "t", "t")  # translated only
        await find(pilot, reply.text[:12])
        quote = next(
            ln for ln in card_lines(app.room_screen.log_view.cards[reply.seq]) if "↳" in ln
        )
        assert asked.translation.text[:10] in quote and asked.text[:4] not in quote


async def test_a_replay_counts_you_as_a_member_when_you_posted(tui_settings: Settings) -> None:
    live = await record_live(tui_settings, "without-you")
    assert live.messages
    app = make_app(tui_settings, mode="replay", session="without-you", speed=MAX_SPEED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.room_screen.member_count == 16
        assert "You" not in app.room_screen.members._body.render().plain
    async with await Store.open(tui_settings.db) as store:
        session = await store.create_session("arrival", session_id="with-you")
        room = LiveRoom(
            store=store,
            translator=stub_translator(),
            cast=load_cast(tui_settings.personas_dir),
            scenario=load_cast(tui_settings.personas_dir).scenarios["arrival"],
            session=session,
            clock=VirtualClock(MAX_SPEED),
            seed=7,
        )
        await room.say("hello from Ohio")
        await room.drain()
    app = make_app(tui_settings, mode="replay", session="with-you", speed=MAX_SPEED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.room_screen.member_count == 17
        assert "17 members" in str(app.room_screen.header_bar.render())
        assert app.room_screen.members._body.render().plain.splitlines()[-1].endswith("You")


async def test_message_text_keeps_a_readable_width_at_200_columns(tui_settings: Settings) -> None:
    app = make_app(tui_settings, seed=3, speed=MAX_SPEED, translator=stub_translator())
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        cards = list(app.room_screen.log_view.cards.values())
        assert app.room_screen.log_view.size.width > 150  # the log itself uses the terminal
        assert all(card.outer_size.width <= 96 for card in cards)
        longest = max(cards, key=lambda c: len(app.room_screen.model.messages[c.seq].text))
        text = app.room_screen.model.messages[longest.seq].text
        assert len(text) > 100  # …so its text wraps
        assert max(cell_len(line) for line in card_lines(longest)) <= 96


async def test_toasts_never_cover_a_dialogs_footer(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        for word in ("小红书", "救命"):  # two words in the phrasebook (each says "Saved…")
            await find(pilot, "救命")
            picker = await open_word_picker(pilot)
            picker.term.value = word
            picker.term.focus()
            await pilot.press("enter")
            await wait_for(pilot, lambda w=word: any(e.term == w for e in workshop.state.vocab))  # type: ignore[misc]

        await pilot.press("b")
        book = app.screen
        assert isinstance(book, PhrasebookScreen)
        await pilot.press("x")  # deleting says so in a toast, the dialog stays open
        await wait_for(pilot, lambda: len(book.query("Toast")) > 0)
        await pilot.pause()
        box = book.query_one("#phrasebook-box")
        footer = book.query(".workshop-hint").last()
        for toast in book.query("Toast"):
            assert not toast.region.overlaps(footer.region), (toast.region, footer.region)
            assert toast.region.y >= box.region.bottom, (toast.region, box.region)


async def test_a_marker_you_drop_is_drawn_at_its_own_time(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        last = app.room_screen.model.order[-1]
        await pilot.press("escape", "x")
        await wait_for(
            pilot,
            lambda: any(m.kind == "user" for m in app.room_screen.model.markers.get(last, [])),
        )
        await pilot.pause()
        lines = app.room_screen.log_view.cards[last].plain.splitlines()
        assert lines[-1].startswith("── ✦ Marker at ")  # under the card it came after
        assert not lines[0].startswith("── ✦")  # not above it, before its time
        chapters = [
            s
            for s, ms in app.room_screen.model.markers.items()
            if any(m.kind == "scenario" for m in ms)
        ]
        assert chapters and app.room_screen.log_view.cards[chapters[0]].plain.startswith(
            "── ✦ "
        )  # chapters head


async def test_greater_than_is_the_next_marker_and_brace_the_next_reply(
    recorded: Settings,
) -> None:
    async with await Store.open(recorded.db) as store:
        markers = sorted(m.t for m in await store.markers(REPLAY_SESSION))
        replies = sorted(m.t for m in await store.messages(REPLAY_SESSION) if m.reply_to)
    app = make_app(recorded, mode="replay", session=REPLAY_SESSION, speed=MAX_SPEED)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "g", *"0:00", "enter")  # paused at the start
        await wait_for(pilot, lambda: len(app.room_screen.model) == 0)
        await pilot.press("right_curly_bracket")
        await wait_for(pilot, lambda: app.room_screen.clock.now() == replies[0])
        ahead = [t for t in markers if t > replies[0]]
        assert ahead and ahead[0] != next(t for t in replies if t > replies[0])
        await pilot.press("greater_than_sign")
        await wait_for(pilot, lambda: app.room_screen.clock.now() == ahead[0])
        await pilot.press("question_mark")
        keys = str(app.screen.query_one("#help-keys").render())
        assert ">          —         Jump to the next chapter marker" in keys
        assert "}          —         Jump to the next reply" in keys


async def test_picking_a_word_keeps_a_meaning_you_typed(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        await find(pilot, "救命")
        picker = await open_word_picker(pilot)
        assert picker.candidates[0].term == "小红书"
        picker.translation.focus()
        await pilot.press(*"the app everyone moved to")  # the meaning, typed first
        picker.options.focus()
        await pilot.press("enter")  # then the word picked from the list
        await wait_for(pilot, lambda: picker.pinyin.value == "xiǎohóngshū")
        await pilot.pause()
        assert picker.term.value == "小红书"
        assert picker.translation.value == "the app everyone moved to"  # not "RedNote"
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(workshop.state.vocab) == 1)
        (entry,) = workshop.state.vocab
        assert (entry.translation, entry.translation_source) == (
            "the app everyone moved to",
            "user",
        )
