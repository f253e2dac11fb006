"""``python -m rednote_sim`` runs the CLI."""

from rednote_sim.cli import main

main()
