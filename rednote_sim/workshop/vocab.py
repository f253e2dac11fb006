"""Building phrasebook entries from a message.

Decisions (the issue leaves them open):

- **What can be saved**: any word or phrase of a message. :func:`candidates`
  offers glossary terms found in the message first, then jieba's words that
  contain Chinese characters, then (for English messages) the English words; a
  learner may also type a phrase of their own.
- **English phrases** are saved too (``lang="en"``: slang like "lmfao" is what
  Chinese learners ask about); their Chinese, when known, is the translation and
  gets the pinyin. An English entry without Chinese stays in the phrasebook and
  the handouts but makes no Anki card (a card needs its Chinese front).
- **Which translation**: what the learner typed wins (it is their phrasebook,
  and the TUI pre-fills the glossary's translation so accepting it is one key);
  otherwise the glossary's, when the term is a glossary term; otherwise the
  dictionary's meanings when it has the word (a Chinese term; labelled
  ``dictionary``: a machine translation of one word is often wrong, 不会 is not
  "Nope."); otherwise a machine translation if the caller has one (labelled
  ``machine``); otherwise empty. ``translation_source`` records which.
- **Pinyin** is the dictionary's reading when the meaning came from it (the two
  belong together: 卷子 the test paper is juànzi), else computed; it is stored
  with the entry, so a teacher can correct a polyphone by saving again.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from rednote_sim.domain import Glossary, Lang, Message
from rednote_sim.domain.terms import has_han
from rednote_sim.domain.workshop import TranslationSource, VocabEntry
from rednote_sim.errors import UserError
from rednote_sim.lang.entry import GLOSSARY, Entry
from rednote_sim.lang.pinyin import word_pinyin
from rednote_sim.lang.segment import Segmenter, glossary_segmenter

_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# Offered words a learner never needs a card for: Chinese particles and English
# function words. They can still be typed in and saved.
_SKIP_ZH = frozenset(("的", "了", "吗", "呢", "吧", "啊", "呀", "哦", "嘛", "着", "地", "得"))
_SKIP_EN = frozenset(
    {"a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "is", "are", "was"}
    | {"were", "be", "am", "i", "it", "its"}
)
_SKIP = _SKIP_ZH | _SKIP_EN
MAX_TERM = 200
"""Longest phrase a learner can save (characters)."""

MEANINGS = 3
"""Most dictionary senses a phrasebook entry takes (the first are the common ones)."""


def dictionary_meaning(entry: Entry) -> str:
    """A dictionary entry's first senses, as a phrasebook meaning (``test paper; …``)."""
    return "; ".join(entry.definitions[:MEANINGS])


def term_lang(term: str) -> Lang:
    """The language of a saved term: Chinese if it has any Chinese character."""
    return "zh" if has_han(term) else "en"


def glossary_translation(term: str, glossary: Glossary | None) -> str | None:
    """The glossary's translation of ``term`` when it is exactly a glossary term."""
    if glossary is None:
        return None
    wanted = term.strip()
    for entry in glossary.terms:
        if entry.zh == wanted and has_han(wanted):
            return entry.en
        if entry.en.casefold() == wanted.casefold() and not has_han(wanted):
            return entry.zh
    return None


def candidates(
    message: Message, glossary: Glossary | None = None, seg: Segmenter | None = None
) -> list[str]:
    """Words and phrases of a message a learner might save, most useful first."""
    seg = seg or glossary_segmenter(glossary)
    text = message.text
    found: list[str] = []
    if glossary is not None:
        hits = []
        folded = text.casefold()
        for entry in glossary.terms:
            for side in (entry.zh, entry.en):
                at = folded.find(side.casefold())
                if at >= 0:
                    hits.append((at, text[at : at + len(side)]))
        found += [term for _, term in sorted(hits)]
    found += seg.han_words(text)
    if message.lang == "en":
        found += _ENGLISH_WORD.findall(text)
    unique: dict[str, str] = {}
    for term in found:
        if term.casefold() not in _SKIP:
            unique.setdefault(term.casefold(), term)
    return list(unique.values())


def make_entry(
    message: Message,
    term: str,
    *,
    glossary: Glossary | None = None,
    user_translation: str | None = None,
    machine_translation: str | None = None,
    note: str = "",
    seg: Segmenter | None = None,
    at: datetime | None = None,
    entry: Entry | None = None,
) -> VocabEntry:
    """A phrasebook entry for ``term`` taken from ``message`` (not yet saved).

    Args:
        message: The source message (its text is the example sentence).
        term: The word or phrase, as selected or typed.
        glossary: For the glossary translation and word boundaries.
        user_translation: What the learner typed; wins when not blank.
        machine_translation: A machine translation of the term, if the caller has one.
        note: The learner's note.
        seg: Segmenter for the pinyin's word spacing (default: glossary-aware).
        at: Creation time (default: now).
        entry: The dictionary's best entry for the term (``Dictionary.best``; for an
            English term its best English -> Chinese match), if any: its meanings (the
            Chinese word) win over a machine translation, its pinyin goes with them.

    Raises:
        UserError: If the term is blank or too long.
    """
    clean = " ".join(term.split())
    if not clean:
        raise UserError("nothing to save: select or type a word or phrase")
    if len(clean) > MAX_TERM:
        raise UserError(f"a phrasebook entry is at most {MAX_TERM} characters; select less")
    lang = term_lang(clean)
    found = entry if entry is not None and (entry.definitions or lang == "en") else None
    translation, source = _translation(
        clean, glossary, user_translation, found, machine_translation
    )
    chinese = clean if lang == "zh" else translation
    seg = seg or glossary_segmenter(glossary)
    reading = word_pinyin(chinese, seg) if has_han(chinese) else ""
    if found is not None and found.pinyin and source in ("dictionary", "glossary"):
        reading = found.pinyin
    return VocabEntry(
        session=message.session,
        seq=message.seq,
        lang=lang,
        term=clean,
        pinyin=reading,
        translation=translation,
        translation_source=source,
        note=note.strip(),
        created_at=at or datetime.now(UTC),
        example=message.text,
        example_translation=message.reference
        or (message.translation.text if message.translation else ""),
    )


def _translation(
    term: str,
    glossary: Glossary | None,
    user: str | None,
    entry: Entry | None,
    machine: str | None,
) -> tuple[str, TranslationSource]:
    if user and user.strip():
        return user.strip(), "user"
    from_glossary = glossary_translation(term, glossary)
    if from_glossary:
        return from_glossary, "glossary"
    if entry is not None:
        # An English term's entry is the Chinese word for it (English -> Chinese).
        meaning = dictionary_meaning(entry) if has_han(term) else entry.simplified
        return meaning, "glossary" if entry.source == GLOSSARY else "dictionary"
    if machine and machine.strip():
        return machine.strip(), "machine"
    return "", ""
