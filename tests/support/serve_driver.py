"""``serve`` with another command per browser tab, as a real process.

``python -m tests.support.serve_driver DB SESSION HOST -- COMMAND...`` runs the same
code as ``rednote-sim serve SESSION --host HOST --port 0 --db DB`` (the liveness check,
the room code, the printed address), but each browser tab runs COMMAND instead of
``rednote-sim join``: the websocket tests use a real room of ours (a replay's TUI),
which needs no host process to answer it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rednote_sim.cli.common import Terminated, run_async, settings_from
from rednote_sim.cli.serve_cmds import serve_session
from rednote_sim.errors import UserError


def main(argv: list[str]) -> int:
    db, session, host, dashes, *command = argv
    assert dashes == "--" and command, __doc__
    try:
        run_async(
            serve_session(settings_from(Path(db)), session, host=host, port=0, command=command)
        )
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return Terminated.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
