"""Retention purposes that apps register for the one retention job (GDPR art. 5(1)(e)).

The engine, its clocks' table and its record of each run are compliance's
(`compliance.services.gdpr.retention`, `settings.GDPR_RETENTION_DAYS`); an app that compliance
may not import (the checkout, on its layer) registers here, at start-up, the function that
removes what is past its clock: `run(now)` returns how many items it removed, and removes each
item once however often it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Purge = Callable[[datetime], int]

_purposes: dict[str, Purge] = {}


def register_purpose(key: str, run: Purge) -> None:
    """Run `run(now)` under the clock `settings.GDPR_RETENTION_DAYS[key]` on each retention run."""
    _purposes[key] = run


def registered_purposes() -> dict[str, Purge]:
    return dict(_purposes)
