"""The base of every app's domain errors: the API and pages turn them into clear answers."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule said no. `code` is stable for API clients; `facts` carry the details."""

    code = "domain_error"
    http_status = 400

    def __init__(self, message: str = "", **facts: Any) -> None:
        super().__init__(message or self.__class__.__doc__ or self.code)
        self.message = message or (self.__class__.__doc__ or self.code).strip()
        self.facts = facts


class IllegalTransition(DomainError):
    """This change of state is not allowed from the current state."""

    code = "illegal_transition"
    http_status = 409
