"""Help text shows metavars (FILE, FORMAT, ID), not Python type names.

Typer 0.2x prints the annotation (``<list[Path]>``, ``<bool>``) in the type column of
``--help``; drgen's options declare a metavar instead, flags show none, and an argument
shows its metavar. One small override of the two methods that produce that column.
"""

from __future__ import annotations

from typing import Any

from typer import core


def _no_type(self: Any, ctx: Any) -> str | None:
    return None  # an argument's name column already shows its metavar


def _metavar(self: Any, ctx: Any) -> str | None:
    if getattr(self, "is_flag", False) or getattr(self, "count", False):
        return None
    if self.metavar is not None:
        return str(self.metavar)
    name = str(getattr(self.type, "name", "value")).upper()
    return name + ("..." if self.nargs != 1 or getattr(self, "multiple", False) else "")


def install() -> None:
    """Replace the type column of typer's help with metavars (idempotent)."""
    core.TyperArgument.display_type_rich = _no_type  # type: ignore[method-assign]
    core.TyperOption.display_type_rich = _metavar  # type: ignore[method-assign]
