"""Numbers of days as Terraform reads them, for the retention checks (DR038)."""

from __future__ import annotations

from enum import Enum

from drgen.lint.model.roots import Expression, Value


class Unread(Enum):
    UNKNOWN = "an expression drgen cannot evaluate"
    INVALID = "not a number Terraform accepts"


Days = int | Unread | None  # None: not set


def read_days(value: Value) -> Days:
    """A whole number as Terraform converts it (``"7"`` is 7); None when not set."""
    if value is None:
        return None
    if isinstance(value, Expression):
        return Unread.UNKNOWN
    if isinstance(value, bool):
        return Unread.INVALID
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return Unread.INVALID


def day_count(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"
