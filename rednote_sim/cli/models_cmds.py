"""``models status`` and ``models install``: the Argos translation packages."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rednote_sim.cli.common import settings_from, sigterm_as_exception

if TYPE_CHECKING:
    from rednote_sim.translate.packages import InstalledPackage


@click.group()
def models() -> None:
    """Inspect and install the offline translation models (Argos packages)."""


@models.command("status")
def status() -> None:
    """Show the installed package for each direction, or how to install it."""
    from rednote_sim.cli.tables import print_table
    from rednote_sim.translate.packages import INSTALL_HINT, find_package

    models_dir = settings_from().models_dir
    rows = []
    for source, target in (("en", "zh"), ("zh", "en")):
        package = find_package(models_dir, source, target)
        if package is None:
            rows.append((f"{source}→{target}", "missing", "", INSTALL_HINT))
        else:
            rows.append((f"{source}→{target}", package.name, package.version, str(package.path)))
    click.echo(f"models dir: {models_dir}")
    print_table(["direction", "package", "version", "path / how to install"], rows)


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback drawing a bar on stderr (none when quiet)."""
    if quiet:
        yield None
        return
    bar: Any = None
    shown = 0

    def update(done: int, total: int) -> None:
        nonlocal bar, shown
        if bar is None:
            bar = click.progressbar(
                length=max(total, 1), label="extracting", file=sys.stderr, show_pos=False
            ).__enter__()
        bar.update(done - shown)
        shown = done

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@models.command("install")
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE_OR_DIR",
    help="Install a .argosmodel file, or every one in a directory (offline).",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--force", is_flag=True, help="Reinstall even if the same version is installed.")
def install(source: Path | None, quiet: bool, force: bool) -> None:
    """Install translation packages.

    Without --from, downloads the en<->zh packages from the Argos package index
    (needs internet). With --from, installs local .argosmodel files.
    """
    from rednote_sim.translate.packages import install_from, install_from_index

    models_dir = settings_from().models_dir
    skipped: list[InstalledPackage] = []
    # SIGTERM, like Ctrl-C, stops the install and removes its staging directory.
    with sigterm_as_exception(), _progress(quiet) as progress:
        if source is None:
            installed = install_from_index(models_dir, progress)
        else:
            installed = install_from(
                source, models_dir, progress, skip_same_version=not force, skipped=skipped
            )
    for package in installed:
        verb = "already installed" if package in skipped else "installed"
        click.echo(
            f"{verb}: {package.name} {package.version} "
            f"({package.from_code}→{package.to_code}) in {package.path}"
        )


COMMANDS: list[click.Command] = [models]
