"""Cards of messages that mix the languages, for each reader (real zh->en model).

The English reader of "第一题：The meeting ___ …" sees its Chinese heading
machine-translated and labelled so; the Chinese reader is told it is not
translated (no en->zh model) instead of being shown its English reference as
"the translation".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rednote_sim.settings import Settings
from rednote_sim.sim.clock import MAX_SPEED
from rednote_sim.tui import make_app
from tests.functional.tui.helpers import settle

pytestmark = pytest.mark.model


async def test_each_reader_gets_a_labelled_rendering_of_mixed_lines(
    tmp_path: Path, personas_dir: Path, zh_en_models_dir: Path
) -> None:
    settings = Settings(
        db=tmp_path / "room.db", personas_dir=personas_dir, models_dir=zh_en_models_dir
    )
    app = make_app(settings, mode="live", scenario="homework", seed=3, speed=MAX_SPEED)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, timeout=240)
        by_beat = {m.beat: m for m in app.room_screen.model.messages.values()}
        question, thanks = by_beat["q1"], by_beat["b14"]
        assert question.mixed and thanks.mixed
        for seq in (question.seq, thanks.seq):
            await app.room_screen.log_view.show(seq)
        await pilot.pause()

        card = app.room_screen.log_view.cards[question.seq].plain  # English reader (the default)
        assert "第一题" in card  # the original
        assert "Question" in card and "The meeting ___ by the time we arrived" in card
        assert "machine · Argos translate-zh_en 1.9 · Chinese parts translated" in card
        # 朵朵's "thank you teacher!!! 谢谢老师🥹 我要截图…" is Chinese: translated as usual.
        assert (
            "machine · Argos translate-zh_en 1.9"
            in app.room_screen.log_view.cards[thanks.seq].plain
        )

        await pilot.press("escape", "l")  # the Chinese reader
        await pilot.pause()
        card = app.room_screen.log_view.cards[question.seq].plain
        assert "not translated" in card and "en→zh" in card
        assert "Question 1: The meeting" not in card  # its reference is English
        assert "human reference" not in card
        thanks_card = app.room_screen.log_view.cards[thanks.seq].plain
        assert "✗ English parts not translated" in thanks_card
