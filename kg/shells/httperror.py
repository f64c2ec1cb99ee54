"""The one error of ``plankg serve``: an HTTP status with a one-line message and a hint.

Every module of the service raises it — the Accept parser, the query workers, the pool and
the HTTP handler — and the handler turns it into the one JSON shape every error answers
in: ``{"error": {"status": 400, "message": "...", "hint": "..."}}``. It lives alone, at the
bottom of the service's modules, so each of them can raise it without importing another.
"""

from __future__ import annotations

from kg.errors import PlanError


class RequestError(PlanError):
    """A request the service cannot answer: the HTTP status, and the one-line message and
    hint that go into the JSON error."""

    def __init__(self, status: int, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.status = status
