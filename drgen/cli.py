"""The command line: parse options, call one function per command, map errors to exit codes.

Heavy modules are imported inside each command so ``drgen lint`` on a small tree and
``drgen --help`` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from drgen import __version__, cli_metavars
from drgen.errors import DrgenError, ExitCode

cli_metavars.install()
app = typer.Typer(
    name="drgen",
    help="Disaster-recovery architecture on AWS as code: render Terraform, lint Terraform.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
policies_app = typer.Typer(
    help="List and explain the DR policies lint applies.", no_args_is_help=True
)
app.add_typer(policies_app, name="policies")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"drgen {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """drgen turns DR patterns into Terraform and checks existing Terraform for DR gaps."""


SpecArg = Annotated[Path, typer.Argument(help="DR spec file (YAML).", show_default=False)]


@app.command()
def render(
    spec: SpecArg,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="Directory to write.")
    ] = Path("out"),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the tree on disk differs.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Write nothing; print a unified diff against disk.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files edited by hand since the last render.")
    ] = False,
    migrate_layout: Annotated[
        bool,
        typer.Option(
            "--migrate-layout",
            help="Replace a drgen 0.1 single-root tree in --output (after moving its state).",
        ),
    ] = False,
) -> None:
    """Render Terraform (AWS provider v6) for the spec's DR pattern into --output."""
    from drgen.render.command import run_render

    _exit(
        run_render(spec, output, check=check, diff=diff, force=force, migrate_layout=migrate_layout)
    )


@app.command()
def validate(spec: SpecArg) -> None:
    """Check a spec: schema, semantics and whether the pattern can meet its RPO/RTO."""
    from drgen.spec.command import run_validate

    _exit(run_validate(spec))


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
) -> None:
    """Print the spec's JSON Schema (for editors and CI); `init -o` writes it beside the spec."""
    from drgen.spec.command import run_schema

    _exit(run_schema(output))


@app.command()
def init(
    pattern: Annotated[
        str,
        typer.Option(
            "--pattern",
            "-p",
            metavar="PATTERN",
            help="backup-restore | pilot-light | warm-standby | active-active "
            "(active-active-write-origin, active-active-write-local for the other write modes).",
        ),
    ] = "warm-standby",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
) -> None:
    """Write a commented starter spec for a pattern."""
    from drgen.spec.command import run_init

    _exit(run_init(pattern, output))


@app.command()
def assess(
    spec: SpecArg,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="text | json")
    ] = "text",
) -> None:
    """Estimate the RPO/RTO the spec's architecture achieves for a region loss."""
    from drgen.objectives_command import run_assess

    _exit(run_assess(spec, fmt))


@app.command()
def drill(
    target: Annotated[
        Path, typer.Argument(help="A DR spec, or a folder of Terraform roots.", show_default=False)
    ],
    lose: Annotated[str, typer.Option("--lose", help="The region that is lost, e.g. us-east-1.")],
) -> None:
    """Drill a region loss: what is lost, what keeps serving, whether recovery needs the region.

    Exit 0: the recovery path holds. Exit 1: something on it depends on the lost region.
    Exit 2: bad input.
    """
    from drgen.drill.command import run_drill

    _exit(run_drill(target, lose))


@app.command()
def lint(
    paths: Annotated[
        list[Path] | None, typer.Argument(metavar="PATH...", help="Terraform folders or files.")
    ] = None,
    fmt: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text | json | sarif | github | junit | gitlab | markdown (repeatable).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the (single) report here."),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option("--output-dir", metavar="DIR", help="Write one report per format here."),
    ] = None,
    min_severity: Annotated[
        str | None,
        typer.Option(
            "--min-severity",
            metavar="SEVERITY",
            help="low | medium | high | critical (default low).",
        ),
    ] = None,
    policies_dir: Annotated[
        list[Path] | None,
        typer.Option("--policies-dir", metavar="DIR", help="Extra policy YAML folder."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Report every fact drgen could not resolve.")
    ] = False,
    objectives: Annotated[
        str | None,
        typer.Option(
            "--objectives", metavar="TARGETS", help="Targets, e.g. rpo=15m,rto=1h (DR020)."
        ),
    ] = None,
    spec: Annotated[
        Path | None,
        typer.Option("--spec", metavar="FILE", help="Take the objectives from this DR spec."),
    ] = None,
    retention_floor: Annotated[
        int | None,
        typer.Option(
            "--retention-floor",
            metavar="DAYS",
            help="Fewest days a recovery point may be kept (DR038; default 7).",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", metavar="FILE", help="Config file (default: .drgen.yaml)."),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", metavar="FILE", help="Fail only on findings not in this file."),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline", metavar="FILE", help="Record current findings and exit 0."
        ),
    ] = None,
    list_suppressions: Annotated[
        bool, typer.Option("--list-suppressions", help="Print every suppression and its reason.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    check: Annotated[
        list[str] | None,
        typer.Option("--check", metavar="IDS", help="Run only these policies (DR001,DR00*)."),
    ] = None,
    skip_check: Annotated[
        list[str] | None,
        typer.Option("--skip-check", metavar="IDS", help="Never run these policies."),
    ] = None,
    soft_fail: Annotated[
        bool, typer.Option("--soft-fail", help="Exit 0 on findings; reports are still written.")
    ] = False,
    soft_fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--soft-fail-on",
            metavar="IDS|SEVERITY",
            help="These ids/wildcards, or this severity and below, do not fail the run.",
        ),
    ] = None,
    hard_fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--hard-fail-on",
            metavar="IDS|SEVERITY",
            help="Only these ids/wildcards, or this severity and above, fail the run.",
        ),
    ] = None,
    require_modules: Annotated[
        bool,
        typer.Option("--require-modules", help="Exit 2 when a module call was not analysed."),
    ] = False,
    download_modules: Annotated[
        bool,
        typer.Option(
            "--download-modules",
            help="Fetch registry, git and archive module sources terraform init did not install.",
        ),
    ] = False,
    var_file: Annotated[
        list[Path] | None,
        typer.Option(
            "--var-file",
            metavar="FILE",
            help="Variable values for every root, as terraform -var-file (repeatable).",
        ),
    ] = None,
    var: Annotated[
        list[str] | None,
        typer.Option(
            "--var",
            metavar="NAME=VALUE",
            help="A variable value for every root, as terraform -var (repeatable; wins over "
            "--var-file; TF_VAR_* are read too).",
        ),
    ] = None,
) -> None:
    """Lint Terraform for DR anti-patterns.

    Exit 0: no unsuppressed finding at or above --min-severity
    (or every such finding soft: --soft-fail, --soft-fail-on, --hard-fail-on).
    Exit 1: such findings.
    Exit 2: usage or config errors, or files that could not be parsed
    (they are reported, and every other file is still linted).

    Settings: .drgen.yaml or \\[tool.drgen] in pyproject.toml (found upward).
    Flags win over them.
    """
    from drgen.lint.cli.lint_command import LintOptions, run_lint

    _exit(
        run_lint(
            LintOptions(
                paths=list(paths or [Path()]),
                formats=list(fmt or []),
                output=output,
                output_dir=output_dir,
                min_severity=min_severity,
                policies_dirs=list(policies_dir or []),
                strict=strict,
                objectives=objectives,
                retention_floor=retention_floor,
                spec=spec,
                config=config,
                baseline=baseline,
                write_baseline=write_baseline,
                list_suppressions=list_suppressions,
                quiet=quiet,
                checks=list(check or []),
                skip_checks=list(skip_check or []),
                soft_fail=soft_fail,
                soft_fail_on=list(soft_fail_on or []),
                hard_fail_on=list(hard_fail_on or []),
                var_files=list(var_file or []),
                require_modules=require_modules,
                download_modules=download_modules,
                variables=list(var or []),
            )
        )
    )


@policies_app.command("list")
def policies_list(
    policies_dir: Annotated[
        list[Path] | None,
        typer.Option("--policies-dir", metavar="DIR", help="Extra policy YAML folder."),
    ] = None,
) -> None:
    """One line per policy: id, severity, title."""
    from drgen.lint.cli.policy_command import run_policies_list

    _exit(run_policies_list(list(policies_dir or [])))


@policies_app.command("show")
def policies_show(
    policy_id: Annotated[str, typer.Argument(metavar="ID", help="Policy id, e.g. DR010.")],
    policies_dir: Annotated[
        list[Path] | None,
        typer.Option("--policies-dir", metavar="DIR", help="Extra policy YAML folder."),
    ] = None,
    page_format: Annotated[
        str,
        typer.Option(
            "--format", metavar="FORMAT", help="text, or markdown (as in docs/policies/)."
        ),
    ] = "text",
) -> None:
    """The policy's doc page: what it does, why, failing and passing examples, how to fix."""
    from drgen.lint.cli.policy_command import run_policies_show

    _exit(run_policies_show(policy_id, list(policies_dir or []), page_format))


@policies_app.command("test")
def policies_test(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Folder of policy YAML files.")],
) -> None:
    """Run each policy's own examples: the failing one must find, the passing one must not."""
    from drgen.lint.cli.policy_test import run_policies_test

    _exit(run_policies_test(directory))


def _exit(code: int) -> NoReturn:
    raise typer.Exit(int(code))


def main() -> None:
    """Entry point: one top-level handler turns errors into messages and exit codes.

    Typer/click handle usage errors themselves (exit 2) in standalone mode.
    """
    try:
        app()
    except DrgenError as error:
        print(error.format(), file=sys.stderr)
        sys.exit(error.exit_code)
    except OSError as error:  # a path problem no command anticipated: still located, exit 2
        from drgen.errors import os_problem

        print(os_problem(error).format(), file=sys.stderr)
        sys.exit(ExitCode.USAGE)
    except Exception:  # the single place that turns a bug into exit code 3
        import traceback

        traceback.print_exc()
        print(
            f"drgen {__version__} hit an internal error; please report it with the lines above.",
            file=sys.stderr,
        )
        sys.exit(ExitCode.INTERNAL)
