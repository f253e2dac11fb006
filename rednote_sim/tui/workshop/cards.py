"""What the workshop adds to cards: pinyin, the MT-error badge, answers and the quiz.

Cards render on the UI thread, so nothing here does slow work while rendering:
pinyin (jieba and pypinyin) is computed in a worker thread the first time a
text needs it and cached; until then the card shows ``pinyin…``. All text goes
through :func:`~rednote_sim.textsafe.visible` into ``Content`` (never markup).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual.content import Content

from rednote_sim.domain import Lang, Message, other_lang
from rednote_sim.domain.terms import HAN_RUN, LANG_NAMES, has_han
from rednote_sim.lang.pinyin import pinyin
from rednote_sim.lang.readings import hanzi_syllables
from rednote_sim.lang.segment import Segmenter
from rednote_sim.lang.tones import ToneSpan, tone_spans
from rednote_sim.textsafe import visible
from rednote_sim.tui.render import STYLE_LABEL, highlight
from rednote_sim.tui.tones import tone_content
from rednote_sim.tui.view import CardLine, ViewOptions
from rednote_sim.tui.workshop.state import WorkshopState, quizzable

if TYPE_CHECKING:
    from rednote_sim.tui.host import RoomHost
    from rednote_sim.tui.render import CardRenderer

log = logging.getLogger(__name__)

PINYIN = "pinyin"
QUIZ = "quiz"
MARKS = "marks"
ANSWERS = "answers"

STYLE_PINYIN = "italic $text-accent"
STYLE_PINYIN_PENDING = "italic $text-muted"
STYLE_BADGE = "bold $text-warning"
STYLE_BADGE_NOTE = "italic $text-warning"
STYLE_ANSWER_LABEL = "bold $text-success"
STYLE_ANSWER = "$text-success"
STYLE_HIDDEN = "italic $text-muted"

MAX_ANSWERS_SHOWN = 3
"""Latest answers a card shows (a class may answer one line many times)."""

HIDDEN_LINE = "🔒 translation hidden · v reveals it · a: type yours first"


class PinyinCache:
    """Pinyin by text, computed off the UI thread in batches, then the cards redrawn.

    Args:
        segmenter: Returns the segmenter that spaces the pinyin (glossary-aware).
    """

    def __init__(self, segmenter: Callable[[], Segmenter]) -> None:
        self._segmenter = segmenter
        self.host: RoomHost | None = None
        """The room the cards are in (set when it opens): runs the worker, redraws."""
        self.cache: dict[str, str] = {}
        self.tones: dict[str, list[ToneSpan]] = {}
        """The cached pinyin split into syllables with their tones (for the colours)."""
        self._pending: set[str] = set()
        self._running = False

    def get(self, text: str) -> str | None:
        """The pinyin of ``text``, or None while it is being computed (asked for now)."""
        known = self.cache.get(text)
        if known is not None:
            return known
        self._pending.add(text)
        host = self.host
        if host is not None and not self._running:
            self._running = True
            host.background("pinyin", self._compute)
        return None

    async def _compute(self) -> None:
        try:
            while self._pending:
                batch = sorted(self._pending)
                readings, tones = await asyncio.to_thread(self._convert, batch)
                self.tones.update(tones)
                self.cache.update(readings)
                self._pending.difference_update(batch)
                if self.host is not None:
                    self.host.redraw()
        finally:
            self._running = False

    def _convert(self, texts: list[str]) -> tuple[dict[str, str], dict[str, list[ToneSpan]]]:
        seg = self._segmenter()
        done: dict[str, str] = {}
        tones: dict[str, list[ToneSpan]] = {}
        for text in texts:
            try:
                done[text] = pinyin(text, seg)
                # Only the syllables read from the characters are coloured ("de" in
                # an English word stays plain).
                tones[text] = tone_spans(done[text], expected=hanzi_syllables(text))
            except Exception:  # a card without pinyin beats a failing card
                log.exception("pinyin failed for %r", text)
                done[text] = ""
        return done, tones

    def _content(self, text: str, value: str, coloured: bool) -> Content:
        spans = self.tones.get(text)
        if spans is None:
            return Content.styled(visible(value), STYLE_PINYIN)
        return tone_content(spans, coloured=coloured, style="italic", colour="$text-accent")

    def warm_up(self) -> None:
        """Load jieba's dictionary and pypinyin (call in a thread)."""
        self.cache.setdefault("小红书", pinyin("小红书", self._segmenter()))

    def line(self, text: str, *, coloured: bool = True) -> Content | None:
        """The pinyin line for a text with Chinese characters (coloured by tone), or None."""
        if not has_han(text):
            return None
        value = self.get(text)
        if value is None:
            return Content.styled("pinyin…", STYLE_PINYIN_PENDING)
        return self._content(text, value, coloured) if value else None

    def words_line(self, text: str, *, coloured: bool = True) -> Content | None:
        """For a text that is mostly not Chinese: each Chinese word and its pinyin.

        ``… 16 lbs of attitude #猫税`` gives ``猫税 māoshuì`` rather than the
        whole English sentence again.
        """
        runs = list(dict.fromkeys(HAN_RUN.findall(text)))
        if not runs:
            return None
        readings = [self.get(run) for run in runs]
        if any(r is None for r in readings):
            return Content.styled("pinyin…", STYLE_PINYIN_PENDING)
        parts: list[str | tuple[str, str]] = []
        line: list[Content] = []
        for run, reading in zip(runs, readings, strict=True):
            if line:
                parts.append(("  ·  ", STYLE_PINYIN_PENDING))
            parts += [(visible(run), "$text-accent"), " "]
            line.append(Content.assemble(*parts))
            line.append(self._content(run, reading or "", coloured))
            parts = []
        return Content.assemble(*line)


class WorkshopCards:
    """The card line makers, reading the workshop state and the pinyin cache."""

    def __init__(self, state: WorkshopState, pinyin_cache: PinyinCache) -> None:
        self.state = state
        self.pinyin = pinyin_cache
        self.renderer: CardRenderer | None = None
        """The room's card renderer (set when it opens): the quiz reuses machine | human."""

    def original_pinyin(self, message: Message, options: ViewOptions) -> Iterable[CardLine]:
        """Pinyin under a Chinese original (under the Chinese words of another one)."""
        if message.lang == "zh":
            line = self.pinyin.line(message.text, coloured=options.tones)
        else:
            line = self.pinyin.words_line(message.text, coloured=options.tones)
        return [line] if line is not None else []

    def translation_pinyin(self, message: Message, options: ViewOptions) -> Iterable[CardLine]:
        """Pinyin under a Chinese translation (a Chinese reader's view of English lines)."""
        translation, _ = message.rendering(options.reader)
        if translation is None or translation.lang != "zh" or translation.origin == "passthrough":
            return []
        line = self.pinyin.line(translation.text, coloured=options.tones)
        return [line] if line is not None else []

    def badge(self, message: Message, options: ViewOptions) -> Iterable[CardLine]:
        """``⚑ interesting MT error · note`` on a marked line."""
        mark = self.state.marks.get(message.seq)
        if mark is None:
            return []
        parts: list[str | tuple[str, str]] = [("⚑ interesting MT error", STYLE_BADGE)]
        if mark.note:
            parts.append((f" · {visible(mark.note)}", STYLE_BADGE_NOTE))
        return [Content.assemble(*parts)]

    def answers(self, message: Message, options: ViewOptions) -> Iterable[CardLine]:
        """The learners' own translations of the line, latest last."""
        answers = self.state.answers.get(message.seq, [])
        lines: list[CardLine] = []
        if len(answers) > MAX_ANSWERS_SHOWN:
            earlier = len(answers) - MAX_ANSWERS_SHOWN
            lines.append(Content.styled(f"✎ {earlier} earlier answer(s)", STYLE_LABEL))
        for answer in answers[-MAX_ANSWERS_SHOWN:]:
            lines.append(
                Content.assemble(
                    ("✎ your answer: ", STYLE_ANSWER_LABEL),
                    (visible(answer.answer), STYLE_ANSWER),
                )
            )
        return lines

    def hidden(self, message: Message, reader: Lang) -> bool:
        """True when the quiz hides this line's rendering for ``reader`` now."""
        return quizzable(message, reader) and message.seq not in self.state.revealed

    def quiz(self, message: Message, options: ViewOptions, lines: list[CardLine]) -> list[CardLine]:
        """Hide the translation section until revealed; a reveal compares machine and human."""
        if self.hidden(message, options.reader):
            shown: list[CardLine] = []
            if not options.shows_original(message):
                shown.append(highlight(message.text))  # the translation stood in for it
            target = LANG_NAMES[options.reader if message.mixed else other_lang(message.lang)]
            shown.append(Content.styled(f"{HIDDEN_LINE} ({target})", STYLE_HIDDEN))
            return shown
        renderer = self.renderer
        if renderer is None or options.side_by_side:
            return lines  # already machine | human
        columns = renderer.compare(message)
        if columns is None:
            return lines
        # The translation block comes first in the section; show it as machine | human.
        block = renderer.translation(message)
        return [columns, *lines[len(block) :]]
