"""Protected spans: what the model must not translate, and how it comes back.

Argos mangles what chat is full of, and the zh->en model drops whole clauses when
a sentence is long or carries several placeholders. So a message is prepared in
two steps (measured with ``python -m rednote_sim.bench quality``):

1. **Cut.** Emoji, laughter runs (哈哈哈, 2333, lol), list markers (①②) and
   arrows are not part of any clause: they act like punctuation. So do links,
   hashtags and @mentions at a clause's edge (next to punctuation, another cut,
   or the message's start or end). The message is cut there and into sentences;
   a long Chinese sentence is cut at its commas, and a piece with more than
   ``MAX_PLACEHOLDERS`` spans before its spaced tags. Each piece is translated on
   its own; the cuts are put back as they are (laughter in the target language:
   哈哈哈 -> "hahaha"). The pieces of all the messages still go to the engine in
   one call.
2. **Protect.** Inside a piece, what must survive (a glossary term, a link or
   @mention in mid-clause, a long number, a run of the other script, a stray
   ``@``) is replaced by a placeholder ``XQ0``, ``XQ1``... that the zh->en model
   copies verbatim (in a probe, ``<0>``, ``[0]``, ``__0__`` and ``⟨0⟩`` were dropped;
   ``XQ0`` survived). Spans with only whitespace between them share one
   placeholder (the model turns ``XQ0XQ1`` into ``XQ0XX1``), and a number right
   after a span joins it (``XQ1 1372`` came back as ``XQ1,372``).

After translation each placeholder is replaced by its span, or, for a glossary
term, by the term in the target language (小红书 -> RedNote). Restoring forgives
what models do to placeholders: ``XQ 0``, ``X-Q-0``, ``XQO`` (letter O), ``xq0``,
``XX1``, a glued plural ``XQ0s``, a duplicate (kept once) and a bare ``XQ`` that
lost its number. Whatever placeholder debris is left is removed, and a span that
is lost entirely still comes back, at the start or end of its piece: a span is
never dropped and no ``XQ`` reaches the reader. Small numbers the model spelled
out become digits again ("3只猫" -> "Three cats" -> "3 cats").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from rednote_sim.domain import Glossary, Lang
from rednote_sim.domain.terms import HAN, HAN_CHARS, LATIN_CHARS, LATIN_WORD
from rednote_sim.translate.scripts import (
    ARROW_RE,
    EMOJI_RE,
    HASHTAG_RE,
    LIST_MARK_RE,
    MENTION_RE,
    URL_RE,
    URL_TRAILING,
)
from rednote_sim.translate.splitter import sentence_bounds

SpanKind = Literal[
    "url",
    "mention",
    "hashtag",
    "glossary",
    "emoji",
    "number",
    "foreign",
    "lookalike",
    "laughter",
    "mark",
    "at",
    "group",
]

PLACEHOLDER = "XQ{}"
"""Placeholder format: ``XQ`` and the span's index."""

PLACEHOLDER_RE = re.compile(r"XQ[0-9]+")
"""A placeholder as :func:`protect` writes it."""

_LOOKALIKE_RE = re.compile(r"(?<![A-Za-z0-9])(?:[Xx][ \-]?[Qq][ \-]?[0-9]+|XX[0-9]+)(?![0-9])")
_NUMBER_RE = re.compile(r"(?<![A-Za-z0-9.,:])[0-9]+(?:[.,:][0-9]+)*%?(?![A-Za-z0-9])")
_GLUED_NUMBER_RE = re.compile(r"[ \t]*[0-9][0-9A-Za-z.,:%]*")
_FOREIGN_RE: dict[Lang, re.Pattern[str]] = {
    # Translating from Chinese, Latin runs (names, English words) are the other script.
    "zh": re.compile(
        f"[{LATIN_CHARS}][{LATIN_CHARS}0-9'’\\-]*"
        f"(?:[ \\t]+[{LATIN_CHARS}][{LATIN_CHARS}0-9'’\\-]*)*"
    ),
    # Translating from English, Han runs are ("有看不懂的也可以@我" is one run).
    "en": re.compile(f"@?[{HAN_CHARS}]+(?:[ \\t@]*[{HAN_CHARS}]+)*"),
}
# Chinese numbers with a unit ("15年", "3.5万", "第1名") translate better than they copy:
# the model turns 3.5万 into 35,000. Long digit runs (phone numbers) and times always copy.
_LONG_DIGITS = 5

# Laughter: the model turns 哈哈哈哈哈哈哈 into "Ha ha ha ha ha ha ha!" and drops what follows.
_LAUGHTER_RE: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(r"哈{2,}|嘿{2,}|嘻{2,}|呵{2,}|呜{2,}|(?<![0-9.,])2333+(?![0-9])"),
    "en": re.compile(
        r"(?<![A-Za-z])(?:[Aa]?(?:[Hh][Aa]){2,}[Hh]?|(?:[Hh][Ee]){2,}|[Ll][Oo]+[Ll]+|"
        r"[Ll][Mm][Ff]?[Aa]+[Oo]+|[Rr][Oo][Ff][Ll])(?![A-Za-z])"
    ),
}
_LAUGHTER_EN = {"嘿": "hehe", "嘻": "hehe", "呵": "heh", "呜": "waaah", "2": "lol"}

# A stray "@" (not a handle); in Chinese "@我" is "@ me".
_AT_RE: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(r"@(?:我们|你们|他们|她们|大家|我|你|他|她)?"),
    "en": re.compile(f"@(?![{HAN_CHARS}])"),
}
_AT_PRONOUNS = {
    "我们": "us",
    "你们": "you",
    "他们": "them",
    "她们": "them",
    "大家": "everyone",
    "我": "me",
    "你": "you",
    "他": "him",
    "她": "her",
}

_Finder = Callable[[str], Iterator[tuple[int, int]]]

_RESTORE_RE = re.compile(r"(?:[Xx][ \-_.]?[Qq]|XX)[ \-_.]?([0-9]+|[Oo](?![A-Za-rt-z]))")
_BARE_RE = re.compile(r"(?<![A-Za-z0-9])[Xx][ \-_.]?[Qq](?![A-Za-z0-9])")
RESIDUE_RE = re.compile(
    r"(?:X[ \-_.]?Q(?:[ \-_.]?[0-9O]+)*|XX[0-9]+(?:[ \-_.][0-9]+)*"
    r"|(?<![A-Za-z0-9])[Xx][ \-_.]?[Qq](?:[ \-_.]?[0-9Oo]+)*)(?![a-z0-9])"
)
"""Placeholder debris a model may leave (``XQ``, ``X-Q-0-1``, ``XX1``): never shown."""

ALWAYS_CUT: frozenset[SpanKind] = frozenset({"emoji", "laughter", "mark"})
"""Kinds that are never part of a clause: the message is cut around them."""

EDGE_CUT: frozenset[SpanKind] = frozenset({"url", "mention", "hashtag", "at"})
"""Kinds that are cut when they sit at a clause's edge, and protected inside a clause."""

# Where a clause ends: a span next to one of these (or a cut) is at a clause's edge.
_BOUNDARY = frozenset('，,。.！!？?；;：:、…~～\n()（）「」『』【】《》“”"')
_SENTENCE_END = frozenset("。.！!？?…")
_FULL_WIDTH = str.maketrans(
    {
        "，": ", ",
        "。": ". ",
        "！": "! ",
        "？": "? ",
        "；": "; ",
        "：": ": ",
        "、": ", ",
        "（": " (",
        "）": ") ",
        "「": ' "',
        "」": '" ',
        "『": ' "',
        "』": '" ',
        "“": ' "',
        "”": '" ',
        "～": "~",
    }
)
# The model's own punctuation in English text (no spacing added; spacing is the model's).
_FULL_WIDTH_MODEL = str.maketrans(
    {"，": ", ", "。": ". ", "！": "! ", "？": "? ", "；": "; ", "：": ": ", "、": ", "}
)
_I = frozenset({"I", "I'm", "I'll", "I've", "I'd"})
_JOINTS = {"；": ";", ";": ";"}
_CLAUSE_ENDS = frozenset(".!?…,;:。！？，；：")
_CLOSING = frozenset(".,!?;:)]}~…\"'%")
_OPENING = frozenset('“「『（(《【"')


@dataclass(frozen=True)
class Span:
    """One protected span.

    Attributes:
        kind: What it is.
        source: The text as it appears in the original message.
        target: The text to put back (the glossary's target term, else ``source``).
    """

    kind: SpanKind
    source: str
    target: str


PartKind = Literal["text", "cut", "punct"]
RunKind = Literal["punct", "sentence", "clause"]

CLAUSE_MIN_HAN = 10
"""A Chinese sentence with at least this many Han characters is translated clause by clause."""

_CLAUSE_SEPARATORS = frozenset("，；")

MAX_PLACEHOLDERS = 2
"""Most placeholders one model input carries when the message allows a cut (see ``_budget``)."""


@dataclass(frozen=True)
class Part:
    """One piece of a message, in order.

    Attributes:
        kind: ``text``: a run of the message (for the model when :attr:`translate`);
            ``cut``: a span the message was cut at, put back as its target;
            ``punct``: punctuation between pieces, kept (in ASCII for English).
        source: The piece as written.
        text: For ``text``, what the model gets: :attr:`source` with ``XQ<i>`` in place
            of ``spans[i]``; otherwise what the reader gets.
        spans: The protected spans inside a ``text`` piece, by placeholder index.
        translate: Whether the model sees it (a ``text`` piece with words in it).
        gap: The whitespace before the piece in the message.
        joint: Where a long sentence was cut into clauses: the comma (or space) before
            this piece, which is in neither piece; empty otherwise.
    """

    kind: PartKind
    source: str
    text: str
    spans: tuple[Span, ...] = ()
    translate: bool = False
    gap: str = ""
    joint: str = ""


@dataclass(frozen=True)
class ProtectedText:
    """A message cut into pieces, its spans replaced by placeholders.

    Attributes:
        original: The message as written.
        parts: Its pieces in order; see :class:`Part`.
        target: The language the text is being translated into.
    """

    original: str
    parts: tuple[Part, ...]
    target: Lang

    @property
    def texts(self) -> list[str]:
        """What the model gets: one text per piece to translate, in order."""
        return [p.text for p in self.parts if p.translate]

    @property
    def spans(self) -> tuple[Span, ...]:
        """Every protected span behind a placeholder, in order."""
        return tuple(s for p in self.parts for s in p.spans)

    @property
    def cuts(self) -> tuple[str, ...]:
        """The spans the message was cut at (as written), in order."""
        return tuple(p.source for p in self.parts if p.kind == "cut")

    @property
    def pieces(self) -> list[Part]:
        """The parts the model gets, in the order of :attr:`texts`."""
        return [p for p in self.parts if p.translate]

    def restore(self, translations: Sequence[str], done: Mapping[int, str] | None = None) -> str:
        """Reassemble the message from the model's translations of :attr:`texts`.

        Args:
            translations: One translation per text of :attr:`texts`, in order.
            done: Pieces (by index into :attr:`texts`) already rendered another way
                (a sentence translated clause by clause): used as they are.

        Returns:
            The translated message with every span and cut back in place.

        Raises:
            ValueError: When the number of translations does not match.
        """
        if len(translations) != len(self.texts):
            raise ValueError(f"{len(translations)} translations for {len(self.texts)} texts")
        done = done or {}
        given = iter(translations)
        rendered: list[str] = []
        index = 0
        for part in self.parts:
            if part.translate:
                said = next(given)
                if index in done:
                    rendered.append(done[index])
                    index += 1
                    continue
                index += 1
                out = restore(said, part.spans, self.target, part.text)
                rendered.append(keep_digits(part.text, out) if self.target == "en" else out)
            elif part.kind == "text":
                rendered.append(restore(part.text, part.spans, self.target))
            else:
                rendered.append(part.text)
        return _assemble(self.parts, rendered, self.target)


SHORT_LETTERS_PER_HAN = 3.0
"""English letters per Han character under which a sentence's translation may be short.

A faithful English translation has about 2.5-3.5 letters per Han character; one
with fewer is checked against the sentence translated clause by clause (the
service keeps the longer one, see ``service.CLAUSES_WIN_BELOW``).
"""


def too_short(part: Part, translated: str) -> bool:
    """Whether the model may have dropped part of a long Chinese sentence.

    Only a piece that can be cut (a sentence of at least ``CLAUSE_MIN_HAN`` Han
    characters with a comma in it) qualifies; it may be short when its output has
    under ``SHORT_LETTERS_PER_HAN`` English letters per Han character.
    """
    view = PLACEHOLDER_RE.sub(" ", part.text)
    han = len(HAN.findall(view))
    if han < CLAUSE_MIN_HAN or not any(c in view for c in "，；,") or HAN.search(translated):
        return False  # too short to cut, nowhere to cut, or not English at all
    letters = sum(1 for ch in PLACEHOLDER_RE.sub(" ", translated) if ch.isascii() and ch.isalpha())
    return letters < SHORT_LETTERS_PER_HAN * han


def says(term: str, text: str, *, derived: bool = False) -> bool:
    """Whether ``text`` says ``term`` as words, any case, a plural allowed.

    "TikTok refugees" says "TikTok refugee", "hot pot" says "hot-pot"; "Family"
    does not say "fam". With ``derived``, a word made from it counts too
    ("Shanghainese" says "Shanghai").
    """
    words = [re.escape(w) for w in re.split(r"[\s-]+", term.casefold()) if w]
    pattern = r"[\s-]?".join(words)
    end = "" if derived else "(?:e?s)?(?![a-z])"
    return re.search(f"(?<![a-z]){pattern}{end}", text.casefold()) is not None


def lost_terms(part: Part, translated: str, glossary: Glossary) -> list[str]:
    """Glossary terms the model knows (left unprotected) that its translation dropped.

    "到了成都记得@我" came back as "Remember when you got there @ me": 成都 is one
    of the terms the model translates right on its own, but not this time. Such a
    piece is translated again with every term protected.
    """
    lost = []
    for term in glossary.terms:
        known = term.model_translates_zh and term.zh in part.text
        if known and not says(term.en, translated, derived=True):
            lost.append(term.en)
    return lost


def placeholder(index: int) -> str:
    """The placeholder for span number ``index``."""
    return PLACEHOLDER.format(index)


def has_words(text: str) -> bool:
    """Whether a text has anything for the model: Han characters or Latin words."""
    text = PLACEHOLDER_RE.sub(" ", text)
    return bool(HAN.search(text) or LATIN_WORD.search(text))


# --- finding spans ----------------------------------------------------------------------------


def _glossary_pattern(
    glossary: Glossary, source: Lang, all_terms: bool = False
) -> tuple[re.Pattern[str], dict[str, str]]:
    targets: dict[str, str] = {}
    for term in glossary.terms:
        if source == "zh" and term.model_translates_zh and not all_terms:
            continue  # the model gets it right unaided, and reads better without a placeholder
        src, tgt = term.source_and_target(source)
        targets.setdefault(src.casefold(), tgt)
    alternatives = []
    for src in sorted(targets, key=len, reverse=True):
        body = re.escape(src)
        # Latin terms match whole words only: "RedNote" but not "RedNotes2".
        if src[:1].isascii() and src[:1].isalnum():
            body = r"(?<![A-Za-z0-9])" + body
        if src[-1:].isascii() and src[-1:].isalnum():
            body += r"(?![A-Za-z0-9])"
        alternatives.append(body)
    pattern = "|".join(alternatives) or r"(?!x)x"
    return re.compile(pattern, re.IGNORECASE), targets


def _url_matches(text: str) -> Iterator[tuple[int, int]]:
    for match in URL_RE.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in URL_TRAILING:
            end -= 1
        yield match.start(), end


def _number_matches(text: str) -> Iterator[tuple[int, int]]:
    for match in _NUMBER_RE.finditer(text):
        start, end = match.span()
        digits = sum(ch.isdigit() for ch in match.group())
        beside_han = bool(
            (start > 0 and HAN.match(text[start - 1])) or (end < len(text) and HAN.match(text[end]))
        )
        if beside_han and digits < _LONG_DIGITS and ":" not in match.group():
            continue
        yield start, end


def _regex(pattern: re.Pattern[str]) -> _Finder:
    return lambda text: (m.span() for m in pattern.finditer(text))


def _laughter_target(run: str, source: Lang, target: Lang) -> str:
    if source == target:
        return run
    if target == "zh":
        return "嘿嘿" if run[:2].lower() == "he" else "哈哈哈"
    if run[0] == "哈":
        return "ha" * min(max(len(run), 2), 5)
    return _LAUGHTER_EN.get(run[0], "haha")


def _at_target(piece: str, target: Lang) -> str:
    if target == "en" and piece[1:] in _AT_PRONOUNS:
        return "@ " + _AT_PRONOUNS[piece[1:]]
    return piece


def find_spans(
    text: str,
    *,
    source: Lang,
    glossary: Glossary | None = None,
    target: Lang | None = None,
    all_terms: bool = False,
) -> list[tuple[int, int, Span]]:
    """Find the protected spans of a message.

    Earlier kinds win overlaps: a URL's path is not a hashtag, a hashtag is not
    cut by a glossary term inside it, a glossary term is not a foreign run.

    Args:
        text: The message.
        source: Its language (decides which script is "foreign").
        glossary: Terms to translate with the glossary instead of the model.
        target: The language it is translated into (the other one when None).
        all_terms: Protect the glossary terms the model knows too (``model_translates_zh``).

    Returns:
        ``(start, end, span)`` triples, sorted by position, not overlapping.
    """
    target = target or ("en" if source == "zh" else "zh")
    gloss_re, gloss_targets = _glossary_pattern(glossary or Glossary(), source, all_terms)

    def gloss(match_text: str) -> str | None:
        return gloss_targets.get(match_text.casefold())

    passes: list[tuple[SpanKind, _Finder]] = [
        ("url", _url_matches),
        ("hashtag", _regex(HASHTAG_RE)),
        ("mention", _regex(MENTION_RE)),
        ("glossary", _regex(gloss_re)),
        ("at", _regex(_AT_RE[source])),
        ("lookalike", _regex(_LOOKALIKE_RE)),
        ("laughter", _regex(_LAUGHTER_RE[source])),
        ("emoji", _regex(EMOJI_RE)),
        ("mark", _regex(LIST_MARK_RE)),
        ("mark", _regex(ARROW_RE)),
        ("number", _number_matches),
        ("foreign", _regex(_FOREIGN_RE[source])),
    ]
    claimed = [False] * len(text)
    found: list[tuple[int, int, Span]] = []
    for kind, finder in passes:
        # Claimed characters become NUL so later patterns cannot match across them.
        view = "".join("\0" if c else ch for c, ch in zip(claimed, text, strict=True))
        for start, end in finder(view):
            if start == end:
                continue
            piece = text[start:end]
            span_target = piece
            if kind in ("glossary", "hashtag"):
                span_target = gloss(piece) or piece
            elif kind == "laughter":
                span_target = _laughter_target(piece, source, target)
            elif kind == "at":
                span_target = _at_target(piece, target)
            found.append((start, end, Span(kind, piece, span_target)))
            claimed[start:end] = [True] * (end - start)
    found.sort(key=lambda item: item[0])
    return found


# --- cutting ----------------------------------------------------------------------------------


def _is_edge(text: str, pos: int, cut_ends: set[int], *, left: bool) -> bool:
    """Whether ``pos`` (a span's start when ``left``, else its end) is at a clause's edge."""
    step = -1 if left else 1
    while pos > 0 if left else pos < len(text):
        ch = text[pos - 1] if left else text[pos]
        if ch not in " \t":
            break
        pos += step
    if pos in cut_ends:
        return True
    if (left and pos == 0) or (not left and pos == len(text)):
        return True
    return (text[pos - 1] if left else text[pos]) in _BOUNDARY


def cut_points(text: str, found: list[tuple[int, int, Span]]) -> list[int]:
    """Which of the spans (indices into ``found``) the message is cut at.

    Emoji, laughter and list markers always are; links, hashtags, mentions and stray
    ``@`` are when next to punctuation, another cut or the message's edge.
    """
    cut = {i for i, (_, _, span) in enumerate(found) if span.kind in ALWAYS_CUT}
    changed = True
    while changed:
        changed = False
        starts = {found[i][0] for i in cut}
        ends = {found[i][1] for i in cut}
        for i, (start, end, span) in enumerate(found):
            if i in cut or span.kind not in EDGE_CUT:
                continue
            if _is_edge(text, start, ends, left=True) or _is_edge(text, end, starts, left=False):
                cut.add(i)
                changed = True
    return sorted(cut)


def _group(
    text: str, end: int, inner: list[tuple[int, int, Span]], target: Lang
) -> list[tuple[int, int, Span]]:
    """Spans separated only by whitespace share one placeholder; a number after a span joins it.

    ``XQ0XQ1`` comes back as ``XQ0XX1`` and ``XQ1 1372`` as ``XQ1,372``: a
    placeholder is never written next to another one or before a digit.
    """
    extended: list[tuple[int, int, Span]] = []
    for k, (s, e, span) in enumerate(inner):
        extended.append((s, e, span))
        stop = inner[k + 1][0] if k + 1 < len(inner) else end
        glued = _GLUED_NUMBER_RE.match(text, e, stop)
        if glued is None:
            continue
        number = glued.group().lstrip(" \t").rstrip(".,:")
        n_start = glued.end() - len(glued.group().lstrip(" \t"))
        extended.append((n_start, n_start + len(number), Span("number", number, number)))
    merged: list[tuple[int, int, Span]] = []
    for s, e, span in extended:
        if merged and not text[merged[-1][1] : s].strip():
            p_start, p_end, prev = merged[-1]
            joint = text[p_end:s]
            if target == "en" and not (
                p_end == s and _is_word_char(text[p_end - 1]) and _is_word_char(text[s])
            ):
                joint = " "  # "雅思托福" -> "IELTS TOEFL", but "3D" stays one word
            merged[-1] = (
                p_start,
                e,
                Span("group", text[p_start:e], prev.target + joint + span.target),
            )
        else:
            merged.append((s, e, span))
    return merged


def _segment(
    text: str, start: int, end: int, inner: list[tuple[int, int, Span]], target: Lang
) -> Part:
    """One run of text with its inner spans replaced by placeholders."""
    pieces: list[str] = []
    spans: list[Span] = []
    pos = start
    mine = [t for t in inner if start <= t[0] and t[1] <= end]
    for s, e, span in _group(text, end, mine, target):
        pieces.append(text[pos:s])
        token = placeholder(len(spans))
        # Glued to a Latin letter or digit, "loveXQ0" would tokenize as one odd word.
        if pieces[-1][-1:].isascii() and pieces[-1][-1:].isalnum():
            token = " " + token
        if e < end and text[e].isascii() and text[e].isalnum():
            token += " "
        pieces.append(token)
        spans.append(span)
        pos = e
    pieces.append(text[pos:end])
    body = "".join(pieces)
    if has_words(body):
        return Part("text", text[start:end], body, tuple(spans), translate=True)
    if target == "en":
        body = _ascii_punctuation(body)
    return Part("text", text[start:end], body, tuple(spans))


def _ascii_punctuation(text: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", text.translate(_FULL_WIDTH)).strip()


def _runs(
    text: str, start: int, end: int, inner: list[tuple[int, int, Span]], *, clauses: bool
) -> Iterator[tuple[int, int, RunKind]]:
    """``(start, end, kind)`` pieces of the text between two cuts.

    Each sentence of each line is a piece (a span lost by the model comes back at
    the end of its own sentence, and fewer placeholders share one input);
    punctuation opening a run is a piece of its own (the model need not see "，"
    after an emoji).
    """
    # Sentences are found with the spans masked: "https://x.com/a?b=1" ends no sentence.
    chars = list(text[start:end])
    for s, e, _ in inner:
        if start <= s and e <= end:
            chars[s - start : e - start] = "X" * (e - s)
    view = "".join(chars)
    for s_start, s_end in sentence_bounds(view):
        s_start, s_end = start + s_start, start + s_end
        p = s_start
        while p < s_end and text[p] in _BOUNDARY and text[p] not in _OPENING:
            p += 1
            while p < s_end and text[p] in " \t":
                p += 1
        if p > s_start:
            yield s_start, p, "punct"
        if s_end > p:
            whole: list[tuple[int, int, RunKind]] = [(p, s_end, "sentence")]
            pieces = _clauses(text, p, s_end, lambda i: view[i - start]) if clauses else whole
            for c_start, c_end, kind in pieces:
                for k, (b_start, b_end) in enumerate(_budget(text, c_start, c_end, inner)):
                    yield b_start, b_end, kind if k == 0 else "clause"


def _budget(
    text: str, start: int, end: int, inner: list[tuple[int, int, Span]]
) -> list[tuple[int, int]]:
    """A piece with too many placeholders, cut before its spaced mentions, tags and links.

    Several placeholders in one input make the model drop clauses ("我在XQ0看到 XQ1 的帖子
    XQ2 太可爱了" lost "太可爱了"). A tag written after a space usually opens a phrase,
    so the piece is cut before such spans, rightmost first, until each piece has at
    most ``MAX_PLACEHOLDERS`` (the span stays a placeholder in the second piece).
    """
    mine = [t for t in inner if start <= t[0] and t[1] <= end]
    if len(_group(text, end, mine, "en")) <= MAX_PLACEHOLDERS:
        return [(start, end)]
    for s, _, span in reversed(mine):
        gap = s
        while gap > start and text[gap - 1] in " \t":
            gap -= 1
        if span.kind in EDGE_CUT and start < gap < s:
            return [*_budget(text, start, gap, inner), (s, end)]
    return [(start, end)]


def _clauses(
    text: str, start: int, end: int, mask: Callable[[int], str]
) -> Iterator[tuple[int, int, RunKind]]:
    """A long Chinese sentence cut at its commas (and at spaces between Han characters).

    The zh->en model drops the later clauses of a long sentence ("…，跟我们没关系，不用紧张"
    came back as "It's not about us. Don't be nervous."); clause by clause it keeps
    them. The comma is left out (a trailing "，" confuses the model) and put back when
    the pieces are joined.
    """
    if len(HAN.findall(text, start, end)) < CLAUSE_MIN_HAN:
        yield start, end, "sentence"
        return
    kind: RunKind = "sentence"
    pos = start
    for i in range(start, end):
        ch = mask(i)
        if ch in _CLAUSE_SEPARATORS:
            split = True
        elif ch == " ":
            split = bool(HAN.match(mask(i - 1)) and i + 1 < end and HAN.match(mask(i + 1)))
        elif ch == ",":
            split = bool(HAN.match(mask(i - 1)))
        else:
            split = False
        if not split or i == pos or not text[i + 1 : end].strip():
            continue  # a comma that ends the sentence stays with it
        yield pos, i, kind
        kind = "clause"
        pos = i + 1
        while pos < end and text[pos] in " \t":
            pos += 1
    if pos < end:
        yield pos, end, kind


def protect(
    text: str,
    *,
    source: Lang,
    target: Lang,
    glossary: Glossary | None = None,
    clauses: bool = False,
    all_terms: bool = False,
) -> ProtectedText:
    """Cut a message into pieces and replace the spans inside them with placeholders.

    Args:
        text: The message.
        source: Its language.
        target: The language it will be translated into.
        glossary: Term pairs to carry across as the target term.
        clauses: Also cut long Chinese sentences at their commas (the fallback for a
            sentence the model translated too short; see :func:`too_short`).
        all_terms: Protect the glossary terms the model knows too (the retry for a
            piece whose translation lost one; see :func:`lost_terms`).

    Returns:
        The texts to give the model, and what :meth:`ProtectedText.restore` needs.
    """
    found = find_spans(text, source=source, glossary=glossary, target=target, all_terms=all_terms)
    cuts = cut_points(text, found)
    cut_set = set(cuts)
    inner = [item for i, item in enumerate(found) if i not in cut_set]
    parts: list[Part] = []
    last = 0

    def add(part: Part, start: int, clause: bool = False) -> None:
        between = text[last:start]
        gap = "".join(ch for ch in between if ch.isspace())
        joint = (between.strip() or " ") if clause else ""
        parts.append(
            Part(part.kind, part.source, part.text, part.spans, part.translate, gap, joint)
        )

    def add_runs(start: int, end: int) -> int:
        nonlocal last
        cut = clauses and source == "zh"
        for r_start, r_end, kind in _runs(text, start, end, inner, clauses=cut):
            if kind == "punct":
                piece = text[r_start:r_end].strip()
                shown = _ascii_punctuation(piece) if target == "en" else piece
                add(Part("punct", piece, shown), r_start)
            else:
                add(_segment(text, r_start, r_end, inner, target), r_start, kind == "clause")
            last = r_end
        return last

    for i in cuts:
        start, end, span = found[i]
        add_runs(last, start)
        add(Part("cut", span.source, span.target), start)
        last = end
    add_runs(last, len(text))
    return ProtectedText(original=text, parts=tuple(parts), target=target)


# --- restoring --------------------------------------------------------------------------------


def _resolve_index(digits: str, count: int) -> tuple[int, str] | None:
    """The span index for a placeholder's digits, and any digits left over.

    "XQ10" with only two spans is XQ1 followed by a stray "0".
    """
    digits = "0" if digits in ("O", "o") else digits
    for cut in range(len(digits), 0, -1):
        index = int(digits[:cut])
        if index < count:
            return index, digits[cut:]
    return None


def lost_placeholders(sent: str, translated: str) -> list[int]:
    """The placeholders of ``sent`` the model's output lost (restore would append them).

    Forgiven forms count as kept (``XQ 0``, ``XX1``, ``XQO``…), and so does a bare
    ``XQ`` that lost only its number (it is refilled in place).
    """
    wanted = sorted({int(m.group()[2:]) for m in PLACEHOLDER_RE.finditer(sent)})
    if not wanted:
        return []
    count = wanted[-1] + 1
    found = set()
    for match in _RESTORE_RE.finditer(translated):
        resolved = _resolve_index(match.group(1), count)
        if resolved is not None:
            found.add(resolved[0])
    missing = [i for i in wanted if i not in found]
    bare = len(_BARE_RE.findall(translated))
    return missing[bare:]


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _join(left: str, piece: str, target: Lang) -> str:
    """Append ``piece`` to ``left``, with a space if two English words would touch."""
    if target == "en" and left and piece and _is_word_char(left[-1]) and _is_word_char(piece[0]):
        return left + " " + piece
    return left + piece


def _scrub(model_text: str) -> str:
    """The model's text without placeholder debris, runs of spaces collapsed."""
    model_text = RESIDUE_RE.sub("", model_text)
    return re.sub(r"[ \t]{2,}", " ", model_text)


def restore(translated: str, spans: tuple[Span, ...], target: Lang, sent: str | None = None) -> str:
    """Replace the placeholders in a model's output with their spans.

    Args:
        translated: The model's output for one text of :attr:`ProtectedText.texts`.
        spans: The spans, by placeholder index.
        target: The output language (decides spacing and punctuation).
        sent: The text the model was given; a span the model lost comes back at the
            start when its placeholder opened that text, else at the end.

    Returns:
        The translation with every span present exactly once and no placeholder debris.
    """
    # The model's output as text pieces and span indices.
    tokens: list[str | int] = []
    used: set[int] = set()
    pos = 0
    for match in _RESTORE_RE.finditer(translated):
        resolved = _resolve_index(match.group(1), len(spans))
        if resolved is None:
            continue  # not one of ours: scrubbed below
        index, rest = resolved
        tokens.append(translated[pos : match.start()])
        pos = match.end()
        # "XQOs": a plural glued to an emoji or a URL is noise; to a name it is grammar.
        if translated[pos : pos + 1] == "s" and not spans[index].target[-1:].isalnum():
            pos += 1
        if index in used:
            # Drop the repeat, and the space before it unless a word follows.
            if not _is_word_char(translated[pos : pos + 1]) and isinstance(tokens[-1], str):
                tokens[-1] = tokens[-1].rstrip(" ")
            tokens.append(rest)
            continue
        used.add(index)
        tokens.append(index)
        tokens.append(rest)
    tokens.append(translated[pos:])

    missing = [i for i in range(len(spans)) if i not in used]
    if missing:
        # A bare "XQ" lost its number; give it the first missing spans in order.
        refilled: list[str | int] = []
        for token in tokens:
            if isinstance(token, int):
                refilled.append(token)
                continue
            pieces = _BARE_RE.split(token)
            refilled.append(pieces[0])
            for piece in pieces[1:]:
                if missing:
                    used.add(missing[0])
                    refilled.append(missing.pop(0))
                refilled.append(piece)
        tokens = refilled

    lost = [i for i in range(len(spans)) if i not in used]
    leading = [i for i in lost if sent is not None and _opens(sent, i)]
    space = " " if target == "en" else ""
    tokens = [*(t for i in leading for t in (i, space)), *tokens]
    tokens += [t for i in lost if i not in leading for t in (space, i)]

    out = ""
    after = ""  # the span just put back, if the last token was one
    for token in tokens:
        if isinstance(token, int):
            span = spans[token]
            piece = span.target
            if span.kind == "glossary" and target == "en" and _sentence_starts(out):
                piece = _capitalise(piece)  # "cat tax received" -> "Cat tax received"
            if target == "en" and _needs_space(out, piece):
                out += " "  # "huge!" + "Dale": a span after punctuation
            if target == "en" and span.kind in _WORDY:
                out = _fit_before(out, piece)
            out = _join(out, piece, target)
            after = piece if span.kind in _WORDY else ""
        elif token:
            text = _scrub(token)
            if target == "en":
                # The model leaves "！" after a placeholder: "RedNote！" -> "RedNote!".
                text = re.sub(r"^[ \t]+(?=[.,!?;:])", "", text.translate(_FULL_WIDTH_MODEL))
                if after:
                    text = _fit_after(after, text)
            after = ""
            # Text after a span is glued as the model wrote it ("XQ0's", "XQ0s").
            out = out + (text.lstrip(" ") if out.endswith(" ") else text)
    # Spaces are collapsed in the model's text only: a span comes back exactly as written.
    return out.strip()


_WORDY: frozenset[SpanKind] = frozenset({"glossary", "group"})
"""Spans that come back as English words (the model's words around them may clash)."""

_ARTICLES = frozenset({"a", "an"})
_AN_LETTERS = frozenset("AEFHILMNORSX")  # letters whose name starts with a vowel: "an IELTS"
_A_BEFORE_VOWEL = ("uni", "use", "usu", "ute", "one", "once", "eu", "ur")
_AN_BEFORE_H = ("hour", "honest", "honou", "heir")


def _article_for(word: str) -> str:
    """``a`` or ``an`` before ``word``, by its sound (roughly)."""
    if len(word) > 1 and word.isupper():
        return "an" if word[0] in _AN_LETTERS else "a"
    lower = word.lower()
    if lower.startswith(_AN_BEFORE_H):
        return "an"
    if lower[:1] in "aeiou" and not lower.startswith(_A_BEFORE_VOWEL):
        return "an"
    return "a"


def _fit_before(out: str, piece: str) -> str:
    """The model's last word before a span, fitted to it.

    "an XQ0" with XQ0 = "cat tax" is "a cat tax"; "a XQ0" with "IELTS" is "an
    IELTS"; "the XQ0" with "the Bund" (or "a XQ0" with "a pinch") is written once.
    """
    match = re.search(r"(?:^|(?<=\s))([A-Za-z]+)(\s+)$", out)
    if match is None:
        return out
    word, first = match.group(1), piece.split(" ", 1)[0]
    if word.lower() == first.lower():
        return out[: match.start()]  # "the the Bund"
    if word.lower() in _ARTICLES and first.isalpha():
        if first.lower() in ("a", "an", "the"):
            return out[: match.start()]  # "a an appropriate amount"
        fitted = _article_for(first)
        fitted = fitted.capitalize() if word[0].isupper() else fitted
        return out[: match.start()] + fitted + match.group(2)
    return out


def _fit_after(piece: str, text: str) -> str:
    """The model's text after a span, without the span's last word written again.

    "XQ0 tea" with XQ0 = "Longjing tea" is "Longjing tea", not "Longjing tea tea".
    """
    last = piece.rsplit(" ", 1)[-1]
    match = re.match(r"(\s+)([A-Za-z]+)(?![A-Za-z'’])", text)
    if match is not None and len(last) > 2 and match.group(2).lower() == last.lower():
        return text[match.end() :]
    return text


def _needs_space(out: str, piece: str) -> bool:
    return bool(out and piece[:1].isalnum() and out[-1] in ".,!?;:…)]}")


def _opens(sent: str, index: int) -> bool:
    """Whether placeholder ``index`` is the first word of ``sent``."""
    found = re.search(f"XQ{index}(?![0-9])", sent)
    return found is not None and not has_words(sent[: found.start()])


def _sentence_starts(out: str) -> bool:
    stripped = out.rstrip()
    return not stripped or stripped[-1] in ".!?…" or stripped.endswith(("\n",))


def _capitalise(term: str) -> str:
    first = term.split(" ", 1)[0]
    if first.isascii() and first.isalpha() and first.islower():
        return term[:1].upper() + term[1:]
    return term


_CARDINALS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_ORDINALS = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
_SMALL_NUMBER_RE = re.compile(r"(?<![0-9.,:])[0-9]{1,2}(?![0-9]|[.,:][0-9])")
_NOT_A_COUNT = frozenset({"no", "any", "some", "every", "each", "this", "that", "which", "the"})


def _previous_word(text: str, pos: int) -> str:
    before = text[:pos].split()
    return before[-1].lower() if before else ""


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def keep_digits(sent: str, translated: str) -> str:
    """Put back the digits of small numbers the model spelled out ("3只猫" -> "3 cats").

    Args:
        sent: What the model was given (its placeholders do not count as numbers).
        translated: The English translation.

    Returns:
        ``translated`` with "three" (or "third") replaced by "3" (or "3rd") for each
        number of ``sent`` up to 20 whose digits the translation lacks.
    """
    for match in _SMALL_NUMBER_RE.finditer(PLACEHOLDER_RE.sub(" ", sent)):
        n = int(match.group())
        if n > len(_CARDINALS) - 1 or re.search(f"(?<![0-9]){n}(?![0-9])", translated):
            continue
        for words, digits in ((_CARDINALS, str(n)), (_ORDINALS, _ordinal(n))):
            found = next(
                (
                    m
                    for m in re.finditer(f"(?i)\\b{words[n]}\\b", translated)
                    if not (n == 1 and _previous_word(translated, m.start()) in _NOT_A_COUNT)
                ),
                None,
            )
            if found is not None:
                translated = translated[: found.start()] + digits + translated[found.end() :]
                break
    return translated


def _trim_period(text: str) -> str:
    """Drop the full stop a model put at the end of a clause the source did not end."""
    if text.endswith(".") and not text.endswith(".."):
        return text[:-1].rstrip()
    return text


def _assemble(parts: Sequence[Part], rendered: list[str], target: Lang) -> str:
    """Join the rendered pieces: English gets single spaces, Chinese its original spacing."""
    shown = [(p, r) for p, r in zip(parts, rendered, strict=True) if r]
    out = ""
    for i, (part, text) in enumerate(shown):
        following = shown[i + 1][0] if i + 1 < len(shown) else None
        if (
            target == "en"
            and part.translate
            and following is not None
            and following.kind == "cut"
            and part.source.rstrip()[-1:] not in _SENTENCE_END
        ):
            # "太好了😭" is "Great 😭", not "Great. 😭".
            text = _trim_period(text)
        if not out:
            out = text
            continue
        comma = part.joint.strip() in _CLAUSE_SEPARATORS | {","}
        if part.joint and comma and target == "en":
            # The comma the sentence was cut at, not the model's full stop: "Whatever
            # happens tonight, we met here" rather than "…tonight. We met here".
            out = _trim_period(out)
            if out[-1:] not in _CLAUSE_ENDS:
                out += _JOINTS.get(part.joint, ",")
            # After a comma the clause goes on ("Help! How…" stays as it is).
            continues = out[-1:] in ",;:"
            if continues and not any(text.startswith(span.target) for span in part.spans):
                text = lower_first(text)
        elif part.joint and out[-1:] not in _CLAUSE_ENDS:
            out += _JOINTS.get(part.joint, ",") if target == "en" else part.joint.strip()
        if (
            target == "en"
            and not (part.joint and comma)
            and out.endswith((",", ";"))
            and part.translate
            and _capitalised(text)
            and not any(text.startswith(span.target) for span in part.spans)
        ):
            # "hahaha, We only…": after a cut the model began a new sentence.
            out = out[:-1] + "."
        newlines = part.gap.count("\n")
        if newlines:
            out = out.rstrip(" ") + "\n" * newlines + text
        elif target != "en":
            out += part.gap + text
        elif part.kind == "punct" and text[0] in _CLOSING:
            out = out.rstrip(" ") + text
        else:
            out = out.rstrip(" ") + " " + text
    return out.strip()


_LOWERABLE_WORDS = """
    we you they he she it this that these those there here the a an but and so or then
    just also even still now if when while because although though my your our their his
    her its what who how why where which let's let don't doesn't didn't can't won't isn't
    aren't wasn't it's that's there's here's we're you're they're he's she's we'll you'll
    they'll we've you've they've is are was were be been do does did have has had can
    could will would should may might must not no yes ok okay go come get make see look
    take give tell say all every everyone everybody everything some any many much more
    most very too only never always maybe perhaps please thank thanks after before until
    since as at in on for with from to of by about into over under up down out off one
    two three first last next other another each both either nothing something anything
    someone anyone nobody relax wait stop hurry remember enjoy try keep welcome sleep eat
    drink send bring call ask check watch listen hold stay leave sorry good great nice fine
    well really actually probably definitely same like"""
_LOWERABLE = frozenset(_LOWERABLE_WORDS.split())
"""First words that a clause joined after a comma writes in lower case (not names)."""


def lower_first(text: str) -> str:
    """``We met here`` after a comma is ``we met here``; names and "I" keep their capital."""
    first = text.split(" ", 1)[0]
    word = first.rstrip(".,!?;:…")
    if word[:1].isupper() and word[1:].islower() and word.lower() in _LOWERABLE:
        return text[:1].lower() + text[1:]
    return text


def _capitalised(text: str) -> bool:
    """Whether a translation starts a sentence (a capital that is not "I")."""
    first = text.split(" ", 1)[0]
    acronym = len(first) > 1 and first.isupper()
    return text[:1].isupper() and first not in _I and not acronym
