"""Loading and validating the ``personas/`` directory.

Layout (see the README; docs/ARCHITECTURE.md for where content is used)::

    personas/
      cast/<id>.toml          one persona per file
      scenarios/<id>.toml     one scenario per file, [[beats]] and optional [[responders]]
      responders.toml         optional room-wide [[responders]]
      glossary.toml           [[terms]] en = "..." zh = "..."
      slang.toml              optional [[slang]] term = "..." lang = "zh" gloss = "..." note = "..."

Every problem is reported as one :class:`~rednote_sim.errors.Problem` naming the
file, the line (when it can be found) and the field, with a fix. Validation
collects all problems instead of stopping at the first, so an author can fix a
whole directory in one pass.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from rednote_sim.domain import (
    Beat,
    Cast,
    Glossary,
    Persona,
    Responder,
    Scenario,
    SlangEntry,
    SlangLexicon,
)
from rednote_sim.errors import ContentError, Problem
from rednote_sim.glyphs import wide_emoji
from rednote_sim.safefiles import MAX_CONTENT_BYTES, FileProblem, read_text
from rednote_sim.textsafe import visible

M = TypeVar("M", bound=BaseModel)

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")

_FIXES = {
    "at": 'write seconds from the start, e.g. at = 12 or at = "1:05"',
    "reactions": 'write reactions = { "❤️" = 12 } with counts of 1 or more',
    "typing_speed": "use characters per second between 0 and 50, e.g. typing_speed = 6",
}

_MISSING_FIXES = {
    "reference": 'add `reference = "..."`: the human translation into the other language',
}


class _Locator:
    """Finds the line of a field in TOML text, for error messages.

    tomllib keeps no positions, so this scans the text: the N-th ``[[table]]``
    header for list items, then the ``key =`` line inside that section.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def _section_bounds(self, table: str, index: int) -> tuple[int, int] | None:
        header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
        seen = -1
        for n, line in enumerate(self.lines):
            if header.match(line):
                seen += 1
                if seen == index:
                    end = n + 1
                    while end < len(self.lines) and not self.lines[end].lstrip().startswith("["):
                        end += 1
                    return n, end
        return None

    def _key_line(self, key: str, start: int, end: int) -> int | None:
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        for n in range(start, end):
            if pattern.match(self.lines[n]):
                return n + 1
        return None

    def find(self, loc: Sequence[int | str]) -> int | None:
        """1-based line for a pydantic ``loc`` tuple, or None when not found."""
        if not loc:
            return None
        if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
            bounds = self._section_bounds(loc[0], loc[1])
            if bounds is None:
                return self._key_line(loc[0], 0, len(self.lines))
            start, end = bounds
            if len(loc) >= 3 and isinstance(loc[2], str):
                return self._key_line(loc[2], start + 1, end) or start + 1
            return start + 1
        first_header = next(
            (n for n, line in enumerate(self.lines) if line.lstrip().startswith("[")),
            len(self.lines),
        )
        return self._key_line(str(loc[0]), 0, first_header)


def _field_path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _explain(error: Any, model: type[BaseModel]) -> tuple[str, str]:
    """Turn one pydantic error into (message, fix) a content author understands."""
    kind = error["type"]
    field = str(error["loc"][-1]) if error["loc"] else ""
    if kind == "missing":
        return "required field is missing", _MISSING_FIXES.get(field, f"add `{field} = ...`")
    if kind == "extra_forbidden":
        return "unknown field", "remove it or correct its spelling"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{error['input']!r} is not allowed", f"use one of {expected}"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty", "write some text or remove the entry"
    if kind == "string_pattern_mismatch":
        return (
            f"{error['input']!r} is not a valid id",
            "use lower-case letters, digits, '-' or '_'",
        )
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        return message, _FIXES.get(field, "correct the value")
    if kind in (
        "float_parsing",
        "float_type",
        "int_parsing",
        "int_type",
        "greater_than",
        "less_than_equal",
        "greater_than_equal",
    ):
        return str(error["msg"]).lower(), _FIXES.get(field, "correct the value")
    return str(error["msg"]), "correct the value"


def _read_toml(path: Path) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    """Read and parse one TOML file; problems instead of exceptions."""
    try:
        text = read_text(path, max_bytes=MAX_CONTENT_BYTES, what="TOML file")
    except FileProblem as exc:
        return None, "", [Problem(path, exc.line, "", exc.reason, exc.fix)]
    try:
        return tomllib.loads(text), text, []
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line L, column C)" or "(at end of document)".
        message = str(exc)
        line = column = None
        match = _TOML_POSITION.search(message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()].rstrip()
        elif message.endswith("(at end of document)"):
            line = max(1, len(text.splitlines()))
            message = (
                message.removesuffix("(at end of document)").rstrip() + " at the end of the file"
            )
        problem = Problem(path, line, "", f"invalid TOML: {message}", "fix the syntax", column)
        return None, text, [problem]


def _validate(
    model: type[M], data: dict[str, Any], path: Path, text: str, prefix: tuple[int | str, ...] = ()
) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        locator = _Locator(text)
        problems = []
        for error in exc.errors():
            loc = (*prefix, *error["loc"])
            message, fix = _explain(error, model)
            problems.append(Problem(path, locator.find(loc), _field_path(loc), message, fix))
        return None, problems


def _code_points(text: str) -> str:
    return " ".join(f"U+{ord(char):04X}" for char in text)


def _toml_files(directory: Path) -> list[Path]:
    # Everything named *.toml, also directories and broken links: reading them
    # reports what they are, instead of silently skipping a file the author meant.
    return sorted(directory.glob("*.toml")) if directory.is_dir() else []


def _exists(path: Path) -> bool:
    """True for anything at ``path``, a dangling symbolic link included."""
    return os.path.lexists(path)


def _no_files(directory: Path, kind: str, pattern: str) -> Problem:
    if _exists(directory) and not directory.is_dir():
        return Problem(
            directory, None, "", "is not a directory", f"make it a folder of {pattern} files"
        )
    return Problem(directory, None, "", f"no {kind} files", f"add {pattern} files")


def _clock(seconds: float) -> str:
    whole = int(seconds)
    rest = seconds - whole
    return f"{whole // 60}:{whole % 60:02d}" + (f"{rest:.2f}".lstrip("0") if rest else "")


class _Loader:
    """Collects models and problems over a whole directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.texts: dict[Path, str] = {}
        # Ids of persona files that failed to load: beats naming them are not
        # reported again as "unknown persona" (the file's own problem says it all).
        self.broken_persona_ids: set[str] = set()

    def read(self, path: Path) -> dict[str, Any] | None:
        data, text, problems = _read_toml(path)
        self.texts[path] = text
        self.problems += problems
        return data

    def problem(
        self,
        path: Path,
        loc: Sequence[int | str],
        message: str,
        fix: str,
        *,
        line: int | None = None,
    ) -> None:
        if line is None:
            line = _Locator(self.texts.get(path, "")).find(loc)
        self.problems.append(Problem(path, line, _field_path(loc), message, fix))

    def known_persona(
        self, path: Path, loc: Sequence[int | str], persona: str, known: Iterable[str]
    ) -> None:
        """Report ``persona`` at ``loc`` unless it is one of ``known``."""
        if persona not in known:
            self.problem(
                path,
                loc,
                f"unknown persona {persona!r}",
                f"add cast/{persona}.toml or use an existing persona id",
            )

    def personas(self) -> dict[str, tuple[Persona, Path]]:
        found: dict[str, tuple[Persona, Path]] = {}
        cast_dir = self.root / "cast"
        files = _toml_files(cast_dir)
        if not files:
            self.problems.append(_no_files(cast_dir, "persona", "cast/<id>.toml"))
        for path in files:
            data = self.read(path)
            persona, problems = (
                (None, []) if data is None else _validate(Persona, data, path, self.texts[path])
            )
            self.problems += problems
            if persona is None:
                self.broken_persona_ids.add(path.stem)
                continue
            if persona.id in found:
                other = found[persona.id][1]
                self.problem(
                    path,
                    ("id",),
                    f"duplicate persona id {persona.id!r} (also in {other})",
                    "give each persona its own id",
                )
                continue
            if path.stem != persona.id:
                self.problem(
                    path,
                    ("id",),
                    f"id {persona.id!r} does not match the file name",
                    f"rename the file to {persona.id}.toml or change the id",
                )
            if not wide_emoji(persona.avatar):
                self.problem(
                    path,
                    ("avatar",),
                    f"avatar {visible(persona.avatar)} ({_code_points(persona.avatar)})"
                    " has no width all terminals agree on",
                    "use one emoji that is wide on its own, e.g. 🐱 🔍 🌏"
                    " (no U+FE0F variation selector as in 🕵️, no ZWJ sequence as in 🙋‍♂️)",
                )
            found[persona.id] = (persona, path)
        return found

    def responders(
        self, path: Path, data: dict[str, Any], personas: Iterable[str]
    ) -> list[Responder]:
        known = set(personas)
        out: list[Responder] = []
        raw = data.get("responders", [])
        if not isinstance(raw, list):
            self.problem(
                path,
                ("responders",),
                "must be an array of tables",
                "write each responder as [[responders]]",
            )
            return out
        for i, item in enumerate(raw):
            responder, problems = _validate(
                Responder, item, path, self.texts[path], ("responders", i)
            )
            self.problems += problems
            if responder is None:
                continue
            self.known_persona(path, ("responders", i, "persona"), responder.persona, known)
            out.append(responder)
        return out

    def scenario(self, path: Path, personas: set[str]) -> Scenario | None:
        data = self.read(path)
        if data is None:
            return None
        # Beats are checked one by one so that one bad beat does not hide the
        # cross-reference problems (unknown persona, dangling reply_to) of the
        # rest. Problems keep the authored index of each beat, and nothing is
        # reported again about a beat that already has a problem of its own:
        # one bad beat, one error.
        raw_beats = data.get("beats")
        indices: list[int] = []  # authored index of each valid beat
        broken_keys: set[str] = set()
        if isinstance(raw_beats, list) and raw_beats:
            valid: list[dict[str, Any]] = []
            for i, item in enumerate(raw_beats):
                beat, problems = _validate(Beat, item, path, self.texts[path], ("beats", i))
                self.problems += problems
                if beat is None:
                    raw_key = item.get("key") if isinstance(item, dict) else None
                    broken_keys.add(raw_key if isinstance(raw_key, str) else f"b{i + 1}")
                    continue
                indices.append(i)
                valid.append(beat.model_copy(update={"key": beat.key or f"b{i + 1}"}).model_dump())
            # With no valid beat left, [{}] still fails (as it should) and its
            # already-reported errors are filtered out below.
            data = {**data, "beats": valid or [{}]}
        scenario, problems = _validate(Scenario, data, path, self.texts[path])
        self.problems += [p for p in problems if not p.field.startswith("beats[")]
        if scenario is None:
            return None
        if path.stem != scenario.id:
            self.problem(
                path,
                ("id",),
                f"id {scenario.id!r} does not match the file name",
                f"rename the file to {scenario.id}.toml or change the id",
            )
        beats = list(zip(indices, scenario.beats, strict=True))
        self._check_beats(path, beats, personas, broken_keys)
        for i, responder in enumerate(scenario.responders):
            self.known_persona(path, ("responders", i, "persona"), responder.persona, personas)
        return scenario

    def _check_beats(
        self, path: Path, beats: list[tuple[int, Beat]], personas: set[str], broken: set[str]
    ) -> None:
        """Cross-beat rules: unique keys, known personas, time order, replies to earlier beats.

        ``beats`` pairs each valid beat with its authored index; ``broken`` holds
        the keys of beats that failed on their own (not reported again here).
        """
        keys: dict[str, int] = {}
        previous: tuple[int, Beat] | None = None
        for i, beat in beats:
            key = beat.key or ""
            if key in keys:
                self.problem(
                    path,
                    ("beats", i, "key"),
                    f"duplicate beat key {key!r}",
                    "give each beat its own key",
                )
            keys.setdefault(key, i)
            self.known_persona(path, ("beats", i, "persona"), beat.persona, personas)
            if previous is not None and beat.at < previous[1].at:
                self.problem(
                    path,
                    ("beats", i, "at"),
                    f"{_clock(beat.at)} is earlier than the beat before it "
                    f"(beats[{previous[0]}] at {_clock(previous[1].at)})",
                    "keep the beats in time order: move this beat or change one of the times",
                )
            previous = (i, beat)
        for i, beat in beats:
            if beat.reply_to is None or beat.reply_to in broken:
                continue
            target = keys.get(beat.reply_to)
            if target is None:
                self.problem(
                    path,
                    ("beats", i, "reply_to"),
                    f"reply_to names no beat: {beat.reply_to!r}",
                    "use the key of another beat in this scenario",
                )
            elif target >= i:
                self.problem(
                    path,
                    ("beats", i, "reply_to"),
                    f"replies to {beat.reply_to!r}, which is not posted before it",
                    "reply to an earlier beat or move this beat later",
                )

    def glossary(self) -> Glossary:
        path = self.root / "glossary.toml"
        if not _exists(path):
            self.problems.append(
                Problem(
                    path,
                    None,
                    "",
                    "glossary file is missing",
                    "create glossary.toml with [[terms]] en = .. zh = ..",
                )
            )
            return Glossary()
        data = self.read(path)
        if data is None:
            return Glossary()
        glossary, problems = _validate(Glossary, data, path, self.texts[path])
        self.problems += problems
        return glossary or Glossary()

    def slang(self, path: Path) -> SlangLexicon:
        """The slang lexicon; a missing file is an empty lexicon (it is optional)."""
        if not path.is_file():
            return SlangLexicon()
        data = self.read(path)
        if data is None:
            return SlangLexicon()
        raw = data.get("slang", [])
        unknown = sorted(set(data) - {"slang"})
        for key in unknown:
            self.problem(path, (key,), "unknown field", "only [[slang]] tables belong here")
        if not isinstance(raw, list):
            self.problem(path, ("slang",), "must be an array of tables", "write [[slang]] entries")
            return SlangLexicon()
        entries = []
        seen: dict[tuple[str, str], int] = {}
        for i, item in enumerate(raw):
            entry, problems = _validate(SlangEntry, item, path, self.texts[path], ("slang", i))
            self.problems += problems
            if entry is None:
                continue
            for form in entry.forms:
                said = (entry.lang, form if entry.lang == "zh" else form.casefold())
                if said in seen:
                    self.problem(
                        path,
                        ("slang", i, "term"),
                        f"{form!r} is also entry {seen[said] + 1} of this file",
                        "keep one entry per term (put other spellings in variants)",
                    )
                seen.setdefault(said, i)
            entries.append(entry)
        return SlangLexicon(slang=entries)


def validate_slang(path: Path) -> tuple[SlangLexicon | None, list[Problem]]:
    """Load and check one slang file (see :mod:`rednote_sim.slang`)."""
    loader = _Loader(path.parent)
    lexicon = loader.slang(path)
    return (None, loader.problems) if loader.problems else (lexicon, [])


def validate_dir(root: Path) -> tuple[Cast | None, list[Problem]]:
    """Load and check a whole ``personas/`` directory.

    Args:
        root: The directory.

    Returns:
        The cast (None when anything is wrong) and every problem found.
    """
    loader = _Loader(root)
    if not root.is_dir():
        return None, [Problem(root, None, "", "not a directory", "pass the personas/ directory")]
    found = loader.personas()
    personas = {pid: p for pid, (p, _) in found.items()}
    scenarios: dict[str, Scenario] = {}
    scenario_paths: dict[str, Path] = {}
    scenario_files = _toml_files(root / "scenarios")
    if not scenario_files:
        loader.problems.append(_no_files(root / "scenarios", "scenario", "scenarios/<id>.toml"))
    for path in scenario_files:
        scenario = loader.scenario(path, set(personas) | loader.broken_persona_ids)
        if scenario is None:
            continue
        if scenario.id in scenarios:
            loader.problem(
                path,
                ("id",),
                f"duplicate scenario id {scenario.id!r} (also in {scenario_paths[scenario.id]})",
                "give each scenario its own id",
            )
            continue
        scenarios[scenario.id] = scenario
        scenario_paths[scenario.id] = path
    responders: list[Responder] = []
    responders_path = root / "responders.toml"
    if _exists(responders_path):
        data = loader.read(responders_path)
        if data is not None:
            unknown = set(data) - {"responders"}
            for key in sorted(unknown):
                loader.problem(
                    responders_path,
                    (key,),
                    "unknown field",
                    "only [[responders]] tables belong here",
                )
            responders = loader.responders(
                responders_path, data, set(personas) | loader.broken_persona_ids
            )
    glossary = loader.glossary()
    slang = loader.slang(root / "slang.toml")
    if loader.problems:
        return None, loader.problems
    cast = Cast(
        personas=personas,
        scenarios=scenarios,
        glossary=glossary,
        responders=responders,
        slang=slang,
    )
    return cast, []


def load_cast(root: Path) -> Cast:
    """Load a ``personas/`` directory, or raise :class:`ContentError` listing every problem."""
    cast, problems = validate_dir(root)
    if cast is None:
        raise ContentError(problems)
    return cast
