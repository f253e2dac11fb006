"""The ``rednote-sim`` command line.

Each command group lives in its own module and defers heavy imports (Textual,
CTranslate2, aiosqlite) into the command body, so ``rednote-sim --help`` and the
headless paths stay fast and never import what they do not use.
"""

from __future__ import annotations

import sys

from rednote_sim.cli.common import RootGroup

cli = RootGroup(
    name="rednote-sim",
    help=(
        "The January 2025 'TikTok Refugees' room on RedNote (小红书), in your terminal.\n\n"
        "With no command, opens the room and plays the starter scenario (same as `demo`)."
    ),
)


def _register() -> None:
    # Each command module exposes COMMANDS; importing them is cheap because
    # heavy imports happen inside the command bodies.
    from rednote_sim.cli import (
        class_cmds,
        content_cmds,
        lookup_cmds,
        models_cmds,
        run_cmds,
        serve_cmds,
        sessions_cmds,
        translate_cmds,
        workshop_cmds,
    )

    modules = (
        run_cmds,
        workshop_cmds,
        class_cmds,
        sessions_cmds,
        serve_cmds,
        content_cmds,
        models_cmds,
        translate_cmds,
        lookup_cmds,
    )
    for module in modules:
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    sys.exit(cli.main(prog_name="rednote-sim", standalone_mode=True))
