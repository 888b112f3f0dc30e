"""Validate a located document against one of drgen's JSON Schemas (schemas/*.json)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs in the venv

from drgen.errors import Problem
from drgen.resources import data_dir
from drgen.yamldoc.schema_messages import explain
from drgen.yamldoc.source_map import SourceMap


def schema_text(name: str) -> str:
    """The text of ``schemas/<name>``."""
    return (data_dir("schemas") / name).read_text(encoding="utf-8")


@cache
def bundled_schema(name: str) -> dict[str, Any]:
    """The parsed ``schemas/<name>`` (cached: callers must not change it)."""
    schema: dict[str, Any] = json.loads(schema_text(name))
    return schema


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(bundled_schema(name))


def schema_problems(
    document: Any, schema_name: str, source_map: SourceMap, *, see: str | None = None
) -> list[Problem]:
    """Every violation of ``schemas/<schema_name>`` in ``document``, located, with a fix, sorted.

    ``see`` is the fix where the schema describes nothing better (default: the schema file).
    """
    root = bundled_schema(schema_name)
    last_resort = see or f"see schemas/{schema_name} for the format"
    problems = {
        problem
        for error in _validator(schema_name).iter_errors(document)
        for problem in explain(error, root, document, source_map, last_resort)
    }
    return sorted(problems, key=Problem.sort_key)
