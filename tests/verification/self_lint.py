"""drgen's own linter on a rendered tree: drgen must not flag what drgen generates."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from drgen.spec import Spec

from .toolchain import in_ci


def _lint_api() -> tuple[Any, Any, Any]:
    try:
        project = importlib.import_module("drgen.lint.topology.project")
        engine = importlib.import_module("drgen.lint.engine.run")
        policies = importlib.import_module("drgen.lint.engine.catalog")
    except ImportError as error:
        if in_ci():
            raise
        pytest.skip(f"drgen lint is not available yet ({error})")
    return project.build_project, engine.lint_project, policies.load_policies


def unsuppressed_findings(directory: Path, spec: Spec) -> list[str]:
    """File errors and unsuppressed findings of `drgen lint` (python API) on ``directory``."""
    build_project, lint_project, load_policies = _lint_api()
    project, file_errors = build_project([directory], use_cache=False)
    findings = lint_project(project, load_policies(), objectives=spec.objectives)
    problems = [f"{e.file}:{e.line}:{e.column}: {e.message}" for e in file_errors]
    problems += [
        f"{f.file}:{f.line}: {f.rule_id} {f.resource}: {f.message}"
        for f in findings
        if not f.suppressed
    ]
    return problems
