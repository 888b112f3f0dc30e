"""The drspec JSON Schema: the single source of truth for what a spec may contain."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs in the venv

from drgen.errors import Problem
from drgen.resources import data_dir
from drgen.spec.schema_messages import explain
from drgen.spec.source_map import SourceMap

SCHEMA_FILE = "drspec.schema.json"


def schema_text() -> str:
    return (data_dir("schemas") / SCHEMA_FILE).read_text(encoding="utf-8")


@cache
def drspec_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_text())
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(drspec_schema())


def schema_problems(document: Any, source_map: SourceMap) -> list[Problem]:
    """Every schema violation in ``document``, each located and with a fix, sorted."""
    root = drspec_schema()
    problems = {
        problem
        for error in _validator().iter_errors(document)
        for problem in explain(error, root, document, source_map)
    }
    return sorted(problems, key=Problem.sort_key)
