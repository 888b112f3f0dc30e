"""Starter specs for `drgen init`: the bundled samples are the single source.

The editor modeline points at ``drspec.schema.json`` beside the spec, a file `init -o` writes
(and `drgen schema -o FILE` refreshes): a relative path survives committing the spec, works
offline and matches the drgen version in use, where a path into drgen's install breaks on
the next machine and drgen publishes no schema URL.
"""

from __future__ import annotations

from drgen.resources import data_dir
from drgen.spec.schema import SCHEMA_FILE

# Accepted --pattern names -> sample file. Plain active-active starts with write-global.
STARTERS = {
    "backup-restore": "backup-restore.yaml",
    "pilot-light": "pilot-light.yaml",
    "warm-standby": "warm-standby.yaml",
    "active-active": "active-active-write-global.yaml",
    "active-active-write-global": "active-active-write-global.yaml",
    "active-active-write-origin": "active-active-write-origin.yaml",
    "active-active-write-local": "active-active-write-local.yaml",
}

_MODELINE = "# yaml-language-server: $schema="


def starter_text(pattern: str) -> str:
    """The sample for ``pattern``, its schema modeline pointing at the schema beside it."""
    text = (data_dir("samples") / STARTERS[pattern]).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith(_MODELINE):
        lines[0] = f"{_MODELINE}{SCHEMA_FILE}\n"
    return "".join(lines)
