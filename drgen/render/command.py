"""``drgen render``: load the spec, render, then write, check or diff the output directory."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from drgen import __version__
from drgen.errors import DrgenError, ExitCode, Problem
from drgen.objectives import check_objectives
from drgen.printable import printable
from drgen.render import render_spec
from drgen.render.compare import Comparison, compare_tree, unified_diff
from drgen.render.manifest import Manifest, manifest_text, sha256_text
from drgen.render.write_plan import MIGRATION_SECTION
from drgen.render.writer import WriteResult, write_tree
from drgen.spec.loader import load_spec_with_warnings


def run_render(
    spec_path: Path,
    out: Path,
    *,
    check: bool,
    diff: bool,
    force: bool,
    migrate_layout: bool = False,
) -> int:
    """Render ``spec_path`` into ``out``; with --check/--diff compare instead of writing."""
    try:
        spec, spec_warnings = load_spec_with_warnings(spec_path)
        tree = render_spec(spec)
        _warn([p.format() for p in (*spec_warnings, *check_objectives(spec))])
        _warn(tree.warnings)
        if check or diff:
            return _compare(out, compare_tree(out, tree.files), show_diff=diff)
        manifest = Manifest(
            drgen_version=__version__,
            spec=manifest_text(spec_path.name),
            files={name: sha256_text(text) for name, text in tree.files.items()},
        )
        result = write_tree(out, tree.files, manifest, force=force, migrate_layout=migrate_layout)
    except DrgenError as error:
        typer.echo(error.format(), err=True)
        return error.exit_code
    except OSError as error:
        where = printable(str(error.filename or out))
        problem = Problem(f"cannot read or write the output: {error.strerror}", file=where)
        typer.echo(problem.format(), err=True)
        return ExitCode.USAGE
    _report(out, result)
    typer.echo(
        f"rendered {len(tree.files)} files into {printable(str(out))} ({spec.pattern.value}): "
        f"{len(result.written)} written, {len(result.removed)} removed"
    )
    return ExitCode.OK


def _report(out: Path, result: WriteResult) -> None:
    where = printable(str(out))
    if result.recovered:
        _warn([f"{where}: finished the render that was interrupted earlier, then rendered"])
    for name in result.kept_edited:
        _warn([f"{where}/{name}: no longer rendered, but edited by hand: left in place"])
    for name in result.left_alone:
        _warn([f"{where}/{name}: no longer rendered, and no longer a file drgen wrote: left alone"])
    for name in result.changed_meanwhile:
        _warn([f"{where}/{name}: changed while drgen was writing: left as it is"])


def _compare(out: Path, comparison: Comparison, *, show_diff: bool) -> int:
    where = printable(str(out))
    if comparison.interrupted:
        _warn([f"{where}: a render was interrupted here; run `drgen render` to finish it"])
    if comparison.single_root:
        _warn(
            [
                f"{where}: holds a drgen 0.1 single-root tree; see the rendered README section "
                f"'{MIGRATION_SECTION}' before `drgen render --migrate-layout`"
            ]
        )
    if show_diff:
        text = unified_diff(comparison)
        sys.stdout.write(text)
        return ExitCode.FINDINGS if text or comparison.interrupted else ExitCode.OK
    for change in comparison.differences:
        note = f" ({change.note})" if change.note else ""
        typer.echo(f"would change: {where}/{change.name}{note}")
    if comparison.differences:
        count = len(comparison.differences)
        typer.echo(f"{count} file(s) differ from the spec; run `drgen render` to update")
        return ExitCode.FINDINGS
    if comparison.interrupted:
        return ExitCode.FINDINGS
    typer.echo(f"{where} is up to date")
    return ExitCode.OK


def _warn(messages: list[str] | tuple[str, ...]) -> None:
    for message in messages:
        typer.echo(f"warning: {message}", err=True)
