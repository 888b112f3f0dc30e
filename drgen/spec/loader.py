"""Spec loading. Minimal version: replaced by the positioned, schema-validating loader."""

from __future__ import annotations

from pathlib import Path

import yaml

from drgen.spec.model import Spec


def load_spec(path: Path) -> Spec:
    """Read, validate and type a spec file. Raises DrgenError with every problem located."""
    return Spec.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")), source=path)
