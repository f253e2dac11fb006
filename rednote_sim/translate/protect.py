"""Protected spans: what the model must not translate, and how it comes back.

Argos mangles what chat is full of. Before translation, hashtags, @mentions,
URLs, emoji, numbers, glossary terms and runs of the *other* script (a Latin
name inside a Chinese line, Han inside an English one) are replaced with
placeholders ``XQ0``, ``XQ1``, ... that the zh->en model copies verbatim (in a
probe, ``<0>``, ``[0]``, ``__0__`` and ``⟨0⟩`` were dropped; ``XQ0`` survived).
After translation each placeholder is replaced by its span, or, for a glossary
term, by the term in the target language (小红书 -> RedNote).

Restoring forgives what models do to placeholders: ``XQ 0``, ``XQO`` (letter O),
``xq0``, a glued plural ``XQ0s``, a duplicated placeholder (kept once) and a bare
``XQ`` that lost its number. A placeholder that is lost entirely still brings its
span back, appended at the end: a span is never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from rednote_sim.domain import Glossary, Lang
from rednote_sim.translate.scripts import (
    EMOJI_RE,
    HAN,
    HAN_RE,
    HASHTAG_RE,
    LATIN,
    MENTION_RE,
    URL_RE,
    URL_TRAILING,
)

SpanKind = Literal[
    "url", "mention", "hashtag", "glossary", "emoji", "number", "foreign", "lookalike"
]

PLACEHOLDER = "XQ{}"
"""Placeholder format: ``XQ`` and the span's index."""

_LOOKALIKE_RE = re.compile(r"(?<![A-Za-z0-9])[Xx] ?[Qq] ?[0-9]+(?![0-9])")
_NUMBER_RE = re.compile(r"(?<![A-Za-z0-9.,:])[0-9]+(?:[.,:][0-9]+)*%?(?![A-Za-z0-9])")
_FOREIGN_RE: dict[Lang, re.Pattern[str]] = {
    # Translating from Chinese, Latin runs (names, English words) are the other script.
    "zh": re.compile(f"[{LATIN}][{LATIN}0-9'’\\-]*(?:[ \\t]+[{LATIN}][{LATIN}0-9'’\\-]*)*"),
    # Translating from English, Han runs are.
    "en": re.compile(f"[{HAN}]+(?:[ \\t]*[{HAN}]+)*"),
}
# Chinese numbers with a unit ("15年", "3.5万", "第1名") translate better than they copy:
# the model turns 3.5万 into 35,000. Long digit runs (phone numbers) and times always copy.
_LONG_DIGITS = 5

PLACEHOLDER_RE = re.compile(r"XQ[0-9]+")
"""A placeholder as :func:`protect` writes it."""

_Finder = Callable[[str], Iterator[tuple[int, int]]]

_RESTORE_RE = re.compile(r"[Xx] ?[Qq] ?([0-9]+|[Oo](?![A-Za-rt-z]))")
_BARE_RE = re.compile(r"(?<![A-Za-z0-9])[Xx] ?[Qq](?![A-Za-z0-9])")


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


@dataclass(frozen=True)
class ProtectedText:
    """A message with its spans replaced by placeholders.

    Attributes:
        original: The message as written.
        text: What the model gets: the message without its leading and trailing
            decorations, with ``XQ<i>`` in place of ``spans[i]``.
        spans: The protected spans inside :attr:`text`, by placeholder index.
        target: The language the text is being translated into.
        prefix: Decorations (emoji, hashtags, mentions, links) that open the message,
            with the whitespace after them; they never go through the model.
        suffix: Decorations that close the message, with the whitespace before them.
    """

    original: str
    text: str
    spans: tuple[Span, ...]
    target: Lang
    prefix: str = ""
    suffix: str = ""

    def restore(self, translated: str) -> str:
        """Put the spans (and the edge decorations) back into a translation of :attr:`text`."""
        body = restore(translated, self.spans, self.target)
        return _attach(self.prefix, body, self.suffix, self.target)


def placeholder(index: int) -> str:
    """The placeholder for span number ``index``."""
    return PLACEHOLDER.format(index)


def _glossary_pattern(glossary: Glossary, source: Lang) -> tuple[re.Pattern[str], dict[str, str]]:
    targets: dict[str, str] = {}
    for term in glossary.terms:
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
            (start > 0 and HAN_RE.match(text[start - 1]))
            or (end < len(text) and HAN_RE.match(text[end]))
        )
        if beside_han and digits < _LONG_DIGITS and ":" not in match.group():
            continue
        yield start, end


def _regex(pattern: re.Pattern[str]) -> _Finder:
    return lambda text: (m.span() for m in pattern.finditer(text))


def find_spans(
    text: str, *, source: Lang, glossary: Glossary | None = None
) -> list[tuple[int, int, Span]]:
    """Find the protected spans of a message.

    Earlier kinds win overlaps: a URL's path is not a hashtag, a hashtag is not
    cut by a glossary term inside it, a glossary term is not a foreign run.

    Args:
        text: The message.
        source: Its language (decides which script is "foreign").
        glossary: Terms to translate with the glossary instead of the model.

    Returns:
        ``(start, end, span)`` triples, sorted by position, not overlapping.
    """
    gloss_re, gloss_targets = _glossary_pattern(glossary or Glossary(), source)

    def gloss(match_text: str) -> str | None:
        return gloss_targets.get(match_text.casefold())

    passes: list[tuple[SpanKind, _Finder]] = [
        ("url", _url_matches),
        ("hashtag", _regex(HASHTAG_RE)),
        ("mention", _regex(MENTION_RE)),
        ("glossary", _regex(gloss_re)),
        ("lookalike", _regex(_LOOKALIKE_RE)),
        ("emoji", _regex(EMOJI_RE)),
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
            target = piece
            if kind in ("glossary", "hashtag"):
                target = gloss(piece) or piece
            found.append((start, end, Span(kind, piece, target)))
            claimed[start:end] = [True] * (end - start)
    found.sort(key=lambda item: item[0])
    return found


DECORATIONS: frozenset[SpanKind] = frozenset({"url", "mention", "hashtag", "emoji"})
"""Kinds that are not part of a sentence's grammar: at a message's edges they skip the model."""


def _edge_count(text: str, found: list[tuple[int, int, Span]], *, leading: bool) -> int:
    """How many decorations open (or close) the message, separated only by whitespace."""
    count = 0
    items = found if leading else list(reversed(found))
    pos = 0 if leading else len(text)
    for start, end, span in items:
        gap = text[pos:start] if leading else text[end:pos]
        if span.kind not in DECORATIONS or gap.strip():
            break
        count += 1
        pos = end if leading else start
    return count


def _attach(prefix: str, body: str, suffix: str, target: Lang) -> str:
    """Re-attach edge decorations: a space in English, the original spacing in Chinese."""
    if not body:
        return (prefix + suffix).strip()
    if prefix:
        prefix = prefix.rstrip() + " " if target == "en" else prefix
    if suffix:
        suffix = " " + suffix.lstrip() if target == "en" else suffix
    return (prefix + body + suffix).strip()


def protect(
    text: str, *, source: Lang, target: Lang, glossary: Glossary | None = None
) -> ProtectedText:
    """Replace a message's protected spans with placeholders.

    Decorations at the very start or end of the message ("好可爱😭😭",
    "@amy_ohio welcome!") are set aside instead: the model tends to drop a
    trailing placeholder, and they are not part of any sentence.

    Args:
        text: The message.
        source: Its language.
        target: The language it will be translated into.
        glossary: Term pairs to carry across as the target term.

    Returns:
        The text to give the model, and what :meth:`ProtectedText.restore` needs.
    """
    found = find_spans(text, source=source, glossary=glossary)
    n_lead = _edge_count(text, found, leading=True)
    n_trail = 0 if n_lead == len(found) else _edge_count(text, found, leading=False)
    inner = found[n_lead : len(found) - n_trail]
    body_start = found[n_lead - 1][1] if n_lead else 0
    body_end = found[len(found) - n_trail][0] if n_trail else len(text)
    if n_lead == len(found) and found and not text[body_start:].strip():
        body_end = body_start  # nothing but decorations
    # The edges keep their whitespace, so Chinese output can be re-attached as written.
    while body_start < body_end and text[body_start].isspace():
        body_start += 1
    while body_end > body_start and text[body_end - 1].isspace():
        body_end -= 1

    pieces: list[str] = []
    spans: list[Span] = []
    pos = body_start
    for start, end, span in inner:
        pieces.append(text[pos:start])
        token = placeholder(len(spans))
        # Glued to a Latin letter or digit, "loveXQ0" would tokenize as one odd word.
        if pieces[-1][-1:].isascii() and pieces[-1][-1:].isalnum():
            token = " " + token
        if end < len(text) and text[end].isascii() and text[end].isalnum():
            token += " "
        pieces.append(token)
        spans.append(span)
        pos = end
    pieces.append(text[pos:body_end])
    return ProtectedText(
        original=text,
        text="".join(pieces),
        spans=tuple(spans),
        target=target,
        prefix=text[:body_start],
        suffix=text[body_end:],
    )


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


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _join(left: str, piece: str, target: Lang) -> str:
    """Append ``piece`` to ``left``, with a space if two English words would touch."""
    if target == "en" and left and piece and _is_word_char(left[-1]) and _is_word_char(piece[0]):
        return left + " " + piece
    return left + piece


def _squeeze(model_text: str, before: str) -> str:
    """The model's text with runs of spaces collapsed (spans are never touched)."""
    model_text = re.sub(r"[ \t]{2,}", " ", model_text)
    return model_text.lstrip(" ") if before.endswith(" ") else model_text


def restore(translated: str, spans: tuple[Span, ...], target: Lang) -> str:
    """Replace the placeholders in a model's output with their spans.

    Args:
        translated: The model's output for :attr:`ProtectedText.text`.
        spans: The spans, by placeholder index.
        target: The output language (decides spacing).

    Returns:
        The translation with every span present exactly once.
    """
    if not spans:
        return translated
    used: set[int] = set()
    out = ""
    pos = 0
    for match in _RESTORE_RE.finditer(translated):
        resolved = _resolve_index(match.group(1), len(spans))
        if resolved is None:
            continue  # not one of ours: leave the text alone
        index, rest = resolved
        # Text after a span is glued as the model wrote it ("XQ0's", "XQ0s"); a span
        # after a word or another span gets a space in English ("XQ0XQ1" -> "IELTS TOEFL").
        out += _squeeze(translated[pos : match.start()], out)
        pos = match.end()
        span = spans[index]
        # "XQOs": a plural glued to an emoji or a URL is noise; to a name it is grammar.
        if translated[pos : pos + 1] == "s" and not span.target[-1:].isalnum():
            pos += 1
        if index in used:
            # Drop the repeat, and the space before it unless a word follows.
            if not _is_word_char(translated[pos : pos + 1]):
                out = out.rstrip(" ")
            continue
        used.add(index)
        out = _join(out, span.target + rest, target)
    out += _squeeze(translated[pos:], out)

    missing = [i for i in range(len(spans)) if i not in used]
    if missing:
        # A bare "XQ" lost its number; give it the first missing spans in order.
        bare = list(_BARE_RE.finditer(out))
        if bare and len(bare) <= len(missing):
            rebuilt, pos = "", 0
            for match, index in zip(bare, missing, strict=False):
                rebuilt += out[pos : match.start()] + spans[index].target
                pos = match.end()
                used.add(index)
            out = rebuilt + out[pos:]
            missing = [i for i in range(len(spans)) if i not in used]
    for index in missing:
        out = out.rstrip()
        separator = " " if target == "en" or not out else ""
        out = (out + separator + spans[index].target).strip()
    return out.strip()
