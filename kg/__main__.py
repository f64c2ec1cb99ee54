"""python -m kg: the plankg command."""

from .cli import run

run()
