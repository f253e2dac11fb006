"""``python -m rednote_sim.bench NAME``: measure one part of rednote-sim.

The benches: translate, quality, glossary, slang, import, import-chat, lookup,
tui, classroom.

``translate`` times Argos's per-message path against our batched engine;
``quality`` checks what the service makes of every Chinese beat of the scenarios
and of held-out chat lines; ``glossary`` finds the glossary terms the model
translates right without a placeholder; ``slang`` checks each slang paraphrase
on its example; ``import`` shows that importing JSONL scales linearly;
``import-chat`` times a real chat's import, translation included, and measures
its memory; ``lookup`` times the dictionary index: building it once, opening it,
and each look-up; ``tui`` times the room (open, play, mount, scroll, keys,
search) at 100 to 50,000 messages; ``classroom`` starts a real host process and
N guests and measures guest-to-host latency and the host's CPU at N = 1, 10, 40.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rednote_sim.errors import UserError

if TYPE_CHECKING:
    from rednote_sim.domain import Cast
    from rednote_sim.translate.engine import ArgosEngine


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run a benchmark."""
    parser = argparse.ArgumentParser(prog="python -m rednote_sim.bench")
    sub = parser.add_subparsers(dest="bench", required=True)
    tr = sub.add_parser("translate", help="Argos per-message vs our batched engine")
    tr.add_argument("--repeat", type=int, default=3, help="timed passes per path (best is kept)")
    tr.add_argument("--limit", type=int, default=None, help="use only the first N lines")
    tr.add_argument(
        "--argos-hypotheses",
        type=int,
        default=1,
        help="num_hypotheses for Argos's path (1 is what argostranslate's translate() uses)",
    )
    tr.add_argument(
        "--skip-argos-defaults",
        action="store_true",
        help="do not also time Argos with its own default thread settings",
    )
    qu = sub.add_parser("quality", help="every Chinese beat of the scenarios, checked")
    qu.add_argument(
        "--personas", type=Path, default=None, help="personas directory (default: settings)"
    )
    qu.add_argument("--all", action="store_true", help="print every line, not only problems")
    tu = sub.add_parser("tui", help="the room's costs at 100, 2,000 and 50,000 messages")
    tu.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=None,
        help="comma-separated session sizes (default: 100,2000,50000)",
    )
    tu.add_argument("--repeat", type=int, default=7, help="presses per key figure (median)")
    tu.add_argument("--rounds", type=int, default=3, help="times each size is measured")
    im = sub.add_parser("import", help="JSONL import at N and 2N phrasebook records")
    im.add_argument("--records", type=int, default=30_000, help="N (default 30,000)")
    lo = sub.add_parser("lookup", help="dictionary: build the index once, then look-ups")
    lo.add_argument("--repeat", type=int, default=20, help="passes over the test words")
    ch = sub.add_parser("import-chat", help="a chat import with translation, and its memory")
    ch.add_argument(
        "--messages", type=int, default=2_000, help="messages imported with the model (2,000)"
    )
    ch.add_argument(
        "--memory-messages",
        type=int,
        default=100_000,
        help="messages imported without a model to measure memory (100,000; 0 skips)",
    )
    qu.add_argument(
        "--no-slang", action="store_true", help="translate without the slang paraphrases"
    )
    gl = sub.add_parser("glossary", help="which glossary terms the model translates unaided")
    sl = sub.add_parser("slang", help="each slang paraphrase on its example, with and without")
    for bench in (gl, sl):
        bench.add_argument(
            "--personas", type=Path, default=None, help="personas directory (default: settings)"
        )
    for bench in (tr, qu, ch, gl, sl):  # options the benches that use the model share
        bench.add_argument(
            "--model",
            type=Path,
            default=None,
            help="a zh->en .argosmodel, a directory of them, or a package directory "
            "(default: the installed zh->en package, else ../shared/models)",
        )
        bench.add_argument(
            "--beam", type=int, default=None, help="beam size (default: settings, 2)"
        )
    cl = sub.add_parser("classroom", help="a host and N guests: latency and host CPU")
    cl.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=None,
        help="comma-separated guest counts (default: 1,10,40)",
    )
    cl.add_argument("--seconds", type=float, default=10.0, help="seconds per round (10)")
    args = parser.parse_args(argv)
    if args.bench == "classroom":
        from rednote_sim.bench import classroom_bench

        sizes = args.sizes or list(classroom_bench.SIZES)
        print(classroom_bench.report(classroom_bench.run(sizes, max(1.0, args.seconds))))
        return 0
    if args.bench == "quality":
        return _quality(args)
    if args.bench == "lookup":
        from rednote_sim.bench import lookup_bench

        print(lookup_bench.report(lookup_bench.run(max(1, args.repeat))))
        return 0
    if args.bench == "import-chat":
        return _import_chat(args)
    if args.bench == "import":
        from rednote_sim.bench import import_bench

        print(import_bench.report(import_bench.run(max(1, args.records))))
        return 0
    if args.bench == "glossary":
        return _glossary(args)
    if args.bench == "slang":
        return _slang(args)
    if args.bench == "tui":
        return _tui(args)

    from rednote_sim.bench.translate_bench import load_lines, report, resolve_package, run
    from rednote_sim.settings import Settings

    settings = Settings()
    beam = args.beam or settings.beam_size
    try:
        with resolve_package(args.model, settings.models_dir) as package:
            result = run(
                package,
                load_lines(args.limit),
                beam_size=beam,
                repeat=max(1, args.repeat),
                argos_hypotheses=args.argos_hypotheses,
                argos_default_threads=not args.skip_argos_defaults,
                log=lambda msg: print(msg, file=sys.stderr),
            )
            print(report(result, package, args.argos_hypotheses))
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _import_chat(args: argparse.Namespace) -> int:
    from rednote_sim.bench import chat_bench
    from rednote_sim.bench.translate_bench import load_lines, resolve_package
    from rednote_sim.settings import Settings

    settings = Settings()
    lines = load_lines()
    speed = None
    try:
        if args.messages > 0:
            with resolve_package(args.model, settings.models_dir) as package:
                speed = chat_bench.run_speed(
                    package, args.messages, lines, args.beam or settings.beam_size
                )
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    memory = chat_bench.run_memory(args.memory_messages, lines) if args.memory_messages else None
    print(chat_bench.report(speed, memory))
    return 0


def _with_engine(args: argparse.Namespace, work: Callable[[ArgosEngine, Cast], str]) -> int:
    """Load the content and the zh->en engine, print what ``work`` reports."""
    from rednote_sim.bench.translate_bench import resolve_package
    from rednote_sim.content import load_cast
    from rednote_sim.settings import Settings
    from rednote_sim.translate.engine import ArgosEngine

    settings = Settings()
    try:
        cast = load_cast(args.personas or settings.personas_dir)
        with resolve_package(args.model, settings.models_dir) as package:
            engine = ArgosEngine(package, beam_size=args.beam or settings.beam_size)
            print(work(engine, cast))
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _quality(args: argparse.Namespace) -> int:
    from rednote_sim.bench.quality_bench import report, run

    def work(engine: ArgosEngine, cast: Cast) -> str:
        result = run(engine.package, cast, engine=engine, slang=not args.no_slang)
        return report(result, show_all=args.all)

    return _with_engine(args, work)


def _glossary(args: argparse.Namespace) -> int:
    from rednote_sim.bench import glossary_bench

    return _with_engine(
        args, lambda engine, cast: glossary_bench.report(glossary_bench.run(engine, cast.glossary))
    )


def _slang(args: argparse.Namespace) -> int:
    from rednote_sim.bench import slang_bench

    def work(engine: ArgosEngine, cast: Cast) -> str:
        return slang_bench.report(slang_bench.run(engine, cast.glossary, cast.slang), cast.slang)

    return _with_engine(args, work)


def _tui(args: argparse.Namespace) -> int:
    from rednote_sim.bench.tui_bench import SIZES, report, run

    results = run(
        args.sizes or SIZES,
        repeat=max(1, args.repeat),
        rounds=max(1, args.rounds),
        log=lambda msg: print(msg, file=sys.stderr),
    )
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
