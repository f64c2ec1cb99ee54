"""python -m kg: the plankg command."""

from kg.shells.cli import run

run()
