"""Test-only fault points: kill drgen at its Nth file-system step to prove writes lose nothing.

Every step that changes the disk (create, write, fsync, rename, link, unlink, mkdir, rmdir)
calls :func:`step` first. Normally that is a counter increment. When the environment names a
step (``DRGEN_TEST_KILL_AT=17:KILL``, or ``:INT`` / ``:TERM``) or a test calls :func:`arm`,
the process sends itself that signal just before the step, so the fault-injection suite can
stop a real render at every instant it chooses.
"""

from __future__ import annotations

import os
import signal

KILL_AT_ENV = "DRGEN_TEST_KILL_AT"

_state = {"count": 0, "at": 0, "signal": 0}
_armed_from_env = False


def arm(at: int, sig: signal.Signals) -> None:
    """Send ``sig`` to this process just before step number ``at`` (1-based; 0 disarms)."""
    _state.update(count=0, at=at, signal=int(sig))


def steps_taken() -> int:
    """How many file-system steps ran since the last :func:`arm` (or since start)."""
    return _state["count"]


def step() -> None:
    """Count one file-system step; deliver the armed signal when its number comes up."""
    global _armed_from_env
    if not _armed_from_env:
        _armed_from_env = True
        _arm_from_env()
    _state["count"] += 1
    if _state["at"] and _state["count"] == _state["at"]:
        os.kill(os.getpid(), _state["signal"])


def _arm_from_env() -> None:
    value = os.environ.get(KILL_AT_ENV, "")
    at, _, name = value.partition(":")
    if at.isdigit() and name in {"KILL", "INT", "TERM"}:
        arm(int(at), signal.Signals[f"SIG{name}"])
