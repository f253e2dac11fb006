"""Suite-wide set-up: isolated XDG/Argos dirs, the network guard, the real model.

Environment variables are set at import time of this file, before any test
module imports argostranslate (which reads and creates its XDG directories
when imported).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_TMP = Path(tempfile.mkdtemp(prefix="rnsim-tests-"))

for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_TMP / _var.lower())
# The user's own models and database are never touched by the tests.
os.environ["ARGOS_PACKAGES_DIR"] = str(_TMP / "argos-packages-empty")
os.environ["RNSIM_MODELS_DIR"] = str(_TMP / "argos-packages-empty")
os.environ["RNSIM_DB"] = str(_TMP / "default.db")
# Subprocesses import tests/netguard/sitecustomize.py and cannot reach the network.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(ROOT / "tests" / "netguard"), str(ROOT), os.environ.get("PYTHONPATH")) if p
)

SHARED_MODELS = Path(os.environ.get("RNSIM_SHARED_MODELS", ROOT.parent / "shared" / "models"))
ZH_EN_PACKAGE = SHARED_MODELS / "translate-zh_en-1_9.argosmodel"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def zh_en_package_file() -> Path:
    """The official Argos zh->en package; missing is a failure under CI=true."""
    if not ZH_EN_PACKAGE.is_file():
        message = (
            f"the Argos zh->en package is missing: {ZH_EN_PACKAGE} "
            "(set RNSIM_SHARED_MODELS to the folder holding translate-zh_en-1_9.argosmodel)"
        )
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return ZH_EN_PACKAGE


@pytest.fixture(scope="session")
def personas_dir() -> Path:
    """The project's real personas/ directory."""
    return ROOT / "personas"


@pytest.fixture
def content(tmp_path: Path, personas_dir: Path) -> Path:
    """A writable copy of the real personas/ directory."""
    import shutil

    target = tmp_path / "personas"
    shutil.copytree(personas_dir, target)
    return target


# --- workshop mode: a recorded, annotated session on a real SQLite file ----------------------

HOSTILE_TEXT = (
    '<script>alert("x")</script> & &amp; <b>bold</b> **md** [link](http://x.test) '
    "{{Chinese}} [red]markup[/red]\n# not a heading\n> not a quote"
)
"""A user message that looks like HTML, Markdown, Anki templates and Rich markup."""

LONG_URL = "https://example.com/" + "x" * 400
LONG_ZH = "哈" * 300 + "小红书"


class WorkshopSession:
    """What :func:`workshop_session` recorded (ids and texts the tests look for)."""

    def __init__(self, db: Path, session_id: str, note: str) -> None:
        self.db = db
        self.session_id = session_id
        self.note = note


def machine_text(reference: str) -> str:
    """Stand-in Argos output for a scripted Chinese line (the real model is not needed here)."""
    return f"MT says: {reference}"


async def build_workshop_session(db: Path, personas: Path, scenario_id: str = "arrival") -> str:
    """Record ``scenario_id`` beat by beat through the Store and annotate it like a class would.

    Chinese lines get a labelled machine translation (``machine_text``), English
    lines the scenario's reference (engine ``script``, as when en->zh has no
    model); then two user messages with hostile and very long text, reactions,
    markers, a note, phrasebook entries, MT-error marks and quiz answers.
    """
    from datetime import UTC, datetime

    from rednote_sim.content import load_cast
    from rednote_sim.domain import Marker, Message, Reaction, Translation
    from rednote_sim.store import Store
    from rednote_sim.store.workshop_repo import WorkshopRepo
    from rednote_sim.workshop.vocab import make_entry

    cast = load_cast(personas)
    scenario = cast.scenarios[scenario_id]
    created = datetime(2025, 1, 14, 9, 30, tzinfo=UTC)
    async with await Store.open(db) as store:
        session = await store.create_session(
            scenario.id, title=scenario.title, seed=1, created_at=created
        )
        sid = session.id
        seqs: dict[str, int] = {}
        messages: list[Message] = []
        for seq, beat in enumerate(scenario.beats, start=1):
            persona = cast.personas[beat.persona]
            message = Message(
                session=sid,
                seq=seq,
                t=beat.at,
                persona=persona.id,
                name=persona.name,
                lang=persona.language,
                text=beat.text,
                reply_to=seqs.get(beat.reply_to) if beat.reply_to else None,
                reference=beat.reference or None,
                beat=beat.key,
            )
            await store.add_message(message)
            if persona.language == "zh":
                translation = Translation(
                    lang="en", text=machine_text(beat.reference), engine="argos:translate-zh_en@1.9"
                )
            else:
                translation = Translation(lang="zh", text=beat.reference, engine="script")
            await store.set_translation(sid, seq, translation, None)
            messages.append(message.model_copy(update={"translation": translation}))
            seqs[beat.key or ""] = seq
            for emoji, count in beat.reactions.items():
                await store.add_reaction(
                    Reaction(session=sid, seq=seq, emoji=emoji, count=count, t=beat.at + 1)
                )
            if beat.marker:
                await store.add_marker(
                    Marker(session=sid, t=beat.at, label=beat.marker, seq=seq, kind="scenario")
                )
        last_t = messages[-1].t
        hostile = Message(
            session=sid,
            seq=len(messages) + 1,
            t=last_t + 5,
            persona="you",
            name="You <b>",
            lang="en",
            text=HOSTILE_TEXT + " " + LONG_URL,
        )
        await store.add_message(hostile)
        await store.set_translation(sid, hostile.seq, None, "no en→zh model installed")
        long_zh = Message(
            session=sid,
            seq=hostile.seq + 1,
            t=last_t + 9,
            persona="you",
            name="You",
            lang="zh",
            text=LONG_ZH,
        )
        await store.add_message(long_zh)
        await store.set_translation(
            sid,
            long_zh.seq,
            Translation(
                lang="en", text="Ha" * 300 + " RedNote", engine="argos:translate-zh_en@1.9"
            ),
            None,
        )
        note = "Workshop 3 — <group B> & friends\nFocus: slang, 救命"
        await store.set_session_note(sid, note)

        repo = WorkshopRepo.of(store)
        await store.add_marker(
            Marker(
                session=sid,
                t=messages[5].t + 1,
                label="talk about 救命",
                seq=messages[5].seq,
                kind="user",
            )
        )
        by_key = {m.beat: m for m in messages}
        eyes, migration = by_key["eyes"], by_key["migration"]
        at = datetime(2025, 1, 14, 10, 0, tzinfo=UTC)
        for term, user in (("救命", "help! / OMG"), ("小红书", None), ("看不懂", None)):
            await repo.save_vocab(
                make_entry(eyes, term, glossary=cast.glossary, user_translation=user, at=at)
            )
        await repo.save_vocab(
            make_entry(migration, "lmfaooo", glossary=cast.glossary, user_translation="笑死", at=at)
        )
        await repo.save_vocab(make_entry(migration, "hilarious", glossary=cast.glossary, at=at))
        await repo.save_vocab(
            make_entry(hostile, "<b>bold</b>", glossary=cast.glossary, user_translation="<i>粗</i>")
        )
        await repo.mark_mt_error(sid, eyes.seq, "drops 'I woke up' & <the feed>", at=at)
        zh_lines = [m for m in messages if m.lang == "zh"]
        await repo.mark_mt_error(sid, zh_lines[1].seq, at=at)
        await repo.add_quiz_answer(sid, eyes.seq, "Help! My RedNote is all English", at=at)
        await repo.add_quiz_answer(sid, eyes.seq, "Save me, <English> everywhere & more", at=at)
    return sid


@pytest.fixture
def workshop_session(tmp_path: Path, personas_dir: Path) -> WorkshopSession:
    """A fresh database holding one annotated 'arrival' session (see build_workshop_session)."""
    import asyncio

    db = tmp_path / "workshop.db"
    session_id = asyncio.run(build_workshop_session(db, personas_dir))
    return WorkshopSession(db, session_id, "Workshop 3 — <group B> & friends\nFocus: slang, 救命")


# --- translation: installed models for the translation tests -------------------------------


@pytest.fixture(scope="session")
def zh_en_models_dir(zh_en_package_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models dir holding the official zh->en package, installed by our own installer."""
    from rednote_sim.translate.packages import install_from

    models_dir = tmp_path_factory.mktemp("models-zh-en")
    install_from(zh_en_package_file, models_dir)
    return models_dir


@pytest.fixture(scope="session")
def tiny_en_zh_package_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny but real en->zh ``.argosmodel`` built for this session (random weights)."""
    from tests.support.tiny_model import build_argosmodel

    return build_argosmodel(tmp_path_factory.mktemp("tiny-en-zh"))


@pytest.fixture(scope="session")
def tiny_en_zh_models_dir(
    tiny_en_zh_package_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A models dir where the tiny en->zh package was installed with the CLI, like a real one."""
    from click.testing import CliRunner

    from rednote_sim.cli import cli

    models_dir = tmp_path_factory.mktemp("models-en-zh")
    result = CliRunner().invoke(
        cli,
        ["models", "install", "--from", str(tiny_en_zh_package_file), "--quiet"],
        env={"RNSIM_MODELS_DIR": str(models_dir)},
    )
    assert result.exit_code == 0, result.output
    return models_dir


@pytest.fixture(scope="session")
def both_models_dir(
    zh_en_package_file: Path,
    tiny_en_zh_package_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """A models dir with the official zh->en package and the tiny en->zh one: both directions."""
    from rednote_sim.translate.packages import install_from

    models_dir = tmp_path_factory.mktemp("models-both")
    install_from(zh_en_package_file, models_dir)
    install_from(tiny_en_zh_package_file, models_dir)
    return models_dir
