"""The room with the real Argos zh->en model: a translated card labelled as machine output.

Needs the official package (``zh_en_models_dir``); under CI=true a missing
model fails the test instead of skipping it (see tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.translate import TranslationService
from rednote_sim.tui import make_app
from tests.functional.tui.helpers import settle

pytestmark = pytest.mark.model


async def test_a_chinese_message_gets_a_machine_translation_labelled_argos(
    tmp_path: Path, personas_dir: Path, zh_en_models_dir: Path
) -> None:
    settings = Settings(
        db=tmp_path / "room.db", personas_dir=personas_dir, models_dir=zh_en_models_dir
    )
    app = make_app(settings, mode="live", seed=3, speed=MAX_SPEED)  # the real service
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, timeout=240)
        assert isinstance(app.source.translator, TranslationService)
        assert app.room_screen.status.models.startswith("Argos zh→en ✓")
        assert "en→zh: human ref" in app.room_screen.status.models
        zh = [m for m in app.room_screen.model.messages.values() if m.lang == "zh"]
        assert zh
        for message in zh:
            assert message.translation is not None, message.translation_error
            assert message.translation.engine == "argos:translate-zh_en@1.9"
            assert message.translation.lang == "en"
        # A mounted Chinese card shows the English output and says where it came from.
        seq = next(m.seq for m in reversed(zh) if m.seq in app.room_screen.log_view.cards)
        text = app.room_screen.log_view.cards[seq].plain
        translation = app.room_screen.model.messages[seq].translation
        assert translation is not None and translation.text in text
        assert "machine · Argos translate-zh_en 1.9" in text
        # English lines have no en->zh model here: the human reference, labelled.
        await pilot.press("escape", "l")
        await pilot.pause()
        en = next(
            s
            for s in app.room_screen.log_view.cards
            if app.room_screen.model.messages[s].lang == "en"
        )
        if app.room_screen.model.messages[en].reference:
            assert "human reference" in app.room_screen.log_view.cards[en].plain
