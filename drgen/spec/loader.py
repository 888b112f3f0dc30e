"""Load a spec file: YAML with positions, then the JSON Schema, then semantic checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drgen.bounded_read import read_text_or_fail
from drgen.errors import DrgenError, Problem
from drgen.spec.model import Spec
from drgen.spec.schema import SCHEMA_FILE, SPEC
from drgen.spec.semantics import check_semantics
from drgen.yamldoc.reader import MAX_BYTES, load_located_yaml
from drgen.yamldoc.schema import schema_problems


def load_spec_with_warnings(path: Path) -> tuple[Spec, list[Problem]]:
    """Read, validate and type a spec file; also return its warnings (non-fatal), sorted.

    Raises DrgenError with every problem located when the spec is invalid.
    """
    file = str(path)
    text = read_text_or_fail(path, MAX_BYTES, what="the spec", hint="check the path")
    document, source_map = load_located_yaml(file, text, SPEC)
    if document is None:
        raise DrgenError(
            Problem(
                "the spec is empty",
                file=file,
                line=1,
                column=1,
                json_path="$",
                hint="start from a sample: drgen init --pattern warm-standby",
            )
        )
    problems = schema_problems(document, SCHEMA_FILE, source_map, see="see `drgen schema`")
    if problems:
        raise DrgenError(problems)
    errors, warnings = check_semantics(document, source_map)
    if errors:
        raise DrgenError(errors)
    spec = Spec.from_dict(_whole_numbers(document), source=path, source_map=source_map)
    return spec, sorted(warnings, key=Problem.sort_key)


def _whole_numbers(value: Any) -> Any:
    """JSON Schema counts 8080.0 as an integer; make it 8080 so it renders as one."""
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
