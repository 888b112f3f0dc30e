"""Where each key and value of a YAML document was written, addressed by its JSON path."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from drgen.errors import Problem

JsonPath = tuple[str | int, ...]

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceMap:
    """Positions of values and of mapping keys in one file."""

    file: str
    values: dict[JsonPath, Position] = field(default_factory=dict)
    keys: dict[JsonPath, Position] = field(default_factory=dict)

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> Position | None:
        """The value's (or key's) position, else the nearest enclosing value's."""
        path = tuple(path)
        if key and path in self.keys:
            return self.keys[path]
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path)

    def problem(
        self, message: str, path: Sequence[str | int], hint: str | None, *, key: bool = False
    ) -> Problem:
        """A problem located at the value (or key) at ``path``."""
        position = self.locate(path, key=key)
        return Problem(
            message,
            file=self.file,
            line=position.line if position else None,
            column=position.column if position else None,
            json_path=format_json_path(path),
            hint=hint,
        )


def format_json_path(path: Sequence[str | int]) -> str:
    """``("data", 1, "name")`` -> ``$.data[1].name``; odd keys are quoted: ``$.tags['a b']``."""
    text = "$"
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif _PLAIN_KEY.match(step):
            text += f".{step}"
        else:
            text += "[" + repr(step) + "]"
    return text
