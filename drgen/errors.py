"""The one user-facing error type and the exit codes every command shares."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from drgen.printable import printable


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # lint findings at/above the threshold, drift with --check, unmet objectives
    USAGE = 2  # bad input: usage, spec, config or parse errors
    INTERNAL = 3  # a bug in drgen: printed with a "please report" line


@dataclass(frozen=True)
class Problem:
    """One located problem in a user's input file."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    json_path: str | None = None  # e.g. "$.data[1].name"
    hint: str | None = None  # how to fix it

    def format(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.json_path:
            text += f" (at {self.json_path})"
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file or "", self.line or 0, self.column or 0, self.message)


def os_problem(error: OSError) -> Problem:
    """An OS error no command anticipated, as a located problem (exit 2): the file it names
    and the system's reason, printable whatever bytes the name holds."""
    name = printable(error.filename) if isinstance(error.filename, str) else None
    return Problem(
        f"cannot use this path: {error.strerror or error}",
        file=name,
        hint="check the path, its permissions and any symbolic links on the way",
    )


class DrgenError(Exception):
    """Bad input: carries every problem found, sorted by position; exit code 2."""

    def __init__(self, problems: list[Problem] | Problem, exit_code: ExitCode = ExitCode.USAGE):
        self.problems = sorted(
            [problems] if isinstance(problems, Problem) else problems, key=Problem.sort_key
        )
        self.exit_code = exit_code
        super().__init__(self.format())

    def format(self) -> str:
        return "\n".join(p.format() for p in self.problems)
