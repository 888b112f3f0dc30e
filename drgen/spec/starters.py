"""Starter specs for `drgen init`: the bundled samples are the single source."""

from __future__ import annotations

import os
from pathlib import Path

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


def starter_text(pattern: str, directory: Path) -> str:
    """The sample for ``pattern``, its schema modeline pointing at the schema from ``directory``."""
    text = (data_dir("samples") / STARTERS[pattern]).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith(_MODELINE):
        lines[0] = f"{_MODELINE}{_schema_reference(directory)}\n"
    return "".join(lines)


def _schema_reference(directory: Path) -> str:
    schema = (data_dir("schemas") / SCHEMA_FILE).resolve()
    try:
        return Path(os.path.relpath(schema, directory.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return schema.as_posix()
