"""``--objectives rpo=15m,rto=1h``: lint's command-line targets for DR020."""

from __future__ import annotations

from drgen.domain import parse_duration
from drgen.errors import DrgenError, Problem
from drgen.spec.model import Objectives

_HINT = "write both targets as durations, e.g. --objectives rpo=15m,rto=1h"


def parse_objectives_option(text: str) -> Objectives:
    """Parse ``rpo=<duration>,rto=<duration>`` (any order, both required)."""
    values: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = (piece.strip() for piece in part.partition("="))
        if not sep or key not in ("rpo", "rto"):
            raise _error(f"{part.strip()!r} is not rpo=<duration> or rto=<duration>")
        if key in values:
            raise _error(f"{key} is given twice")
        try:
            parse_duration(value)
        except ValueError as error:
            raise _error(f"{key}: {error}") from None
        values[key] = value
    missing = sorted({"rpo", "rto"} - values.keys())
    if missing:
        raise _error(f"{' and '.join(missing)} missing")
    return Objectives(rpo=values["rpo"], rto=values["rto"])


def _error(message: str) -> DrgenError:
    return DrgenError(Problem(message, file="--objectives", hint=_HINT))
