"""Reading the demo's data files (demo/data/): YAML for nested data, CSV for tables.

Each file is read once per process; callers get plain Python data (dicts, lists, strings)
and turn it into rows themselves.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"

try:  # libyaml's loader reads the catalogue several times faster where it is built in
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader


@functools.cache
def read_yaml(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)  # noqa: S506 - a safe loader


@functools.cache
def read_csv(name: str) -> tuple[dict[str, str], ...]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))
