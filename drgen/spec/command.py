"""The `validate`, `schema` and `init` commands."""

from __future__ import annotations

from pathlib import Path

import typer

from drgen import atomic
from drgen.errors import DrgenError, ExitCode, Problem
from drgen.objectives import check_objectives
from drgen.spec.loader import load_spec_with_warnings
from drgen.spec.model import Spec
from drgen.spec.schema import schema_text
from drgen.spec.starters import STARTERS, starter_text


def run_validate(path: Path) -> int:
    """Check a spec: exit 0 when valid (warnings allowed), 2 on errors."""
    try:
        spec, warnings = load_spec_with_warnings(path)
    except DrgenError as error:
        _print_problems(error.problems)
        return error.exit_code
    _print_problems(warnings, prefix="warning: ")
    unmet = check_objectives(spec)  # objectives the pattern cannot reach: exit 1, cheapest fix
    if unmet:
        _print_problems(unmet)
        return ExitCode.FINDINGS
    typer.echo(f"ok: {path} ({_pattern_label(spec)})")
    return ExitCode.OK


def run_schema() -> int:
    """Print the drspec JSON Schema."""
    typer.echo(schema_text(), nl=False)
    return ExitCode.OK


def run_init(pattern: str, output: Path | None) -> int:
    """Write a commented starter spec for ``pattern`` to ``output`` (or stdout)."""
    if pattern not in STARTERS:
        _print_problems(
            [
                Problem(
                    f"unknown pattern {pattern!r}",
                    file="--pattern",
                    hint=f"use one of: {', '.join(STARTERS)}",
                )
            ]
        )
        return ExitCode.USAGE
    if output is None:
        typer.echo(starter_text(pattern, Path.cwd()), nl=False)
        return ExitCode.OK
    try:
        atomic.write_text(output, starter_text(pattern, output.parent), replace=False)
    except DrgenError as error:
        _print_problems(error.problems)
        return error.exit_code
    typer.echo(f"wrote {output} ({pattern}); check it with: drgen validate {output}")
    return ExitCode.OK


def _pattern_label(spec: Spec) -> str:
    if spec.write_mode is None:
        return spec.pattern.value
    return f"{spec.pattern.value}, {spec.write_mode.value}"


def _print_problems(problems: list[Problem], prefix: str = "") -> None:
    for problem in problems:
        typer.echo(prefix + problem.format(), err=True)
