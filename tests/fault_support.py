"""Run a write in a forked child that drgen.faults kills at a chosen step (fault injection)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

from drgen import faults

CHILD_FAILED = 70  # the child's exit code when the write raised (SIGINT -> KeyboardInterrupt)


def count_steps(write: Callable[[], object]) -> int:
    """How many fault points ``write`` passes through when nothing kills it."""
    faults.arm(0, signal.SIGKILL)
    write()
    return faults.steps_taken()


def run_killed(write: Callable[[], object], at: int, sig: signal.Signals) -> int:
    """Run ``write`` in a child that receives ``sig`` just before step ``at``; its wait status."""
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            faults.arm(at, sig)
            write()
        except BaseException:
            code = CHILD_FAILED
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return status


def killed_by(status: int) -> int | None:
    """The signal that ended a child, or None when it exited."""
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else None


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every regular file under ``directory`` (links not followed) by relative path."""
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }
