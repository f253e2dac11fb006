"""The workshop's MT-error dialog takes the class's better translation (issue 12, item 5).

Real store, real content; the fast stub translator (this is about the dialog, the
card and what is saved; reuse by the real service is in test_translation_corrections.py).
"""

from __future__ import annotations

from rednote_sim.settings import Settings
from rednote_sim.store import Store
from rednote_sim.store.workshop_repo import WorkshopRepo
from rednote_sim.tui.workshop.screens import PromptScreen
from tests.functional.tui.fakes import STUB_ENGINE
from tests.functional.tui.helpers import ready, wait_for, workshop_app
from tests.functional.tui.test_workshop import HELP_LINE, SIZE, card_text, select

BETTER = "Help! I woke up and my whole RedNote feed is in English?? My eyes!"


async def test_a_teacher_corrects_a_machine_translation_in_class(tui_settings: Settings) -> None:
    app = workshop_app(tui_settings)
    async with app.run_test(size=SIZE) as pilot:
        workshop = await ready(pilot)
        await pilot.press("escape")
        seq = await select(pilot, HELP_LINE)
        machine = app.room_screen.model.messages[seq].translation
        assert machine is not None and machine.origin == "machine"
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, PromptScreen) and screen.extra is not None
        await pilot.press(*"woke up is missing", "tab", *BETTER, "enter")
        await wait_for(pilot, lambda: "corrected in class" in card_text(app, seq))
        shown = app.room_screen.model.messages[seq].translation
        assert shown is not None and shown.text == BETTER and shown.machine == machine.text
        card = card_text(app, seq)
        assert BETTER in card and "human · corrected in class" in card
        assert machine.text not in card  # the machine output waits in machine vs human
        assert seq in workshop.state.marks

        await pilot.press("s")  # machine | human
        await pilot.pause()
        card = card_text(app, seq)
        assert machine.text in card and BETTER in card
        assert "machine · Argos stub-zh_en 1.0" in card and "human reference" in card

        await pilot.press("e")  # the correction is there to edit; ^r removes mark and correction
        screen = app.screen
        assert isinstance(screen, PromptScreen) and screen.extra is not None
        assert screen.extra.value == BETTER
        await pilot.press("escape")
        session = app.session_id
        assert session is not None
        async with await Store.open(tui_settings.db) as store:
            (saved,) = await WorkshopRepo.of(store).translation_corrections(session)
            stored = await store.message(session, seq)
        assert (saved.text, saved.machine, saved.note) == (
            BETTER,
            machine.text,
            "woke up is missing",
        )
        assert stored is not None and stored.translation == shown

        await pilot.press("e", "ctrl+r")
        await wait_for(pilot, lambda: "corrected in class" not in card_text(app, seq))
        restored = app.room_screen.model.messages[seq].translation
        assert restored is not None and restored.text == machine.text
        assert restored.engine == STUB_ENGINE and restored.origin == "machine"
    async with await Store.open(tui_settings.db) as store:
        assert await WorkshopRepo.of(store).translation_corrections(session) == []
