"""Commands not written yet."""

import click

COMMANDS: list[click.Command] = []
