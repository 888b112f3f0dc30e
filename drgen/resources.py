"""Locate the data folders (templates, policies, schemas, samples).

In a wheel they are packaged under ``drgen/_data/``; in a source checkout they sit
at the repository root next to ``drgen/``. Both layouts are read through pathlib so
callers never care which one they got.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the folder ``name`` (``templates``, ``policies``, ``schemas``, ``samples``)."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"drgen data folder {name!r} is missing from this installation")
