"""Shared pieces of the CLI: the root group with its error policy, common options."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sys
import traceback
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from rednote_sim.errors import UserError
from rednote_sim.settings import DEFAULT_SCENARIO, Settings
from rednote_sim.textsafe import visible

if TYPE_CHECKING:
    from rednote_sim.tui import TuiRun

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class RootGroup(click.Group):
    """The top-level group.

    Error policy (docs/ARCHITECTURE.md): bad input exits 2 with one line per
    problem, an internal error exits 1 with one line; tracebacks only with
    ``--debug`` (or ``RNSIM_DEBUG=1``). With no sub-command it runs ``demo``.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(invoke_without_command=True, callback=self._run_default, **kwargs)
        self.params.append(
            click.Option(["--debug"], is_flag=True, help="Show tracebacks for internal errors.")
        )

    @staticmethod
    def _run_default(debug: bool) -> None:
        ctx = click.get_current_context()
        ctx.ensure_object(dict)["debug"] = debug
        if ctx.invoked_subcommand is None:
            demo = (
                ctx.command.get_command(ctx, "demo")
                if isinstance(ctx.command, click.Group)
                else None
            )
            if demo is not None:
                ctx.invoke(demo)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the sub-command (or ``demo``), applying the error policy."""
        try:
            return super().invoke(ctx)
        except UserError as exc:
            # Messages quote file names and values from files: shown as text, never control.
            for line in str(exc).splitlines() or [type(exc).__name__]:
                click.echo(f"error: {visible(line)}", err=True)
            if _debug(ctx):
                traceback.print_exc()
            ctx.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            ctx.exit(130)
        except Terminated:
            ctx.exit(Terminated.exit_code)
        except BrokenPipeError:
            # The reader went away (`rednote-sim sessions | head`): stop quietly like
            # other pipeline tools, with the shell's code for SIGPIPE. Pointing stdout at
            # /dev/null keeps the interpreter's final flush from failing again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except Exception as exc:
            if _debug(ctx):
                traceback.print_exc()
            else:
                click.echo(
                    f"internal error: {type(exc).__name__}: {visible(str(exc))} "
                    "(rerun with --debug for details)",
                    err=True,
                )
            ctx.exit(1)


def _debug(ctx: click.Context) -> bool:
    """``--debug``, or ``RNSIM_DEBUG`` once the run's settings have been read."""
    settings = (ctx.obj or {}).get("settings")
    return bool(ctx.params.get("debug")) or (isinstance(settings, Settings) and settings.debug)


def environment_settings() -> Settings:
    """The run's settings as the environment gives them, read once per command line.

    The root command keeps them (with ``--debug`` applied) for every command it
    runs; outside a command line they are read afresh.

    Raises:
        UserError: Naming the ``RNSIM_*`` variable whose value is not valid.
    """
    ctx = click.get_current_context(silent=True)
    shared = ctx.find_root().ensure_object(dict) if ctx is not None else {}
    settings = shared.get("settings")
    if not isinstance(settings, Settings):
        settings = _read_settings(debug=bool(shared.get("debug")))
        shared["settings"] = settings
    return settings


def settings_from(db: Path | None = None) -> Settings:
    """The run's settings (:func:`environment_settings`), with ``--db`` applied.

    Raises:
        UserError: Naming the ``RNSIM_*`` variable whose value is not valid.
    """
    settings = environment_settings()
    return settings.model_copy(update={"db": db}) if db is not None else settings


def ended(settings: Settings, ran: TuiRun, seed: int, *, hand_out: bool = False) -> None:
    """After the TUI: say where a live session was saved, then exit with the app's code.

    The hints repeat ``--db`` when the session is not in the database a plain
    command opens; a workshop's also say how to hand it out.
    """
    if ran.session_id is not None:
        sid = ran.session_id
        db = "" if settings.db == environment_settings().db else f" --db {settings.db}"
        click.echo(
            f"session {sid} saved to {settings.db} (seed {seed}); "
            f"replay it with: rednote-sim replay {sid}{db}",
            err=True,
        )
        if hand_out:
            click.echo(
                f"hand it out with: rednote-sim export {sid} --format html{db} (or md, anki)",
                err=True,
            )
    if ran.exit_code:
        raise SystemExit(ran.exit_code)


def _read_settings(*, debug: bool) -> Settings:
    from pydantic import ValidationError

    try:
        settings = Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "RNSIM_" + "_".join(str(part) for part in error["loc"]).upper()
        raise UserError(
            f"{name}={error.get('input')!r}: {error['msg'].lower()} "
            f"(fix: correct or unset {name}; see the README's configuration table)"
        ) from None
    # --debug wins over the environment; RNSIM_DEBUG=1 works without it.
    return settings.model_copy(update={"debug": True}) if debug else settings


def tell_waiting(line: str) -> None:
    """Say on stderr that a write is waiting for another process (``on_wait``)."""
    click.echo(line, err=True)


def db_option(func: F) -> F:
    """``--db PATH``: the SQLite file (default: user data dir; RNSIM_DB overrides)."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="SQLite database file (default: your data dir; env RNSIM_DB).",
    )(func)


def scenario_option(func: F) -> F:
    """``--scenario ID`` (default: the starter scenario)."""
    return click.option(
        "--scenario",
        "scenario_id",
        default=DEFAULT_SCENARIO,  # the starter scenario
        show_default=True,
        help="Scenario id (see `rednote-sim scenarios list`).",
    )(func)


def seed_option(func: F) -> F:
    """``--seed N``: the same seed gives the same session."""
    return click.option(
        "--seed", type=int, default=None, help="Random seed: same seed, same session."
    )(func)


def speed_option(default: str) -> Callable[[F], F]:
    """``--speed X|max`` with the given default."""

    def decorate(func: F) -> F:
        return click.option(
            "--speed",
            default=default,
            show_default=True,
            metavar="X|max",
            help="Playback speed: a multiplier like 0.5, 2, 16, or max.",
        )(func)

    return decorate


HSK_LEVELS = (1, 6)
"""``--hsk N`` takes 1 … 6 (above 6 is the 7-9 band, which no word is above)."""


def hsk_option(func: F) -> F:
    """``--hsk N``: underline the words above HSK level N in Chinese lines."""
    low, high = HSK_LEVELS
    return click.option(
        "--hsk",
        "hsk",
        type=click.IntRange(low, high),
        default=None,
        metavar="N",
        help=f"Underline the words above HSK level N ({low}-{high}) in Chinese lines.",
    )(func)


def parse_speed_option(value: str) -> float:
    """The ``--speed`` value as a multiplier (``inf`` for max).

    Raises:
        UserError: Naming the option, for anything that is not a positive number or max.
    """
    from rednote_sim.sim.clock import parse_speed

    try:
        return parse_speed(value)
    except ValueError as exc:
        raise UserError(f"--speed: {exc}") from None


def choose_seed(seed: int | None) -> int:
    """The seed to use: the given one, or a fresh random one (recorded with the session)."""
    return seed if seed is not None else random.SystemRandom().randrange(1, 100_000)


class Terminated(BaseException):  # like KeyboardInterrupt: no `except Exception` stops it
    """The process got SIGTERM; cleanup has run and the CLI exits 143."""

    exit_code = 128 + signal.SIGTERM


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from a synchronous click command.

    SIGTERM is handled like Ctrl-C: the coroutine is cancelled, so its cleanup
    runs (a headless run still says which session it saved, the database is
    closed cleanly), and then :class:`Terminated` is raised.
    """

    async def main() -> T:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        terminated = False

        def on_sigterm() -> None:
            nonlocal terminated
            terminated = True
            if task is not None:
                task.cancel()

        try:
            loop.add_signal_handler(signal.SIGTERM, on_sigterm)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
            return await coro
        try:
            return await coro
        except asyncio.CancelledError:
            if terminated:
                raise Terminated from None
            raise
        finally:
            loop.remove_signal_handler(signal.SIGTERM)

    return asyncio.run(main())


@contextlib.contextmanager
def sigterm_as_exception() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` for synchronous work, so ``finally`` runs.

    ``models install`` uses it: a terminated install removes its staging
    directory exactly as one stopped with Ctrl-C does.
    """

    def handler(signum: int, frame: object) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
