"""``drgen drill SPEC|DIR --lose REGION``: does the recovery path hold without that region?

Exit 0 when every root on the recovery path and the failover runbook work without the lost
region, 1 when something depends on it, 2 on bad input (nothing is written: a spec is
rendered into a temporary folder and analysed there).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer

from drgen.domain import AWS_REGIONS
from drgen.drill.analyse import DrillResult, analyse
from drgen.drill.report import drill_text
from drgen.drill.scripts import script_commands
from drgen.errors import DrgenError, ExitCode, Problem
from drgen.lint.topology.project import build_project
from drgen.objectives import assess_spec
from drgen.runbook import build_runbook
from drgen.runbook.checks import command_problem, lost_region_calls
from drgen.spec import load_spec
from drgen.spec.model import Spec

Finding = str  # one line: where, and why it needs the lost region


def run_drill(target: Path, lose: str) -> int:
    try:
        return _run(target, lose)
    except DrgenError as error:
        typer.echo(error.format(), err=True)
        return error.exit_code


def _run(target: Path, lose: str) -> int:
    if lose not in AWS_REGIONS:
        raise DrgenError(
            Problem(
                f"unknown region {lose!r}", file="--lose", hint="name an AWS region, e.g. us-east-1"
            )
        )
    if target.is_file():
        return _drill_spec(load_spec(target), target, lose)
    if not target.is_dir():
        raise DrgenError(
            Problem("no such file or directory", file=str(target), hint="check the path")
        )
    result, runbook = _drill_tree(target, lose)
    typer.echo(drill_text(str(target), result, runbook, None, judged=True), nl=False)
    return ExitCode.FINDINGS if result.broken or runbook else ExitCode.OK


def _drill_spec(spec: Spec, path: Path, lose: str) -> int:
    regions = (spec.regions.primary, spec.regions.secondary)
    if lose not in regions:
        raise DrgenError(
            Problem(
                f"{lose} is neither of the spec's regions ({', '.join(regions)})",
                file="--lose",
                hint=f"drill a loss of the primary: --lose {spec.regions.primary}",
            )
        )
    from drgen.render import render_spec  # heavy: only for spec drills

    tree = render_spec(spec)
    with tempfile.TemporaryDirectory(prefix="drgen-drill-") as folder:
        base = Path(folder)
        for name, text in tree.files.items():
            (base / name).parent.mkdir(parents=True, exist_ok=True)
            (base / name).write_text(text, encoding="utf-8")
        result, _ = _drill_tree(base, lose)
    judged = lose == spec.regions.primary
    runbook = (
        [
            f"runbook/failover.sh step {number}: {why}"
            for number, _, why in lost_region_calls(build_runbook(spec).failover, lose)
        ]
        if judged
        else []
    )
    typer.echo(drill_text(str(path), result, runbook, assess_spec(spec), judged=judged), nl=False)
    if not judged:
        return ExitCode.OK  # the primary keeps serving: nothing has to fail over
    return ExitCode.FINDINGS if result.broken or runbook else ExitCode.OK


def _drill_tree(base: Path, lose: str) -> tuple[DrillResult, list[Finding]]:
    project, errors = build_project([base], use_cache=False)
    if errors:
        raise DrgenError(
            [Problem(e.message, file=e.file, line=e.line, column=e.column) for e in errors]
        )
    result = analyse(project, lose, base)
    script = base / "runbook" / "failover.sh"
    runbook = (
        [
            f"runbook/failover.sh:{number}: {why}"
            for number, command in script_commands(script)
            if (why := command_problem(command, lose))
        ]
        if script.is_file()
        else []
    )
    return result, runbook
