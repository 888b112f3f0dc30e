"""Load, validate and type DR specs.

Importing ``drgen.spec.model`` stays cheap: the loader (PyYAML, jsonschema) is imported
only when a spec is actually loaded.
"""

from __future__ import annotations

from pathlib import Path

from drgen.errors import Problem
from drgen.spec.model import Spec

__all__ = ["Spec", "load_spec", "load_spec_with_warnings"]


def load_spec(path: Path) -> Spec:
    """Read, validate and type a spec file. Raises DrgenError with every problem located."""
    from drgen.spec.loader import load_spec_with_warnings as load

    return load(path)[0]


def load_spec_with_warnings(path: Path) -> tuple[Spec, list[Problem]]:
    """Like load_spec, and also return the non-fatal problems (warnings), sorted."""
    from drgen.spec.loader import load_spec_with_warnings as load

    return load(path)
