"""The project's own exceptions.

Every error a user can cause is a ``PlanError``: it carries what went wrong and
what to try, so a shell can print it on one line without a traceback.
"""

from __future__ import annotations


class PlanError(Exception):
    """Base class: ``str(err)`` is the one-line message, ``err.hint`` the fix."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class InputError(PlanError):
    """The input file cannot be read as text."""


class NotAPlanError(PlanError):
    """The text was read but has no plan structure in it."""


class OutputError(PlanError):
    """An output could not be written."""


class QueryError(PlanError):
    """A SPARQL query is malformed or names something that does not exist."""


class DataError(PlanError):
    """The graph data to query or validate is missing or unreadable."""


class ValidationError(PlanError):
    """A graph violates the SHACL shapes; ``report`` lists the violations."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "", report=None) -> None:
        super().__init__(message, hint)
        self.report = report


def first_line(value: BaseException | str) -> str:
    """The first line of an error's (or a text's) message, for a one-line report: the
    libraries' own messages can run over many lines. An error without a message gives its
    type's name."""
    text = str(value).strip()
    if text:
        return text.splitlines()[0]
    return type(value).__name__ if isinstance(value, BaseException) else ""
