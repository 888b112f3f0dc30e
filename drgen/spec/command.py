"""The `validate`, `schema` and `init` commands."""

from __future__ import annotations

from pathlib import Path

import typer

from drgen import atomic
from drgen.errors import DrgenError, ExitCode, Problem
from drgen.objectives import check_objectives
from drgen.printable import printable
from drgen.spec.loader import load_spec_with_warnings
from drgen.spec.model import Spec
from drgen.spec.schema import SCHEMA_FILE, schema_text
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
    typer.echo(f"ok: {printable(str(path))} ({_pattern_label(spec)})")
    return ExitCode.OK


def run_schema(output: Path | None = None) -> int:
    """Print the drspec JSON Schema, or write it (atomically) to ``output``."""
    if output is None:
        typer.echo(schema_text(), nl=False)
        return ExitCode.OK
    try:
        atomic.write_text(output, schema_text())
    except DrgenError as error:
        _print_problems(error.problems)
        return error.exit_code
    typer.echo(f"wrote {printable(str(output))}")
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
        typer.echo(starter_text(pattern), nl=False)
        typer.echo(f"# editor schema: drgen schema -o {SCHEMA_FILE} (beside the spec)", err=True)
        return ExitCode.OK
    try:
        atomic.write_text(output, starter_text(pattern), replace=False)
        schema = _write_schema_beside(output)
    except DrgenError as error:
        _print_problems(error.problems)
        return error.exit_code
    shown = printable(str(output))
    typer.echo(f"wrote {shown} ({pattern}); check it with: drgen validate {shown}")
    typer.echo(schema)
    return ExitCode.OK


def _write_schema_beside(spec: Path) -> str:
    """The schema the spec's modeline names, next to it; an existing one is left alone."""
    schema = spec.parent / SCHEMA_FILE
    if schema.exists():
        if schema.read_text(encoding="utf-8", errors="replace") == schema_text():
            return f"kept {schema}"
        refresh = f"refresh it with drgen schema -o {schema}"
        return f"kept {schema} (differs from this drgen's: {refresh})"
    atomic.write_text(schema, schema_text(), replace=False)
    return f"wrote {schema} (the editor schema; refresh it with drgen schema -o {schema})"


def _pattern_label(spec: Spec) -> str:
    if spec.write_mode is None:
        return spec.pattern.value
    return f"{spec.pattern.value}, {spec.write_mode.value}"


def _print_problems(problems: list[Problem], prefix: str = "") -> None:
    for problem in problems:
        typer.echo(prefix + problem.format(), err=True)
