"""Read a rendered ``runbook/failover.sh`` back into commands the drill can judge.

The script is drgen's own rendering (drgen.runbook.shell): each call is one line, ``run …``,
``expect VALUE …`` or ``NAME="$(…)"``. A hand edit that drops ``--region`` or names the lost
region is caught the same way as in the model.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from drgen.runbook.model import Command

_CAPTURE = re.compile(r'^[A-Z][A-Z0-9_]*="\$\((?P<inner>.*)\)"$')


def script_commands(path: Path) -> list[tuple[int, Command]]:
    """(line number, command) of every aws / terraform call in the script."""
    found: list[tuple[int, Command]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        match = _CAPTURE.match(line)
        text = match.group("inner") if match else line.split(" || ")[0]
        try:
            words = shlex.split(text)
        except ValueError:
            continue
        if words[:1] == ["run"]:
            words = words[1:]
        if words[:1] == ["expect"] and len(words) > 2:
            words = words[2:]
        if words[:1] in (["aws"], ["terraform"]):
            found.append((number, Command(tuple(words))))
    return found
