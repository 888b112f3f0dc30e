"""``drgen render``: load the spec, render, then write, check or diff the output directory."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from drgen import __version__
from drgen.errors import DrgenError, ExitCode, Problem
from drgen.objectives import check_objectives
from drgen.render import render_spec
from drgen.render.compare import differing_files, unified_diff
from drgen.render.manifest import Manifest, sha256_text
from drgen.render.writer import write_tree
from drgen.spec.loader import load_spec_with_warnings


def run_render(spec_path: Path, out: Path, *, check: bool, diff: bool, force: bool) -> int:
    """Render ``spec_path`` into ``out``; with --check/--diff compare instead of writing."""
    try:
        spec, spec_warnings = load_spec_with_warnings(spec_path)
        tree = render_spec(spec)
        _warn([p.format() for p in (*spec_warnings, *check_objectives(spec))])
        _warn(tree.warnings)
        if check or diff:
            return _compare(out, tree.files, show_diff=diff)
        manifest = Manifest(
            drgen_version=__version__,
            spec=spec_path.name,
            files={name: sha256_text(text) for name, text in tree.files.items()},
        )
        result = write_tree(out, tree.files, manifest, force=force)
    except DrgenError as error:
        typer.echo(error.format(), err=True)
        return error.exit_code
    except OSError as error:
        problem = Problem(f"cannot write the output: {error.strerror}", file=str(error.filename))
        typer.echo(problem.format(), err=True)
        return ExitCode.USAGE
    for name in result.kept_edited:
        _warn([f"{out / name}: no longer rendered, but edited by hand: left in place"])
    typer.echo(
        f"rendered {len(tree.files)} files into {out} ({spec.pattern.value}): "
        f"{len(result.written)} written, {len(result.removed)} removed"
    )
    return ExitCode.OK


def _compare(out: Path, files: dict[str, str], *, show_diff: bool) -> int:
    if show_diff:
        text = unified_diff(out, files)
        sys.stdout.write(text)
        return ExitCode.FINDINGS if text else ExitCode.OK
    changed = differing_files(out, files)
    for name in changed:
        typer.echo(f"would change: {out / name}")
    if changed:
        typer.echo(f"{len(changed)} file(s) differ from the spec; run `drgen render` to update")
        return ExitCode.FINDINGS
    typer.echo(f"{out} is up to date")
    return ExitCode.OK


def _warn(messages: list[str] | tuple[str, ...]) -> None:
    for message in messages:
        typer.echo(f"warning: {message}", err=True)
