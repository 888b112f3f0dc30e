"""Run drgen's real entry point in-process, as a user would: exit code and stderr."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import pytest

from drgen.cli import main


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run_drgen(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    """``drgen ARGS`` through drgen.cli.main (its one error handler), never raising."""
    capsys.readouterr()
    argv = sys.argv
    sys.argv = ["drgen", *args]
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.argv = argv
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)
